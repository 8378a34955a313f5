//! Signing decision records: a DSSE v1 envelope with an Ed25519 signature, the same envelope and
//! key type as sandbox vetting records, so one key pair and one verifier cover both.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use aisvs_sandbox::sandbox::keys::key_id;

/// DSSE payload type of a signed decision record.
pub const DECISION_PAYLOAD_TYPE: &str = "application/vnd.aisvs.gate-decision.v1+json";

/// A DSSE envelope (`payloadType`, base64 `payload`, `signatures[{keyid, sig}]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    pub payload: String,
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    pub keyid: String,
    pub sig: String,
}

/// Why an envelope did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("payload type is `{0}`, expected `{DECISION_PAYLOAD_TYPE}`")]
    WrongPayloadType(String),
    #[error("no signature by key {0}")]
    NotSignedByKey(String),
    #[error("signature by key {0} does not verify")]
    BadSignature(String),
    #[error("payload is not base64")]
    BadPayloadEncoding,
}

/// DSSE v1 pre-authentication encoding of a payload.
fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    bytes.extend_from_slice(payload);
    bytes
}

/// Signs `payload` (the decision record's JSON bytes).
pub fn sign(payload: &[u8], key: &SigningKey) -> Envelope {
    let signature = key.sign(&pae(DECISION_PAYLOAD_TYPE, payload));
    Envelope {
        payload_type: DECISION_PAYLOAD_TYPE.to_string(),
        payload: BASE64.encode(payload),
        signatures: vec![EnvelopeSignature {
            keyid: key_id(&key.verifying_key()),
            sig: BASE64.encode(signature.to_bytes()),
        }],
    }
}

/// Decodes the payload without checking any signature.
pub fn payload_unverified(envelope: &Envelope) -> Result<Vec<u8>, SignatureError> {
    BASE64
        .decode(envelope.payload.as_bytes())
        .map_err(|_| SignatureError::BadPayloadEncoding)
}

/// Verifies the signature by `key` and returns the payload bytes it covers.
pub fn verify(envelope: &Envelope, key: &VerifyingKey) -> Result<Vec<u8>, SignatureError> {
    if envelope.payload_type != DECISION_PAYLOAD_TYPE {
        return Err(SignatureError::WrongPayloadType(
            envelope.payload_type.clone(),
        ));
    }
    let wanted = key_id(key);
    let entry = envelope
        .signatures
        .iter()
        .find(|s| s.keyid == wanted)
        .ok_or_else(|| SignatureError::NotSignedByKey(wanted.clone()))?;
    let payload = payload_unverified(envelope)?;
    let signature = BASE64
        .decode(entry.sig.as_bytes())
        .ok()
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or_else(|| SignatureError::BadSignature(wanted.clone()))?;
    key.verify_strict(&pae(&envelope.payload_type, &payload), &signature)
        .map_err(|_| SignatureError::BadSignature(wanted))?;
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn round_trip_and_tamper_detection() {
        let signer = key(7);
        let envelope = sign(b"{\"decision\":\"block\"}", &signer);
        assert_eq!(
            verify(&envelope, &signer.verifying_key()).unwrap(),
            b"{\"decision\":\"block\"}"
        );

        let mut tampered = envelope.clone();
        tampered.payload = BASE64.encode(b"{\"decision\":\"promote\"}");
        assert!(matches!(
            verify(&tampered, &signer.verifying_key()),
            Err(SignatureError::BadSignature(_))
        ));

        assert!(matches!(
            verify(&envelope, &key(8).verifying_key()),
            Err(SignatureError::NotSignedByKey(_))
        ));
    }

    #[test]
    fn pae_matches_the_dsse_definition() {
        assert_eq!(pae("t", b"ab"), b"DSSEv1 1 t 2 ab".to_vec());
    }
}
