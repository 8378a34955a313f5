//! k8s-ai-endpoint-exposure (4.3.2): AI admin and debug endpoints are not reachable from outside without auth.

use crate::evidence::{Location, Severity};
use crate::model::Model;

use super::ai_exposure_report::ServerFindings;
use super::ai_servers::{servers_of, Auth};
use crate::rules::sink::{container_location, container_subject};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-ai-endpoint-exposure",
    title: "AI server admin/debug ports are not exposed outside the pod without authentication",
    requirements: &["4.3.2"],
    inputs: "Kubernetes workloads, Services, Ingress, Gateway API routes, KubeRay CRs",
    severity: Severity::High,
    what: "Recognises Ray, Jupyter, MLflow, TorchServe, Triton, vLLM, Ollama, TGI, Gradio, Streamlit, \
           TensorBoard, Kubeflow dashboards, Spark and Dask from image, command and CRD, plus debug servers \
           (JDWP, pprof, node --inspect, debugpy) from flags and JAVA_TOOL_OPTIONS/NODE_OPTIONS. Fails when \
           one of the server's admin ports is reachable from outside the pod network (Service of type \
           NodePort/LoadBalancer or with externalIPs, an Ingress or Gateway route to a Service selecting \
           the pod, hostPort, hostNetwork, KubeRay head serviceType/enableIngress, or a route to the head Service \
           KubeRay creates, `<name>-head-svc` or `headService.metadata.name`) while the server's own \
           authentication is off; fails whenever authentication is explicitly disabled \
           (`--ServerApp.token=`, `--disable-token-auth`, VLLM_SERVER_DEV_MODE=1) or a debugger is enabled. \
           A server's admin ports are its defaults plus any set by listen flags (`--port`, `--dashboard-port`, \
           `--server.port`, `--ServerApp.port`, `--http-port`, OLLAMA_HOST). \
           TorchServe images tagged before 0.11.1 count as unauthenticated (token authorization became the \
           default then).",
    why: "4.3.2: non-essential ports and debug endpoints must be disabled or authenticated. Unauthenticated \
          Ray Jobs (ShadowRay, CVE-2023-48022), Jupyter and TorchServe management APIs are remote code execution.",
    fail_example: "kind: Service\nspec:\n  type: LoadBalancer\n  selector: {app: ray-head}\n  ports: [{port: 8265}]   # Ray dashboard, no authOptions",
    pass_example: "kind: RayCluster\nspec:\n  authOptions: {mode: token}\n  headGroupSpec: {serviceType: ClusterIP}",
    remediation: "Keep admin and debug ports on ClusterIP Services behind an authenticating gateway, switch on \
                  the server's own auth (KubeRay authOptions.mode: token, vLLM --api-key, MLflow --app-name \
                  basic-auth, TorchServe token auth), and remove debugger flags from production images.",
    inconclusive: "A Service targets a named port that no container declares, so the exposed port is unknown; or \
                   the container's `envFrom` may set the variable that switches authentication on (RAY_AUTH_MODE, \
                   VLLM_API_KEY, API_KEY) while nothing visible does.",
    options: &[],
};

/// The rule.
pub struct AiEndpointExposure;

impl Rule for AiEndpointExposure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for (wi, w) in model.workloads.iter().enumerate() {
            let exposures = model
                .network
                .exposures
                .get(wi)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for c in &w.containers {
                let servers = servers_of(model, w, c);
                if servers.is_empty() {
                    continue;
                }
                let mut found = ServerFindings::default();
                for s in &servers {
                    if let Auth::Disabled(why) = &s.auth {
                        found
                            .fails
                            .push((format!("{}: {why}", s.name), container_location(c)));
                        continue;
                    }
                    let reachable: Vec<_> = exposures
                        .iter()
                        .filter(|e| e.port.is_none_or(|p| s.ports.contains(&p)))
                        .collect();
                    for e in &reachable {
                        let port = match (e.port, &e.port_name) {
                            (Some(p), _) => p.to_string(),
                            (None, Some(name)) => {
                                found.maybe_reachable(
                                    &s.auth,
                                    format!(
                                        "{} targets port name `{name}`, which no container declares",
                                        e.via
                                    ),
                                    container_location(c),
                                );
                                continue;
                            }
                            (None, None) => "every port".into(),
                        };
                        found.reachable(
                            &s.auth,
                            format!("{} port {port}", s.name),
                            &format!("is reachable from outside via {}", e.via),
                            Location::node(e.node, &e.route),
                        );
                    }
                    if reachable.is_empty() {
                        found.notes.push(format!(
                            "{} admin ports not exposed outside the pod network",
                            s.name
                        ));
                    }
                }
                let label = format!("container `{}`", c.name);
                found.emit(out, container_subject(w, c), &label, container_location(c));
            }
        }
    }
}
