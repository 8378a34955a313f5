//! kube-bench text output (`[PASS] 1.1.1 … (Automated)` lines and `== Summary <target> ==`).
//! "Automated"/"Scored" in the description marks a scored check, as in CIS.

use super::kube_bench::{BenchCheck, BenchReport, BenchStatus};
use crate::error::{EvidenceError, Result};
use std::path::Path;

/// Parses the text report; checks before a `== Summary X ==` line get node type X.
pub fn parse_kube_bench_text(path: &Path, text: &str) -> Result<BenchReport> {
    let mut checks: Vec<BenchCheck> = Vec::new();
    let mut unassigned_from = 0usize;
    for line in text.lines() {
        let line = line.trim();
        if let Some(target) = line
            .strip_prefix("== Summary ")
            .and_then(|rest| rest.strip_suffix(" =="))
        {
            if target != "total" {
                for check in &mut checks[unassigned_from..] {
                    check.node_type = target.to_string();
                }
                unassigned_from = checks.len();
            }
            continue;
        }
        let Some(rest) = line.strip_prefix('[') else {
            continue;
        };
        let Some((label, rest)) = rest.split_once("] ") else {
            continue;
        };
        let Some(status) = BenchStatus::from_label(label) else {
            continue;
        };
        let Some((id, description)) = rest.split_once(' ') else {
            continue;
        };
        // Group headers (`[INFO] 1.1 Master Node Configuration Files`) carry no scoring marker.
        let scored = description.ends_with("(Automated)") || description.ends_with("(Scored)");
        let manual = description.ends_with("(Manual)") || description.ends_with("(Not Scored)");
        if !scored && !manual {
            continue;
        }
        checks.push(BenchCheck {
            id: id.to_string(),
            description: description.to_string(),
            status,
            scored,
            check_type: if manual {
                "manual".into()
            } else {
                String::new()
            },
            node_type: "unknown".into(),
            benchmark: String::new(),
        });
    }
    if checks.is_empty() {
        return Err(EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            message: "no kube-bench check lines (`[PASS] 1.1.1 …`) found".into(),
        });
    }
    Ok(BenchReport {
        path: path.to_path_buf(),
        checks,
        declared_at: None,
        diagnostics: Vec::new(),
    })
}
