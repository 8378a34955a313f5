//! Cilium Tetragon `TracingPolicy` / `TracingPolicyNamespaced`: which hooks touch a privilege-escalation
//! vector, and whether the selectors on them only post events or enforce (Sigkill, Override, Signal 9,
//! NotifyEnforcer with an enforcer).

use std::collections::BTreeMap;

use crate::model::network::Selector;
use crate::model::K8sObject;
use crate::parse::Node;

use super::vectors::{vectors_of_function, Vector};
use super::{empty_policy, Engine, NamespaceScope, RuntimePolicy, Strength};

/// Hook lists with a function name, and the key that names it.
const HOOK_KINDS: [(&str, &str); 4] = [
    ("kprobes", "call"),
    ("lsmhooks", "hook"),
    ("fentries", "call"),
    ("tracepoints", "event"),
];

/// Reads one Tetragon policy object; other `cilium.io` kinds give `None`.
pub fn from_object<'a>(o: &K8sObject<'a>) -> Option<RuntimePolicy<'a>> {
    if !matches!(o.kind, "TracingPolicy" | "TracingPolicyNamespaced") {
        return None;
    }
    let mut policy = empty_policy(
        Engine::Tetragon,
        o.kind,
        o.name.clone(),
        o.file,
        o.root,
        o.base.clone(),
    );
    if o.kind == "TracingPolicyNamespaced" {
        let ns = o.namespace_or_default().to_string();
        policy.namespace = Some(ns.clone());
        policy.namespaces = NamespaceScope::Only(vec![ns]);
    }
    let Some(spec) = o.spec() else {
        policy.notes.push("no spec".into());
        return Some(policy);
    };
    if spec.get("podSelector").is_some() {
        policy.pods = Selector::from_k8s(spec.get("podSelector"));
    }
    if spec.get("containerSelector").is_some() {
        policy.notes.push(
            "containerSelector limits the policy to some containers of the selected pods".into(),
        );
    }
    let monitor = spec
        .get("options")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .any(|opt| {
            opt.get("name").and_then(Node::as_str) == Some("policy-mode")
                && opt.get("value").and_then(Node::as_str) == Some("monitor")
        });
    let lists = named_lists(spec);
    let has_enforcer = spec.get("enforcers").is_some_and(|e| !e.is_empty());
    let mut ctx = Context {
        lists: &lists,
        has_enforcer,
        monitor,
        notes: Vec::new(),
    };
    for (hooks_key, name_key) in HOOK_KINDS {
        for hook in spec.get(hooks_key).map(Node::items).unwrap_or(&[]) {
            ctx.read_hook(hook, hooks_key, name_key, &mut policy);
        }
    }
    if monitor && !policy.coverage.is_empty() {
        ctx.notes
            .push("policy-mode is monitor: enforcement actions are elided".into());
    }
    ctx.notes.sort();
    ctx.notes.dedup();
    policy.notes.extend(ctx.notes);
    Some(policy)
}

/// `spec.lists[]` by name: the values a `list:<name>` reference expands to.
fn named_lists(spec: &Node) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for list in spec.get("lists").map(Node::items).unwrap_or(&[]) {
        let Some(name) = list.get("name").and_then(Node::as_str) else {
            continue;
        };
        let values = list
            .get("values")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::scalar_text)
            .collect();
        out.insert(name.to_string(), values);
    }
    out
}

struct Context<'l> {
    lists: &'l BTreeMap<String, Vec<String>>,
    has_enforcer: bool,
    monitor: bool,
    notes: Vec<String>,
}

impl Context<'_> {
    /// Expands `list:<name>` references; other names stand for themselves.
    fn expand(&self, name: &str) -> Vec<String> {
        match name.strip_prefix("list:") {
            Some(list) => self.lists.get(list).cloned().unwrap_or_default(),
            None => vec![name.to_string()],
        }
    }

    fn read_hook(
        &mut self,
        hook: &Node,
        kind: &str,
        name_key: &str,
        policy: &mut RuntimePolicy<'_>,
    ) {
        let selectors = hook.get("selectors").map(Node::items).unwrap_or(&[]);
        let mut hook_vectors: Vec<Vector> = Vec::new();
        if let Some(name) = hook.get(name_key).and_then(Node::as_str) {
            // Tracepoints on the syscalls subsystem are named `sys_enter_<syscall>`.
            let name = name.strip_prefix("sys_enter_").unwrap_or(name);
            for function in self.expand(name) {
                hook_vectors.extend_from_slice(vectors_of_function(&function));
            }
        }
        if selectors.is_empty() {
            // No selector: every call posts an event.
            for v in &hook_vectors {
                policy.cover(*v, Strength::Detect);
            }
            return;
        }
        for selector in selectors {
            let mut vectors = hook_vectors.clone();
            if kind == "tracepoints" {
                // raw_syscalls: the syscalls are the values the first argument is matched against.
                vectors.extend(self.syscall_args(selector));
            }
            if selector.get("matchNamespaceChanges").is_some() {
                vectors.push(Vector::UserNamespaces);
            }
            if selector.get("matchCapabilityChanges").is_some() {
                vectors.push(Vector::Capabilities);
            }
            if vectors.is_empty() {
                continue;
            }
            let strength = self.selector_strength(selector);
            for v in vectors {
                if let Some(s) = strength {
                    policy.cover(v, s);
                }
            }
        }
    }

    fn syscall_args(&self, selector: &Node) -> Vec<Vector> {
        let mut out = Vec::new();
        for arg in selector.get("matchArgs").map(Node::items).unwrap_or(&[]) {
            if !matches!(
                arg.get("operator").and_then(Node::as_str),
                Some("InMap" | "Equal" | "In")
            ) {
                continue;
            }
            for value in arg.get("values").map(Node::items).unwrap_or(&[]) {
                for name in value
                    .scalar_text()
                    .map(|v| self.expand(&v))
                    .unwrap_or_default()
                {
                    out.extend_from_slice(vectors_of_function(&name));
                }
            }
        }
        out
    }

    /// `Some(Block)` when the selector enforces, `Some(Detect)` when it only reports, `None` when it suppresses events.
    fn selector_strength(&mut self, selector: &Node) -> Option<Strength> {
        let actions = selector.get("matchActions").map(Node::items).unwrap_or(&[]);
        if actions.is_empty() {
            return Some(Strength::Detect);
        }
        let mut blocks = false;
        // Tetragon posts an event for every match unless the selector says NoPost.
        let mut posts = true;
        for action in actions {
            let name = action
                .get("action")
                .and_then(Node::as_str)
                .unwrap_or("Post");
            match name.to_ascii_lowercase().as_str() {
                "sigkill" | "override" => blocks = true,
                "signal" => {
                    if action.get("argSig").and_then(Node::as_i64) == Some(9) {
                        blocks = true;
                    } else {
                        self.notes
                            .push("Signal without argSig 9 does not stop the process".into());
                    }
                }
                "notifyenforcer" if self.has_enforcer => blocks = true,
                "notifyenforcer" => self
                    .notes
                    .push("NotifyEnforcer without spec.enforcers blocks nothing".into()),
                "nopost" => posts = false,
                _ => {}
            }
        }
        if blocks && self.monitor {
            return Some(Strength::Detect);
        }
        if blocks && narrows_binaries(selector) {
            self.notes.push(
                "a blocking selector applies only to the binaries listed in matchBinaries".into(),
            );
            return Some(Strength::Detect);
        }
        if blocks {
            Some(Strength::Block)
        } else if posts {
            Some(Strength::Detect)
        } else {
            None
        }
    }
}

/// True when `matchBinaries` restricts the selector to listed programs (an allow-list via `NotIn` does not).
fn narrows_binaries(selector: &Node) -> bool {
    selector
        .get("matchBinaries")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .any(|b| {
            matches!(
                b.get("operator").and_then(Node::as_str),
                Some("In" | "Prefix" | "Postfix")
            )
        })
}
