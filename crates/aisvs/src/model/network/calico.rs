//! Calico NetworkPolicy / GlobalNetworkPolicy reader (projectcalico.org/v3 and crd.projectcalico.org/v1).
//!
//! `spec.types` defaults like Kubernetes: Ingress always, Egress when egress rules exist. Rules carry an
//! `action`; a rule without `source`/`destination` selectors or nets matches every peer. Staged kinds do
//! not enforce anything.

use crate::model::K8sObject;
use crate::parse::{Node, Route};

use super::policy::{cidr_peer, Action, DirectionSpec, Flavor, Peer, Policy, PolicyRule, PortRef};
use super::selector::Selector;

/// Reads a Calico policy object (any of the four kinds, staged included).
pub fn from_calico<'a>(index: usize, o: &K8sObject<'a>) -> Option<Policy<'a>> {
    let spec = o.spec()?;
    let route = o.base.key("spec");
    let global = o.kind.ends_with("GlobalNetworkPolicy");
    let mut problems = Vec::new();
    let pod_selector = Selector::from_calico(spec.get("selector").and_then(Node::as_str));
    if let Some(r) = &pod_selector.invalid {
        problems.push(format!("selector: {r}"));
    }
    let namespace_selector = if global {
        let s = Selector::from_calico(spec.get("namespaceSelector").and_then(Node::as_str));
        if let Some(r) = &s.invalid {
            problems.push(format!("namespaceSelector: {r}"));
        }
        Some(s)
    } else {
        None
    };
    let egress_rules = spec.get("egress").map(Node::items).unwrap_or(&[]);
    let types: Vec<String> = match spec.get("types").map(Node::items) {
        Some(t) if !t.is_empty() => t.iter().filter_map(Node::scalar_text).collect(),
        _ if !egress_rules.is_empty() => vec!["Ingress".into(), "Egress".into()],
        _ => vec!["Ingress".into()],
    };
    let mut side = |key: &str, ty: &str, peer_key: &str| DirectionSpec {
        isolates: types.iter().any(|t| t.eq_ignore_ascii_case(ty)),
        rules: spec
            .get(key)
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(i, r)| calico_rule(r, route.key(key).index(i), peer_key, &mut problems))
            .collect(),
    };
    let ingress = side("ingress", "Ingress", "source");
    let egress = side("egress", "Egress", "destination");
    Some(Policy {
        object: index,
        flavor: if global {
            Flavor::CalicoGlobal
        } else {
            Flavor::Calico
        },
        namespace: (!global).then(|| o.namespace_or_default().to_string()),
        pod_selector,
        namespace_selector,
        ingress,
        egress,
        route,
        spec,
        problems,
        staged: o.kind.starts_with("Staged"),
    })
}

fn calico_rule<'a>(
    r: &'a Node,
    route: Route,
    peer_key: &str,
    problems: &mut Vec<String>,
) -> PolicyRule<'a> {
    let action = match r.get("action").and_then(Node::as_str) {
        Some("Allow") => Action::Allow,
        Some("Deny") => Action::Deny,
        _ => Action::Other,
    };
    let peer = r.get(peer_key);
    let mut peers = Vec::new();
    if let Some(p) = peer {
        let sel = p.get("selector").and_then(Node::as_str);
        let ns = p.get("namespaceSelector").and_then(Node::as_str);
        if sel.is_some() || ns.is_some() {
            let pods = sel.map(|s| Selector::from_calico(Some(s)));
            let namespaces = ns.map(|s| Selector::from_calico(Some(s)));
            for s in pods.iter().chain(namespaces.iter()) {
                if let Some(reason) = &s.invalid {
                    problems.push(reason.clone());
                }
            }
            peers.push(Peer::Pods { namespaces, pods });
        }
        for net in p.get("nets").map(Node::items).unwrap_or(&[]) {
            peers.push(cidr_peer(net.scalar_text(), &[], problems));
        }
        for d in p.get("domains").map(Node::items).unwrap_or(&[]) {
            if let Some(d) = d.scalar_text() {
                peers.push(Peer::Fqdn(d));
            }
        }
        if p.get("serviceAccounts").is_some() || p.get("services").is_some() {
            peers.push(Peer::Unknown(
                "serviceAccounts/services peers are not modelled".into(),
            ));
        }
    }
    PolicyRule {
        node: r,
        route,
        action,
        all_peers: peers.is_empty(),
        peers,
        ports: peer
            .and_then(|p| p.get("ports"))
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .map(|p| PortRef {
                port: p.scalar_text(),
                protocol: r
                    .get("protocol")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| "ANY".into()),
            })
            .collect(),
        dns_inspection: false,
    }
}
