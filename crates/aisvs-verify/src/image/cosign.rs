//! Cosign's legacy (tag-scheme) signature layers: turning the layer annotations into a v0.1
//! Sigstore bundle so the same offline verifier checks them.
//!
//! Annotations used: `dev.sigstore.cosign/certificate` (PEM leaf), `dev.sigstore.cosign/bundle`
//! (Rekor SET + `Payload{body, integratedTime, logIndex, logID}`), optional
//! `dev.sigstore.cosign/rfc3161timestamp`, and `dev.cosignproject.cosign/signature` (base64).

use super::layout::Descriptor;
use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use sigstore_verify::types::Bundle;

/// Annotation holding the base64 signature of a simple-signing layer.
pub const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
/// Annotation holding the Fulcio leaf certificate (PEM).
pub const CERTIFICATE_ANNOTATION: &str = "dev.sigstore.cosign/certificate";
/// Annotation holding the Rekor bundle (SET + payload).
pub const REKOR_ANNOTATION: &str = "dev.sigstore.cosign/bundle";
const TIMESTAMP_ANNOTATION: &str = "dev.sigstore.cosign/rfc3161timestamp";

/// What the layer signs.
pub enum SignedContent<'a> {
    /// Simple-signing payload bytes, signed as a message.
    Payload(&'a [u8]),
    /// A DSSE envelope object (the layer blob).
    Envelope(&'a Value),
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// DER bytes of the first PEM `CERTIFICATE` block.
pub fn pem_certificate_der(pem: &str) -> Option<Vec<u8>> {
    let start = pem.find("-----BEGIN CERTIFICATE-----")? + "-----BEGIN CERTIFICATE-----".len();
    let end = start + pem.get(start..)?.find("-----END CERTIFICATE-----")?;
    let body: String = pem
        .get(start..end)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    b64().decode(body).ok()
}

/// Who signed the layer, as the bundle's verification material states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedBy {
    /// The Fulcio certificate in the certificate annotation.
    Certificate,
    /// A key given out of band (`cosign sign --key`); the bundle carries only a hint.
    Key,
}

/// Builds the verification material (certificate or key hint + Rekor entry) from the annotations.
fn material(layer: &Descriptor, by: SignedBy) -> Result<Value, String> {
    let mut material = match by {
        SignedBy::Certificate => {
            let pem = layer
                .annotation(CERTIFICATE_ANNOTATION)
                .ok_or("no certificate annotation")?;
            let der = pem_certificate_der(pem)
                .ok_or("certificate annotation is not a PEM certificate")?;
            json!({
                "x509CertificateChain": {"certificates": [{"rawBytes": b64().encode(der)}]},
                "tlogEntries": [],
            })
        }
        SignedBy::Key => json!({"publicKey": {"hint": "cosign-key"}, "tlogEntries": []}),
    };
    if let Some(rekor) = layer.annotation(REKOR_ANNOTATION) {
        material["tlogEntries"] = json!([rekor_entry(rekor)?]);
    }
    if let Some(ts) = layer.annotation(TIMESTAMP_ANNOTATION) {
        let ts: Value =
            serde_json::from_str(ts).map_err(|e| format!("timestamp annotation: {e}"))?;
        if let Some(token) = ts.get("SignedRFC3161Timestamp").and_then(Value::as_str) {
            material["timestampVerificationData"] =
                json!({"rfc3161Timestamps": [{"signedTimestamp": token}]});
        }
    }
    Ok(material)
}

fn rekor_entry(annotation: &str) -> Result<Value, String> {
    let rekor: Value =
        serde_json::from_str(annotation).map_err(|e| format!("Rekor bundle annotation: {e}"))?;
    let payload = rekor
        .get("Payload")
        .ok_or("Rekor bundle annotation has no Payload")?;
    let body = payload
        .get("body")
        .and_then(Value::as_str)
        .ok_or("Rekor payload has no body")?;
    let decoded = b64()
        .decode(body)
        .map_err(|e| format!("Rekor body is not base64: {e}"))?;
    let body_json: Value =
        serde_json::from_slice(&decoded).map_err(|e| format!("Rekor body is not JSON: {e}"))?;
    let kind = body_json
        .get("kind")
        .and_then(Value::as_str)
        .ok_or("Rekor body has no kind")?;
    let version = body_json
        .get("apiVersion")
        .and_then(Value::as_str)
        .ok_or("Rekor body has no apiVersion")?;
    let log_id_hex = payload
        .get("logID")
        .and_then(Value::as_str)
        .ok_or("Rekor payload has no logID")?;
    let log_id = hex::decode(log_id_hex).map_err(|e| format!("logID is not hex: {e}"))?;
    let number = |key: &str| {
        payload
            .get(key)
            .and_then(Value::as_i64)
            .map(|n| n.to_string())
    };
    Ok(json!({
        "logIndex": number("logIndex").ok_or("Rekor payload has no logIndex")?,
        "logId": {"keyId": b64().encode(log_id)},
        "kindVersion": {"kind": kind, "version": version},
        "integratedTime": number("integratedTime").ok_or("Rekor payload has no integratedTime")?,
        "inclusionPromise": {"signedEntryTimestamp": rekor.get("SignedEntryTimestamp").cloned().unwrap_or(Value::Null)},
        "canonicalizedBody": body,
    }))
}

/// Converts a legacy layer into a v0.1 bundle (SET-only, as cosign stores it).
pub fn legacy_bundle(
    layer: &Descriptor,
    content: &SignedContent<'_>,
    by: SignedBy,
) -> Result<Bundle, String> {
    let mut bundle = json!({
        "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "verificationMaterial": material(layer, by)?,
    });
    match content {
        SignedContent::Payload(payload) => {
            let signature = layer
                .annotation(SIGNATURE_ANNOTATION)
                .ok_or("no signature annotation")?;
            bundle["messageSignature"] = json!({
                "messageDigest": {"algorithm": "SHA2_256", "digest": b64().encode(Sha256::digest(payload))},
                "signature": signature,
            });
        }
        SignedContent::Envelope(envelope) => bundle["dsseEnvelope"] = (*envelope).clone(),
    }
    Bundle::from_json(&bundle.to_string())
        .map_err(|e| format!("annotations do not form a valid bundle: {e}"))
}

/// The `docker-manifest-digest` a simple-signing payload binds to.
pub fn simple_signing_digest(payload: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(payload).ok()?;
    value
        .get("critical")?
        .get("image")?
        .get("docker-manifest-digest")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_signing_digest_is_read() {
        let payload = br#"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:ab"},"type":"cosign container image signature"},"optional":null}"#;
        assert_eq!(simple_signing_digest(payload).as_deref(), Some("sha256:ab"));
        assert_eq!(simple_signing_digest(b"not json"), None);
    }

    #[test]
    fn missing_certificate_is_reported() {
        let layer = Descriptor::default();
        let err = legacy_bundle(&layer, &SignedContent::Payload(b"x"), SignedBy::Certificate)
            .expect_err("no cert");
        assert!(err.contains("certificate"), "{err}");
    }
}
