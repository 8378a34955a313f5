//! k8s-proc-mount-sysctls (4.1.3): /proc stays masked and pods set only namespaced, safe sysctls.

use crate::evidence::{Location, Severity};
use crate::model::Model;

use super::sink::{pod_location, workload_subject};
use super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-proc-mount-sysctls",
    title: "/proc stays masked and only safe sysctls are set",
    requirements: &["4.1.3"],
    inputs: "Kubernetes workloads",
    severity: Severity::Medium,
    what: "Fails a container with securityContext.procMount: Unmasked, and a pod whose \
           securityContext.sysctls names a sysctl outside the Pod Security Standards safe list.",
    why: "4.1.3: an unmasked /proc exposes kernel interfaces that the runtime hides (/proc/sys, /proc/sysrq-trigger); \
          unsafe sysctls change kernel settings shared with other pods on the node.",
    fail_example: "securityContext:\n  sysctls:\n  - {name: kernel.msgmax, value: \"65536\"}",
    pass_example: "securityContext:\n  sysctls:\n  - {name: net.ipv4.ip_local_port_range, value: \"1024 65535\"}",
    remediation: "Remove procMount: Unmasked; set node-level sysctls on the node, not in pods.",
    inconclusive: "Never: a missing field passes.",
    options: &[],
};

/// The safe sysctls of the Pod Security Standards (baseline).
const SAFE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

/// The rule.
pub struct ProcMountSysctls;

impl Rule for ProcMountSysctls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            let subject = workload_subject(w);
            let mut bad = Vec::new();
            let mut first = None;
            for c in &w.containers {
                if let Some(pm) = c.sc("procMount") {
                    if pm.as_str() == Some("Unmasked") {
                        bad.push(format!("container `{}` has procMount: Unmasked", c.name));
                        first.get_or_insert_with(|| {
                            Location::node(pm, &c.route.keys("securityContext.procMount"))
                        });
                    }
                }
            }
            let sysctls = w.pod_sc("sysctls").map(|s| s.items()).unwrap_or(&[]);
            for (i, s) in sysctls.iter().enumerate() {
                let name = s.get("name").and_then(|n| n.as_str()).unwrap_or("");
                if !SAFE_SYSCTLS.contains(&name) {
                    bad.push(format!("unsafe sysctl `{name}`"));
                    first.get_or_insert_with(|| {
                        Location::node(s, &w.pod_route.keys("securityContext.sysctls").index(i))
                    });
                }
            }
            if bad.is_empty() {
                out.pass(
                    subject,
                    Some(pod_location(w)),
                    "masked /proc; no unsafe sysctls",
                );
            } else {
                out.fail(subject, first, bad.join("; "));
            }
        }
    }
}
