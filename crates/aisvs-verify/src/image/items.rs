//! Verifies one signature, attestation or SBOM layer found for an image.

use super::cosign::{legacy_bundle, simple_signing_digest, SignedBy, SignedContent};
use super::keyed_layer::verify_keyed_layer;
use super::layout::{Descriptor, Layout};
use super::sbom::{inspect, is_sbom_media_type, is_sbom_predicate, SbomInfo};
use crate::artifact::{ArtifactDigest, ArtifactInput};
use crate::bundle::{parse_bundle, required_checks, verify_loaded_bundle};
use crate::dsse::Envelope;
use crate::error::VerifyError;
use crate::report::{CheckStatus, Report};
use crate::sigstore_check::Signer;
use crate::statement::Statement;
use crate::trust::TrustRoot;
use serde_json::Value;

/// Cosign simple-signing layer.
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// DSSE envelope layer (cosign attestations).
pub const DSSE_LAYER: &str = "application/vnd.dsse.envelope.v1+json";
/// Sigstore bundle v0.3 layer / artifactType (cosign v3 referrers).
pub const BUNDLE_LAYER: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// Unsigned in-toto statement layer (BuildKit attestation manifests).
pub const INTOTO_LAYER: &str = "application/vnd.in-toto+json";

/// The result for one layer.
#[derive(Debug, Clone)]
pub struct ItemOutcome {
    /// "signature", "attestation", "bundle", "sbom", "statement".
    pub kind: &'static str,
    /// Where it was found (manifest and layer digests).
    pub label: String,
    /// Cryptographically verified and bound to the image by the signer policy.
    pub verified: bool,
    /// Summary of the checks (why it verified or which check failed).
    pub detail: String,
    /// in-toto predicate type, for attestations and statements.
    pub predicate_type: Option<String>,
    /// SBOM details when the item is or carries an SBOM.
    pub sbom: Option<SbomInfo>,
}

impl ItemOutcome {
    /// A layer that could not be parsed: reported as an unverified signature item.
    pub fn malformed(manifest: &Descriptor, layer: &Descriptor, reason: String) -> Self {
        ItemOutcome {
            kind: "signature",
            label: format!("{} layer {}", manifest.short(), layer.short()),
            verified: false,
            detail: format!("not verified: malformed layer: {reason}"),
            predicate_type: None,
            sbom: None,
        }
    }
}

/// Verifies `layer` of `manifest` against the image digest and signer policy.
pub fn verify_layer(
    layout: &Layout,
    manifest: &Descriptor,
    layer: &Descriptor,
    image: &ArtifactDigest,
    signer: &Signer,
    trust: &TrustRoot,
) -> Result<ItemOutcome, VerifyError> {
    let label = format!("{} layer {}", manifest.short(), layer.short());
    let mut outcome = ItemOutcome {
        kind: "unknown",
        label,
        verified: false,
        detail: String::new(),
        predicate_type: None,
        sbom: None,
    };
    let image_input = ArtifactInput::Digest(image.clone());
    let mut scratch = Report::new("item", "", vec![]);
    let media_type = layer.media_type.as_str();
    if media_type == SIMPLE_SIGNING {
        outcome.kind = "signature";
        let payload = layout.blob(&layer.digest)?;
        match simple_signing_digest(&payload) {
            Some(bound) if bound == image.display() => {
                scratch.pass("payload binding", format!("payload signs {bound}"))
            }
            Some(bound) => scratch.fail(
                "payload binding",
                format!("payload signs {bound}, not the image {}", image.display()),
            ),
            None => scratch.fail(
                "payload binding",
                "payload is not a cosign simple-signing document",
            ),
        }
        verify_content(
            layer,
            &SignedContent::Payload(&payload),
            ArtifactInput::Bytes(payload.clone()),
            signer,
            trust,
            &mut scratch,
        )?;
    } else if media_type == DSSE_LAYER {
        outcome.kind = "attestation";
        let value = layout.json_blob(&layer.digest)?;
        verify_content(
            layer,
            &SignedContent::Envelope(&value),
            image_input,
            signer,
            trust,
            &mut scratch,
        )?;
        read_statement(layout, layer, &value, image, &mut outcome)?;
    } else if media_type == BUNDLE_LAYER || manifest.artifact_type.as_deref() == Some(BUNDLE_LAYER)
    {
        outcome.kind = "bundle";
        let path = layout.blob_path(&layer.digest)?;
        let text = String::from_utf8_lossy(&layout.blob(&layer.digest)?).into_owned();
        let bundle = parse_bundle(&path, &text)?;
        verify_loaded_bundle(&bundle, &image_input, signer, trust, &mut scratch)?;
        if let Some(envelope) = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("dsseEnvelope").cloned())
        {
            read_statement(layout, layer, &envelope, image, &mut outcome)?;
        }
    } else if media_type == INTOTO_LAYER {
        outcome.kind = "statement";
        let value = layout.json_blob(&layer.digest)?;
        let path = layout.blob_path(&layer.digest)?;
        let statement = Statement::from_value(&path, value)?;
        outcome.sbom = sbom_of(&statement, image);
        outcome.predicate_type = Some(statement.predicate_type);
        outcome.detail = "unsigned in-toto statement (no signature to verify)".to_string();
        return Ok(outcome);
    } else if is_sbom_media_type(media_type) {
        outcome.kind = "sbom";
        let bytes = layout.blob(&layer.digest)?;
        outcome.detail = "SBOM attached as a plain blob (unsigned)".to_string();
        outcome.sbom = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|document| inspect(&document, &image.hex).ok());
        if outcome.sbom.is_none() {
            outcome.detail =
                "blob has an SBOM media type but is not a CycloneDX/SPDX JSON document".to_string();
        }
        return Ok(outcome);
    } else {
        outcome.detail = format!("unknown layer media type {media_type:?}: not verified");
        return Ok(outcome);
    }
    let required = required_checks(signer);
    let mut required: Vec<&str> = required;
    if outcome.kind == "signature" {
        required.push("payload binding");
    }
    let scratch = scratch.finish(&required);
    outcome.verified = scratch.verified;
    outcome.detail = summarise(&scratch);
    Ok(outcome)
}

/// Keyless: convert annotations to a bundle and run Sigstore. Keyed: check the signature with
/// the key, and the Rekor annotation when there is one (see `keyed_layer.rs`).
fn verify_content(
    layer: &Descriptor,
    content: &SignedContent<'_>,
    artifact: ArtifactInput,
    signer: &Signer,
    trust: &TrustRoot,
    report: &mut Report,
) -> Result<(), VerifyError> {
    if let Signer::Key(key) = signer {
        return verify_keyed_layer(layer, content, artifact, key, trust, report);
    }
    match legacy_bundle(layer, content, SignedBy::Certificate) {
        Ok(bundle) => {
            verify_loaded_bundle(&bundle, &artifact, signer, trust, report)?;
        }
        Err(reason) => report.fail("bundle structure", reason),
    }
    Ok(())
}

fn read_statement(
    layout: &Layout,
    layer: &Descriptor,
    envelope: &Value,
    image: &ArtifactDigest,
    outcome: &mut ItemOutcome,
) -> Result<(), VerifyError> {
    let path = layout.blob_path(&layer.digest)?;
    let Ok(envelope) = Envelope::from_value(&path, envelope) else {
        return Ok(());
    };
    if let Ok(statement) = Statement::parse(&path, &envelope.payload) {
        outcome.sbom = sbom_of(&statement, image);
        outcome.predicate_type = Some(statement.predicate_type);
    }
    Ok(())
}

fn sbom_of(statement: &Statement, image: &ArtifactDigest) -> Option<SbomInfo> {
    if !is_sbom_predicate(&statement.predicate_type) {
        return None;
    }
    let bound = statement
        .subjects
        .iter()
        .any(|s| s.digest.get("sha256") == Some(&image.hex));
    inspect(&statement.predicate, &image.hex)
        .ok()
        .map(|mut info| {
            // A statement whose subject is the image digest describes that image by construction.
            info.names_image |= bound;
            info
        })
}

fn summarise(report: &Report) -> String {
    if report.verified {
        let signer = report
            .facts
            .get("signer")
            .cloned()
            .unwrap_or_else(|| "the given key".to_string());
        let tlog = report
            .checks
            .iter()
            .find(|c| c.name == "transparency log")
            .map(|c| c.detail.clone())
            .unwrap_or_default();
        return format!("verified: signed by {signer}; {tlog}");
    }
    let failures: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| format!("{}: {}", c.name, c.detail))
        .collect();
    format!(
        "not verified: {}",
        if failures.is_empty() {
            report.failed_checks.join(", ")
        } else {
            failures.join("; ")
        }
    )
}
