//! k8s-netpol-default-deny (4.3.1): every namespace with workloads has a default-deny for both ingress and egress.

use crate::evidence::Severity;
use crate::model::network::{Flavor, Policy};
use crate::model::Model;
use crate::parse::Node;

use super::util::{
    in_scope, namespace_location, namespace_subject, policy_location, policy_name,
    workload_namespaces,
};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-netpol-default-deny",
    title: "Every namespace with workloads denies ingress and egress by default",
    requirements: &["4.3.1"],
    inputs: "Kubernetes NetworkPolicy, CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico (Global)NetworkPolicy",
    severity: Severity::High,
    what: "For each namespace that holds workloads, some policy must select every pod of the namespace and \
           isolate it in BOTH directions: a NetworkPolicy with an empty podSelector whose effective \
           policyTypes include Ingress and Egress (without policyTypes, Egress counts only when the egress \
           list is non-empty), a Cilium policy with an empty endpointSelector and a rule (or \
           enableDefaultDeny) per direction, a CiliumClusterwideNetworkPolicy selecting all endpoints, or a \
           Calico policy selecting all() with both types. Staged Calico policies do not count.",
    why: "4.3.1: network policies must default-deny ingress and egress, with explicit allow-lists on top. \
          Without an egress default-deny a compromised model server can reach the internet and cloud metadata.",
    fail_example: "kind: NetworkPolicy\nspec:\n  podSelector: {}\n  egress: []   # no policyTypes: ingress-only",
    pass_example: "kind: NetworkPolicy\nmetadata: {name: default-deny}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]",
    remediation: "Add a `default-deny` NetworkPolicy to the namespace with `podSelector: {}` and \
                  `policyTypes: [Ingress, Egress]` and no rules, then add explicit allows (DNS to kube-dns, \
                  the ingress gateway, the services each workload needs).",
    inconclusive: "A policy that could decide the namespace has a selector this tool cannot evaluate \
                   (invalid operator, template expression, unsupported Calico syntax).",
    options: &[],
};

/// The rule.
pub struct DefaultDeny;

/// How one direction of a namespace is covered.
enum Cover {
    /// A namespace-wide default deny: the policy name.
    Yes(String),
    /// Not covered, with a note explaining near misses.
    No(Vec<String>),
    /// Could not decide.
    Unknown(String),
}

fn direction<'p>(
    p: &'p Policy<'_>,
    egress: bool,
) -> &'p crate::model::network::policy::DirectionSpec<'p> {
    if egress {
        &p.egress
    } else {
        &p.ingress
    }
}

fn cover(model: &Model<'_>, ns: &str, egress: bool) -> Cover {
    let mut notes = Vec::new();
    let mut unknown = None;
    for p in &model.network.policies {
        match in_scope(model, p, ns) {
            Ok(false) => continue,
            Err(reason) => {
                unknown = Some(format!("{}: {reason}", policy_name(model, p)));
                continue;
            }
            Ok(true) => {}
        }
        if p.pod_selector.invalid.is_some() {
            unknown = Some(format!(
                "{}: {}",
                policy_name(model, p),
                p.problems.join("; ")
            ));
            continue;
        }
        if !p.pod_selector.is_empty() {
            continue;
        }
        if p.staged {
            notes.push(format!(
                "{} is staged (not enforced)",
                policy_name(model, p)
            ));
            continue;
        }
        if direction(p, egress).isolates {
            return Cover::Yes(policy_name(model, p));
        }
        if egress && p.flavor == Flavor::NetworkPolicy && p.spec.get("policyTypes").is_none() {
            if p.spec.get("egress").is_some_and(Node::is_empty) {
                notes.push(format!(
                    "{} has `egress: []` but no policyTypes, so it is ingress-only (add policyTypes: [Ingress, Egress])",
                    policy_name(model, p)
                ));
            }
        } else if egress
            && p.flavor != Flavor::NetworkPolicy
            && p.spec.get("egress").is_some_and(Node::is_empty)
        {
            notes.push(format!(
                "{} has an empty egress list, which enables no default deny",
                policy_name(model, p)
            ));
        }
    }
    match unknown {
        Some(u) => Cover::Unknown(u),
        None => Cover::No(notes),
    }
}

impl Rule for DefaultDeny {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for ns in workload_namespaces(model) {
            let subject = namespace_subject(&ns);
            let loc = namespace_location(model, &ns);
            let ing = cover(model, &ns, false);
            let eg = cover(model, &ns, true);
            let mut missing = Vec::new();
            let mut unknown = Vec::new();
            let mut found = Vec::new();
            for (dir, c) in [("ingress", ing), ("egress", eg)] {
                match c {
                    Cover::Yes(name) => found.push(format!("{dir} by {name}")),
                    Cover::No(notes) if notes.is_empty() => {
                        missing.push(format!("no default-deny for {dir}"))
                    }
                    Cover::No(notes) => {
                        missing.push(format!("no default-deny for {dir} ({})", notes.join("; ")))
                    }
                    Cover::Unknown(why) => unknown.push(format!("{dir}: {why}")),
                }
            }
            if !missing.is_empty() {
                let e = out.fail(
                    subject,
                    loc,
                    format!("namespace `{ns}`: {}", missing.join("; ")),
                );
                if let Some(p) = first_policy(model, &ns) {
                    e.related
                        .push((policy_location(p), "policy in this namespace".into()));
                }
            } else if !unknown.is_empty() {
                out.inconclusive(
                    subject,
                    loc,
                    format!("namespace `{ns}`: cannot evaluate {}", unknown.join("; ")),
                );
            } else {
                let loc = first_policy(model, &ns).map(policy_location).or(loc);
                out.pass(
                    subject,
                    loc,
                    format!("namespace `{ns}` denies by default: {}", found.join(", ")),
                );
            }
        }
    }
}

fn first_policy<'m, 'a>(model: &'m Model<'a>, ns: &str) -> Option<&'m Policy<'a>> {
    model
        .network
        .policies
        .iter()
        .find(|p| p.namespace.as_deref() == Some(ns) && p.pod_selector.is_empty())
        .or_else(|| {
            model
                .network
                .policies
                .iter()
                .find(|p| p.namespace.as_deref() == Some(ns))
        })
}
