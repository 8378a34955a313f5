//! Cosign layers signed with a key (`cosign sign --key`, `cosign attest --key`).
//!
//! The signature is checked with the given key. When cosign also logged the signature in Rekor
//! (the default), the layer carries a `dev.sigstore.cosign/bundle` annotation: it is turned into a
//! v0.1 bundle with the key as verification material and verified offline, so the SET is
//! checked against the Rekor keys of the trusted root and the log entry must describe this very
//! signature and key. A Rekor annotation that does not verify fails the layer: a tampered or
//! transplanted log entry is evidence of tampering, not a missing extra.

use super::cosign::{
    legacy_bundle, SignedBy, SignedContent, REKOR_ANNOTATION, SIGNATURE_ANNOTATION,
};
use super::layout::Descriptor;
use crate::artifact::ArtifactInput;
use crate::bundle::verify_loaded_bundle;
use crate::dsse::Envelope;
use crate::error::VerifyError;
use crate::keyed::PublicKey;
use crate::report::{CheckStatus, Report};
use crate::sigstore_check::Signer;
use crate::statement::Statement;
use crate::trust::TrustRoot;
use base64::Engine as _;

/// Verifies one keyed layer into `report` ("signature", "artifact", "key", "transparency log").
pub fn verify_keyed_layer(
    layer: &Descriptor,
    content: &SignedContent<'_>,
    artifact: ArtifactInput,
    key: &PublicKey,
    trust: &TrustRoot,
    report: &mut Report,
) -> Result<(), VerifyError> {
    match signature_with_key(layer, content, &artifact, key) {
        Ok(detail) => {
            report.pass("signature", detail);
            report.pass("artifact", "bound to the image digest");
            report.pass("key", key.describe());
        }
        Err(reason) => {
            report.fail("signature", reason);
            return Ok(());
        }
    }
    if layer.annotation(REKOR_ANNOTATION).is_none() {
        report.skip(
            "transparency log",
            "keyed signature without Rekor entry: trust rests on the key",
        );
        return Ok(());
    }
    let bundle = match legacy_bundle(layer, content, SignedBy::Key) {
        Ok(bundle) => bundle,
        Err(reason) => {
            report.fail("transparency log", format!("Rekor annotation: {reason}"));
            return Ok(());
        }
    };
    let mut scratch = Report::new("rekor", "", vec![]);
    verify_loaded_bundle(
        &bundle,
        &artifact,
        &Signer::Key(key.clone()),
        trust,
        &mut scratch,
    )?;
    let detail_of = |name: &str| {
        scratch
            .checks
            .iter()
            .find(|c| c.name == name && c.status == CheckStatus::Pass)
            .map(|c| c.detail.clone())
    };
    let failed: Vec<String> = scratch
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| format!("{}: {}", c.name, c.detail))
        .collect();
    match detail_of("transparency log") {
        Some(log) if failed.is_empty() => {
            let time = detail_of("signing time").unwrap_or_default();
            report.pass("transparency log", format!("{log}; {time}"));
        }
        _ => report.fail(
            "transparency log",
            format!(
                "Rekor annotation does not verify with {}: {}",
                trust.label,
                if failed.is_empty() {
                    "no log entry was verified".to_string()
                } else {
                    failed.join("; ")
                }
            ),
        ),
    }
    Ok(())
}

/// The signature over a simple-signing payload or a DSSE envelope, checked with `key`; for an
/// envelope, the statement subject must also be the image.
fn signature_with_key(
    layer: &Descriptor,
    content: &SignedContent<'_>,
    artifact: &ArtifactInput,
    key: &PublicKey,
) -> Result<String, String> {
    match content {
        SignedContent::Payload(payload) => {
            let sig = layer
                .annotation(SIGNATURE_ANNOTATION)
                .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                .ok_or("no base64 signature annotation")?;
            key.verify(payload, &sig).map(|enc| {
                format!(
                    "simple-signing payload signature ({enc}) verifies with {}",
                    key.describe()
                )
            })
        }
        SignedContent::Envelope(value) => {
            let env = Envelope::from_value(std::path::Path::new(&layer.digest), value)
                .map_err(|e| e.to_string())?;
            let verdict = env.verify_with_keys(std::slice::from_ref(key), None)?;
            let statement = Statement::parse(std::path::Path::new(&layer.digest), &env.payload)
                .map_err(|e| e.to_string())?;
            let digests = artifact.digests().map_err(|e| e.to_string())?;
            match statement.matching_subject(&digests) {
                Some(_) => Ok(verdict),
                None => Err(format!(
                    "statement subject is not the image ({})",
                    statement.describe_subjects()
                )),
            }
        }
    }
}
