//! Core result types: what a rule examined (subject), what it concluded (outcome) and where (location).

use serde::Serialize;

use crate::parse::{Node, Route};
use crate::source::{FileId, Span};

/// How serious a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Direct path to compromise or escape.
    High,
    /// Weakens a control materially.
    Medium,
    /// Hardening gap.
    Low,
    /// For information.
    Info,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

/// A place in the inputs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Byte range (with its file).
    pub span: Span,
    /// Route inside the document (empty for non-tree files).
    pub route: String,
}

impl Location {
    /// The location of a node with its route.
    pub fn node(node: &Node, route: &Route) -> Self {
        Location {
            span: node.span,
            route: route.to_string(),
        }
    }
    /// A whole line range of a text file (for Dockerfiles, scripts …).
    pub fn bytes(file: FileId, start: usize, end: usize, route: impl Into<String>) -> Self {
        Location {
            span: Span::new(file, start, end),
            route: route.into(),
        }
    }
}

/// What was examined and gets counted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Subject {
    /// The object's own kind (`Deployment`, `RayCluster`, `aws_launch_template`, `Dockerfile`, `workflow`, `Namespace`).
    pub kind: String,
    /// Namespace, where that means something.
    pub namespace: Option<String>,
    /// Object name.
    pub name: String,
    /// Container name, for container subjects.
    pub container: Option<String>,
    /// Human display name (`ml/Deployment/vllm/container:server`).
    pub display: String,
}

/// What a rule concluded about one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Meets the requirement.
    Pass,
    /// Does not.
    Fail,
    /// The control is there but weaker than the requirement asks.
    Partial,
    /// Cannot tell from the inputs.
    Inconclusive,
}

/// How a failure was suppressed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Suppression {
    /// `inline`, `annotation` or `waiver`.
    pub kind: String,
    /// The reason given.
    pub reason: String,
}

/// One rule's conclusion about one subject.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Rule id.
    pub rule: &'static str,
    /// Requirement ids this evidence speaks to.
    pub requirements: &'static [&'static str],
    /// What was examined.
    pub subject: Subject,
    /// The conclusion.
    pub outcome: Outcome,
    /// Why (for failures, the finding message).
    pub message: String,
    /// Severity (from the rule, overridable by config).
    pub severity: Severity,
    /// Primary location.
    pub location: Option<Location>,
    /// Related locations with a note each.
    pub related: Vec<(Location, String)>,
    /// How to fix it.
    pub remediation: &'static str,
    /// Set when a failure was suppressed.
    pub suppressed: Option<Suppression>,
    /// The location holds a secret: renderers never print its source text (messages carry a redacted form).
    pub sensitive: bool,
}
