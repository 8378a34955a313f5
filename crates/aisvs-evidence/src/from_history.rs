//! One call for the engine and `aisvs evidence status`: 4.6.1 and 4.6.3 evaluated from a
//! history file at a point in time.

use crate::assessment::{Assessment, Diagnostic};
use crate::error::Result;
use crate::history::History;
use crate::mitigation::Mitigation;
use crate::rules::patch_sla_463::evaluate_patch_sla;
use crate::rules::scan_cadence_461::{evaluate_scan_cadence, CadencePolicy};
use crate::timestamp::format_time;
use time::{Duration, OffsetDateTime};

/// What the history-based evaluation returns.
#[derive(Debug, Clone, Default)]
pub struct HistoryEvaluation {
    /// 4.6.1 cadence per inventoried artifact, then 4.6.3 per finding episode.
    pub assessments: Vec<Assessment>,
    /// Scans dated after `at` (ignored) and similar remarks.
    pub diagnostics: Vec<Diagnostic>,
}

/// Evaluates 4.6.1 over `inventory` (image references used by workloads, then host names; when
/// empty, every artifact in the history) and 4.6.3 over every stored finding, at `at`.
pub fn evaluate_history(
    history: &History,
    inventory: &[String],
    mitigations: &[Mitigation],
    at: OffsetDateTime,
    cadence: &CadencePolicy,
    sla: Duration,
) -> Result<HistoryEvaluation> {
    let scans = history.scans()?;
    let mut diagnostics = Vec::new();
    for scan in scans.iter().filter(|s| s.scanned_at > at) {
        diagnostics.push(Diagnostic::warning(
            &scan.source_path,
            format!(
                "scan of {} at {} is after the evaluation time {}; ignored",
                scan.artifact,
                format_time(scan.scanned_at),
                format_time(at)
            ),
        ));
    }
    let inventory: Vec<String> = if inventory.is_empty() {
        let mut all: Vec<String> = scans.iter().map(|s| s.artifact.clone()).collect();
        all.sort();
        all.dedup();
        all
    } else {
        inventory.to_vec()
    };
    let mut assessments = evaluate_scan_cadence(&scans, &inventory, at, cadence);
    if inventory.is_empty() {
        assessments.push(Assessment::new(
            "4.6.1",
            crate::rules::scan_cadence_461::CHECK,
            "scan history",
            crate::assessment::Outcome::Inconclusive,
            format!(
                "no scans recorded in {} and no artifacts named; nothing to evaluate",
                history.path().display()
            ),
        ));
    }
    let mut series = Vec::with_capacity(scans.len());
    for scan in scans {
        let findings = history.findings_of(scan.id)?;
        series.push((scan, findings));
    }
    assessments.extend(evaluate_patch_sla(&series, mitigations, at, sla));
    Ok(HistoryEvaluation {
        assessments,
        diagnostics,
    })
}
