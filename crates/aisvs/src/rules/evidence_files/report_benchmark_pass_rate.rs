//! report-benchmark-pass-rate (4.6.2): kube-bench output passes at least 90 % of the critical (scored, automated) CIS controls.
//!
//! kube-bench writes no time, so its output counts here whatever its age; it joins the 4.6.1 scan series
//! only with [evidence] bench_host and a time declared in the file. Each node type is its own subject, so a
//! clean etcd does not hide a failing control plane.
//! The text output is read too when it is among the inputs as a text file.
//! Critical means scored and automated (CIS), as kube-bench marks it.
//! WARN on a scored check counts as not passed: the control could not be verified.
//! INFO results are excluded and counted in the message.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "report-benchmark-pass-rate",
    title: "kube-bench passes at least 90 % of critical CIS controls",
    requirements: &["4.6.2"],
    inputs: "kube-bench JSON (any of its shapes) or text output among the inputs",
    severity: Severity::Medium,
    what: "For each node type of a kube-bench run (master, etcd, controlplane, node, policies), \
          the pass rate PASS / (PASS + FAIL + WARN) over the critical controls (scored checks \
          whose type is neither manual nor skip) must be at least 90 %. A WARN on a scored check \
          counts as not passed; the controls that did not pass are listed.",
    why: "4.6.2 asks that Kubernetes hardening benchmarks pass at least 90 % of critical \
         controls.",
    fail_example: "kube-bench master: 41 of 51 critical controls pass (80.4 %); not passed: \
                  1.1.12, 1.2.5 …",
    pass_example: "kube-bench etcd: 6 of 6 critical controls pass",
    remediation: "Fix the listed controls (kube-bench prints a remediation for each) and re-run \
                 kube-bench; keep its JSON output (kube-bench --json) as evidence.",
    inconclusive: "The output holds no critical (scored, automated) control.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per node type of a kube-bench run.
pub struct BenchmarkPassRate;

impl Rule for BenchmarkPassRate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // The pass rate is computed by aisvs-evidence's evaluate_kube_bench.
        report_items(model, out);
    }
}
