//! k8s-sandbox-runtime (4.1.5): multi-tenant and serverless workloads run under a gVisor or microVM RuntimeClass.

use crate::evidence::{Location, Severity};
use crate::model::{Model, Workload};

use super::sink::{pod_location, workload_subject};
use super::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "k8s-sandbox-runtime",
    title: "Multi-tenant serverless workloads run in a gVisor or microVM sandbox",
    requirements: &["4.1.5"],
    inputs: "Kubernetes workloads, Namespaces, RuntimeClasses",
    severity: Severity::High,
    what: "Decides which workloads are in multi-tenant scope: serverless kinds (Knative Service/Configuration/\
           Revision, KServe InferenceService/LLMInferenceService), agent Sandboxes, workloads labelled \
           `aisvs.io/untrusted: \"true\"`, and every workload in a namespace that carries a tenant marker \
           (labels capsule.clastix.io/tenant, aisvs.io/tenant, tenant; or a Kubeflow profile namespace). \
           In scope, spec.runtimeClassName must name a RuntimeClass whose handler is a sandbox (runsc, gvisor, \
           kata*, firecracker*, aws.firecracker). Nothing in scope: not applicable.",
    why: "4.1.5: multi-tenant serverless workloads must execute inside microVM or gVisor sandboxes; with runc a \
          single kernel or NVIDIA toolkit escape (CVE-2024-0132, CVE-2025-23266) crosses tenants.",
    fail_example: "kind: InferenceService\nspec:\n  predictor:\n    model: {modelFormat: {name: sklearn}}",
    pass_example: "kind: InferenceService\nspec:\n  predictor:\n    runtimeClassName: gvisor\n---\nkind: RuntimeClass\nmetadata: {name: gvisor}\nhandler: runsc",
    remediation: "Install gVisor or Kata on a dedicated node pool, declare a RuntimeClass for it and set \
                  runtimeClassName on tenant workloads (GKE Sandbox: sandbox_config { sandbox_type = \"gvisor\" }).",
    inconclusive: "runtimeClassName names a RuntimeClass that is not in the inputs (its handler decides).",
    options: &[
        RuleOption { name: "sandbox_handlers", default: "[\"runsc\", \"gvisor\", \"kata*\", \"firecracker*\", \"aws.firecracker\"]", doc: "RuntimeClass handlers that count as sandboxes (a trailing * matches a prefix)." },
        RuleOption { name: "tenant_labels", default: "[\"capsule.clastix.io/tenant\", \"aisvs.io/tenant\", \"tenant\"]", doc: "Namespace labels that mark a tenant namespace." },
        RuleOption { name: "untrusted_label", default: "\"aisvs.io/untrusted\"", doc: "Pod/object label that puts a workload in scope when \"true\"." },
    ],
};

const SERVERLESS: &[(&str, &str)] = &[
    ("serving.knative.dev", "Service"),
    ("serving.knative.dev", "Configuration"),
    ("serving.knative.dev", "Revision"),
    ("serving.kserve.io", "InferenceService"),
    ("serving.kserve.io", "LLMInferenceService"),
    ("agents.x-k8s.io", "Sandbox"),
    ("extensions.agents.x-k8s.io", "Sandbox"),
];

/// The rule.
pub struct SandboxRuntime {
    handlers: Vec<String>,
    tenant_labels: Vec<String>,
    untrusted_label: String,
}

impl Default for SandboxRuntime {
    fn default() -> Self {
        SandboxRuntime {
            handlers: [
                "runsc",
                "gvisor",
                "kata*",
                "firecracker*",
                "aws.firecracker",
            ]
            .map(String::from)
            .to_vec(),
            tenant_labels: ["capsule.clastix.io/tenant", "aisvs.io/tenant", "tenant"]
                .map(String::from)
                .to_vec(),
            untrusted_label: "aisvs.io/untrusted".into(),
        }
    }
}

impl Rule for SandboxRuntime {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(
            options,
            &["sandbox_handlers", "tenant_labels", "untrusted_label"],
        )?;
        if let Some(v) = option(options, "sandbox_handlers")? {
            self.handlers = v;
        }
        if let Some(v) = option(options, "tenant_labels")? {
            self.tenant_labels = v;
        }
        if let Some(v) = option(options, "untrusted_label")? {
            self.untrusted_label = v;
        }
        Ok(())
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            let Some(why) = self.in_scope(model, w) else {
                continue;
            };
            let subject = workload_subject(w);
            let Some(rc) = w.pod_spec.get("runtimeClassName") else {
                out.fail(
                    subject,
                    Some(pod_location(w)),
                    format!("{why}, but sets no runtimeClassName (runs under runc)"),
                );
                continue;
            };
            let loc = Some(Location::node(rc, &w.pod_route.key("runtimeClassName")));
            let name = rc.scalar_text().unwrap_or_default();
            if rc.is_templated() {
                out.inconclusive(
                    subject,
                    loc,
                    format!("runtimeClassName is a template expression `{name}`"),
                );
                continue;
            }
            match model.runtime_classes.get(&name).map(|r| r.handler.clone()) {
                None => {
                    out.inconclusive(
                        subject,
                        loc,
                        format!(
                            "RuntimeClass `{name}` is not among the inputs; its handler decides"
                        ),
                    );
                }
                Some(Some(h)) if self.is_sandbox(&h) => {
                    out.pass(
                        subject,
                        loc,
                        format!("RuntimeClass `{name}` uses sandbox handler `{h}`"),
                    );
                }
                Some(h) => {
                    let h = h.unwrap_or_else(|| "<none>".into());
                    out.fail(subject, loc, format!("{why}; RuntimeClass `{name}` has handler `{h}`, which is not a gVisor/microVM sandbox"));
                }
            }
        }
    }
}

impl SandboxRuntime {
    fn is_sandbox(&self, handler: &str) -> bool {
        self.handlers.iter().any(|h| match h.strip_suffix('*') {
            Some(prefix) => handler.starts_with(prefix),
            None => handler == h,
        })
    }

    /// Why a workload is in multi-tenant scope, or `None` when it is not.
    fn in_scope(&self, model: &Model<'_>, w: &Workload<'_>) -> Option<String> {
        let obj = &model.objects[w.object];
        if SERVERLESS
            .iter()
            .any(|(g, k)| obj.group == *g && obj.kind == *k)
        {
            return Some(format!("{} is a serverless workload kind", obj.kind));
        }
        if w.pod_label(&self.untrusted_label) == Some("true")
            || obj.label(&self.untrusted_label) == Some("true")
        {
            return Some(format!(
                "workload is labelled {}=true",
                self.untrusted_label
            ));
        }
        let ns = model.namespaces.get(&w.namespace)?;
        let labels = ns.labels?;
        if let Some(l) = self.tenant_labels.iter().find(|l| labels.get(l).is_some()) {
            return Some(format!(
                "namespace `{}` is a tenant namespace (label {l})",
                w.namespace
            ));
        }
        let kubeflow_profile = labels
            .get("app.kubernetes.io/part-of")
            .and_then(|v| v.as_str())
            == Some("kubeflow-profile");
        let owner = ns.annotations.and_then(|a| a.get("owner")).is_some();
        (kubeflow_profile && owner).then(|| {
            format!(
                "namespace `{}` is a Kubeflow profile namespace",
                w.namespace
            )
        })
    }
}
