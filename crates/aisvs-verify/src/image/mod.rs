//! `aisvs verify image --oci-layout DIR`: signatures, attestations and the SBOM of an image in
//! an OCI layout on disk (AISVS 4.2.3: the image is signed and embeds a signed SBOM).

pub mod cosign;
pub mod discover;
pub mod items;
pub mod keyed_layer;
pub mod layout;
pub mod sbom;

use crate::artifact::ArtifactDigest;
use crate::error::VerifyError;
use crate::report::{CheckStatus, Report, Requirement};
use crate::sigstore_check::Signer;
use crate::trust::load_trusted_root;
use items::ItemOutcome;
use layout::{descriptors, Layout};
use std::path::PathBuf;

/// Input of [`verify_image`].
#[derive(Debug, Clone)]
pub struct ImageRequest {
    /// The OCI layout directory.
    pub layout: PathBuf,
    /// Which image (needed when the layout holds several).
    pub image_digest: Option<ArtifactDigest>,
    /// Who must have signed.
    pub signer: Signer,
    /// `None` = the shipped production root.
    pub trusted_root: Option<PathBuf>,
    /// Fail on any RFC 3161 timestamp that does not authenticate (see `timestamps.rs`).
    pub strict_timestamps: bool,
}

/// Most layers examined per signature manifest.
const MAX_LAYERS: usize = 64;

/// Most signature/attestation/SBOM layers examined per image (bounds time on hostile layouts).
const MAX_ITEMS: usize = 256;

const REQUIRED: [&str; 4] = [
    "signature",
    "sbom attached",
    "sbom signed",
    "sbom describes image",
];

/// Verifies the image's signatures/attestations and SBOM.
pub fn verify_image(request: &ImageRequest) -> Result<Report, VerifyError> {
    let trust = load_trusted_root(request.trusted_root.as_deref())?
        .with_strict_timestamps(request.strict_timestamps);
    let layout = Layout::open(&request.layout)?;
    let mut report = Report::new(
        "image",
        request.layout.display().to_string(),
        vec![Requirement::SignatureAndSbom],
    );
    let image = discover::select_image(&layout, request.image_digest.as_ref())?;
    report.pass(
        "layout",
        format!(
            "OCI layout with {} index entr{}",
            layout.index.len(),
            if layout.index.len() == 1 { "y" } else { "ies" }
        ),
    );
    report.fact("image", image.display());
    let manifests = discover::signature_manifests(&layout, &image)?;
    let mut outcomes: Vec<ItemOutcome> = Vec::new();
    for (manifest, how) in &manifests {
        let value = layout.manifest(&manifest.digest)?;
        for layer in descriptors(&value, "layers").iter().take(MAX_LAYERS) {
            if outcomes.len() >= MAX_ITEMS {
                report.fact(
                    "limit",
                    format!(
                        "only the first {MAX_ITEMS} signature/attestation layers were examined"
                    ),
                );
                break;
            }
            let mut outcome = match items::verify_layer(
                &layout,
                manifest,
                layer,
                &image,
                &request.signer,
                &trust,
            ) {
                Ok(outcome) => outcome,
                // A missing or oversized blob means the layout is incomplete: say so.
                Err(
                    e @ VerifyError::Input {
                        step: "read blob", ..
                    },
                ) => return Err(e),
                // A malformed signature layer is a failed item, not the end of the run:
                // other signatures of the same image may still verify.
                Err(e) => items::ItemOutcome::malformed(manifest, layer, e.to_string()),
            };
            outcome.label = format!("{how} {}", outcome.label);
            outcomes.push(outcome);
        }
    }
    let mut provenance: Vec<String> = Vec::new();
    for outcome in &outcomes {
        let status = if outcome.verified {
            CheckStatus::Pass
        } else if outcome.kind == "statement" || outcome.kind == "sbom" {
            CheckStatus::Skipped
        } else {
            CheckStatus::Fail
        };
        let predicate = outcome
            .predicate_type
            .as_deref()
            .map(|p| format!(" [{p}]"))
            .unwrap_or_default();
        report.evidence.push(crate::report::Check {
            name: format!("{} {}{predicate}", outcome.kind, outcome.label),
            status,
            detail: outcome.detail.clone(),
        });
        if let Some(p) = outcome
            .predicate_type
            .as_deref()
            .filter(|p| p.starts_with("https://slsa.dev/provenance/"))
        {
            let state = if outcome.verified {
                "signed"
            } else {
                "unsigned or unverified"
            };
            provenance.push(format!(
                "{state} SLSA provenance ({p}) in {}",
                outcome.label
            ));
        }
    }
    if !provenance.is_empty() {
        report.fact(
            "provenance",
            format!(
                "{} — check it for 4.2.2 with `aisvs verify provenance`",
                provenance.join("; ")
            ),
        );
    }
    aggregate(&mut report, &outcomes, &image);
    Ok(report.finish(&REQUIRED))
}

fn aggregate(report: &mut Report, outcomes: &[ItemOutcome], image: &ArtifactDigest) {
    let signing = |o: &&ItemOutcome| matches!(o.kind, "signature" | "attestation" | "bundle");
    let verified: Vec<&ItemOutcome> = outcomes
        .iter()
        .filter(signing)
        .filter(|o| o.verified)
        .collect();
    let attempted: Vec<&ItemOutcome> = outcomes.iter().filter(signing).collect();
    if let Some(first) = verified.first() {
        report.pass(
            "signature",
            format!(
                "{} of {} signature(s)/attestation(s) verified; e.g. {} — {}",
                verified.len(),
                attempted.len(),
                first.label,
                first.detail
            ),
        );
    } else if attempted.is_empty() {
        report.fail(
            "signature",
            format!(
                "no cosign signature or attestation found for {}",
                image.display()
            ),
        );
    } else {
        let reasons: Vec<String> = attempted
            .iter()
            .map(|o| format!("{}: {}", o.label, o.detail))
            .collect();
        report.fail(
            "signature",
            format!(
                "none of {} signature(s)/attestation(s) verified: {}",
                attempted.len(),
                reasons.join(" | ")
            ),
        );
    }
    let sboms: Vec<&ItemOutcome> = outcomes.iter().filter(|o| o.sbom.is_some()).collect();
    let Some(first) = sboms.first() else {
        report.fail(
            "sbom attached",
            "no SBOM attached (no CycloneDX/SPDX attestation, referrer or BuildKit SBOM)",
        );
        report.skip("sbom signed", "no SBOM to check");
        report.skip("sbom describes image", "no SBOM to check");
        return;
    };
    let format = first
        .sbom
        .as_ref()
        .map(|s| s.format.clone())
        .unwrap_or_default();
    report.pass(
        "sbom attached",
        format!("{format} SBOM via {} {}", first.kind, first.label),
    );
    match sboms.iter().find(|o| o.verified) {
        Some(o) => report.pass(
            "sbom signed",
            format!("SBOM {} {} is signed and verified", o.kind, o.label),
        ),
        None => report.fail(
            "sbom signed",
            "SBOM found but no verified signature covers it",
        ),
    }
    let describing = sboms
        .iter()
        .filter(|o| o.sbom.as_ref().is_some_and(|s| s.names_image))
        .find(|o| o.verified)
        .or_else(|| {
            sboms
                .iter()
                .find(|o| o.sbom.as_ref().is_some_and(|s| s.names_image))
        });
    match describing {
        Some(o) => report.pass(
            "sbom describes image",
            format!(
                "{} {} names {} (statement subject or SBOM component)",
                o.kind,
                o.label,
                image.display()
            ),
        ),
        None => report.fail(
            "sbom describes image",
            format!("no SBOM names {}", image.display()),
        ),
    }
}
