//! The neutral result type every evaluation returns; the `aisvs scan` engine adapts it to its own Evidence.

use serde::Serialize;
use std::path::PathBuf;

/// How one subject fared against one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The evidence shows the requirement is met for this subject.
    Pass,
    /// The evidence shows the requirement is not met.
    Fail,
    /// A control is present but weaker than the requirement asks.
    Partial,
    /// The evidence does not allow a decision; the message says why.
    Inconclusive,
}

impl Outcome {
    /// Lower-case label used in text output.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Partial => "partial",
            Outcome::Inconclusive => "inconclusive",
        }
    }
}

/// One evaluated subject for one AISVS requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Requirement id, e.g. "4.6.1".
    pub requirement: &'static str,
    /// Stable check id, e.g. "report-scan-cadence".
    pub check: &'static str,
    /// What was examined: an image, a host, a finding, a secret, a user.
    pub subject: String,
    /// The verdict for this subject.
    pub outcome: Outcome,
    /// One sentence explaining the outcome (secrets redacted).
    pub message: String,
    /// File the evidence came from, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// 1-based line in `path`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Assessment {
    /// Creates an assessment without a location.
    pub fn new(
        requirement: &'static str,
        check: &'static str,
        subject: impl Into<String>,
        outcome: Outcome,
        message: impl Into<String>,
    ) -> Self {
        Assessment {
            requirement,
            check,
            subject: subject.into(),
            outcome,
            message: message.into(),
            path: None,
            line: None,
        }
    }

    /// Attaches a file location.
    pub fn at(mut self, path: impl Into<PathBuf>, line: Option<u32>) -> Self {
        self.path = Some(path.into());
        self.line = line;
        self
    }
}

/// A non-fatal remark about an input (schema drift, duplicate, clock skew).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// File the remark is about.
    pub path: PathBuf,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// `warning` or `error`.
    pub severity: &'static str,
    /// What happened, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A warning about `path`.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            severity: "warning",
            message: message.into(),
        }
    }
}
