//! report-patch-sla (4.6.3): findings with CVSS >= 7.0 are fixed or mitigated within 48 hours of first being seen.
//!
//! A finding is fixed at the first later scan of the same artifact without it, so the fix time is an upper
//! bound limited by how often the artifact is scanned; the history keeps each episode separately, so a
//! regression after a fix starts a new clock.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "report-patch-sla",
    title: "High-severity findings (CVSS >= 7.0) are patched or mitigated within 48 hours",
    requirements: &["4.6.3"],
    inputs: "Trivy / Grype JSON reports (a series over time), .trivyignore / .trivyignore.yaml / \
            OpenVEX mitigations",
    severity: Severity::High,
    what: "For every vulnerability with CVSS >= 7.0 (NVD first, then vendor, then v2, then the \
          severity label) in the scan series of an artifact, the time from its first scan to the \
          first later scan without it must be at most 48 h. A finding still open after 48 h \
          fails with its age, unless a mitigation (.trivyignore comment + exp:, \
          .trivyignore.yaml statement + expired_at, OpenVEX statement with aisvs_expires) names \
          it with a reason and an unexpired expiry.",
    why: "4.6.3: high-severity findings must be patched or mitigated within 48 hours; the history \
         shows how long each one was really open.",
    fail_example: "CVE-2019-14697 in musl first seen 2026-03-01T06:00Z, gone only in the scan of \
                  2026-03-04T06:00Z (72 h)",
    pass_example: "CVE-2019-18224 first seen 2026-03-03T07:00Z, gone by the scan of \
                  2026-03-04T07:00Z (24 h)",
    remediation: "Rebuild and redeploy the image with the fixed package version within 48 h, or \
                 record a mitigation with a reason and an expiry (.trivyignore comment and \
                 exp:YYYY-MM-DD, or an OpenVEX statement).",
    inconclusive: "A finding with no CVSS score and no severity label, or a finding seen once on \
                  an artifact that was never scanned again within 48 h.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per finding episode.
pub struct PatchSla;

impl Rule for PatchSla {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Episodes and the CVSS choice are computed by aisvs-evidence from the history.
        report_items(model, out);
    }
}
