//! Falco rules files (`- rule:` / `- macro:` / `- list:`), and collecting Falco Talon rules files (`- action:` with an
//! actionner, `- rule:` with `match` and `actions`). Falco only detects; a Talon rule whose action terminates
//! the pod turns the Falco rules it matches into (post-facto) blocking.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::ParsedFile;
use crate::parse::{Node, Route};
use crate::source::FileId;

use super::vectors::{vectors_of_function, Vector};
use super::{empty_policy, Engine, RuntimePolicy, Strength};

/// Deepest macro-in-macro nesting followed (upstream rules nest a handful of levels).
const MAX_MACRO_DEPTH: usize = 32;

/// What the Falco and Talon files gave.
#[derive(Debug, Default)]
pub struct FalcoPolicies<'a> {
    /// One entry per Falco rule that touches a vector, and one per (Talon rule, Falco rule) pair that terminates.
    pub policies: Vec<RuntimePolicy<'a>>,
    /// Falco and Talon rules files seen.
    pub files_seen: usize,
}

/// A Falco rule as loaded (later files override or append).
pub(super) struct FalcoRule<'a> {
    pub(super) file: FileId,
    pub(super) node: &'a Node,
    pub(super) route: Route,
    pub(super) condition: String,
    pub(super) priority: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) enabled: bool,
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
    let mut memo = BTreeMap::new();
    let vectors: BTreeMap<&str, Vec<Vector>> = rules
        .iter()
        .filter(|(_, r)| r.enabled)
        .map(|(name, r)| {
            let v = condition_vectors(&r.condition, &macros, &mut memo, 0);
            (name.as_str(), v)
        })
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
        out.policies.extend(super::talon::talon_policies(
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

/// The vectors a condition touches, following macros. Each macro is read once per scan (`memo`), and a macro
/// that is being expanded counts as empty, so cycles and deep chains stay linear in the rules text.
fn condition_vectors(
    condition: &str,
    macros: &BTreeMap<String, String>,
    memo: &mut BTreeMap<String, Vec<Vector>>,
    depth: usize,
) -> Vec<Vector> {
    let mut found = BTreeSet::new();
    for token in condition.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if token.is_empty() {
            continue;
        }
        found.extend(vectors_of_function(token).iter().copied());
        if matches!(token, "sudo" | "pkexec" | "doas") {
            found.insert(Vector::SetuidExec);
        }
        if let Some(known) = memo.get(token) {
            found.extend(known.iter().copied());
        } else if let Some(body) = macros.get(token) {
            if depth < MAX_MACRO_DEPTH {
                memo.insert(token.to_string(), Vec::new());
                let inner = condition_vectors(body, macros, memo, depth + 1);
                found.extend(inner.iter().copied());
                memo.insert(token.to_string(), inner);
            }
        }
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_are_followed_once_and_cycles_end() {
        let mut macros = BTreeMap::new();
        macros.insert("a".to_string(), "b and evt.type=ptrace".to_string());
        macros.insert(
            "b".to_string(),
            "a or evt.type in (setuid, setns)".to_string(),
        );
        let mut memo = BTreeMap::new();
        let found = condition_vectors("a and container", &macros, &mut memo, 0);
        assert_eq!(
            found,
            vec![Vector::SetuidFamily, Vector::UserNamespaces, Vector::Ptrace]
        );
    }

    #[test]
    fn long_macro_chains_stop_at_the_depth_bound() {
        let mut macros = BTreeMap::new();
        for i in 0..10_000 {
            macros.insert(format!("m{i}"), format!("m{}", i + 1));
        }
        macros.insert("m10000".to_string(), "evt.type=bpf".to_string());
        let mut memo = BTreeMap::new();
        // The bpf at the end of the chain is beyond the bound: not found, and no stack overflow.
        assert!(condition_vectors("m0", &macros, &mut memo, 0).is_empty());
        assert_eq!(
            condition_vectors("m9990", &macros, &mut memo, 0),
            vec![Vector::Bpf]
        );
    }
}
