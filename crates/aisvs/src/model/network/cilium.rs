//! CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy reader (cilium.io/v2).
//!
//! Default-deny per direction follows Cilium's default enforcement mode: a selecting policy with at least
//! one rule in a direction (an empty rule `{}` included, deny rules included) isolates it, unless
//! `enableDefaultDeny.<direction>` says otherwise. `ingress: []` has no rule and isolates nothing.

use crate::model::K8sObject;
use crate::parse::{Node, Route};

use super::policy::{cidr_peer, Action, DirectionSpec, Flavor, Peer, Policy, PolicyRule, PortRef};
use super::selector::Selector;

/// Reads every rule of the object (`spec` and each item of `specs`).
pub fn from_cilium<'a>(index: usize, o: &K8sObject<'a>) -> Vec<Policy<'a>> {
    let flavor = if o.kind == "CiliumClusterwideNetworkPolicy" {
        Flavor::CiliumClusterwide
    } else {
        Flavor::Cilium
    };
    let mut specs: Vec<(&'a Node, Route)> = Vec::new();
    if let Some(s) = o.root.get("spec") {
        specs.push((s, o.base.key("spec")));
    }
    if let Some(list) = o.root.get("specs") {
        for (i, s) in list.items().iter().enumerate() {
            specs.push((s, o.base.key("specs").index(i)));
        }
    }
    specs
        .into_iter()
        .map(|(spec, route)| one_spec(index, o, flavor, spec, route))
        .collect()
}

fn one_spec<'a>(
    index: usize,
    o: &K8sObject<'a>,
    flavor: Flavor,
    spec: &'a Node,
    route: Route,
) -> Policy<'a> {
    let mut problems = Vec::new();
    let pod_selector = match (spec.get("endpointSelector"), spec.get("nodeSelector")) {
        (Some(sel), _) => cilium_selector(Some(sel)),
        (None, Some(_)) => {
            problems.push("host policy (nodeSelector): selects nodes, not pods".into());
            Selector {
                requirements: Vec::new(),
                invalid: Some("host policy".into()),
            }
        }
        (None, None) => cilium_selector(None),
    };
    if let Some(r) = &pod_selector.invalid {
        problems.push(format!("endpointSelector: {r}"));
    }
    let default_deny = spec.get("enableDefaultDeny");
    let mut side = |allow_key: &str, deny_key: &str, flag: &str, prefix: &str| {
        let mut rules = Vec::new();
        let mut has_rules = false;
        for (key, action) in [(allow_key, Action::Allow), (deny_key, Action::Deny)] {
            let items = spec.get(key).map(Node::items).unwrap_or(&[]);
            has_rules |= !items.is_empty();
            for (i, r) in items.iter().enumerate() {
                rules.push(cilium_rule(
                    r,
                    route.key(key).index(i),
                    action,
                    prefix,
                    &mut problems,
                ));
            }
        }
        let isolates = default_deny
            .and_then(|d| d.get(flag))
            .and_then(Node::as_bool)
            .unwrap_or(has_rules);
        DirectionSpec { isolates, rules }
    };
    let ingress = side("ingress", "ingressDeny", "ingress", "from");
    let egress = side("egress", "egressDeny", "egress", "to");
    Policy {
        object: index,
        flavor,
        namespace: (flavor == Flavor::Cilium).then(|| o.namespace_or_default().to_string()),
        pod_selector,
        namespace_selector: None,
        ingress,
        egress,
        route,
        spec,
        problems,
        staged: false,
    }
}

/// An endpoint selector with Cilium's source prefixes (`k8s:`, `any:`) removed from label keys.
fn cilium_selector(node: Option<&Node>) -> Selector {
    let mut sel = Selector::from_k8s(node);
    for r in &mut sel.requirements {
        use super::selector::Requirement::*;
        let key = match r {
            Equals(k, _)
            | NotEquals(k, _)
            | In(k, _)
            | NotIn(k, _)
            | Exists(k)
            | DoesNotExist(k) => k,
        };
        for prefix in ["k8s:", "any:"] {
            if let Some(stripped) = key.strip_prefix(prefix) {
                *key = stripped.to_string();
            }
        }
    }
    sel
}

fn cilium_rule<'a>(
    r: &'a Node,
    route: Route,
    action: Action,
    dir: &str,
    problems: &mut Vec<String>,
) -> PolicyRule<'a> {
    let mut peers = Vec::new();
    let mut any_peer_field = false;
    for e in r.entries() {
        let k = e.key.as_str();
        let items = e.value.items();
        if k == format!("{dir}Endpoints") {
            any_peer_field = true;
            for ep in items {
                peers.push(Peer::Pods {
                    namespaces: None,
                    pods: Some(cilium_selector(Some(ep))),
                });
            }
        } else if k == format!("{dir}CIDR") {
            any_peer_field = true;
            for c in items {
                peers.push(cidr_peer(c.scalar_text(), &[], problems));
            }
        } else if k == format!("{dir}CIDRSet") {
            any_peer_field = true;
            for c in items {
                let except = c.get("except").map(Node::items).unwrap_or(&[]);
                match c.get("cidr") {
                    Some(cidr) => peers.push(cidr_peer(cidr.scalar_text(), except, problems)),
                    // cidrGroupRef / cidrSelector: resolved by the cluster, not by manifests.
                    None => peers.push(Peer::Unknown("CIDR group reference".into())),
                }
            }
        } else if k == format!("{dir}Entities") {
            any_peer_field = true;
            peers.extend(items.iter().filter_map(Node::scalar_text).map(Peer::Entity));
        } else if k == "toFQDNs" {
            any_peer_field = true;
            for f in items {
                let name = f
                    .get("matchName")
                    .or_else(|| f.get("matchPattern"))
                    .and_then(Node::scalar_text);
                peers.push(name.map_or(
                    Peer::Unknown("toFQDNs entry without a name".into()),
                    Peer::Fqdn,
                ));
            }
        } else if k.starts_with(dir) && k != format!("{dir}Ports") {
            // toServices, toGroups, fromRequires, fromNodes …: understood by Cilium, not modelled here.
            any_peer_field = true;
            peers.push(Peer::Unknown(format!("`{k}` peers are not modelled")));
        }
    }
    let mut ports = Vec::new();
    let mut dns_inspection = false;
    for tp in r.get("toPorts").map(Node::items).unwrap_or(&[]) {
        for p in tp.get("ports").map(Node::items).unwrap_or(&[]) {
            ports.push(PortRef {
                port: p.get("port").and_then(Node::scalar_text),
                protocol: p
                    .get("protocol")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| "ANY".into()),
            });
        }
        dns_inspection |= tp.at("rules.dns").is_some_and(|d| !d.items().is_empty());
    }
    // A rule with only toPorts applies to every peer on those ports; `{}` matches no peer at all.
    let all_peers = !any_peer_field && !ports.is_empty();
    PolicyRule {
        node: r,
        route,
        action,
        all_peers,
        peers,
        ports,
        dns_inspection,
    }
}
