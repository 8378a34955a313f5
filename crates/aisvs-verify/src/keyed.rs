//! Keyed signatures: PEM public keys and ECDSA verification accepting DER or raw r‖s signatures.
//!
//! Google Cloud Build signs DSSE with KMS keys (DER signatures); the SLSA VSA vector carries a
//! 64-byte IEEE P1363 (raw r‖s) signature. Both are accepted, for P-256 and P-384.

use crate::error::VerifyError;
use crate::input::{read_bounded, MAX_DOCUMENT_BYTES};
use sha2::{Digest as _, Sha256};
use sigstore_verify::crypto::VerificationKey;
use sigstore_verify::types::{DerPublicKey, SignatureBytes};
use std::path::Path;

/// A public key given by the user, trusted for keyed verification.
#[derive(Debug, Clone)]
pub struct PublicKey {
    /// DER SubjectPublicKeyInfo.
    pub der: DerPublicKey,
    /// Where the key came from (file path).
    pub source: String,
    /// sha256 of the SPKI, hex (the usual key fingerprint).
    pub fingerprint: String,
}

impl PublicKey {
    /// Parses a PEM `PUBLIC KEY` block.
    pub fn from_pem(source: &str, pem: &str) -> Result<Self, VerifyError> {
        let der = DerPublicKey::from_pem(pem)
            .map_err(|e| VerifyError::input(source, "parse public key PEM", e))?;
        // Reject keys of types we cannot use now, rather than at the first signature.
        VerificationKey::from_spki(&der)
            .map_err(|e| VerifyError::input(source, "parse public key", e))?;
        let fingerprint = hex::encode(Sha256::digest(der.as_bytes()));
        Ok(PublicKey {
            der,
            source: source.to_string(),
            fingerprint,
        })
    }

    /// Reads a PEM public key file.
    pub fn load(path: &Path) -> Result<Self, VerifyError> {
        let bytes = read_bounded(path, "read public key", MAX_DOCUMENT_BYTES.min(1 << 20))?;
        let text = String::from_utf8_lossy(&bytes);
        Self::from_pem(&path.display().to_string(), &text)
    }

    /// "file (sha256:abcd…)".
    pub fn describe(&self) -> String {
        let short = self.fingerprint.get(..16).unwrap_or(&self.fingerprint);
        format!("{} (SPKI sha256:{short}…)", self.source)
    }

    /// Verifies `signature` over `message`; returns which encoding matched ("DER" or "raw r||s").
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<&'static str, String> {
        let key = VerificationKey::from_spki(&self.der).map_err(|e| e.to_string())?;
        let der_attempt = key.verify(message, &SignatureBytes::new(signature.to_vec()));
        if der_attempt.is_ok() {
            return Ok("DER");
        }
        if let Some(der) = raw_to_der(signature) {
            if key.verify(message, &SignatureBytes::new(der)).is_ok() {
                return Ok("raw r||s");
            }
        }
        Err(match der_attempt {
            Err(e) => format!("signature does not verify with {}: {e}", self.describe()),
            Ok(()) => "signature does not verify".to_string(),
        })
    }
}

/// Converts an IEEE P1363 `r‖s` signature (64 bytes for P-256, 96 for P-384) to ASN.1 DER.
pub fn raw_to_der(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.len() != 64 && raw.len() != 96 {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let r = der_integer(r);
    let s = der_integer(s);
    let body_len = r.len() + s.len();
    // Both integers are ≤ 49 bytes + 2 header bytes, so the sequence length fits one byte.
    let len = u8::try_from(body_len).ok().filter(|l| *l < 0x80)?;
    let mut out = Vec::with_capacity(body_len + 2);
    out.push(0x30);
    out.push(len);
    out.extend_from_slice(&r);
    out.extend_from_slice(&s);
    Some(out)
}

fn der_integer(bytes: &[u8]) -> Vec<u8> {
    let first_nonzero = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let mut value: Vec<u8> = bytes.get(first_nonzero..).unwrap_or_default().to_vec();
    if value.is_empty() {
        value.push(0);
    }
    if value.first().is_some_and(|b| b & 0x80 != 0) {
        value.insert(0, 0);
    }
    let mut out = vec![0x02, value.len() as u8];
    out.extend_from_slice(&value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sigstore_verify::crypto::KeyPair;

    fn pem_of(key: &KeyPair) -> String {
        let der = key.public_key_der().expect("der");
        der.to_pem()
    }

    #[test]
    fn der_and_raw_signatures_both_verify() {
        let pair = KeyPair::generate_ecdsa_p256().expect("keygen");
        let key = PublicKey::from_pem("test.pub", &pem_of(&pair)).expect("pem");
        let der_sig = pair.sign(b"hello").expect("sign").as_bytes().to_vec();
        assert_eq!(key.verify(b"hello", &der_sig), Ok("DER"));
        let raw = der_to_raw(&der_sig);
        assert_eq!(key.verify(b"hello", &raw), Ok("raw r||s"));
        assert!(key.verify(b"hullo", &der_sig).is_err());
    }

    #[test]
    fn garbage_pem_is_an_input_error() {
        let err = PublicKey::from_pem("k.pem", "not a key").expect_err("bad");
        assert!(
            err.to_string().starts_with("k.pem: parse public key"),
            "{err}"
        );
    }

    /// Test helper: DER ECDSA-Sig-Value → fixed 32+32 bytes.
    fn der_to_raw(der: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 2;
        for _ in 0..2 {
            let len = der[i + 1] as usize;
            let value = &der[i + 2..i + 2 + len];
            let trimmed: Vec<u8> = value.iter().copied().skip_while(|b| *b == 0).collect();
            let mut padded = vec![0u8; 32 - trimmed.len()];
            padded.extend(trimmed);
            out.extend(padded);
            i += 2 + len;
        }
        out
    }
}
