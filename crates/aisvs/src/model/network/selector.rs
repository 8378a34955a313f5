//! Label selectors: Kubernetes `matchLabels`/`matchExpressions` (also used by Cilium) and the subset of the
//! Calico selector language seen in practice (`all()`, `k == 'v'`, `k != 'v'`, `has(k)`, `!has(k)`,
//! `k in {…}`, `k not in {…}`, joined by `&&`). Anything else makes the selector *unknown*, never a guess.

use std::collections::BTreeMap;

use crate::parse::Node;

/// Labels of a pod or namespace.
pub type Labels = BTreeMap<String, String>;

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `key == value`.
    Equals(String, String),
    /// `key != value` (absent keys match, as in Calico).
    NotEquals(String, String),
    /// `key in (values)`.
    In(String, Vec<String>),
    /// `key notin (values)` (absent keys match).
    NotIn(String, Vec<String>),
    /// The key is present.
    Exists(String),
    /// The key is absent.
    DoesNotExist(String),
}

/// A parsed selector; `invalid` carries the reason when it could not be understood.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// All must hold.
    pub requirements: Vec<Requirement>,
    /// Why the selector could not be understood (bad operator, template, unsupported Calico syntax).
    pub invalid: Option<String>,
}

impl Selector {
    /// Selects everything.
    pub fn all() -> Self {
        Selector::default()
    }

    /// True when it selects everything (and was understood).
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty() && self.invalid.is_none()
    }

    /// Whether the labels match; `None` when the selector could not be understood.
    pub fn matches(&self, labels: &Labels) -> Option<bool> {
        if self.invalid.is_some() {
            return None;
        }
        Some(self.requirements.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|l| vs.contains(l)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.contains(l)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }))
    }

    /// A Kubernetes `LabelSelector` node (absent = everything).
    pub fn from_k8s(node: Option<&Node>) -> Self {
        let Some(node) = node else {
            return Selector::all();
        };
        if node.is_templated() {
            return invalid("the selector is a template expression");
        }
        if !node.is_map() && !node.is_empty() {
            return invalid("the selector is not a mapping");
        }
        let mut sel = Selector::all();
        for e in node.get("matchLabels").map(Node::entries).unwrap_or(&[]) {
            match e.value.scalar_text() {
                Some(v) if !v.contains("{{") => sel
                    .requirements
                    .push(Requirement::Equals(e.key.to_string(), v)),
                _ => return invalid(&format!("matchLabels `{}` has no plain value", e.key)),
            }
        }
        for expr in node.get("matchExpressions").map(Node::items).unwrap_or(&[]) {
            let key = expr
                .get("key")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            let op = expr
                .get("operator")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            let values: Vec<String> = expr
                .get("values")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(Node::scalar_text)
                .collect();
            let req = match op.as_str() {
                "In" if !values.is_empty() => Requirement::In(key, values),
                "NotIn" if !values.is_empty() => Requirement::NotIn(key, values),
                "Exists" => Requirement::Exists(key),
                "DoesNotExist" => Requirement::DoesNotExist(key),
                "In" | "NotIn" => return invalid(&format!("operator `{op}` needs values")),
                other => return invalid(&format!("unknown matchExpressions operator `{other}`")),
            };
            sel.requirements.push(req);
        }
        sel
    }

    /// A Calico selector expression (absent or empty = everything).
    pub fn from_calico(expr: Option<&str>) -> Self {
        let Some(expr) = expr.map(str::trim) else {
            return Selector::all();
        };
        if expr.is_empty() || expr == "all()" {
            return Selector::all();
        }
        if expr.contains("||") || expr.contains('(') && !expr.contains("has(") {
            return invalid(&format!(
                "Calico selector `{expr}` uses syntax this tool does not evaluate"
            ));
        }
        let mut sel = Selector::all();
        for part in expr.split("&&").map(str::trim) {
            match calico_term(part) {
                Some(r) => sel.requirements.push(r),
                None if part == "all()" => {}
                None => {
                    return invalid(&format!("Calico selector term `{part}` is not understood"))
                }
            }
        }
        sel
    }
}

fn invalid(reason: &str) -> Selector {
    Selector {
        requirements: Vec::new(),
        invalid: Some(reason.to_string()),
    }
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(|c| c == '\'' || c == '"').to_string()
}

fn calico_term(t: &str) -> Option<Requirement> {
    if let Some(k) = t.strip_prefix("!has(").and_then(|r| r.strip_suffix(')')) {
        return Some(Requirement::DoesNotExist(k.trim().to_string()));
    }
    if let Some(k) = t.strip_prefix("has(").and_then(|r| r.strip_suffix(')')) {
        return Some(Requirement::Exists(k.trim().to_string()));
    }
    if let Some((k, v)) = t.split_once("==") {
        return Some(Requirement::Equals(k.trim().to_string(), unquote(v)));
    }
    if let Some((k, v)) = t.split_once("!=") {
        return Some(Requirement::NotEquals(k.trim().to_string(), unquote(v)));
    }
    let set = |s: &str| -> Option<Vec<String>> {
        let inner = s.trim().strip_prefix('{')?.strip_suffix('}')?;
        Some(
            inner
                .split(',')
                .map(unquote)
                .filter(|v| !v.is_empty())
                .collect(),
        )
    };
    if let Some((k, v)) = t.split_once(" not in ") {
        return Some(Requirement::NotIn(k.trim().to_string(), set(v)?));
    }
    if let Some((k, v)) = t.split_once(" in ") {
        return Some(Requirement::In(k.trim().to_string(), set(v)?));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn calico_terms() {
        let s = Selector::from_calico(Some("app == 'vllm' && has(tier) && env not in {'dev'}"));
        assert_eq!(
            s.matches(&labels(&[("app", "vllm"), ("tier", "x")])),
            Some(true)
        );
        assert_eq!(
            s.matches(&labels(&[("app", "vllm"), ("tier", "x"), ("env", "dev")])),
            Some(false)
        );
        assert!(Selector::from_calico(Some("all()")).is_empty());
        assert_eq!(
            Selector::from_calico(Some("a == 'b' || c == 'd'")).matches(&labels(&[])),
            None
        );
    }

    #[test]
    fn empty_selector_matches_everything() {
        assert_eq!(Selector::all().matches(&labels(&[])), Some(true));
        assert!(Selector::from_k8s(None).is_empty());
    }
}
