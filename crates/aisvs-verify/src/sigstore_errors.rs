//! Maps `sigstore-verify` errors to the name of the check that failed, so every rejection
//! names its reason ("inclusion proof", "identity", "certificate chain", …).

use sigstore_verify::{CertificateError, Error, TransparencyLogError};

/// Names the check that failed for a `sigstore-verify` error.
pub fn classify(error: &Error) -> &'static str {
    match error {
        Error::IdentityMismatch { .. } => "identity",
        Error::IssuerMismatch { .. } => "issuer",
        Error::SignatureInvalid(_) => "signature",
        Error::ArtifactMismatch(_) | Error::UnsupportedArtifact(_) => "artifact",
        Error::Certificate(CertificateError::Sct(_)) => "SCT",
        Error::Certificate(_) => "certificate chain",
        Error::TransparencyLog(TransparencyLogError::InclusionProof(_)) => "inclusion proof",
        Error::TransparencyLog(TransparencyLogError::Checkpoint(_)) => "checkpoint",
        Error::TransparencyLog(TransparencyLogError::InclusionPromise(_)) => {
            "signed entry timestamp"
        }
        Error::TransparencyLog(TransparencyLogError::EntryMismatch(_)) => "log entry consistency",
        Error::TransparencyLog(TransparencyLogError::IntegratedTime(_)) => "integrated time",
        Error::TransparencyLog(_) => "transparency log",
        Error::Timestamp(_) => "timestamps",
        Error::InvalidTrustRoot(_) | Error::TrustRoot(_) | Error::TrustedCertificate(_) => {
            "trusted root"
        }
        Error::Crypto(_) => "cryptography",
        Error::ArtifactRead(_) => "artifact",
        _ => "bundle structure",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_map_to_check_names() {
        let proof = Error::TransparencyLog(TransparencyLogError::InclusionProof("x".into()));
        assert_eq!(classify(&proof), "inclusion proof");
        assert_eq!(classify(&Error::SignatureInvalid("x".into())), "signature");
        assert_eq!(classify(&Error::ArtifactMismatch("x".into())), "artifact");
        let sct = Error::Certificate(CertificateError::Sct("x".into()));
        assert_eq!(classify(&sct), "SCT");
        assert_eq!(
            classify(&Error::InvalidBundle("x".into())),
            "bundle structure"
        );
    }
}
