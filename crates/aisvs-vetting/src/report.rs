//! Human-readable summary of a decision, printed by `aisvs gate` on stdout.

use std::fmt::Write as _;

use crate::compare::{percent, CategoryComparison, CategoryStatus, SideSummary};
use crate::decision::{DecisionRecord, Outcome};
use crate::redact::redact_text;

/// Renders the decision as a table plus reasons and warnings.
pub fn render_text(record: &DecisionRecord) -> String {
    let mut out = String::new();
    let verdict = match record.decision {
        Outcome::Promote => "PROMOTE",
        Outcome::Block => "BLOCK",
    };
    let _ = writeln!(out, "aisvs gate: {verdict} (AISVS {})", record.requirement);
    let _ = writeln!(
        out,
        "baseline:  {} [{}{}]",
        record.baseline.path,
        record.baseline.tool,
        digest_note(record.baseline.model_digest.as_deref())
    );
    let _ = writeln!(
        out,
        "candidate: {} [{}{}]",
        record.candidate.path,
        record.candidate.tool,
        digest_note(record.candidate.model_digest.as_deref())
    );
    let _ = writeln!(out);
    let width = record
        .categories
        .iter()
        .map(|c| c.category.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 40);
    let _ = writeln!(
        out,
        "{:<width$}  {:>16}  {:>16}  {:>6}  status",
        "category", "baseline", "candidate", "change"
    );
    for row in &record.categories {
        let _ = writeln!(out, "{}", table_row(row, width));
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "sandbox: {}", sandbox_line(record));
    if !record.reasons.is_empty() {
        let _ = writeln!(out, "blocked because:");
        for reason in &record.reasons {
            let _ = writeln!(out, "  - {}", redact_text(reason));
        }
    }
    if !record.warnings.is_empty() {
        let _ = writeln!(out, "warnings:");
        for warning in &record.warnings {
            let _ = writeln!(out, "  - {}", redact_text(warning));
        }
    }
    out
}

fn table_row(row: &CategoryComparison, width: usize) -> String {
    // Shown as the change in percentage points (negative = worse), which reads better than a "drop".
    let drop = row
        .drop
        .map(|d| change_points(-d))
        .unwrap_or_else(|| "-".into());
    let name: String = row.category.chars().take(width).collect();
    format!(
        "{name:<width$}  {:>16}  {:>16}  {drop:>6}  {}",
        side(row.baseline.as_ref()),
        side(row.candidate.as_ref()),
        status_word(row.status)
    )
}

fn change_points(change: f64) -> String {
    let points = change * 100.0;
    if points.abs() < 0.05 {
        "0.0".to_string()
    } else {
        format!("{points:+.1}")
    }
}

fn side(summary: Option<&SideSummary>) -> String {
    match summary {
        None => "absent".to_string(),
        Some(s) => match s.pass_rate {
            Some(rate) => format!("{} n={}", percent(rate), s.passed + s.failed),
            None => "ungraded n=0".to_string(),
        },
    }
}

fn status_word(status: CategoryStatus) -> &'static str {
    match status {
        CategoryStatus::Ok => "ok",
        CategoryStatus::Regressed => "REGRESSED",
        CategoryStatus::BelowFloor => "BELOW FLOOR",
        CategoryStatus::MissingInCandidate => "MISSING",
        CategoryStatus::MissingInBaseline => "NO BASELINE",
        CategoryStatus::InsufficientSamples => "TOO FEW SAMPLES",
        CategoryStatus::New => "new (not compared)",
    }
}

fn digest_note(digest: Option<&str>) -> String {
    match digest {
        Some(d) => format!(", model {}", short_digest(d)),
        None => ", model digest unknown".to_string(),
    }
}

fn short_digest(digest: &str) -> String {
    digest.chars().take(7 + 12).collect::<String>() + "…"
}

fn sandbox_line(record: &DecisionRecord) -> String {
    let evidence = &record.sandbox_record;
    let Some(path) = &evidence.path else {
        return "no record given".to_string();
    };
    if evidence.accepted() {
        let key = evidence.key_id.as_deref().unwrap_or("?");
        return format!(
            "{path} verified (key {}…), no network, exit 0, model digest matched",
            key.chars().take(12).collect::<String>()
        );
    }
    format!(
        "{path} NOT accepted ({} problem(s), listed below)",
        evidence.problems.len()
    )
}
