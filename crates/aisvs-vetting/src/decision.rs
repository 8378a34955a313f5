//! The promotion decision record: what was compared, under which policy, with which sandbox
//! evidence, and the outcome. Written as JSON; optionally wrapped in a signed DSSE envelope.

use serde::{Deserialize, Serialize};

use crate::compare::CategoryComparison;
use crate::policy::Policy;
use crate::sandbox_check::SandboxEvidence;

/// `format` marker of a decision record.
pub const DECISION_FORMAT: &str = "aisvs-gate-decision";
/// The only record version this build writes and reads.
pub const DECISION_VERSION: u32 = 1;
/// The AISVS requirement a decision record is evidence for.
pub const REQUIREMENT_ID: &str = "4.5.2";

/// The outcome of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Promote,
    Block,
}

/// One result file as the decision saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputRef {
    pub path: String,
    /// `sha256:<hex>` of the file bytes, so the record pins exactly what was compared.
    pub sha256: String,
    pub format: String,
    pub tool: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// The model digest, and where it came from (`file` or `command line`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_digest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_digest_source: Option<String>,
}

/// The policy as applied (defaults filled in) and the file it came from, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub effective: Policy,
}

/// The tool that made the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeciderInfo {
    pub name: String,
    pub version: String,
}

/// The decision record (the payload that gets signed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    pub format: String,
    pub version: u32,
    pub requirement: String,
    pub decision: Outcome,
    /// One sentence per reason the gate blocked; empty when it promoted.
    pub reasons: Vec<String>,
    /// RFC 3339 UTC time of the decision.
    pub decided_at: String,
    pub tool: DeciderInfo,
    pub policy: PolicyRef,
    pub baseline: InputRef,
    pub candidate: InputRef,
    pub sandbox_record: SandboxEvidence,
    pub categories: Vec<CategoryComparison>,
    /// Notes that did not change the outcome (an unfinished run, a category only in the candidate).
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl DecisionRecord {
    /// The record as pretty JSON (what `--record` writes when not signing).
    pub fn to_json(&self) -> String {
        // Plain structs with string keys and finite floats always serialise.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Why this record is self-contradictory, if it is: a `promote` must have no reasons, no
    /// blocking category and accepted sandbox evidence; a `block` must say why.
    pub fn inconsistency(&self) -> Option<String> {
        let blocking = self.categories.iter().filter(|c| c.status.blocks()).count();
        match self.decision {
            Outcome::Promote if !self.reasons.is_empty() => {
                Some("says promote but lists reasons to block".into())
            }
            Outcome::Promote if blocking > 0 => {
                Some(format!("says promote but {blocking} categories block"))
            }
            Outcome::Promote if !self.sandbox_record.accepted() => {
                Some("says promote without accepted sandbox evidence".into())
            }
            Outcome::Promote if self.categories.is_empty() => {
                Some("says promote but compared no category".into())
            }
            Outcome::Block if self.reasons.is_empty() => {
                Some("says block but gives no reason".into())
            }
            _ => None,
        }
    }
}

/// The decision time, RFC 3339 in UTC, seconds precision.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let truncated = now.replace_nanosecond(0).unwrap_or(now);
    truncated
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "unknown".to_string())
}
