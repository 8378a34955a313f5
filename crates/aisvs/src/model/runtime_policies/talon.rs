//! Falco Talon rules (`- action:` with an actionner, `- rule:` with `match` and `actions`): which Falco rules a
//! Talon rule answers (by name, priority, tags), in which namespaces (`output_fields` on `k8s.ns.name`), and
//! whether its action terminates the pod (`kubernetes:terminate`, not in `dry_run`).

use std::collections::BTreeMap;

use crate::parse::{Node, Route};
use crate::source::FileId;

use super::falco::FalcoRule;
use super::vectors::Vector;
use super::{empty_policy, Engine, NamespaceScope, RuntimePolicy, Strength};

/// Falco priorities, most severe first.
const PRIORITIES: [&str; 8] = [
    "emergency",
    "alert",
    "critical",
    "error",
    "warning",
    "notice",
    "informational",
    "debug",
];

fn priority_rank(p: &str) -> Option<usize> {
    let p = p.trim().to_ascii_lowercase();
    let p = if p == "info" {
        "informational".to_string()
    } else {
        p
    };
    PRIORITIES.iter().position(|x| *x == p)
}

/// The (Talon rule × matched Falco rule) pairs whose actions terminate the pod.
pub(super) fn talon_policies<'a>(
    file: FileId,
    node: &'a Node,
    route: Route,
    actions: &BTreeMap<String, String>,
    rules: &BTreeMap<String, FalcoRule<'_>>,
    vectors: &BTreeMap<&str, Vec<Vector>>,
) -> Vec<RuntimePolicy<'a>> {
    let name = node
        .get("rule")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    if node.get("dry_run").and_then(Node::as_bool) == Some(true) {
        return Vec::new();
    }
    let terminates = node
        .get("actions")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .any(|a| {
            let inline = a
                .get("actionner")
                .and_then(Node::as_str)
                .map(str::to_string);
            let named = a
                .get("action")
                .and_then(Node::as_str)
                .and_then(|n| actions.get(n).cloned());
            inline.or(named).as_deref() == Some("kubernetes:terminate")
        });
    if !terminates {
        return Vec::new();
    }
    let m = node.get("match");
    let wanted: Vec<String> = m
        .and_then(|m| m.get("rules"))
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::scalar_text)
        .collect();
    let priority = m
        .and_then(|m| m.get("priority"))
        .and_then(Node::scalar_text);
    let tags: Vec<String> = m
        .and_then(|m| m.get("tags"))
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::scalar_text)
        .collect();
    let scope = output_field_scope(m.and_then(|m| m.get("output_fields")));
    let mut out = Vec::new();
    for (rule_name, vs) in vectors {
        let Some(rule) = rules.get(*rule_name) else {
            continue;
        };
        let by_name = wanted.is_empty() || wanted.iter().any(|w| w == rule_name);
        let by_priority = priority
            .as_deref()
            .is_none_or(|p| priority_matches(p, rule.priority.as_deref()));
        let by_tags = tags.is_empty()
            || tags.iter().any(|group| {
                group
                    .split(',')
                    .map(str::trim)
                    .all(|t| rule.tags.iter().any(|rt| rt == t))
            });
        if !(by_name && by_priority && by_tags) {
            continue;
        }
        let mut p = empty_policy(
            Engine::Falco,
            "TalonRule",
            format!("{name} → {rule_name}"),
            file,
            node,
            route.clone(),
        );
        p.namespaces = scope.clone();
        p.answers = Some((*rule_name).to_string());
        p.notes.push(
            "Talon terminates the pod after Falco reports: post-facto, not syscall denial".into(),
        );
        for v in vs {
            p.cover(*v, Strength::Block);
        }
        out.push(p);
    }
    out
}

/// `>=Critical`, `Critical`: whether a Falco rule's priority satisfies a Talon match.
fn priority_matches(wanted: &str, actual: Option<&str>) -> bool {
    let Some(actual) = actual.and_then(priority_rank) else {
        return false;
    };
    let (at_least, level) = match wanted.trim().strip_prefix(">=") {
        Some(rest) => (true, rest),
        None => (false, wanted),
    };
    match priority_rank(level) {
        Some(w) if at_least => actual <= w,
        Some(w) => actual == w,
        None => false,
    }
}

/// `output_fields` entries on `k8s.ns.name` restrict the namespaces a Talon rule acts in.
fn output_field_scope(fields: Option<&Node>) -> NamespaceScope {
    let mut only = Vec::new();
    let mut except = Vec::new();
    for entry in fields
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::scalar_text)
    {
        for part in entry.split(',').map(str::trim) {
            if let Some(ns) = part.strip_prefix("k8s.ns.name!=") {
                except.push(ns.trim().to_string());
            } else if let Some(ns) = part.strip_prefix("k8s.ns.name=") {
                only.push(ns.trim().to_string());
            }
        }
    }
    if !only.is_empty() {
        NamespaceScope::Only(only)
    } else if !except.is_empty() {
        NamespaceScope::AllExcept(except)
    } else {
        NamespaceScope::All
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talon_priorities_and_namespaces() {
        assert!(priority_matches(">=Warning", Some("CRITICAL")));
        assert!(!priority_matches(">=Critical", Some("WARNING")));
        assert!(priority_matches("Notice", Some("notice")));
        assert!(!priority_matches("bogus", Some("notice")));
        let node = Node {
            value: crate::parse::Value::Null,
            span: crate::source::Span::default(),
        };
        assert_eq!(output_field_scope(Some(&node)), NamespaceScope::All);
    }
}
