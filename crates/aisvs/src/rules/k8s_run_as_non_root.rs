//! k8s-run-as-non-root (4.1.3): containers run as a non-root user (or inside a user namespace).

use crate::evidence::{Location, Severity};
use crate::model::Model;

use super::sink::{container_location, container_subject};
use super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-run-as-non-root",
    title: "Containers run as a non-root user",
    requirements: &["4.1.3"],
    inputs: "Kubernetes workloads",
    severity: Severity::Medium,
    what: "The effective runAsNonRoot (container over pod) must be true, or the effective runAsUser non-zero; \
           runAsUser: 0 fails. With hostUsers: false the pod runs in its own user namespace and root inside \
           it is not root on the node, so it passes.",
    why: "4.1.3: root in a container is root on the node as soon as any other isolation layer fails.",
    fail_example: "securityContext:\n  runAsUser: 0",
    pass_example: "securityContext:\n  runAsNonRoot: true\n  runAsUser: 1000",
    remediation: "Set runAsNonRoot: true and a non-zero runAsUser at pod level; build images with a USER.",
    inconclusive: "Templated values.",
    options: &[],
};

/// The rule.
pub struct RunAsNonRoot;

impl Rule for RunAsNonRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            let userns = w.pod_spec.get("hostUsers").and_then(|h| h.as_bool()) == Some(false);
            for c in &w.containers {
                let subject = container_subject(w, c);
                let non_root = w.effective_sc(c, "runAsNonRoot");
                let user = w.effective_sc(c, "runAsUser");
                if let Some((n, r, _)) = &user {
                    if n.as_i64() == Some(0) && !userns {
                        out.fail(
                            subject,
                            Some(Location::node(n, r)),
                            format!("container `{}` runs as UID 0", c.name),
                        );
                        continue;
                    }
                }
                match (&non_root, &user) {
                    _ if userns => {
                        out.pass(
                            subject,
                            Some(container_location(c)),
                            "runs in a pod user namespace (hostUsers: false)",
                        );
                    }
                    (Some((n, r, _)), _) if n.as_bool() == Some(true) => {
                        out.pass(subject, Some(Location::node(n, r)), "runAsNonRoot: true");
                    }
                    (_, Some((n, r, _))) if n.as_i64().is_some_and(|u| u > 0) => {
                        out.pass(subject, Some(Location::node(n, r)), "non-zero runAsUser");
                    }
                    (Some((n, r, _)), _) if n.is_templated() => {
                        out.inconclusive(
                            subject,
                            Some(Location::node(n, r)),
                            "runAsNonRoot is a template expression",
                        );
                    }
                    (Some((n, r, _)), _) => {
                        out.fail(
                            subject,
                            Some(Location::node(n, r)),
                            format!("container `{}` sets runAsNonRoot: false", c.name),
                        );
                    }
                    (None, _) => {
                        out.fail(subject, Some(container_location(c)), format!(
                            "container `{}` may run as root (runAsNonRoot not set, no non-zero runAsUser)",
                            c.name
                        ));
                    }
                }
            }
        }
    }
}
