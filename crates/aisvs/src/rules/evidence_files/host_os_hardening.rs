//! host-os-hardening (4.6.2): node OS hardening basics reported by `aisvs host` pass at least 90 %.
//!
//! Produce the evidence on the node: `aisvs host --output node-1.host.json` (it reads sysctls and file
//! modes there), then keep the file with the scan inputs. The scan does not re-check the node; it reports
//! what the evidence file says and names the file. Checks other than host-os-hardening in that file are
//! reported by host-ssh-mfa and host-ssh-service-accounts.
//! Without such a file among the inputs the rule reports nothing, so 4.6.2 stays with kube-bench
//! evidence or manual review.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "host-os-hardening",
    title: "Node OS hardening basics pass at least 90 % (from `aisvs host` evidence)",
    requirements: &["4.6.2"],
    inputs: "evidence JSON written by `aisvs host --output FILE` (evidence_schema 1, kind host)",
    severity: Severity::Medium,
    what: "Reads the host-os-hardening assessments of `aisvs host` evidence files among the \
          inputs: sysctls (ASLR, suid_dumpable, protected links, kptr/dmesg restrict, \
          unprivileged BPF, ptrace scope, ICMP redirects, source routing, syncookies), modes of \
          account files, sshd config, host keys, kubelet config and PKI files, and an aggregate \
          with the 90 % bar.",
    why: "4.6.2 covers OS hardening benchmarks as well as Kubernetes ones; a node that fails \
         basic hardening undermines every workload on it.",
    fail_example: "host OS hardening (aggregate): 75.0% of 8 basic checks pass (bar 90%)",
    pass_example: "host OS hardening (aggregate): 100.0% of 8 basic checks pass",
    remediation: "Fix the failing sysctls and file modes on the node (the messages name them), \
                 re-run `aisvs host --output host.json` on it and keep the file with the scan \
                 inputs.",
    inconclusive: "The host evidence itself says a check could not be made.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per host check.
pub struct OsHardening;

impl Rule for OsHardening {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // The checks ran on the node itself when `aisvs host` was run there; the scan only reads the result.
        report_items(model, out);
    }
}
