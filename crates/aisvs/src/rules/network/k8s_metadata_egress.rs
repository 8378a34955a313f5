//! k8s-metadata-egress (4.3.2): pods cannot reach the cloud metadata API (169.254.169.254, fd00:ec2::254).

use std::net::IpAddr;

use crate::evidence::{Location, Severity};
use crate::model::network::Peer;
use crate::model::Model;

use super::util::{egress_view, policy_location, policy_name};
use crate::rules::sink::{pod_location, workload_subject};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-metadata-egress",
    title: "Pods cannot reach the cloud instance metadata API",
    requirements: &["4.3.2"],
    inputs: "Kubernetes workloads, NetworkPolicy, Cilium and Calico policies",
    severity: Severity::High,
    what: "For every pod template: hostNetwork fails (it bypasses network policy and the IMDS hop limit). \
           Otherwise some policy must isolate its egress, and no allow rule that selects it may cover \
           169.254.169.254 or fd00:ec2::254 (a rule without peers, `0.0.0.0/0` without an `except` for the \
           address, a CIDR containing it, Cilium `world`/`all`). A Cilium egressDeny or Calico Deny rule for \
           the address passes regardless (deny wins). The EKS Pod Identity agent (169.254.170.23) may stay allowed.",
    why: "4.3.2: cloud metadata APIs must not be reachable from workloads; node credentials at \
          169.254.169.254 turn any SSRF in a model server into cloud account access.",
    fail_example: "egress:\n- to:\n  - ipBlock: {cidr: 0.0.0.0/0}",
    pass_example: "egress:\n- to:\n  - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}",
    remediation: "Add `except: [169.254.169.254/32]` (and `fd00:ec2::254/128` on IPv6) to every broad ipBlock, \
                  or a Cilium `egressDeny: [{toCIDR: [169.254.169.254/32]}]`; on AWS also require IMDSv2 with hop limit 1.",
    inconclusive: "A selecting policy has a selector or peer that cannot be evaluated (invalid operator, CIDR that \
                   does not parse, CIDR group reference).",
    options: &[],
};

/// The rule.
pub struct MetadataEgress;

fn metadata_ips() -> [IpAddr; 2] {
    [
        IpAddr::from([169, 254, 169, 254]),
        IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]),
    ]
}

/// Whether a peer lets traffic reach a metadata address; `None` when it cannot be told.
fn reaches(peer: &Peer) -> Option<bool> {
    match peer {
        Peer::Cidr { cidr, except } => Some(
            metadata_ips()
                .iter()
                .any(|ip| cidr.contains(*ip) && !except.iter().any(|e| e.contains(*ip))),
        ),
        Peer::Entity(e) => Some(matches!(
            e.as_str(),
            "world" | "all" | "world-ipv4" | "world-ipv6"
        )),
        Peer::Unknown(_) => None,
        Peer::Pods { .. } | Peer::Fqdn(_) => Some(false),
    }
}

/// A peer in words, for messages.
fn describe(peer: &Peer) -> String {
    match peer {
        Peer::Cidr { cidr, except } if except.is_empty() => format!("{cidr}"),
        Peer::Cidr { cidr, .. } => {
            format!("{cidr} (its except list leaves the metadata address open)")
        }
        Peer::Entity(e) => format!("entity `{e}`"),
        other => format!("{other:?}"),
    }
}

impl Rule for MetadataEgress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for (wi, w) in model.workloads.iter().enumerate() {
            let subject = workload_subject(w);
            if let Some(n) = w
                .pod_spec
                .get("hostNetwork")
                .filter(|n| n.as_bool() == Some(true))
            {
                out.fail(subject, Some(Location::node(n, &w.pod_route.key("hostNetwork"))), "hostNetwork: the pod uses the node's network, so no policy blocks 169.254.169.254");
                continue;
            }
            let view = egress_view(model, wi);
            if let Some((r, p)) = view
                .denies
                .iter()
                .find(|(r, _)| r.peers.iter().any(|x| reaches(x) == Some(true)))
            {
                out.pass(
                    subject,
                    Some(Location::node(r.node, &r.route)),
                    format!(
                        "{} denies egress to the metadata API",
                        policy_name(model, p)
                    ),
                );
                continue;
            }
            if !view.isolated {
                out.fail(
                    subject,
                    Some(pod_location(w)),
                    "no policy restricts this pod's egress, so 169.254.169.254 is reachable",
                );
                continue;
            }
            let mut open = Vec::new();
            let mut unknown = view.undecided.clone();
            for (r, p) in &view.allows {
                // Metadata is plain HTTP on port 80: a rule limited to other ports does not reach it.
                let port_ok = r.ports.is_empty()
                    || r.ports.iter().any(|x| {
                        x.port
                            .as_deref()
                            .is_none_or(|v| v == "80" || v.parse::<u16>().is_err())
                    });
                if !port_ok {
                    continue;
                }
                if r.all_peers {
                    open.push((
                        format!(
                            "{} {} allows every destination",
                            policy_name(model, p),
                            r.route
                        ),
                        Location::node(r.node, &r.route),
                    ));
                    continue;
                }
                for peer in &r.peers {
                    match reaches(peer) {
                        Some(true) => open.push((
                            format!(
                                "{} {} allows {}",
                                policy_name(model, p),
                                r.route,
                                describe(peer)
                            ),
                            Location::node(r.node, &r.route),
                        )),
                        None => unknown.push(format!(
                            "{}: {}",
                            policy_name(model, p),
                            p.problems.join("; ")
                        )),
                        Some(false) => {}
                    }
                }
            }
            if let Some((_, loc)) = open.first() {
                let msg = open
                    .iter()
                    .map(|(m, _)| m.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                out.fail(
                    subject,
                    Some(loc.clone()),
                    format!("169.254.169.254 is reachable: {msg}"),
                );
            } else if !unknown.is_empty() {
                out.inconclusive(
                    subject,
                    Some(pod_location(w)),
                    format!("cannot evaluate {}", unknown.join("; ")),
                );
            } else {
                let loc = view
                    .allows
                    .first()
                    .map(|(_, p)| policy_location(p))
                    .unwrap_or_else(|| pod_location(w));
                out.pass(
                    subject,
                    Some(loc),
                    "egress is restricted and no allow rule covers 169.254.169.254",
                );
            }
        }
    }
}
