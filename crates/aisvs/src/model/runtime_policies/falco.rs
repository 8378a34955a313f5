//! Falco rules files (`- rule:` / `- macro:` / `- list:`) and Falco Talon rules files (`- action:` with an
//! actionner, `- rule:` with `match` and `actions`). Falco only detects; a Talon rule whose action terminates
//! the pod turns the Falco rules it matches into (post-facto) blocking.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::ParsedFile;
use crate::parse::{Node, Route};
use crate::source::FileId;

use super::vectors::{vectors_of_function, Vector};
use super::{empty_policy, Engine, NamespaceScope, RuntimePolicy, Strength};

/// Macros expanded per rule at most (hostile rules files stay linear).
const MAX_MACROS_PER_RULE: usize = 256;

/// What the Falco and Talon files gave.
#[derive(Debug, Default)]
pub struct FalcoPolicies<'a> {
    /// One entry per Falco rule that touches a vector, and one per (Talon rule, Falco rule) pair that terminates.
    pub policies: Vec<RuntimePolicy<'a>>,
    /// Falco and Talon rules files seen.
    pub files_seen: usize,
}

struct FalcoRule<'a> {
    file: FileId,
    node: &'a Node,
    route: Route,
    condition: String,
    priority: Option<String>,
    tags: Vec<String>,
    enabled: bool,
}

/// Reads every Falco and Talon rules file among the inputs.
pub fn from_files(files: &[ParsedFile]) -> FalcoPolicies<'_> {
    let mut out = FalcoPolicies::default();
    let mut macros: BTreeMap<String, String> = BTreeMap::new();
    let mut rules: BTreeMap<String, FalcoRule<'_>> = BTreeMap::new();
    let mut talon_actions: BTreeMap<String, String> = BTreeMap::new();
    let mut talon_rules: Vec<(FileId, &Node, Route)> = Vec::new();
    for f in files {
        let mut seen = false;
        for doc in &f.docs {
            for (i, item) in doc.root.items().iter().enumerate() {
                let route = Route::root().index(i);
                let text = |k: &str| item.get(k).and_then(Node::scalar_text);
                if let (Some(name), Some(cond)) = (text("macro"), text("condition")) {
                    let slot = macros.entry(name).or_default();
                    slot.push(' ');
                    slot.push_str(&cond);
                    seen = true;
                } else if let (Some(name), Some(actionner)) = (text("action"), text("actionner")) {
                    talon_actions.insert(name, actionner);
                    seen = true;
                } else if let Some(name) = text("rule") {
                    seen = true;
                    if item.get("match").is_some() || item.get("actions").is_some() {
                        talon_rules.push((f.source.id, item, route));
                        continue;
                    }
                    let enabled = item.get("enabled").and_then(Node::as_bool) != Some(false);
                    if let Some(existing) = rules.get_mut(&name) {
                        // Later files override or append to earlier definitions, as Falco loads them.
                        existing.enabled = enabled;
                        if let Some(cond) = text("condition") {
                            existing.condition.push(' ');
                            existing.condition.push_str(&cond);
                        }
                        continue;
                    }
                    rules.insert(
                        name,
                        FalcoRule {
                            file: f.source.id,
                            node: item,
                            route,
                            condition: text("condition").unwrap_or_default(),
                            priority: text("priority"),
                            tags: item
                                .get("tags")
                                .map(Node::items)
                                .unwrap_or(&[])
                                .iter()
                                .filter_map(Node::scalar_text)
                                .collect(),
                            enabled,
                        },
                    );
                }
            }
        }
        out.files_seen += usize::from(seen);
    }
    let vectors: BTreeMap<&str, Vec<Vector>> = rules
        .iter()
        .filter(|(_, r)| r.enabled)
        .map(|(name, r)| (name.as_str(), condition_vectors(&r.condition, &macros)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    for (name, vs) in &vectors {
        let Some(r) = rules.get(*name) else { continue };
        let mut p = empty_policy(
            Engine::Falco,
            "FalcoRule",
            (*name).to_string(),
            r.file,
            r.node,
            r.route.clone(),
        );
        for v in vs {
            p.cover(*v, Strength::Detect);
        }
        out.policies.push(p);
    }
    for (file, node, route) in talon_rules {
        out.policies.extend(talon_policies(
            file,
            node,
            route,
            &talon_actions,
            &rules,
            &vectors,
        ));
    }
    out
}

/// The vectors a condition touches, following macros (bounded).
fn condition_vectors(condition: &str, macros: &BTreeMap<String, String>) -> Vec<Vector> {
    let mut found = BTreeSet::new();
    let mut pending: Vec<&str> = vec![condition];
    let mut expanded: BTreeSet<&str> = BTreeSet::new();
    while let Some(text) = pending.pop() {
        for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if token.is_empty() {
                continue;
            }
            found.extend(vectors_of_function(token).iter().copied());
            if matches!(token, "sudo" | "pkexec" | "doas") {
                found.insert(Vector::SetuidExec);
            }
            if let Some((name, body)) = macros.get_key_value(token) {
                if expanded.len() < MAX_MACROS_PER_RULE && expanded.insert(name.as_str()) {
                    pending.push(body);
                }
            }
        }
    }
    found.into_iter().collect()
}

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
fn talon_policies<'a>(
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
