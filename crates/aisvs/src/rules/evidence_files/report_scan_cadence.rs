//! report-scan-cadence (4.6.1): images and hosts are scanned for CVEs and misconfigurations at least daily, per the findings history.
//!
//! The history accumulates across scans (default <root>/.aisvs/history.sqlite), so a daily CI job that
//! scans only today's reports still sees yesterday's.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "report-scan-cadence",
    title: "Images and hosts are scanned daily for CVEs and misconfigurations",
    requirements: &["4.6.1"],
    inputs: "Trivy / Grype JSON reports (and dated kube-bench output) among the inputs, the \
            findings history, images referenced by workloads, [evidence] hosts",
    severity: Severity::Medium,
    what: "Every Trivy/Grype report among the inputs is added to the findings history (timestamps \
          come from the reports, never the clock). Then every artifact in scope (each image a \
          workload in the inputs runs, each host in [evidence] hosts, and every other artifact \
          in the history) needs: a scan no older than 24 h at the evaluation time (--at, default \
          now), no gap over 24 h between scans in the last 30 days, and both a CVE scan and a \
          misconfiguration scan (Trivy config or kube-bench) in that window. An image no report \
          names fails as never scanned.",
    why: "4.6.1 asks for daily CVE and misconfiguration scans of images and hosts. A scanner job \
         that silently stopped, or a workload image nobody scans, leaves known-exploitable \
         packages in production.",
    fail_example: "trivy report of ghcr.io/org/api:1.4 dated 2026-03-01T06:00Z, scan at --at \
                  2026-03-04T12:00Z; workload image ghcr.io/org/worker:2.0 in no report",
    pass_example: "trivy image + trivy config reports of ghcr.io/org/api:1.4, one per day, newest \
                  6 h before --at",
    remediation: "Run Trivy or Grype on every image and host at least daily (a scheduled CI job \
                 or the Trivy Operator) and keep the JSON reports as scan evidence; add a \
                 misconfiguration scan (trivy config, kube-bench) beside the CVE scan.",
    inconclusive: "The history file cannot be opened or read (the message names it), or the \
                  inputs hold reports but no artifact to evaluate.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per image or host.
pub struct ScanCadence;

impl Rule for ScanCadence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Items come from aisvs-evidence's evaluate_history over the history the reports were added to.
        report_items(model, out);
    }
}
