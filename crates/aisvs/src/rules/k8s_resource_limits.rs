//! k8s-resource-limits (4.1.3): every long-running container has memory and CPU limits (cgroups enforce them).

use crate::evidence::{Location, Severity};
use crate::model::{ContainerClass, Model};

use super::sink::{container_location, container_subject};
use super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-resource-limits",
    title: "Containers have memory and CPU limits",
    requirements: &["4.1.3"],
    inputs: "Kubernetes workloads; LimitRange objects",
    severity: Severity::Medium,
    what: "Every container needs resources.limits.memory and resources.limits.cpu, unless a LimitRange in its \
           namespace sets container defaults for both. A missing CPU limit alone is partial (CPU is throttled, \
           memory exhaustion is the escape path).",
    why: "4.1.3 asks that cgroups are used to prevent memory escapes: without a memory limit one pod can \
          exhaust the node and take down its neighbours (and their GPUs).",
    fail_example: "resources:\n  requests: {memory: 8Gi}",
    pass_example: "resources:\n  limits: {memory: 16Gi, cpu: \"4\", nvidia.com/gpu: 1}",
    remediation: "Set resources.limits.memory and resources.limits.cpu on every container, or a LimitRange with defaults.",
    inconclusive: "Limits given as template expressions.",
    options: &[],
};

/// The rule.
pub struct ResourceLimits;

impl Rule for ResourceLimits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // LimitRange defaults per namespace, computed once (not per workload: the corpus has thousands).
        let defaults = limit_range_defaults(model);
        for w in &model.workloads {
            let (ns_mem, ns_cpu) = defaults
                .get(w.namespace.as_str())
                .copied()
                .unwrap_or((false, false));
            for c in &w.containers {
                if c.class == ContainerClass::Ephemeral {
                    continue; // ephemeral containers cannot declare resources
                }
                let subject = container_subject(w, c);
                let limits = c.node.at("resources.limits");
                let route = c.route.keys("resources.limits");
                if limits.is_some_and(|l| l.is_templated()) {
                    out.inconclusive(
                        subject,
                        limits.map(|l| Location::node(l, &route)),
                        "limits are a template expression",
                    );
                    continue;
                }
                let mem = limits.and_then(|l| l.get("memory")).is_some() || ns_mem;
                let cpu = limits.and_then(|l| l.get("cpu")).is_some() || ns_cpu;
                let loc = Some(
                    limits.map_or_else(|| container_location(c), |l| Location::node(l, &route)),
                );
                match (mem, cpu) {
                    (true, true) => {
                        out.pass(subject, loc, "memory and CPU limits set");
                    }
                    (true, false) => {
                        out.partial(
                            subject,
                            loc,
                            format!("container `{}` has a memory limit but no CPU limit", c.name),
                        );
                    }
                    (false, _) => {
                        out.fail(
                            subject,
                            loc,
                            format!(
                                "container `{}` has no memory limit (resources.limits.memory)",
                                c.name
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Per namespace: whether a LimitRange gives containers a default memory / CPU limit.
fn limit_range_defaults<'m>(
    model: &'m Model<'_>,
) -> std::collections::HashMap<&'m str, (bool, bool)> {
    let mut out: std::collections::HashMap<&str, (bool, bool)> = std::collections::HashMap::new();
    for (_, o) in model.objects_of_kind("LimitRange") {
        let entry = out
            .entry(o.namespace.as_deref().unwrap_or("default"))
            .or_default();
        for l in o.root.at("spec.limits").map(|l| l.items()).unwrap_or(&[]) {
            if l.get("type").and_then(|t| t.as_str()) == Some("Container") {
                let d = l.get("default");
                entry.0 |= d.and_then(|d| d.get("memory")).is_some();
                entry.1 |= d.and_then(|d| d.get("cpu")).is_some();
            }
        }
    }
    out
}
