//! k8s-netpol-allow-list (4.3.1): every allow rule of every network policy names its peers; no allow-all.

use crate::evidence::{Location, Severity};
use crate::model::network::{Action, Peer, Policy, PolicyRule};
use crate::model::Model;

use super::util::{policy_location, policy_subject};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-netpol-allow-list",
    title: "Network policy allow rules are explicit allow-lists, not allow-all",
    requirements: &["4.3.1"],
    inputs: "Kubernetes NetworkPolicy, Cilium and Calico policies",
    severity: Severity::Medium,
    what: "Flags allow rules that admit everything: an ingress rule without `from` (or an egress rule without \
           `to`), an empty peer `- {}`, `namespaceSelector: {}` without a podSelector, ipBlock `0.0.0.0/0` or \
           `::/0` without `except`, Cilium `world`/`all` entities, `toFQDNs` matchPattern `*`, and DNS egress \
           (port 53) opened to every destination instead of to the cluster DNS (kube-dns / CoreDNS pods).",
    why: "4.3.1: on top of the default deny, each policy must allow only the traffic the workload needs. An \
          allow-all rule silently undoes the default deny for the pods it selects.",
    fail_example: "egress:\n- to:\n  - ipBlock: {cidr: 0.0.0.0/0}\n- ports: [{port: 53, protocol: UDP}]   # DNS to anyone",
    pass_example: "egress:\n- to:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n    podSelector: {matchLabels: {k8s-app: kube-dns}}\n  ports: [{port: 53, protocol: UDP}]",
    remediation: "Name the peers of each rule (pod and namespace selectors, specific CIDRs with `except` for \
                  169.254.169.254/32), and send DNS only to the kube-dns pods in kube-system.",
    inconclusive: "A peer that cannot be evaluated: a CIDR that does not parse, a selector with an invalid \
                   operator, Cilium CIDR groups or service references.",
    options: &[],
};

/// The rule.
pub struct AllowList;

/// Why a peer admits everything, if it does.
fn broad_peer(p: &Peer, cluster_wide: bool) -> Option<String> {
    match p {
        Peer::Pods {
            namespaces: None,
            pods: None,
        } => Some("an empty peer `{}`".into()),
        Peer::Pods {
            namespaces: Some(ns),
            pods,
        } if ns.is_empty() && pods.as_ref().is_none_or(|s| s.is_empty()) => {
            Some("every pod of every namespace (`namespaceSelector: {}`)".into())
        }
        Peer::Pods {
            namespaces: None,
            pods: Some(s),
        } if s.is_empty() && cluster_wide => Some("every endpoint of the cluster".into()),
        Peer::Cidr { cidr, except } if cidr.is_everything() && except.is_empty() => {
            Some(format!("{cidr} without except"))
        }
        Peer::Entity(e) if p.is_internet_wide() => Some(format!("entity `{e}`")),
        Peer::Fqdn(f) if p.is_internet_wide() => Some(format!("FQDN pattern `{f}`")),
        _ => None,
    }
}

/// A DNS peer that is the cluster DNS: pods labelled k8s-app=kube-dns (or CoreDNS) or the kube-system namespace.
fn is_cluster_dns(p: &Peer) -> bool {
    match p {
        Peer::Pods { namespaces, pods } => {
            let text = format!("{namespaces:?}{pods:?}");
            text.contains("kube-dns")
                || text.contains("coredns")
                || text.contains("kube-system")
                || text.contains("dns")
        }
        Peer::Entity(e) => e == "kube-dns" || e == "cluster",
        _ => false,
    }
}

fn rule_problems(
    rule: &PolicyRule<'_>,
    dir: &str,
    egress: bool,
    cluster_wide: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if rule.action != Action::Allow {
        return out;
    }
    let idx = rule.route.to_string();
    if rule.all_peers {
        let dns = egress && rule.dns_only();
        if dns {
            out.push(format!(
                "{idx}: DNS egress is open to every destination instead of the cluster DNS"
            ));
        } else {
            let ports = if rule.ports.is_empty() {
                "on every port"
            } else {
                "on the listed ports"
            };
            out.push(format!(
                "{idx}: {dir} rule without peers allows every {} {ports}",
                if egress { "destination" } else { "source" }
            ));
        }
        return out;
    }
    for p in &rule.peers {
        if let Some(why) = broad_peer(p, cluster_wide) {
            out.push(format!("{idx}: allows {why}"));
        }
    }
    if egress && rule.dns_only() && !rule.peers.iter().any(is_cluster_dns) && out.is_empty() {
        let broad = rule
            .peers
            .iter()
            .any(|p| matches!(p, Peer::Cidr { cidr, .. } if cidr.prefix < 8));
        if broad {
            out.push(format!(
                "{idx}: DNS egress goes to wide CIDRs instead of the cluster DNS"
            ));
        }
    }
    out
}

fn unknown_peers(p: &Policy<'_>) -> Vec<String> {
    let mut v: Vec<String> = p.problems.clone();
    for r in p.ingress.rules.iter().chain(&p.egress.rules) {
        for peer in &r.peers {
            if let Peer::Unknown(why) = peer {
                if !v.contains(why) {
                    v.push(why.clone());
                }
            }
        }
    }
    v
}

impl Rule for AllowList {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for p in &model.network.policies {
            let subject = policy_subject(model, p);
            let cw = p.flavor.cluster_wide();
            let mut problems: Vec<(String, Location)> = Vec::new();
            for (rules, dir, egress) in [
                (&p.ingress.rules, "ingress", false),
                (&p.egress.rules, "egress", true),
            ] {
                for r in rules {
                    for msg in rule_problems(r, dir, egress, cw) {
                        problems.push((msg, Location::node(r.node, &r.route)));
                    }
                }
            }
            let name = &model.objects[p.object].name;
            if let Some((first_msg, first_loc)) = problems.first().cloned() {
                let all: Vec<&str> = problems.iter().map(|(m, _)| m.as_str()).collect();
                let e = out.fail(
                    subject,
                    Some(first_loc),
                    format!(
                        "policy `{name}` is not an explicit allow-list: {}",
                        all.join("; ")
                    ),
                );
                for (m, l) in problems.into_iter().skip(1) {
                    e.related.push((l, m));
                }
                let _ = first_msg;
                continue;
            }
            let unknown = unknown_peers(p);
            if !unknown.is_empty() {
                out.inconclusive(
                    subject,
                    Some(policy_location(p)),
                    format!("policy `{name}`: cannot evaluate {}", unknown.join("; ")),
                );
            } else {
                out.pass(
                    subject,
                    Some(policy_location(p)),
                    format!("policy `{name}` allows only named peers"),
                );
            }
        }
    }
}
