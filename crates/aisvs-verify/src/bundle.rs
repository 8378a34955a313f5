//! `aisvs verify bundle`: one Sigstore bundle (v0.1–v0.3) against an artifact and a signer policy.

use crate::artifact::ArtifactInput;
use crate::error::VerifyError;
use crate::input::{first_json_document, parse_json, read_text};
use crate::report::{Report, Requirement};
use crate::sigstore_check::{verify_bundle_checks, Signer, SignerFacts};
use crate::trust::{load_trusted_root, TrustRoot};
use serde_json::Value;
use sigstore_verify::types::{Bundle, SignatureContent};
use std::path::{Path, PathBuf};

/// Bundle media types this verifier understands.
pub const BUNDLE_MEDIA_TYPES: [&str; 4] = [
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
];

/// Input of [`verify_bundle`].
#[derive(Debug, Clone)]
pub struct BundleRequest {
    /// The bundle file (`.sigstore.json`, `.sigstore`, or the first line of `.intoto.jsonl`).
    pub bundle: PathBuf,
    /// What the bundle must be about.
    pub artifact: ArtifactInput,
    /// Who must have signed.
    pub signer: Signer,
    /// `None` = the shipped production root.
    pub trusted_root: Option<PathBuf>,
    /// Fail on any RFC 3161 timestamp that does not authenticate, instead of setting it
    /// aside when other verified times remain (see `timestamps.rs`).
    pub strict_timestamps: bool,
}

/// Verifies a bundle file. Unreadable or malformed input is an error; a failed check is not.
pub fn verify_bundle(request: &BundleRequest) -> Result<Report, VerifyError> {
    let trust = load_trusted_root(request.trusted_root.as_deref())?
        .with_strict_timestamps(request.strict_timestamps);
    let bundle = load_bundle(&request.bundle)?;
    let mut report = Report::new(
        "bundle",
        request.bundle.display().to_string(),
        vec![Requirement::SignatureAndSbom],
    );
    verify_loaded_bundle(
        &bundle,
        &request.artifact,
        &request.signer,
        &trust,
        &mut report,
    )?;
    Ok(report.finish(&required_checks(&request.signer)))
}

/// The checks without which a bundle is never "verified".
pub fn required_checks(signer: &Signer) -> Vec<&'static str> {
    match signer {
        Signer::Identity(_) => vec![
            "signature",
            "artifact",
            "certificate chain",
            "identity",
            "issuer",
        ],
        Signer::Key(_) => vec!["signature", "artifact", "key"],
        Signer::CallerDecides => vec!["signature", "artifact", "certificate chain"],
    }
}

/// Records the bundle's shape and runs the Sigstore checks.
pub fn verify_loaded_bundle(
    bundle: &Bundle,
    artifact: &ArtifactInput,
    signer: &Signer,
    trust: &TrustRoot,
    report: &mut Report,
) -> Result<Option<SignerFacts>, VerifyError> {
    report.pass("bundle format", describe_bundle(bundle));
    report.fact("artifact", artifact.describe());
    report.fact("trusted root", trust.label.clone());
    let facts = verify_bundle_checks(bundle, artifact, signer, trust, report)?;
    if let Some(facts) = &facts {
        report.fact("signer", facts.identity.clone());
        if let Some(issuer) = &facts.issuer {
            report.fact("issuer", issuer.clone());
        }
    }
    Ok(facts)
}

/// Reads and parses a bundle file, naming the failed step on error.
pub fn load_bundle(path: &Path) -> Result<Bundle, VerifyError> {
    let text = read_text(path, "read bundle")?;
    parse_bundle(path, first_json_document(&text))
}

/// Parses bundle JSON text; `path` is only used in messages.
pub fn parse_bundle(path: &Path, text: &str) -> Result<Bundle, VerifyError> {
    let value = parse_json(path, "parse bundle JSON", text)?;
    let media_type = value
        .get("mediaType")
        .and_then(Value::as_str)
        .ok_or_else(|| VerifyError::input(path, "check bundle media type", "no mediaType field"))?;
    if !BUNDLE_MEDIA_TYPES.contains(&media_type) {
        return Err(VerifyError::input(
            path,
            "check bundle media type",
            format!("unknown bundle media type {media_type:?}"),
        ));
    }
    Bundle::from_json(text).map_err(|e| VerifyError::input(path, "parse bundle", e))
}

/// "v0.3 bundle, DSSE envelope (application/vnd.in-toto+json), 1 Rekor entry (dsse/0.0.1) …".
pub fn describe_bundle(bundle: &Bundle) -> String {
    let content = match &bundle.content {
        SignatureContent::MessageSignature(_) => "message signature".to_string(),
        SignatureContent::DsseEnvelope(env) => format!("DSSE envelope ({})", env.payload_type),
        _ => "unknown content".to_string(),
    };
    let material = &bundle.verification_material;
    let kinds: Vec<String> = material
        .tlog_entries
        .iter()
        .map(|e| format!("{}/{}", e.kind_version.kind(), e.kind_version.version()))
        .collect();
    let tsa = material
        .timestamp_verification_data
        .rfc3161_timestamps
        .len();
    format!(
        "{}, {content}, {} Rekor entr{} [{}], {tsa} RFC 3161 timestamp(s)",
        bundle.media_type(),
        kinds.len(),
        if kinds.len() == 1 { "y" } else { "ies" },
        kinds.join(", ")
    )
}
