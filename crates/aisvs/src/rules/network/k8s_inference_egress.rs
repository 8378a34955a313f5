//! k8s-inference-egress (4.3.3): inference pods reach the internet only through a domain allow-list.

use crate::evidence::Severity;
use crate::model::network::Peer;
use crate::model::Model;
use crate::parse::Node;

use super::util::{egress_view, is_inference, policy_name};
use crate::rules::sink::{pod_location, workload_subject};
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "k8s-inference-egress",
    title: "Inference pods egress only through an egress proxy or FQDN allow-list",
    requirements: &["4.3.3"],
    inputs: "Kubernetes workloads and KServe/Ray/Seldon CRs, network policies, Istio Sidecar/ServiceEntry/mesh config",
    severity: Severity::Medium,
    what: "Identifies inference workloads (KServe, Ray Serve, Seldon, vLLM, TGI, Triton, Ollama, TorchServe, \
           SGLang, NIM images, or a configurable pod label) and accepts one of: (a) egress isolated and every \
           allow rule going to in-cluster pods, DNS or named FQDNs (Cilium toFQDNs with the DNS-inspection \
           rule they need); (b) the same with HTTP(S)_PROXY pointing at an in-cluster proxy; (c) Istio \
           REGISTRY_ONLY backed by an L3/L4 egress policy (REGISTRY_ONLY alone is partial). Under \
           REGISTRY_ONLY, an external ServiceEntry for host `*` visible in the pod's namespace (exportTo) registers \
           every destination and fails; `*.domain` hosts are a real allow-list. The finding names the missing piece.",
    why: "4.3.3: a model server that can reach any host can exfiltrate weights and prompts or pull payloads; \
          only an enforced domain allow-list limits that.",
    fail_example: "egress:\n- to:\n  - ipBlock: {cidr: 0.0.0.0/0}   # inference pod reaches the whole internet",
    pass_example: "egress:\n- toFQDNs: [{matchName: huggingface.co}]\n- toEndpoints: [{matchLabels: {k8s:k8s-app: kube-dns}}]\n  toPorts: [{ports: [{port: \"53\"}], rules: {dns: [{matchPattern: \"*\"}]}}]",
    remediation: "Deny egress by default, allow DNS to kube-dns and the egress proxy (or Cilium toFQDNs for the \
                  model hubs you need), and set HTTP(S)_PROXY on the containers; with Istio also set \
                  outboundTrafficPolicy REGISTRY_ONLY and list ServiceEntries per external host.",
    inconclusive: "A selecting policy cannot be evaluated.",
    options: &[RuleOption { name: "inference_label", default: "\"\"", doc: "A pod label `key=value` (or `key`) that marks inference pods." }],
};

/// The rule.
#[derive(Default)]
pub struct InferenceEgress {
    inference_label: Option<String>,
}

impl Rule for InferenceEgress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["inference_label"])?;
        self.inference_label =
            option::<String>(options, "inference_label")?.filter(|s| !s.is_empty());
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for (wi, w) in model.workloads.iter().enumerate() {
            let Some(what) = is_inference(model, w, self.inference_label.as_deref()) else {
                continue;
            };
            let subject = workload_subject(w);
            let loc = Some(pod_location(w));
            let view = egress_view(model, wi);
            let proxy = w.containers.iter().any(|c| {
                c.node
                    .get("env")
                    .map(Node::items)
                    .unwrap_or(&[])
                    .iter()
                    .any(|e| {
                        e.get("name").and_then(Node::as_str).is_some_and(|n| {
                            n.eq_ignore_ascii_case("https_proxy")
                                || n.eq_ignore_ascii_case("http_proxy")
                        })
                    })
            });
            let (mode, _) = model.network.mesh.mode_for(&w.namespace);
            let istio = mode == "REGISTRY_ONLY";
            let entries: Vec<_> = model.network.mesh.entries_for(&w.namespace).collect();
            // Under REGISTRY_ONLY, a ServiceEntry for host `*` registers every destination, so the mode no longer
            // limits anything (under ALLOW_ANY it adds nothing: the L3/L4 policy alone decides).
            let open_entries: Vec<String> = entries
                .iter()
                .filter(|e| istio && e.admits_every_host())
                .map(|e| {
                    format!(
                        "ServiceEntry {}/{} registers every host (`*`)",
                        e.namespace, model.objects[e.object].name
                    )
                })
                .collect();
            if !view.isolated {
                let missing = if istio && open_entries.is_empty() {
                    out.partial(subject, loc, format!("{what}: Istio REGISTRY_ONLY is set but no L3/L4 egress policy backs it (the sidecar can be bypassed)"));
                    continue;
                } else if istio {
                    &format!(
                        "{}, which undoes Istio REGISTRY_ONLY, and no L3/L4 egress policy selects it",
                        open_entries.join("; ")
                    )
                } else if proxy {
                    "HTTP(S)_PROXY is set but no egress policy enforces it (env alone is bypassable)"
                } else {
                    "no egress policy selects it and mesh outbound mode is ALLOW_ANY"
                };
                out.fail(
                    subject,
                    loc,
                    format!("{what}: unrestricted internet egress: {missing}"),
                );
                continue;
            }
            let mut broad = open_entries;
            let mut fqdns = 0;
            let mut dns_inspection = false;
            for (r, p) in &view.allows {
                dns_inspection |= r.dns_inspection;
                if r.all_peers && !r.dns_only() {
                    broad.push(format!(
                        "{} {} allows every destination",
                        policy_name(model, p),
                        r.route
                    ));
                }
                for peer in &r.peers {
                    match peer {
                        Peer::Fqdn(_) if peer.is_internet_wide() => {
                            broad.push(format!("{} allows FQDN pattern `*`", policy_name(model, p)))
                        }
                        Peer::Fqdn(_) => fqdns += 1,
                        Peer::Cidr { cidr, .. } if cidr.prefix < 8 => broad.push(format!(
                            "{} {} allows {cidr}",
                            policy_name(model, p),
                            r.route
                        )),
                        Peer::Entity(e) if peer.is_internet_wide() => {
                            broad.push(format!("{} allows entity `{e}`", policy_name(model, p)))
                        }
                        _ => {}
                    }
                }
            }
            if !broad.is_empty() {
                out.fail(
                    subject,
                    loc,
                    format!(
                        "{what}: egress is not limited to a domain allow-list: {}",
                        broad.join("; ")
                    ),
                );
            } else if fqdns > 0 && !dns_inspection {
                out.partial(subject, loc, format!("{what}: toFQDNs rules without a DNS rule (toPorts rules.dns) to kube-dns, so Cilium never learns their IPs"));
            } else if !view.undecided.is_empty() {
                out.inconclusive(
                    subject,
                    loc,
                    format!("{what}: cannot evaluate {}", view.undecided.join("; ")),
                );
            } else {
                let registered: Vec<&str> = entries
                    .iter()
                    .flat_map(|e| e.hosts.iter().map(String::as_str))
                    .collect();
                let how = if fqdns > 0 {
                    "Cilium FQDN allow-list".to_string()
                } else if proxy {
                    "in-cluster egress proxy (HTTP(S)_PROXY)".to_string()
                } else if istio && !registered.is_empty() {
                    format!(
                        "in-cluster destinations, with Istio REGISTRY_ONLY admitting only {}",
                        registered.join(", ")
                    )
                } else {
                    "in-cluster destinations only".to_string()
                };
                out.pass(subject, loc, format!("{what}: egress restricted to {how}"));
            }
        }
    }
}
