//! k8s-seccomp (4.1.1): every container runs under a seccomp profile that blocks by default.

use crate::evidence::{Location, Severity};
use crate::model::{Level, Model};

use super::sink::{container_location, container_subject};
use super::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "k8s-seccomp",
    title: "Containers run under a blocking, workload-specific seccomp profile",
    requirements: &["4.1.1"],
    inputs: "Kubernetes workloads (every pod template, CRDs included)",
    severity: Severity::High,
    what: "Computes the effective seccomp profile of every init, sidecar, main and ephemeral container \
           (container securityContext.seccompProfile overrides the pod's). Missing or Unconfined fails; \
           RuntimeDefault is a deny-by-default profile but not one made for the workload, so it is partial \
           unless `accept_runtime_default = true`; Localhost profiles are left to seccomp-localhost-profile, \
           which resolves and analyses the profile. Privileged containers fail: runtimes apply no seccomp to them. \
           Legacy seccomp annotations are ignored by current kubelets and do not count.",
    why: "4.1.1 asks that every Pod declares a seccomp profile that blocks all syscalls except those the \
          workload needs; without one, a container escape can use the whole kernel syscall surface.",
    fail_example: "spec:\n  containers:\n  - name: vllm\n    securityContext:\n      seccompProfile: {type: Unconfined}",
    pass_example: "spec:\n  securityContext:\n    seccompProfile:\n      type: Localhost\n      localhostProfile: profiles/vllm.json",
    remediation: "Record a workload profile with `aisvs seccomp record -- CMD`, ship it as a Localhost profile \
                  (or an SPO SeccompProfile) and set securityContext.seccompProfile; use RuntimeDefault at least.",
    inconclusive: "seccompProfile.type is an unrendered template expression.",
    options: &[RuleOption {
        name: "accept_runtime_default",
        default: "false",
        doc: "Count RuntimeDefault as meeting 4.1.1 (pass) instead of partial.",
    }],
};

/// The rule.
#[derive(Default)]
pub struct Seccomp {
    accept_runtime_default: bool,
}

impl Rule for Seccomp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["accept_runtime_default"])?;
        if let Some(v) = option(options, "accept_runtime_default")? {
            self.accept_runtime_default = v;
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            for c in &w.containers {
                let subject = container_subject(w, c);
                if let Some(p) = c.sc("privileged").filter(|p| p.as_bool() == Some(true)) {
                    out.fail(
                        subject,
                        Some(Location::node(p, &c.route.keys("securityContext.privileged"))),
                        format!("container `{}` is privileged: the runtime applies no seccomp profile to it", c.name),
                    );
                    continue;
                }
                let Some((profile, route, level)) = w.effective_sc(c, "seccompProfile") else {
                    let legacy = has_legacy_annotation(w.pod_meta, &c.name);
                    let msg = if legacy {
                        format!("container `{}` has no seccompProfile; the legacy seccomp annotation is ignored by current kubelets", c.name)
                    } else {
                        format!("container `{}` has no seccompProfile (pod or container securityContext.seccompProfile.type expected)", c.name)
                    };
                    out.fail(subject, Some(container_location(c)), msg);
                    continue;
                };
                let loc = Some(Location::node(profile, &route));
                let from = if level == Level::Pod {
                    " (inherited from the pod)"
                } else {
                    ""
                };
                let ty = profile.get("type").and_then(|t| t.as_str());
                match ty {
                    Some(t) if profile.get("type").is_some_and(|n| n.is_templated()) => {
                        out.inconclusive(
                            subject,
                            loc,
                            format!("seccompProfile.type is a template expression `{t}`"),
                        );
                    }
                    Some("Unconfined") => {
                        out.fail(
                            subject,
                            loc,
                            format!(
                                "container `{}` runs with seccompProfile Unconfined{from}",
                                c.name
                            ),
                        );
                    }
                    Some("RuntimeDefault") if self.accept_runtime_default => {
                        out.pass(
                            subject,
                            loc,
                            format!("RuntimeDefault{from}, accepted by configuration"),
                        );
                    }
                    Some("RuntimeDefault") => {
                        out.partial(
                            subject,
                            loc,
                            format!("container `{}` uses RuntimeDefault{from}: deny-by-default, but not specific to the workload", c.name),
                        );
                    }
                    // Localhost profiles are resolved and analysed by seccomp-localhost-profile, which can read
                    // the profile among the inputs; reporting them here too would double-count the container.
                    Some("Localhost") => {}
                    Some(other) => {
                        out.fail(
                            subject,
                            loc,
                            format!("unknown seccompProfile type `{other}`"),
                        );
                    }
                    None => {
                        out.fail(
                            subject,
                            loc,
                            format!("container `{}`: seccompProfile without a type", c.name),
                        );
                    }
                }
            }
        }
    }
}

fn has_legacy_annotation(meta: Option<&crate::parse::Node>, container: &str) -> bool {
    let Some(ann) = meta.and_then(|m| m.get("annotations")) else {
        return false;
    };
    ann.get("seccomp.security.alpha.kubernetes.io/pod")
        .is_some()
        || ann
            .get(&format!(
                "container.seccomp.security.alpha.kubernetes.io/{container}"
            ))
            .is_some()
}
