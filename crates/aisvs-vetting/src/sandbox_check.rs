//! Checks that the candidate's evaluation ran in a verified sandbox: a signed vetting record
//! (from `aisvs sandbox run --record`) whose signature verifies, whose run had no network,
//! whose command succeeded, and whose inputs include the candidate model (by SHA-256).

use std::path::Path;

use aisvs_sandbox::sandbox::keys;
use aisvs_sandbox::sandbox::record::{self, ControlStatus, VettingRecord};
use serde::{Deserialize, Serialize};

use crate::digest::sha256_of_file;
use crate::limits::MAX_RESULT_BYTES;

/// Isolation control names under which the sandbox records that the run had no network.
pub const NETWORK_CONTROLS: &[&str] = &["network_namespace"];

/// What the gate established about the sandbox record; serialised into the decision record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SandboxEvidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `sha256:<hex>` of the record file as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Key id (hex SHA-256 of the raw public key) the signature was checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    pub signature_verified: bool,
    /// `Some(true)` only when the record says a network control was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_isolated: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Whether an input of the sandboxed run has the candidate's model digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_digest_matched: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// Why the record is not accepted (each one blocks promotion).
    #[serde(default)]
    pub problems: Vec<String>,
    /// Things worth knowing that do not block (an isolation control that fell back…).
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl SandboxEvidence {
    /// The record proves the evaluation ran sandboxed, offline, successfully, on this model.
    pub fn accepted(&self) -> bool {
        self.problems.is_empty()
            && self.signature_verified
            && self.network_isolated == Some(true)
            && self.exit_code == Some(0)
            && self.model_digest_matched == Some(true)
    }
}

/// Checks the record; never fails: anything wrong becomes a problem that blocks promotion.
pub fn check(
    record_path: Option<&Path>,
    public_key: Option<&Path>,
    model_digest: Option<&str>,
) -> SandboxEvidence {
    let mut evidence = SandboxEvidence::default();
    let Some(path) = record_path else {
        evidence
            .problems
            .push("no sandbox record given (--sandbox-record): the evaluation is not shown to have run in the sandbox".into());
        return evidence;
    };
    evidence.path = Some(path.display().to_string());
    match sha256_of_file(path, MAX_RESULT_BYTES) {
        Ok(digest) => evidence.sha256 = Some(digest),
        Err(err) => {
            evidence
                .problems
                .push(format!("cannot read the sandbox record: {err}"));
            return evidence;
        }
    }
    let Some(key_path) = public_key else {
        evidence.problems.push(
            "no public key given (--public-key): the sandbox record's signature cannot be verified"
                .into(),
        );
        return evidence;
    };
    let key = match keys::load_public_key(key_path) {
        Ok(key) => key,
        Err(err) => {
            evidence
                .problems
                .push(format!("cannot load the public key: {err}"));
            return evidence;
        }
    };
    evidence.key_id = Some(keys::key_id(&key));
    match record::verify_record_file(path, &key) {
        Ok(record) => {
            evidence.signature_verified = true;
            judge_record(&record, model_digest, &mut evidence);
        }
        Err(err) => evidence.problems.push(format!(
            "sandbox record does not verify: {}",
            crate::error::one_line(&err.to_string())
        )),
    }
    evidence
}

/// Applies the gate's conditions to a record whose signature already verified.
fn judge_record(
    record: &VettingRecord,
    model_digest: Option<&str>,
    evidence: &mut SandboxEvidence,
) {
    evidence.command = crate::redact::redact_command(&record.command);
    evidence.exit_code = Some(record.exit.code);
    evidence.started_at = Some(record.started_at.clone());
    let network: Vec<_> = record
        .isolation
        .iter()
        .filter(|c| NETWORK_CONTROLS.contains(&c.control.as_str()))
        .collect();
    let isolated =
        !network.is_empty() && network.iter().all(|c| c.status == ControlStatus::Applied);
    evidence.network_isolated = Some(isolated);
    if !isolated {
        evidence.problems.push(match network.first() {
            None => {
                "the sandbox record does not show network isolation (no network-namespace control)"
                    .to_string()
            }
            Some(c) => format!(
                "network isolation was not fully applied ({:?}: {})",
                c.status, c.detail
            ),
        });
    }
    if !record.exited_cleanly() {
        evidence.problems.push(format!(
            "the sandboxed evaluation did not succeed (exit {}, signal {:?}, timed out {})",
            record.exit.code, record.exit.signal, record.exit.timed_out
        ));
    }
    match model_digest {
        None => {
            evidence.model_digest_matched = None;
            evidence.problems.push(
                "the candidate has no model digest, so the sandbox record cannot be tied to it"
                    .into(),
            );
        }
        Some(digest) => {
            let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
            let matched = record.has_input_sha256(hex);
            evidence.model_digest_matched = Some(matched);
            if !matched {
                evidence.problems.push(format!(
                    "no input of the sandboxed run has the candidate model digest {digest}"
                ));
            }
        }
    }
    for control in record
        .missing_controls()
        .filter(|c| !NETWORK_CONTROLS.contains(&c.control.as_str()))
    {
        evidence.warnings.push(format!(
            "sandbox control `{}` was not applied: {}",
            control.control, control.detail
        ));
    }
    if let Some(scan) = &record.model_scan {
        if scan.overall != "safe" {
            evidence.warnings.push(format!(
                "the sandbox's model scan rated the inputs `{}` (see `aisvs model scan`)",
                scan.overall
            ));
        }
    }
}
