//! supply-signature-sbom (4.2.3): artifacts and images are Cosign/Sigstore-signed by the expected signer and carry an SBOM.
//!
//! The artifact a bundle signs is the file beside it with the bundle suffix removed (or a file named
//! `artifact`); without it the signature cannot be checked and the result is inconclusive.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "supply-signature-sbom",
    title: "Images are signed with Sigstore/Cosign by the expected signer and carry an SBOM",
    requirements: &["4.2.3"],
    inputs: "Sigstore bundles, OCI image layouts (a directory with an oci-layout file), CycloneDX \
            / SPDX SBOMs; [evidence] identities, keys, trusted_root",
    severity: Severity::High,
    what: "Each Sigstore bundle is verified offline against the artifact beside it (same name \
          without .sigstore/.sigstore.json) and the signer in [evidence] identities (certificate \
          SAN + OIDC issuer) or keys. Each OCI layout is checked for a cosign signature by that \
          signer and an attached SBOM (attestation, referrer or .sbom). A loose SBOM file shows \
          an SBOM exists but not that it is attached or signed (partial).",
    why: "4.2.3: every container image must embed an SBOM and be signed with Sigstore Cosign \
         before it is pushed; an unsigned image or one signed by someone else can be swapped in \
         the registry.",
    fail_example: "✗ certificate identity: SAN \
                  https://github.com/evil/x/.github/workflows/r.yml@refs/heads/main is not the \
                  expected signer",
    pass_example: "bundle verified offline (signer \
                  https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1)",
    remediation: "Sign images with cosign (keyless in CI or with a key) and attach the SBOM as a \
                 signed attestation (cosign attest --type cyclonedx); set [evidence] identities \
                 or keys in aisvs.toml to the expected signer.",
    inconclusive: "No signer is configured ([evidence] identities or keys), or the signed \
                  artifact is not among the inputs.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per bundle, image layout or SBOM.
pub struct SignatureSbom;

impl Rule for SignatureSbom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Verification is aisvs-verify's verify_evidence with the [evidence] policy.
        report_items(model, out);
    }
}
