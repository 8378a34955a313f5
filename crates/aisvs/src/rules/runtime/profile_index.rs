//! Seccomp profiles among the scan inputs: OCI/Docker profile JSON files (a document with `defaultAction`) and
//! Security Profiles Operator `SeccompProfile` objects, looked up by a pod's `localhostProfile`.

use crate::model::{K8sObject, Model};
use crate::parse::{Node, Value};

/// Deepest nesting converted to JSON (profiles are a few levels deep; this only stops hostile input).
const MAX_DEPTH: usize = 64;

/// A profile file among the inputs.
pub struct ProfileFile<'a> {
    /// Path relative to the scan root.
    pub path: &'a str,
    /// The document root (for locations).
    pub root: &'a Node,
}

/// What a `localhostProfile` resolved to.
pub enum Resolved<'m, 'a> {
    /// A profile JSON file.
    File(&'m ProfileFile<'a>),
    /// An SPO object.
    Spo(&'m K8sObject<'a>),
}

/// The index, built once per scan by the rule.
pub struct ProfileIndex<'a> {
    files: Vec<ProfileFile<'a>>,
    spo: Vec<&'a K8sObject<'a>>,
}

impl<'a> ProfileIndex<'a> {
    /// Collects profile files and SPO objects.
    pub fn build(model: &'a Model<'a>) -> Self {
        let mut files = Vec::new();
        for f in model.files {
            for doc in &f.docs {
                if doc.root.get("defaultAction").is_some() {
                    files.push(ProfileFile {
                        path: &f.source.path,
                        root: &doc.root,
                    });
                }
            }
        }
        let spo = model
            .objects
            .iter()
            .filter(|o| {
                o.kind == "SeccompProfile" && o.group == "security-profiles-operator.x-k8s.io"
            })
            .collect();
        ProfileIndex { files, spo }
    }

    /// Resolves a `localhostProfile`: `operator/<ns>/<name>.json` (or `operator/<name>.json`) names an SPO
    /// object; anything else is matched against input paths ending with it. Among several files, the one below
    /// `root_hint` (the profile root without its leading `/`) wins, else the first in path order.
    pub fn resolve(&self, localhost_profile: &str, root_hint: &str) -> Option<Resolved<'_, 'a>> {
        if let Some(o) = self.find_spo(localhost_profile) {
            return Some(Resolved::Spo(o));
        }
        let wanted = localhost_profile.trim_start_matches("./");
        let matching: Vec<&ProfileFile<'a>> = self
            .files
            .iter()
            .filter(|p| p.path == wanted || p.path.ends_with(&format!("/{wanted}")))
            .collect();
        let under_root = format!("{}/{wanted}", root_hint.trim_matches('/'));
        matching
            .iter()
            .find(|p| p.path.ends_with(&under_root))
            .or_else(|| matching.first())
            .map(|p| Resolved::File(p))
    }

    fn find_spo(&self, localhost_profile: &str) -> Option<&'a K8sObject<'a>> {
        let rest = localhost_profile
            .strip_prefix("operator/")?
            .strip_suffix(".json")?;
        let (namespace, name) = match rest.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, rest),
        };
        self.spo.iter().copied().find(|o| {
            o.name == name
                && match (namespace, o.namespace.as_deref()) {
                    (Some(wanted), Some(actual)) => wanted == actual,
                    _ => true,
                }
        })
    }

    /// The SPO object named by a `baseProfileName` in the same namespace, if it is among the inputs.
    pub fn spo_base(&self, of: &K8sObject<'a>, base_name: &str) -> Option<&'a K8sObject<'a>> {
        self.spo
            .iter()
            .copied()
            .find(|o| o.name == base_name && o.namespace == of.namespace)
    }
}

/// Converts a parsed node to JSON for the seccomp analysis library; `None` past the depth bound.
pub fn to_json(node: &Node, depth: usize) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.to_string()),
        Value::Seq(items) => J::Array(
            items
                .iter()
                .map(|i| to_json(i, depth + 1))
                .collect::<Option<Vec<_>>>()?,
        ),
        Value::Map(entries) => {
            let mut map = serde_json::Map::new();
            for e in entries {
                map.insert(e.key.to_string(), to_json(&e.value, depth + 1)?);
            }
            J::Object(map)
        }
    })
}
