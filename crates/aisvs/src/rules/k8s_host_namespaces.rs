//! k8s-host-namespaces (4.1.3): pods do not share the host's network, PID or IPC namespace, nor bind host ports.

use crate::evidence::{Location, Severity};
use crate::model::Model;

use super::sink::{pod_location, workload_subject};
use super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-host-namespaces",
    title: "Pods keep their own network, PID and IPC namespaces",
    requirements: &["4.1.3"],
    inputs: "Kubernetes workloads",
    severity: Severity::High,
    what: "Fails a pod template with hostNetwork, hostPID or hostIPC set to true, or a container port with a \
           hostPort. `hostUsers: false` (a user namespace per pod) is noted as extra isolation.",
    why: "4.1.3 asks that namespaces are enabled for all workloads: sharing the host's PID namespace exposes \
          every host process, hostNetwork exposes node-local services such as the kubelet and the metadata API.",
    fail_example: "spec:\n  hostNetwork: true\n  hostPID: true",
    pass_example: "spec:\n  hostUsers: false\n  containers: [...]",
    remediation: "Remove hostNetwork/hostPID/hostIPC and hostPort; expose ports through a Service.",
    inconclusive: "Templated values.",
    options: &[],
};

/// The rule.
pub struct HostNamespaces;

impl Rule for HostNamespaces {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            let subject = workload_subject(w);
            let mut failures = Vec::new();
            let mut first = None;
            for field in ["hostNetwork", "hostPID", "hostIPC"] {
                if let Some(n) = w.pod_spec.get(field) {
                    if n.as_bool() == Some(true) {
                        failures.push(format!("{field}: true"));
                        first.get_or_insert_with(|| Location::node(n, &w.pod_route.key(field)));
                    }
                }
            }
            for c in &w.containers {
                for (i, p) in c
                    .node
                    .get("ports")
                    .map(|p| p.items())
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    if let Some(hp) = p
                        .get("hostPort")
                        .filter(|h| h.as_i64().is_some_and(|v| v != 0))
                    {
                        failures.push(format!(
                            "container `{}` binds hostPort {}",
                            c.name,
                            hp.scalar_text().unwrap_or_default()
                        ));
                        first.get_or_insert_with(|| {
                            Location::node(hp, &c.route.key("ports").index(i).key("hostPort"))
                        });
                    }
                }
            }
            if failures.is_empty() {
                let note = if w.pod_spec.get("hostUsers").and_then(|h| h.as_bool()) == Some(false) {
                    "own network/PID/IPC namespaces and a user namespace (hostUsers: false)"
                } else {
                    "own network/PID/IPC namespaces"
                };
                out.pass(subject, Some(pod_location(w)), note);
            } else {
                out.fail(
                    subject,
                    first,
                    format!("shares host namespaces: {}", failures.join(", ")),
                );
            }
        }
    }
}
