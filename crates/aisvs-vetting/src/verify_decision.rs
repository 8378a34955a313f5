//! Reading decision records back: the entry points `aisvs scan` uses to turn a decision record
//! found among its inputs into 4.5.2 evidence.

use std::path::Path;

use serde::Serialize;

use crate::decision::{DecisionRecord, DECISION_FORMAT, DECISION_VERSION};
use crate::error::{GateError, Result};
use crate::limits::{read_text, MAX_SMALL_FILE_BYTES};
use crate::signing::{self, Envelope, DECISION_PAYLOAD_TYPE};

/// What was established about the record's signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum SignatureStatus {
    /// Signed, and the signature by this key id verified.
    Verified { key_id: String },
    /// Signed, but no key was given, so the signature was not checked.
    NotChecked,
    /// A plain, unsigned record.
    Unsigned,
}

/// A decision record read from a file, with its signature status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub record: DecisionRecord,
    pub signature: SignatureStatus,
}

/// True when `text` is a decision record, signed or not (cheap check for input discovery).
pub fn sniff_decision(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.trim_start().starts_with('{')
        && (head.contains(DECISION_PAYLOAD_TYPE)
            || head.contains(&format!("\"{DECISION_FORMAT}\"")))
}

/// Reads a decision record. With `public_key`, the record must be signed by that key (an
/// unsigned or wrongly signed record is an error). Without it, a signed record's signature is
/// reported as not checked. Either way a self-contradictory record is an error.
pub fn verify_decision_file(path: &Path, public_key: Option<&Path>) -> Result<Decision> {
    let text = read_text(path, MAX_SMALL_FILE_BYTES)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        GateError::parse(
            path,
            Some(e.line()),
            crate::import::neutral::strip_position(&e),
        )
    })?;
    let is_envelope = value.get("payloadType").is_some();
    let (payload, signature) = if is_envelope {
        let envelope: Envelope = serde_json::from_value(value)
            .map_err(|e| GateError::parse(path, None, format!("not a DSSE envelope: {e}")))?;
        match public_key {
            Some(key_path) => {
                let key = aisvs_sandbox::sandbox::keys::load_public_key(key_path)
                    .map_err(|e| GateError::invalid(key_path, e.to_string()))?;
                let payload = signing::verify(&envelope, &key)
                    .map_err(|e| GateError::invalid(path, e.to_string()))?;
                let key_id = aisvs_sandbox::sandbox::keys::key_id(&key);
                (payload, SignatureStatus::Verified { key_id })
            }
            None => {
                let payload = signing::payload_unverified(&envelope)
                    .map_err(|e| GateError::invalid(path, e.to_string()))?;
                (payload, SignatureStatus::NotChecked)
            }
        }
    } else {
        if public_key.is_some() {
            return Err(GateError::invalid(
                path,
                "the decision record is not signed, but a public key was given",
            ));
        }
        (text.into_bytes(), SignatureStatus::Unsigned)
    };
    let record: DecisionRecord = serde_json::from_slice(&payload)
        .map_err(|e| GateError::parse(path, None, format!("not a decision record: {e}")))?;
    if record.format != DECISION_FORMAT || record.version != DECISION_VERSION {
        return Err(GateError::invalid(
            path,
            format!(
                "format {:?} version {} is not {DECISION_FORMAT:?} version {DECISION_VERSION}",
                record.format, record.version
            ),
        ));
    }
    if let Some(problem) = record.inconsistency() {
        return Err(GateError::invalid(
            path,
            format!("inconsistent decision record: it {problem}"),
        ));
    }
    Ok(Decision { record, signature })
}
