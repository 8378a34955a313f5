//! eBPF / LSM runtime policies (4.1.4): Tetragon tracing policies, KubeArmor policies, Falco rules and Falco
//! Talon responses, each reduced to the privilege-escalation vectors it detects or blocks and the workloads it
//! can apply to. Built once; the runtime rules read it.

pub mod falco;
pub mod kubearmor;
pub mod talon;
pub mod tetragon;
pub mod vectors;

use std::collections::BTreeMap;

use crate::parse::{Node, Route};
use crate::source::FileId;

use super::network::{Labels, Selector};
use super::Model;
pub use vectors::{Vector, ALL_VECTORS};

/// Which engine a policy belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Engine {
    /// Cilium Tetragon.
    Tetragon,
    /// KubeArmor.
    KubeArmor,
    /// Falco (detection) and Falco Talon (response).
    Falco,
}

impl Engine {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Tetragon => "Tetragon",
            Engine::KubeArmor => "KubeArmor",
            Engine::Falco => "Falco",
        }
    }
}

/// How strongly a policy handles a vector; blocking implies detecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Emits an event (or audits) but lets the operation happen.
    Detect,
    /// Prevents the operation or kills the process / pod.
    Block,
}

/// Which namespaces a policy applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceScope {
    /// Every namespace (cluster-scoped policies, node-wide Falco rules).
    All,
    /// Only these.
    Only(Vec<String>),
    /// Every namespace except these.
    AllExcept(Vec<String>),
}

impl NamespaceScope {
    /// Whether a namespace is in scope.
    pub fn includes(&self, namespace: &str) -> bool {
        match self {
            NamespaceScope::All => true,
            NamespaceScope::Only(list) => list.iter().any(|n| n == namespace),
            NamespaceScope::AllExcept(list) => !list.iter().any(|n| n == namespace),
        }
    }
}

/// One runtime policy (or one Falco rule, or one Talon response to a Falco rule) reduced to what 4.1.4 needs.
#[derive(Debug)]
pub struct RuntimePolicy<'a> {
    /// Engine.
    pub engine: Engine,
    /// Kind as written (`TracingPolicy`, `KubeArmorPolicy`, `FalcoRule`, `TalonRule`).
    pub kind: String,
    /// Name of the object or rule.
    pub name: String,
    /// Namespace of namespaced objects.
    pub namespace: Option<String>,
    /// File it came from.
    pub file: FileId,
    /// The node that defines it.
    pub node: &'a Node,
    /// Route of that node.
    pub route: Route,
    /// Namespaces it applies to.
    pub namespaces: NamespaceScope,
    /// Pods it applies to within those namespaces.
    pub pods: Selector,
    /// Per vector: the strongest handling.
    pub coverage: BTreeMap<Vector, Strength>,
    /// Observations that explain a downgrade (monitor mode, narrowed selectors, missing enforcer …).
    pub notes: Vec<String>,
    /// For Talon entries: the Falco rule the response answers.
    pub answers: Option<String>,
}

impl RuntimePolicy<'_> {
    /// Records a vector, keeping the strongest handling seen.
    pub fn cover(&mut self, vector: Vector, strength: Strength) {
        let entry = self.coverage.entry(vector).or_insert(strength);
        if strength > *entry {
            *entry = strength;
        }
    }

    /// Whether the policy applies to a pod in a namespace; `None` when its selector could not be understood.
    pub fn applies_to(&self, namespace: &str, pod_labels: &Labels) -> Option<bool> {
        if !self.namespaces.includes(namespace) {
            return Some(false);
        }
        self.pods.matches(pod_labels)
    }

    /// Display name: `Engine Kind name`.
    pub fn display(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{}/{}/{}", ns, self.kind, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }
}

/// Every runtime policy among the inputs.
#[derive(Debug, Default)]
pub struct RuntimeModel<'a> {
    /// The policies, in input order.
    pub policies: Vec<RuntimePolicy<'a>>,
    /// Number of runtime-policy inputs seen (objects and rules files), whether or not they cover a vector.
    pub inputs_seen: usize,
}

impl<'a> RuntimeModel<'a> {
    /// Builds the runtime-policy model from the Kubernetes objects and the YAML rules files.
    pub fn build(model: &Model<'a>) -> Self {
        let mut out = RuntimeModel::default();
        for object in &model.objects {
            if object.group == "cilium.io" {
                if let Some(policy) = tetragon::from_object(object) {
                    out.inputs_seen += 1;
                    out.policies.push(policy);
                }
            } else if object.group == "security.kubearmor.com" {
                if let Some(policy) = kubearmor::from_object(model, object) {
                    out.inputs_seen += 1;
                    out.policies.push(policy);
                }
            }
        }
        let falco = falco::from_files(model.files);
        out.inputs_seen += falco.files_seen;
        out.policies.extend(falco.policies);
        out
    }
}

/// A policy with nothing recorded yet.
pub fn empty_policy<'a>(
    engine: Engine,
    kind: &str,
    name: String,
    file: FileId,
    node: &'a Node,
    route: Route,
) -> RuntimePolicy<'a> {
    RuntimePolicy {
        engine,
        kind: kind.to_string(),
        name,
        namespace: None,
        file,
        node,
        route,
        namespaces: NamespaceScope::All,
        pods: Selector::all(),
        coverage: BTreeMap::new(),
        notes: Vec::new(),
        answers: None,
    }
}
