//! supply-provenance (4.2.2): build provenance among the inputs verifies offline as SLSA Build L3 from the expected source.
//!
//! Nothing contacts the network: the shipped Sigstore root (or [evidence] trusted_root) and the proofs
//! inside the bundle are all that is used.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "supply-provenance",
    title: "Build provenance verifies offline as SLSA Build Level 3 from the expected source",
    requirements: &["4.2.2"],
    inputs: "Sigstore bundles carrying SLSA provenance (.sigstore, .sigstore.json, \
            .intoto.jsonl), keyed DSSE attestations, gcloud provenance dumps; [evidence] \
            source_repo, source_ref, trusted_builders, keys, trusted_root",
    severity: Severity::High,
    what: "Each provenance file among the inputs is verified offline (no network, ever): \
          signature and certificate chain to the Sigstore root (or a configured key), \
          transparency-log proof, subject digest of the artifact beside it, SLSA predicate, a \
          trusted L3 builder, and the source repository and ref from [evidence]. Any failed \
          check fails the subject and is named. Reproducible builds, the other half of 4.2.2, \
          are not assessed.",
    why: "4.2.2: builds must produce provenance meeting SLSA Level 3; provenance that does not \
         verify, or comes from an untrusted builder or another repository, proves nothing about \
         the artifact.",
    fail_example: "✗ source repository: built from github.com/evil/fork, expected \
                  github.com/org/app",
    pass_example: "provenance verified offline (builder.id \
                  https://github.com/slsa-framework/slsa-github-generator/…@refs/tags/v2.1.0, \
                  slsa_build_level 3)",
    remediation: "Build with an SLSA L3 builder (slsa-github-generator, Google Cloud Build) and \
                 keep the provenance next to the artifact; set [evidence] source_repo (and \
                 source_ref, trusted_builders) in aisvs.toml to what the build must come from.",
    inconclusive: "[evidence] source_repo (or keys for keyed attestations) is not set, or the \
                  artifact the provenance describes is not among the inputs.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per provenance file.
pub struct Provenance;

impl Rule for Provenance {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Verification is aisvs-verify's verify_evidence with the [evidence] policy.
        report_items(model, out);
    }
}
