//! Runs the static model scanner (`aisvs-modelscan`) over the read-only inputs before the
//! command, and condenses its reports for the record. `safe` overall only when at least one
//! model file was scanned and every one was rated safe.

use std::path::PathBuf;

use aisvs_modelscan::{scan_path, ScanOptions, Verdict};

use super::error::SandboxError;
use super::record::{ModelScanSummary, ScannedFile};

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Safe => "safe",
        Verdict::Unknown => "unknown",
        Verdict::Unsafe => "unsafe",
    }
}

/// Scans every input path; a path that cannot be opened is an error naming it.
pub fn scan_inputs(paths: &[PathBuf]) -> Result<ModelScanSummary, SandboxError> {
    let options = ScanOptions::default();
    let mut files = Vec::new();
    let mut worst = Verdict::Safe;
    for path in paths {
        let set = scan_path(path, &options).map_err(|e| SandboxError::ModelScan {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        worst = worst.max(set.worst());
        files.extend(set.files.into_iter().map(|report| {
            ScannedFile {
                path: report.path,
                verdict: verdict_name(report.verdict).to_string(),
                findings: report
                    .findings
                    .iter()
                    .map(|f| {
                        let kind = serde_json::to_value(f.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default();
                        format!("{kind}: {}", f.detail)
                    })
                    .collect(),
            }
        }));
    }
    let overall = if files.is_empty() {
        // Nothing scanned is not evidence of safety.
        "unknown"
    } else {
        verdict_name(worst)
    };
    Ok(ModelScanSummary {
        tool: "aisvs-modelscan".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        overall: overall.into(),
        files,
    })
}
