//! KubeArmor `KubeArmorPolicy` / `KubeArmorClusterPolicy`: process rules on setuid programs and capability
//! rules, with `Block` (enforced by the node's LSM) or `Audit`. Syscall rules have no action field, so they only
//! ever detect. Host policies do not apply to workloads and are skipped.

use crate::model::network::Selector;
use crate::model::{K8sObject, Model};
use crate::parse::Node;

use super::vectors::{is_setuid_program, vectors_of_capability, vectors_of_function, Vector};
use super::{empty_policy, Engine, NamespaceScope, RuntimePolicy, Strength};

/// Reads one KubeArmor policy object; host policies and other kinds give `None`.
pub fn from_object<'a>(model: &Model<'a>, o: &K8sObject<'a>) -> Option<RuntimePolicy<'a>> {
    if !matches!(o.kind, "KubeArmorPolicy" | "KubeArmorClusterPolicy") {
        return None;
    }
    let mut policy = empty_policy(
        Engine::KubeArmor,
        o.kind,
        o.name.clone(),
        o.file,
        o.root,
        o.base.clone(),
    );
    let spec = o.spec()?;
    let selector = spec.get("selector");
    if o.kind == "KubeArmorPolicy" {
        let ns = o.namespace_or_default().to_string();
        policy.namespace = Some(ns.clone());
        policy.namespaces = NamespaceScope::Only(vec![ns]);
        policy.pods = Selector::from_k8s(selector);
    } else {
        policy.namespaces = cluster_namespaces(selector);
    }
    let default_action = spec.get("action").and_then(Node::as_str);
    let posture_blocks = match &policy.namespace {
        Some(ns) => namespace_posture_blocks(model, ns),
        None => false,
    };
    for section in ["process", "capabilities", "syscalls", "file"] {
        let Some(body) = spec.get(section) else {
            continue;
        };
        let action = body.get("action").and_then(Node::as_str).or(default_action);
        if section == "process" && action == Some("Allow") {
            allow_list(body, posture_blocks, &mut policy);
            continue;
        }
        let vectors = section_vectors(section, body);
        if vectors.is_empty() {
            continue;
        }
        let strength = match (section, action) {
            // Syscall rules carry no action: KubeArmor only reports them.
            ("syscalls", _) => {
                policy
                    .notes
                    .push("syscalls rules are audit-only in KubeArmor (no action field)".into());
                Strength::Detect
            }
            (_, Some("Block")) => Strength::Block,
            (_, Some(_)) => Strength::Detect,
            (_, None) => {
                policy
                    .notes
                    .push(format!("{section} rules have no action; treated as audit"));
                Strength::Detect
            }
        };
        for v in vectors {
            policy.cover(v, strength);
        }
    }
    Some(policy)
}

/// A process allow-list: everything else is blocked only under a namespace `kubearmor-file-posture: block`
/// annotation, and a setuid program on the list itself stays allowed.
fn allow_list(body: &Node, posture_blocks: bool, policy: &mut RuntimePolicy<'_>) {
    let allowed_setuid: Vec<&str> = ["matchPaths", "matchPatterns"]
        .iter()
        .flat_map(|key| body.get(key).map(Node::items).unwrap_or(&[]))
        .filter_map(|item| {
            item.get("path")
                .or_else(|| item.get("pattern"))
                .and_then(Node::as_str)
        })
        .filter(|path| is_setuid_program(path))
        .collect();
    let strength = if !posture_blocks {
        policy.notes.push(
            "process Allow-list without a namespace `kubearmor-file-posture: block` annotation only audits other programs"
                .into(),
        );
        Strength::Detect
    } else if !allowed_setuid.is_empty() {
        policy.notes.push(format!(
            "the process Allow-list itself permits setuid programs: {}",
            allowed_setuid.join(", ")
        ));
        Strength::Detect
    } else {
        Strength::Block
    };
    policy.cover(Vector::SetuidExec, strength);
}

/// The vectors one section touches.
fn section_vectors(section: &str, body: &Node) -> Vec<Vector> {
    let mut out = Vec::new();
    match section {
        "process" | "file" => {
            for key in ["matchPaths", "matchPatterns"] {
                for item in body.get(key).map(Node::items).unwrap_or(&[]) {
                    let path = item
                        .get("path")
                        .or_else(|| item.get("pattern"))
                        .and_then(Node::as_str)
                        .unwrap_or("");
                    if section == "process" && is_setuid_program(path) {
                        out.push(Vector::SetuidExec);
                    }
                }
            }
        }
        "capabilities" => {
            for item in body
                .get("matchCapabilities")
                .map(Node::items)
                .unwrap_or(&[])
            {
                if let Some(cap) = item.get("capability").and_then(Node::as_str) {
                    out.extend_from_slice(vectors_of_capability(cap));
                }
            }
        }
        "syscalls" => {
            for item in body.get("matchSyscalls").map(Node::items).unwrap_or(&[]) {
                for name in item.get("syscall").map(Node::items).unwrap_or(&[]) {
                    if let Some(name) = name.as_str() {
                        out.extend_from_slice(vectors_of_function(name));
                    }
                }
            }
        }
        _ => {}
    }
    out.sort();
    out.dedup();
    out
}

/// `KubeArmorClusterPolicy` selects namespaces with `matchExpressions` on the key `namespace`.
fn cluster_namespaces(selector: Option<&Node>) -> NamespaceScope {
    let mut scope = NamespaceScope::All;
    for expr in selector
        .and_then(|s| s.get("matchExpressions"))
        .map(Node::items)
        .unwrap_or(&[])
    {
        if expr.get("key").and_then(Node::as_str) != Some("namespace") {
            continue;
        }
        let values: Vec<String> = expr
            .get("values")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::scalar_text)
            .collect();
        scope = match expr.get("operator").and_then(Node::as_str) {
            Some("In") => NamespaceScope::Only(values),
            Some("NotIn") => NamespaceScope::AllExcept(values),
            _ => scope,
        };
    }
    scope
}

/// Whether the namespace is annotated so that anything outside an Allow-list is blocked.
fn namespace_posture_blocks(model: &Model<'_>, namespace: &str) -> bool {
    model
        .namespaces
        .get(namespace)
        .and_then(|n| n.annotations)
        .and_then(|a| a.get("kubearmor-file-posture"))
        .and_then(Node::as_str)
        == Some("block")
}
