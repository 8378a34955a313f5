//! Reads a provenance file in any of the shapes builders publish it in.
//!
//! * a Sigstore bundle with a DSSE envelope (`*.intoto.jsonl`, `*.sigstore.json`, `*.build.slsa`)
//! * a bare DSSE envelope (keyed signatures, e.g. a VSA `*.jsonl`)
//! * a `gcloud artifacts … --show-provenance` dump (`provenance_summary.provenance[].envelope`)

use crate::bundle::parse_bundle;
use crate::dsse::Envelope;
use crate::error::VerifyError;
use crate::input::{first_json_document, parse_json, read_text};
use serde_json::Value;
use sigstore_verify::types::Bundle;
use std::path::Path;

/// More envelopes than this in one dump is treated as hostile input.
const MAX_ENVELOPES: usize = 16;

/// A loaded provenance document, before any verification.
#[derive(Debug)]
pub enum ProvenanceDocument {
    /// Keyless (or managed-key) Sigstore bundle; the envelope is the bundle's DSSE content.
    Bundle {
        /// The parsed bundle.
        bundle: Box<Bundle>,
        /// Its DSSE envelope, decoded.
        envelope: Envelope,
    },
    /// One or more keyed DSSE envelopes (any one verifying suffices).
    Envelopes(Vec<Envelope>),
}

/// Reads and classifies `path`.
pub fn load_provenance(path: &Path) -> Result<ProvenanceDocument, VerifyError> {
    let text = read_text(path, "read provenance")?;
    let document = first_json_document(&text);
    let value = parse_json(path, "parse provenance JSON", document)?;
    if value.get("mediaType").is_some() {
        let bundle = parse_bundle(path, document)?;
        let envelope_value = value.get("dsseEnvelope").ok_or_else(|| {
            VerifyError::input(
                path,
                "read attestation",
                "bundle carries a message signature, not a DSSE attestation",
            )
        })?;
        let envelope = Envelope::from_value(path, envelope_value)?;
        return Ok(ProvenanceDocument::Bundle {
            bundle: Box::new(bundle),
            envelope,
        });
    }
    if value.get("payloadType").is_some() {
        return Ok(ProvenanceDocument::Envelopes(vec![Envelope::from_value(
            path, &value,
        )?]));
    }
    if let Some(list) = value
        .get("provenance_summary")
        .and_then(|s| s.get("provenance"))
        .and_then(Value::as_array)
    {
        if list.len() > MAX_ENVELOPES {
            return Err(VerifyError::input(
                path,
                "read provenance_summary",
                format!("{} envelopes (more than {MAX_ENVELOPES})", list.len()),
            ));
        }
        let envelopes = list
            .iter()
            .filter_map(|entry| entry.get("envelope"))
            .map(|env| Envelope::from_value(path, env))
            .collect::<Result<Vec<_>, _>>()?;
        if envelopes.is_empty() {
            return Err(VerifyError::input(
                path,
                "read provenance_summary",
                "no envelope found",
            ));
        }
        return Ok(ProvenanceDocument::Envelopes(envelopes));
    }
    Err(VerifyError::input(
        path,
        "recognise provenance format",
        "neither a Sigstore bundle, a DSSE envelope nor a provenance_summary dump",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_shapes_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.json");
        std::fs::write(&path, "{\"hello\": 1}").expect("write");
        let err = load_provenance(&path).expect_err("unknown");
        assert!(
            err.to_string().contains("recognise provenance format"),
            "{err}"
        );
        std::fs::write(&path, "{\"mediaType\": \"text/plain\"}").expect("write");
        let err = load_provenance(&path).expect_err("unknown media type");
        assert!(
            err.to_string().contains("unknown bundle media type"),
            "{err}"
        );
    }
}
