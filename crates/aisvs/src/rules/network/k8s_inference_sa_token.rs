//! k8s-inference-sa-token (4.3.2): inference pods do not mount a Kubernetes API token they do not need.

use crate::evidence::{Location, Severity};
use crate::model::Model;
use crate::rules::sink::{pod_location, workload_subject};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::util::is_inference;

static META: RuleMeta = RuleMeta {
    id: "k8s-inference-sa-token",
    title: "Inference pods do not mount a Kubernetes API token",
    requirements: &["4.3.2"],
    inputs: "Kubernetes workloads recognised as inference servers; ServiceAccounts",
    severity: Severity::Medium,
    what: "For every inference workload (vLLM, TGI, Triton, Ollama, TorchServe, SGLang, NIM images; KServe, Ray Serve \
           and Seldon kinds), automountServiceAccountToken must be false on the pod spec, or on the ServiceAccount it \
           uses when the pod leaves it unset. A ServiceAccount that is not among the inputs makes an unset pod \
           inconclusive.",
    why: "4.3.2: the Kubernetes API is an endpoint a compromised model server should not reach with credentials; a \
          mounted token turns a prompt-injection or deserialisation bug into cluster API access.",
    fail_example: "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: vllm/vllm-openai:v0.6.3",
    pass_example: "spec:\n  template:\n    spec:\n      automountServiceAccountToken: false",
    remediation: "Set automountServiceAccountToken: false on the pod spec (or its ServiceAccount); mount a projected \
                  token with a short expiry only where the server must call the API.",
    inconclusive: "The pod leaves the field unset and uses a ServiceAccount that is not among the inputs.",
    options: &[],
};

/// The rule.
pub struct InferenceSaToken;

impl Rule for InferenceSaToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            let Some(server) = is_inference(model, w, None) else {
                continue;
            };
            let subject = workload_subject(w);
            let field = "automountServiceAccountToken";
            if let Some(n) = w.pod_spec.get(field) {
                let loc = Some(Location::node(n, &w.pod_route.key(field)));
                match n.as_bool() {
                    Some(false) => {
                        out.pass(subject, loc, format!("{server}: {field}: false"));
                    }
                    _ if n.is_templated() => {
                        out.inconclusive(subject, loc, format!("{field} is a template expression"));
                    }
                    _ => {
                        out.fail(
                            subject,
                            loc,
                            format!(
                                "{server} mounts a Kubernetes API token ({field} is not false)"
                            ),
                        );
                    }
                }
                continue;
            }
            let sa = w
                .pod_spec
                .get("serviceAccountName")
                .and_then(|s| s.as_str())
                .unwrap_or("default");
            let account = model
                .objects_of_kind("ServiceAccount")
                .find(|(_, o)| o.name == sa && o.namespace_or_default() == w.namespace);
            match account.and_then(|(_, o)| o.root.get(field).map(|n| (o, n))) {
                Some((o, n)) if n.as_bool() == Some(false) => {
                    let route = o.base.key(field);
                    out.pass(
                        subject,
                        Some(Location::node(n, &route)),
                        format!("ServiceAccount `{sa}` sets {field}: false"),
                    );
                }
                Some(_) | None if account.is_some() => {
                    out.fail(subject, Some(pod_location(w)), format!(
                        "{server} mounts a Kubernetes API token: neither the pod nor ServiceAccount `{sa}` sets {field}: false"
                    ));
                }
                _ => {
                    out.inconclusive(subject, Some(pod_location(w)), format!(
                        "{server} leaves {field} unset and ServiceAccount `{sa}` is not among the inputs"
                    ));
                }
            }
        }
    }
}
