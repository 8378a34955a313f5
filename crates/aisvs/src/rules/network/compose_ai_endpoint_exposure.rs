//! compose-ai-endpoint-exposure (4.3.2): Compose services do not publish AI admin or debug ports on every host
//! interface without authentication.

use std::collections::BTreeMap;

use crate::evidence::Severity;
use crate::model::iac::compose::ComposeService;
use crate::model::Model;
use crate::parse::Node;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::ai_exposure_report::ServerFindings;
use super::ai_servers::{env_source, servers_in, Auth, Launch};
use super::compose_ports::{published_ports, Published};

static META: RuleMeta = RuleMeta {
    id: "compose-ai-endpoint-exposure",
    title: "Compose services do not publish AI admin/debug ports on every interface without authentication",
    requirements: &["4.3.2"],
    inputs: "Compose files",
    severity: Severity::High,
    what: "Recognises the same servers as k8s-ai-endpoint-exposure (Ray, Jupyter, MLflow, TorchServe, Triton, vLLM, \
           Ollama, TGI, Gradio, Streamlit, TensorBoard, Spark, Dask, debuggers) from a service's image, entrypoint, \
           command and environment, with the same admin ports (defaults plus listen flags such as `--port` and \
           OLLAMA_HOST). Fails when one of the server's admin ports is published on every host \
           interface (`ports:` without a loopback host IP, short or long syntax, ranges included, or \
           `network_mode: host`, or the ports of the service named by `network_mode: service:NAME`) while the \
           server's own authentication is off, and whenever authentication is \
           explicitly disabled or a debugger is enabled. Ports bound to 127.0.0.1/::1 and `expose:` stay local.",
    why: "4.3.2: non-essential ports and debug endpoints must be disabled or authenticated. A port published \
          without a host IP listens on every interface of the machine (and Docker's iptables rules bypass host \
          firewalls such as ufw): an Ollama, Ray or Jupyter API there is open to the network.",
    fail_example: "services:\n  ollama:\n    image: ollama/ollama:0.3.12\n    ports: [\"11434:11434\"]",
    pass_example: "services:\n  ollama:\n    image: ollama/ollama:0.3.12\n    ports: [\"127.0.0.1:11434:11434\"]",
    remediation: "Bind admin ports to loopback (`127.0.0.1:PORT:PORT`) or leave them unpublished behind an \
                  authenticating reverse proxy, and switch on the server's own auth (vLLM --api-key, Ray \
                  RAY_AUTH_MODE=token, Jupyter tokens, TorchServe token authorization).",
    inconclusive: "The host IP or the port is a variable interpolation, or `network_mode: container:…` joins a \
                   container the files do not show, so where the port listens is unknown; or \
                   an `env_file` may set the variable that switches authentication on (RAY_AUTH_MODE, VLLM_API_KEY, \
                   API_KEY) while nothing visible does.",
    options: &[],
};

/// The rule.
pub struct ComposeAiEndpointExposure;

impl Rule for ComposeAiEndpointExposure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for file in &model.iac.compose {
            for service in &file.services {
                judge(service, &file.services, out);
            }
        }
    }
}

fn judge(service: &ComposeService<'_>, siblings: &[ComposeService<'_>], out: &mut EvidenceSink) {
    let servers = servers_in(&launch_of(service));
    if servers.is_empty() {
        return;
    }
    let published = published_ports(service, siblings);
    let mut found = ServerFindings::default();
    for server in &servers {
        if let Auth::Disabled(why) = &server.auth {
            found
                .fails
                .push((format!("{}: {why}", server.name), service.location()));
            continue;
        }
        let mut reached = false;
        for p in &published {
            // The server's ports inside a published range; `None` stands for every port.
            let hits = |ports: &Option<(u16, u16)>| -> Vec<Option<u16>> {
                match ports {
                    None => vec![None],
                    Some((first, last)) => server
                        .ports
                        .iter()
                        .filter(|p| (*first..=*last).contains(*p))
                        .map(|p| Some(*p))
                        .collect(),
                }
            };
            match p {
                Published::AllInterfaces { ports, how, at } => {
                    for port in hits(ports) {
                        reached = true;
                        let what = port.map_or_else(
                            || format!("every {} port", server.name),
                            |p| format!("{} port {p}", server.name),
                        );
                        let via = format!("is published on every interface ({how})");
                        found.reachable(&server.auth, what, &via, at.clone());
                    }
                }
                Published::Unknown { ports, how, at } => {
                    if !hits(ports).is_empty() {
                        reached = true;
                        let why = format!("{} may be reachable: {how}", server.name);
                        found.maybe_reachable(&server.auth, why, at.clone());
                    }
                }
            }
        }
        if !reached {
            found.notes.push(format!(
                "{} admin ports are not published beyond loopback",
                server.name
            ));
        }
    }
    let label = format!("service `{}`", service.name);
    found.emit(out, service.subject(), &label, service.location());
}

/// What a Compose service starts: image, entrypoint + command, and `environment` (a map, or `KEY=value` items;
/// a variable without a value comes from the shell, so its value is unknown). Variables in an `env_file` are
/// not read: they make an "off" authentication unknown.
fn launch_of(service: &ComposeService<'_>) -> Launch {
    let words = |key: &str| -> Vec<String> {
        match service.node.get(key) {
            Some(n) => match n.scalar_text() {
                Some(s) => vec![s],
                None => n.items().iter().filter_map(Node::scalar_text).collect(),
            },
            None => Vec::new(),
        }
    };
    let mut cmd = words("entrypoint");
    cmd.extend(words("command"));
    let mut env = BTreeMap::new();
    if let Some(environment) = service.node.get("environment") {
        for e in environment.entries() {
            env.insert(e.key.to_string(), e.value.scalar_text());
        }
        for item in environment.items().iter().filter_map(Node::scalar_text) {
            match item.split_once('=') {
                Some((k, v)) => env.insert(k.to_string(), Some(v.to_string())),
                None => env.insert(item, None),
            };
        }
    }
    Launch {
        image: service
            .node
            .get("image")
            .and_then(Node::scalar_text)
            .unwrap_or_default(),
        cmd: cmd.join(" "),
        env,
        env_elsewhere: env_source(service.node, "env_file"),
        ..Launch::default()
    }
}
