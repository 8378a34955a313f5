//! One normalised shape for every network policy flavour, and the Kubernetes NetworkPolicy reader.
//!
//! Semantics encoded here (kubernetes `pkg/apis/networking/v1/defaults.go`, `networking/v1/types.go`):
//! without `policyTypes`, a policy is Ingress plus Egress only when `spec.egress` is non-empty; an absent
//! or empty `from`/`to` matches every peer; an empty rule list allows nothing.

use crate::model::K8sObject;
use crate::parse::{Node, Route};

use super::cidr::Cidr;
use super::selector::Selector;

/// Which API the policy came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// networking.k8s.io NetworkPolicy.
    NetworkPolicy,
    /// cilium.io CiliumNetworkPolicy.
    Cilium,
    /// cilium.io CiliumClusterwideNetworkPolicy.
    CiliumClusterwide,
    /// projectcalico.org NetworkPolicy.
    Calico,
    /// projectcalico.org GlobalNetworkPolicy.
    CalicoGlobal,
}

impl Flavor {
    /// Applies to every namespace (selected by its own namespace selector).
    pub fn cluster_wide(self) -> bool {
        matches!(self, Flavor::CiliumClusterwide | Flavor::CalicoGlobal)
    }
}

/// What a rule does with the traffic it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Allows it.
    Allow,
    /// Denies it (Cilium `*Deny`, Calico `Deny`).
    Deny,
    /// Calico `Log` / `Pass`: neither.
    Other,
}

/// One peer of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    /// Pods: `namespaces` `None` means the policy's own namespace; `Some(empty)` means every namespace.
    Pods {
        /// Namespace selector.
        namespaces: Option<Selector>,
        /// Pod selector (`None` = every pod of the selected namespaces).
        pods: Option<Selector>,
    },
    /// An IP block with its exceptions.
    Cidr {
        /// The block.
        cidr: Cidr,
        /// `except`.
        except: Vec<Cidr>,
    },
    /// A Cilium entity (`world`, `all`, `cluster`, `kube-apiserver`, `host` …).
    Entity(String),
    /// A DNS name or pattern (Cilium `toFQDNs`, Calico `domains`).
    Fqdn(String),
    /// A peer that could not be understood (the reason).
    Unknown(String),
}

impl Peer {
    /// Reaches any address outside the cluster without restriction.
    pub fn is_internet_wide(&self) -> bool {
        match self {
            Peer::Cidr { cidr, except } => cidr.is_everything() && except.is_empty(),
            Peer::Entity(e) => matches!(e.as_str(), "world" | "all" | "world-ipv4" | "world-ipv6"),
            Peer::Fqdn(p) => p.trim() == "*",
            _ => false,
        }
    }
}

/// A port of a rule (number or name) with its protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortRef {
    /// The port as written (`53`, `dns`); `None` = every port.
    pub port: Option<String>,
    /// `TCP`, `UDP`, `SCTP`, `ANY`.
    pub protocol: String,
}

/// One ingress or egress rule.
#[derive(Debug, Clone)]
pub struct PolicyRule<'a> {
    /// The rule's node.
    pub node: &'a Node,
    /// Its route.
    pub route: Route,
    /// Allow or deny.
    pub action: Action,
    /// Matches every peer (`from`/`to` absent or empty).
    pub all_peers: bool,
    /// The peers (when not `all_peers`).
    pub peers: Vec<Peer>,
    /// Ports (empty = every port).
    pub ports: Vec<PortRef>,
    /// Cilium L7 DNS inspection (`toPorts[].rules.dns`), needed for `toFQDNs`.
    pub dns_inspection: bool,
}

impl PolicyRule<'_> {
    /// Whether the rule only concerns DNS (every port is 53 or named `dns`).
    pub fn dns_only(&self) -> bool {
        !self.ports.is_empty()
            && self.ports.iter().all(|p| {
                p.port.as_deref().is_some_and(|x| {
                    x == "53" || x.eq_ignore_ascii_case("dns") || x.eq_ignore_ascii_case("dns-tcp")
                })
            })
    }
}

/// One direction of a policy.
#[derive(Debug, Clone, Default)]
pub struct DirectionSpec<'a> {
    /// The policy isolates selected pods in this direction (only its allows apply).
    pub isolates: bool,
    /// Its rules.
    pub rules: Vec<PolicyRule<'a>>,
}

/// A network policy of any flavour, normalised.
#[derive(Debug, Clone)]
pub struct Policy<'a> {
    /// Index into `Model::objects`.
    pub object: usize,
    /// Flavour.
    pub flavor: Flavor,
    /// Namespace (`None` for cluster-wide flavours).
    pub namespace: Option<String>,
    /// Which pods it selects.
    pub pod_selector: Selector,
    /// For cluster-wide flavours: which namespaces (None = all).
    pub namespace_selector: Option<Selector>,
    /// Ingress side.
    pub ingress: DirectionSpec<'a>,
    /// Egress side.
    pub egress: DirectionSpec<'a>,
    /// Route of the spec this policy came from.
    pub route: Route,
    /// The spec node.
    pub spec: &'a Node,
    /// Parts that could not be understood (reported as inconclusive by rules).
    pub problems: Vec<String>,
    /// A staged (not enforced) Calico policy.
    pub staged: bool,
}

/// Reads a port list (`ports[{port, protocol}]`).
pub fn ports_of(node: Option<&Node>, port_key: &str) -> Vec<PortRef> {
    node.map(Node::items)
        .unwrap_or(&[])
        .iter()
        .map(|p| PortRef {
            port: p.get(port_key).and_then(Node::scalar_text),
            protocol: p
                .get("protocol")
                .and_then(Node::scalar_text)
                .unwrap_or_else(|| "TCP".into()),
        })
        .collect()
}

/// Parses a CIDR or records why it did not parse.
pub fn cidr_peer(text: Option<String>, except: &[Node], problems: &mut Vec<String>) -> Peer {
    let Some(text) = text else {
        problems.push("ipBlock without cidr".into());
        return Peer::Unknown("ipBlock without cidr".into());
    };
    let Some(cidr) = Cidr::parse(&text) else {
        problems.push(format!("CIDR `{text}` does not parse"));
        return Peer::Unknown(format!("CIDR `{text}` does not parse"));
    };
    let mut ex = Vec::new();
    for e in except.iter().filter_map(Node::scalar_text) {
        match Cidr::parse(&e) {
            Some(c) => ex.push(c),
            None => problems.push(format!("except CIDR `{e}` does not parse")),
        }
    }
    Peer::Cidr { cidr, except: ex }
}

/// Reads a networking.k8s.io NetworkPolicy.
pub fn from_network_policy<'a>(index: usize, o: &K8sObject<'a>) -> Option<Policy<'a>> {
    let spec = o.spec()?;
    let route = o.base.key("spec");
    let mut problems = Vec::new();
    let pod_selector = Selector::from_k8s(spec.get("podSelector"));
    if let Some(r) = &pod_selector.invalid {
        problems.push(format!("podSelector: {r}"));
    }
    let egress_rules = spec.get("egress").map(Node::items).unwrap_or(&[]);
    let types: Vec<String> = match spec.get("policyTypes").map(Node::items) {
        Some(t) if !t.is_empty() => t.iter().filter_map(Node::scalar_text).collect(),
        _ if !egress_rules.is_empty() => vec!["Ingress".into(), "Egress".into()],
        _ => vec!["Ingress".into()],
    };
    let mut side = |key: &str, peer_key: &str| DirectionSpec {
        isolates: types.iter().any(|t| t.eq_ignore_ascii_case(key)),
        rules: spec
            .get(&key.to_ascii_lowercase())
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(i, r)| {
                k8s_rule(
                    r,
                    route.key(&key.to_ascii_lowercase()).index(i),
                    peer_key,
                    &mut problems,
                )
            })
            .collect(),
    };
    let ingress = side("Ingress", "from");
    let egress = side("Egress", "to");
    Some(Policy {
        object: index,
        flavor: Flavor::NetworkPolicy,
        namespace: Some(o.namespace_or_default().to_string()),
        pod_selector,
        namespace_selector: None,
        ingress,
        egress,
        route,
        spec,
        problems,
        staged: false,
    })
}

fn k8s_rule<'a>(
    r: &'a Node,
    route: Route,
    peer_key: &str,
    problems: &mut Vec<String>,
) -> PolicyRule<'a> {
    let peers_node = r.get(peer_key).map(Node::items).unwrap_or(&[]);
    let mut peers = Vec::new();
    for p in peers_node {
        if let Some(ip) = p.get("ipBlock") {
            let except = ip.get("except").map(Node::items).unwrap_or(&[]);
            peers.push(cidr_peer(
                ip.get("cidr").and_then(Node::scalar_text),
                except,
                problems,
            ));
            continue;
        }
        let ns = p
            .get("namespaceSelector")
            .map(|n| Selector::from_k8s(Some(n)));
        let pods = p.get("podSelector").map(|n| Selector::from_k8s(Some(n)));
        for s in ns.iter().chain(pods.iter()) {
            if let Some(reason) = &s.invalid {
                problems.push(reason.clone());
            }
        }
        peers.push(Peer::Pods {
            namespaces: ns,
            pods,
        });
    }
    PolicyRule {
        node: r,
        route,
        action: Action::Allow,
        all_peers: peers_node.is_empty(),
        peers,
        ports: ports_of(r.get("ports"), "port"),
        dns_inspection: false,
    }
}
