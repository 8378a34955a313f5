//! One entry point for the scan engine: verify an evidence file found among scan inputs
//! (kind from [`crate::sniff`]) under one policy, returning a serialisable [`Report`].

use crate::artifact::ArtifactInput;
use crate::bundle::{verify_bundle, BundleRequest};
use crate::error::VerifyError;
use crate::identity::IdentityPolicy;
use crate::image::{verify_image, ImageRequest};
use crate::input::{first_json_document, parse_json, read_text};
use crate::keyed::PublicKey;
use crate::provenance::{verify_provenance, ProvenancePolicy, ProvenanceRequest};
use crate::report::{Report, Requirement};
use crate::sigstore_check::Signer;
use crate::sniff::EvidenceKind;
use std::path::{Path, PathBuf};

/// What evidence must satisfy; unset expectations make the result unverified, never verified.
#[derive(Debug, Clone, Default)]
pub struct EvidencePolicy {
    /// Keyless signer (SAN + issuer) for bundles and images.
    pub identity: Option<IdentityPolicy>,
    /// Keys for keyed signatures (cosign `--key`, Cloud Build, VSA).
    pub keys: Vec<PublicKey>,
    /// Provenance expectations (trusted builders, source repository/ref, parameters).
    pub provenance: ProvenancePolicy,
    /// `None` = the shipped production root.
    pub trusted_root: Option<PathBuf>,
}

impl EvidencePolicy {
    fn signer(&self) -> Option<Signer> {
        match (&self.identity, self.keys.first()) {
            (Some(identity), _) => Some(Signer::Identity(identity.clone())),
            (None, Some(key)) => Some(Signer::Key(key.clone())),
            (None, None) => None,
        }
    }
}

/// Verifies one evidence file. `artifact` is what a bundle or provenance must be about (for
/// images the image digest comes from the layout).
pub fn verify_evidence(
    path: &Path,
    kind: EvidenceKind,
    artifact: Option<ArtifactInput>,
    policy: &EvidencePolicy,
) -> Result<Report, VerifyError> {
    match kind {
        EvidenceKind::SigstoreBundle if !carries_provenance(path)? => {
            let signer = policy.signer().ok_or_else(|| no_signer(path))?;
            let artifact = artifact.ok_or_else(|| {
                VerifyError::usage(format!(
                    "{}: the signed artifact is not known",
                    path.display()
                ))
            })?;
            verify_bundle(&BundleRequest {
                bundle: path.to_path_buf(),
                artifact,
                signer,
                trusted_root: policy.trusted_root.clone(),
                strict_timestamps: false,
            })
        }
        EvidenceKind::SigstoreBundle
        | EvidenceKind::DsseEnvelope
        | EvidenceKind::ProvenanceDump => verify_provenance(&ProvenanceRequest {
            provenance: path.to_path_buf(),
            artifact,
            policy: policy.provenance.clone(),
            keys: policy.keys.clone(),
            key_id: None,
            trusted_root: policy.trusted_root.clone(),
            strict_timestamps: false,
        }),
        EvidenceKind::OciLayout => {
            let layout = if path.is_dir() {
                path.to_path_buf()
            } else {
                path.parent().unwrap_or(path).to_path_buf()
            };
            verify_image(&ImageRequest {
                layout,
                image_digest: None,
                signer: policy.signer().ok_or_else(|| no_signer(path))?,
                trusted_root: policy.trusted_root.clone(),
                strict_timestamps: false,
            })
        }
        EvidenceKind::SbomCycloneDx | EvidenceKind::SbomSpdx => Ok(bare_sbom(path, kind)),
    }
}

fn no_signer(path: &Path) -> VerifyError {
    VerifyError::usage(format!(
        "{}: no signer identity or key configured to verify it against",
        path.display()
    ))
}

/// Whether a bundle's DSSE payload is an in-toto statement with an SLSA or VSA predicate.
fn carries_provenance(path: &Path) -> Result<bool, VerifyError> {
    let text = read_text(path, "read bundle")?;
    let value = parse_json(path, "parse bundle JSON", first_json_document(&text))?;
    let Some(payload) = value
        .get("dsseEnvelope")
        .and_then(|e| e.get("payload"))
        .and_then(|p| p.as_str())
    else {
        return Ok(false);
    };
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .unwrap_or_default();
    let statement: serde_json::Value = serde_json::from_slice(&decoded).unwrap_or_default();
    let predicate = statement
        .get("predicateType")
        .and_then(|p| p.as_str())
        .unwrap_or("");
    Ok(predicate.starts_with("https://slsa.dev/"))
}

/// A loose SBOM file is evidence that an SBOM exists, not that it is embedded or signed.
fn bare_sbom(path: &Path, kind: EvidenceKind) -> Report {
    let mut report = Report::new(
        "sbom",
        path.display().to_string(),
        vec![Requirement::SignatureAndSbom],
    );
    let format = if kind == EvidenceKind::SbomCycloneDx {
        "CycloneDX"
    } else {
        "SPDX"
    };
    report.pass(
        "sbom attached",
        format!("{format} SBOM file present in the inputs"),
    );
    report.fail(
        "sbom signed",
        "a loose SBOM file carries no signature; attach it to the image as a signed attestation",
    );
    report.finish(&["sbom attached", "sbom signed"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_sbom_is_never_verified() {
        let report = bare_sbom(Path::new("bom.json"), EvidenceKind::SbomCycloneDx);
        assert!(!report.verified);
        assert_eq!(report.failed_checks, vec!["sbom signed".to_string()]);
    }

    #[test]
    fn missing_signer_is_a_usage_error() {
        let policy = EvidencePolicy::default();
        let err = verify_evidence(
            Path::new("/nonexistent-dir"),
            EvidenceKind::OciLayout,
            None,
            &policy,
        )
        .expect_err("no signer");
        assert!(err.to_string().contains("no signer"), "{err}");
    }
}
