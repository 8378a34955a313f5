//! Helpers shared by the integration tests: paths of the stored real reports and series
//! derived from them by rewriting timestamps and dropping vulnerabilities.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A stored vector under shared/vectors/reports.
pub fn vector(relative: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors/reports"
    ))
    .join(relative)
}

/// Reads a stored vector as text.
pub fn vector_text(relative: &str) -> String {
    std::fs::read_to_string(vector(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Parses an RFC 3339 test time.
pub fn t(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A Trivy report derived from a stored one: new `CreatedAt`, and only the vulnerabilities
/// whose id is in `keep` (all when `None`).
pub fn trivy_at(relative: &str, created_at: OffsetDateTime, keep: Option<&[&str]>) -> String {
    let mut doc: Value = serde_json::from_str(&vector_text(relative)).unwrap_or(Value::Null);
    doc["CreatedAt"] = Value::String(created_at.format(&Rfc3339).unwrap_or_default());
    if let (Some(keep), Some(results)) =
        (keep, doc.get_mut("Results").and_then(Value::as_array_mut))
    {
        for result in results {
            if let Some(vulns) = result
                .get_mut("Vulnerabilities")
                .and_then(Value::as_array_mut)
            {
                vulns.retain(|v| {
                    v["VulnerabilityID"]
                        .as_str()
                        .is_some_and(|id| keep.contains(&id))
                });
            }
        }
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Writes `text` into `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

/// Adds a misconfiguration result (`Class: config`, as `trivy image --scanners vuln,misconfig`
/// writes it) to a derived Trivy report, so it covers both kinds of scan.
pub fn with_misconfig(report: &str) -> String {
    let mut doc: Value = serde_json::from_str(report).unwrap_or(Value::Null);
    if let Some(results) = doc.get_mut("Results").and_then(Value::as_array_mut) {
        results.push(serde_json::json!({"Target": "Dockerfile", "Class": "config", "Type": "dockerfile", "MisconfSummary": {"Successes": 20, "Failures": 0}}));
    }
    serde_json::to_string(&doc).unwrap_or_default()
}
