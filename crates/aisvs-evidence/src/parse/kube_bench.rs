//! kube-bench JSON in all its shapes: `{Controls, Totals}`, a bare array of Controls
//! (`--nototals`), one Controls object, or several objects concatenated (one per target).

use super::{array_of, str_of};
use crate::assessment::Diagnostic;
use crate::error::{EvidenceError, Result};
use crate::timestamp::parse_time;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Status of one benchmark check as kube-bench reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum BenchStatus {
    Pass,
    Fail,
    Warn,
    Info,
}

impl BenchStatus {
    /// Parses `PASS|FAIL|WARN|INFO` (case-insensitive).
    pub fn from_label(label: &str) -> Option<BenchStatus> {
        match label.to_ascii_uppercase().as_str() {
            "PASS" => Some(BenchStatus::Pass),
            "FAIL" => Some(BenchStatus::Fail),
            "WARN" => Some(BenchStatus::Warn),
            "INFO" => Some(BenchStatus::Info),
            _ => None,
        }
    }
}

/// One check (`results[]` entry, or one `[STATUS] id text` line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenchCheck {
    /// `test_number`, e.g. `4.2.1`.
    pub id: String,
    /// `test_desc`.
    pub description: String,
    /// Outcome reported by kube-bench.
    pub status: BenchStatus,
    /// CIS "Automated" (`scored: true`).
    pub scored: bool,
    /// `type`: empty, `manual` or `skip`.
    pub check_type: String,
    /// `node_type` of the enclosing Controls (master, node, etcd, controlplane, policies).
    pub node_type: String,
    /// Benchmark version of the enclosing Controls (`cis-1.12` style or `1.5`).
    pub benchmark: String,
}

/// All checks of one kube-bench output file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// File read.
    pub path: PathBuf,
    /// Every check found.
    pub checks: Vec<BenchCheck>,
    /// Time declared in the file (kube-bench itself writes none).
    #[serde(with = "time::serde::rfc3339::option")]
    pub declared_at: Option<OffsetDateTime>,
    /// Non-fatal remarks.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses kube-bench JSON output.
pub fn parse_kube_bench_json(path: &Path, text: &str) -> Result<BenchReport> {
    let mut checks = Vec::new();
    let mut declared_at = None;
    let mut diagnostics = Vec::new();
    let mut documents = 0usize;
    for document in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let document = document.map_err(|e| EvidenceError::json(path, &e))?;
        documents += 1;
        if declared_at.is_none() {
            declared_at = ["generated_at", "timestamp", "CreatedAt"]
                .iter()
                .find_map(|k| str_of(&document, k).and_then(parse_time));
        }
        let controls: Vec<&Value> = match &document {
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) if map.contains_key("Controls") => {
                array_of(&document, "Controls").iter().collect()
            }
            Value::Object(map) if map.contains_key("tests") => vec![&document],
            _ => {
                diagnostics.push(Diagnostic::warning(
                    path,
                    format!("kube-bench document {documents} has no Controls; skipped"),
                ));
                Vec::new()
            }
        };
        for control in controls {
            collect_control(control, &mut checks);
        }
    }
    if documents == 0 {
        return Err(EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            message: "empty kube-bench output".into(),
        });
    }
    Ok(BenchReport {
        path: path.to_path_buf(),
        checks,
        declared_at,
        diagnostics,
    })
}

/// Adds the checks of one Controls object.
fn collect_control(control: &Value, checks: &mut Vec<BenchCheck>) {
    let node_type = str_of(control, "node_type")
        .unwrap_or("unknown")
        .to_string();
    let benchmark = str_of(control, "detected_version")
        .or_else(|| str_of(control, "version"))
        .unwrap_or("")
        .to_string();
    for group in array_of(control, "tests") {
        for result in array_of(group, "results") {
            let Some(id) = str_of(result, "test_number") else {
                continue;
            };
            let Some(status) = str_of(result, "status").and_then(BenchStatus::from_label) else {
                continue;
            };
            checks.push(BenchCheck {
                id: id.to_string(),
                description: str_of(result, "test_desc").unwrap_or("").to_string(),
                status,
                scored: result
                    .get("scored")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                check_type: str_of(result, "type").unwrap_or("").to_string(),
                node_type: node_type.clone(),
                benchmark: benchmark.clone(),
            });
        }
    }
}
