//! Text and JSON rendering of a [`Report`] for the CLI.

use crate::report::{CheckStatus, Report};
use std::fmt::Write as _;

/// Renders a report as human-readable text: one line per check with ✓ / ✗ / – and the reason.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", report.command, report.input);
    for check in &report.checks {
        let mark = match check.status {
            CheckStatus::Pass => "✓",
            CheckStatus::Fail => "✗",
            CheckStatus::Skipped => "–",
        };
        let _ = writeln!(out, "  {mark} {}: {}", check.name, check.detail);
    }
    for item in &report.evidence {
        let mark = match item.status {
            CheckStatus::Pass => "✓",
            CheckStatus::Fail => "✗",
            CheckStatus::Skipped => "–",
        };
        let _ = writeln!(out, "    {mark} {}: {}", item.name, item.detail);
    }
    for (key, value) in &report.facts {
        let _ = writeln!(out, "  · {key}: {value}");
    }
    if report.verified {
        let _ = writeln!(out, "VERIFIED");
    } else {
        let _ = writeln!(
            out,
            "NOT VERIFIED (failed: {})",
            report.failed_checks.join(", ")
        );
        let unevaluated: Vec<&String> = report
            .not_evaluated
            .iter()
            .filter(|n| !report.failed_checks.contains(n))
            .collect();
        if !unevaluated.is_empty() {
            let names: Vec<&str> = unevaluated.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(out, "  not evaluated: {}", names.join(", "));
        }
    }
    out
}

/// Renders a report as pretty JSON.
pub fn render_json(report: &Report) -> String {
    // Serialising plain strings, bools and maps cannot fail; fall back to a minimal object.
    serde_json::to_string_pretty(report)
        .unwrap_or_else(|_| format!("{{\"verified\": {}}}", report.verified))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_marks_each_check_and_the_verdict() {
        let mut report = Report::new("bundle", "b.json", vec![]);
        report.pass("signature", "ok");
        report.fail("identity", "expected a, got b");
        let text = render_text(&report.finish(&["signature"]));
        assert!(text.contains("✓ signature: ok"));
        assert!(text.contains("✗ identity: expected a, got b"));
        assert!(text.contains("NOT VERIFIED (failed: identity)"));
    }

    #[test]
    fn json_has_verified_and_checks() {
        let mut report = Report::new("bundle", "b.json", vec![]);
        report.pass("signature", "ok");
        let value: serde_json::Value =
            serde_json::from_str(&render_json(&report.finish(&["signature"]))).expect("json");
        assert_eq!(value["verified"], true);
        assert_eq!(value["checks"][0]["status"], "pass");
    }
}
