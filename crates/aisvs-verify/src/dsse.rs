//! DSSE envelopes: parsing, the pre-authentication encoding (PAE) and keyed verification.

use crate::error::VerifyError;
use crate::keyed::PublicKey;
use base64::Engine as _;
use serde_json::Value;
use std::path::Path;

/// More signatures than this on one envelope is treated as hostile input.
const MAX_SIGNATURES: usize = 16;

/// A decoded DSSE envelope.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// `payloadType`, e.g. `application/vnd.in-toto+json`.
    pub payload_type: String,
    /// Decoded payload bytes.
    pub payload: Vec<u8>,
    /// `(keyid, decoded signature)` pairs.
    pub signatures: Vec<(String, Vec<u8>)>,
}

fn decode_b64(text: &str) -> Option<Vec<u8>> {
    let engine = base64::engine::general_purpose::STANDARD;
    let url = base64::engine::general_purpose::URL_SAFE;
    engine.decode(text).or_else(|_| url.decode(text)).ok()
}

impl Envelope {
    /// Parses a DSSE envelope object (`payloadType`, `payload`, `signatures[]`).
    pub fn from_value(path: &Path, value: &Value) -> Result<Self, VerifyError> {
        const STEP: &str = "parse DSSE envelope";
        let field = |name: &str| value.get(name).and_then(Value::as_str);
        let payload_type = field("payloadType")
            .ok_or_else(|| VerifyError::input(path, STEP, "missing string field payloadType"))?;
        let payload = field("payload")
            .and_then(decode_b64)
            .ok_or_else(|| VerifyError::input(path, STEP, "payload is missing or not base64"))?;
        let raw_signatures = value
            .get("signatures")
            .and_then(Value::as_array)
            .ok_or_else(|| VerifyError::input(path, STEP, "missing signatures array"))?;
        if raw_signatures.len() > MAX_SIGNATURES {
            return Err(VerifyError::input(
                path,
                STEP,
                format!(
                    "{} signatures (more than {MAX_SIGNATURES})",
                    raw_signatures.len()
                ),
            ));
        }
        let mut signatures = Vec::new();
        for (index, sig) in raw_signatures.iter().enumerate() {
            let keyid = sig
                .get("keyid")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let bytes = sig
                .get("sig")
                .and_then(Value::as_str)
                .and_then(decode_b64)
                .ok_or_else(|| {
                    VerifyError::input(
                        path,
                        STEP,
                        format!("signatures[{index}].sig is missing or not base64"),
                    )
                })?;
            signatures.push((keyid, bytes));
        }
        Ok(Envelope {
            payload_type: payload_type.to_string(),
            payload,
            signatures,
        })
    }

    /// The bytes that are signed: `DSSEv1 SP len(type) SP type SP len(body) SP body`.
    pub fn pae(&self) -> Vec<u8> {
        let mut out = format!(
            "DSSEv1 {} {} {} ",
            self.payload_type.len(),
            self.payload_type,
            self.payload.len()
        )
        .into_bytes();
        out.extend_from_slice(&self.payload);
        out
    }

    /// Finds a signature that verifies over the PAE with one of `keys`.
    ///
    /// When `key_id` is given, only signatures carrying exactly that `keyid` count.
    /// Returns a description of the verifying signature, or why none verified.
    pub fn verify_with_keys(
        &self,
        keys: &[PublicKey],
        key_id: Option<&str>,
    ) -> Result<String, String> {
        if self.signatures.is_empty() {
            return Err("envelope has no signatures".to_string());
        }
        let pae = self.pae();
        let mut reasons = Vec::new();
        for (index, (keyid, sig)) in self.signatures.iter().enumerate() {
            if let Some(wanted) = key_id {
                if keyid != wanted {
                    reasons.push(format!(
                        "signature {index}: keyid {keyid:?} is not {wanted:?}"
                    ));
                    continue;
                }
            }
            for key in keys {
                match key.verify(&pae, sig) {
                    Ok(encoding) => {
                        return Ok(format!(
                            "DSSE signature {index} (keyid {keyid:?}, {encoding}) verifies with {}",
                            key.describe()
                        ))
                    }
                    Err(e) => reasons.push(format!("signature {index}: {e}")),
                }
            }
        }
        Err(reasons.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // Example from the DSSE protocol description.
        let env = Envelope {
            payload_type: "http://example.com/HelloWorld".into(),
            payload: b"hello world".to_vec(),
            signatures: vec![],
        };
        assert_eq!(
            env.pae(),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn missing_fields_are_named() {
        let err =
            Envelope::from_value(Path::new("e.json"), &serde_json::json!({"payload": "aGk="}))
                .expect_err("bad");
        assert!(err.to_string().contains("payloadType"), "{err}");
        let err = Envelope::from_value(
            Path::new("e.json"),
            &serde_json::json!({"payloadType": "x", "payload": "!!!", "signatures": []}),
        )
        .expect_err("bad");
        assert!(err.to_string().contains("base64"), "{err}");
    }

    #[test]
    fn no_signature_never_verifies() {
        let env = Envelope {
            payload_type: "t".into(),
            payload: vec![],
            signatures: vec![],
        };
        assert!(env.verify_with_keys(&[], None).is_err());
    }
}
