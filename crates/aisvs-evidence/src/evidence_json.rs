//! Reading back the evidence JSON that `aisvs host --output` and `aisvs evidence status
//! --format json` write, so `aisvs scan` can take a node's results collected elsewhere.

use crate::assessment::{Assessment, Outcome};
use crate::error::{EvidenceError, Result};
use crate::parse::{array_of, str_of};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every (requirement, check) pair this crate produces; anything else in a file is refused.
const KNOWN: &[(&str, &str)] = &[
    ("4.4.1", crate::secrets::rotation_441::CHECK),
    ("4.4.4", crate::host::evaluate::MFA_CHECK),
    ("4.4.4", crate::host::evaluate::SERVICE_CHECK),
    ("4.6.1", crate::rules::scan_cadence_461::CHECK),
    ("4.6.1", crate::rules::scan_schedule_461::CHECK),
    ("4.6.2", crate::rules::kube_bench_462::CHECK),
    ("4.6.2", crate::host::os_basics::CHECK),
    ("4.6.3", crate::rules::patch_sla_463::CHECK),
];

/// Whether a JSON value is an evidence document of ours.
pub fn looks_like_evidence_document(value: &Value) -> bool {
    value.get("evidence_schema").is_some() && value.get("assessments").is_some_and(Value::is_array)
}

/// Parses an evidence document; an unknown schema version, requirement/check pair or outcome
/// is an error naming the file and the entry index.
pub fn parse_evidence_document(path: &Path, text: &str) -> Result<Vec<Assessment>> {
    let root: Value = serde_json::from_str(text).map_err(|e| EvidenceError::json(path, &e))?;
    let bad = |message: String| EvidenceError::Malformed {
        path: path.to_path_buf(),
        line: 0,
        message,
    };
    match root.get("evidence_schema").and_then(Value::as_u64) {
        Some(1) => {}
        other => {
            return Err(bad(format!(
                "unsupported evidence_schema {other:?} (this tool reads 1)"
            )))
        }
    }
    let mut out = Vec::new();
    for (index, entry) in array_of(&root, "assessments").iter().enumerate() {
        let requirement = str_of(entry, "requirement").unwrap_or("");
        let check = str_of(entry, "check").unwrap_or("");
        let Some(&(requirement, check)) =
            KNOWN.iter().find(|(r, c)| *r == requirement && *c == check)
        else {
            return Err(bad(format!(
                "assessments[{index}]: unknown requirement/check {requirement:?}/{check:?}"
            )));
        };
        let outcome = match str_of(entry, "outcome") {
            Some("pass") => Outcome::Pass,
            Some("fail") => Outcome::Fail,
            Some("partial") => Outcome::Partial,
            Some("inconclusive") => Outcome::Inconclusive,
            other => {
                return Err(bad(format!(
                    "assessments[{index}]: unknown outcome {other:?}"
                )))
            }
        };
        let mut assessment = Assessment::new(
            requirement,
            check,
            str_of(entry, "subject").unwrap_or(""),
            outcome,
            str_of(entry, "message").unwrap_or(""),
        );
        assessment.path = str_of(entry, "path").map(PathBuf::from);
        assessment.line = entry
            .get("line")
            .and_then(Value::as_u64)
            .and_then(|l| u32::try_from(l).ok());
        out.push(assessment);
    }
    Ok(out)
}
