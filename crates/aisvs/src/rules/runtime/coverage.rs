//! Shared by the 4.1.4 rules: the union of what the runtime policies that select one workload detect or block,
//! and how to describe per-vector strength in a message.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::network::Labels;
use crate::model::runtime_policies::{Strength, Vector};
use crate::model::Model;

/// What the policies that select one workload do, vector by vector.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// Strongest handling per vector over every selecting policy.
    pub vectors: BTreeMap<Vector, Strength>,
    /// Indices of the selecting policies that hook at least one vector.
    pub policies: BTreeSet<usize>,
    /// Policies whose selector could not be understood.
    pub undecided: Vec<String>,
}

/// Unions the coverage of every runtime policy that applies to a pod with these labels in this namespace.
pub fn workload_coverage(model: &Model<'_>, namespace: &str, labels: &Labels) -> Coverage {
    let mut out = Coverage::default();
    for (i, p) in model.runtime.policies.iter().enumerate() {
        if p.coverage.is_empty() {
            continue;
        }
        match p.applies_to(namespace, labels) {
            Some(true) => {
                out.policies.insert(i);
                for (v, s) in &p.coverage {
                    let slot = out.vectors.entry(*v).or_insert(*s);
                    if *s > *slot {
                        *slot = *s;
                    }
                }
            }
            Some(false) => {}
            None => out.undecided.push(format!(
                "{} {}: {}",
                p.engine.name(),
                p.display(),
                p.pods.invalid.clone().unwrap_or_default()
            )),
        }
    }
    out
}

/// `blocked: a, b; detected only: c; not covered: d` for the vectors given.
pub fn describe(vectors: &BTreeMap<Vector, Option<Strength>>) -> String {
    let pick = |want: Option<Strength>| {
        vectors
            .iter()
            .filter(|(_, s)| **s == want)
            .map(|(v, _)| v.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    for (label, want) in [
        ("blocked", Some(Strength::Block)),
        ("detected only", Some(Strength::Detect)),
        ("not covered", None),
    ] {
        let list = pick(want);
        if !list.is_empty() {
            parts.push(format!("{label}: {list}"));
        }
    }
    parts.join("; ")
}
