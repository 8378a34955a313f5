//! 4.6.1 static side: a CI workflow scheduled at least daily that runs Trivy or Grype, or an
//! ECR registry scanning configuration with `CONTINUOUS_SCAN`. Reads the file text line by
//! line (no YAML/HCL evaluation), so templated schedules are reported as inconclusive.

use crate::assessment::{Assessment, Outcome};
use std::path::Path;

/// Check id.
pub const CHECK: &str = "report-scan-schedule";

/// Words that show a vulnerability scanner runs in a workflow.
const SCANNER_MARKERS: &[&str] = &[
    "aquasecurity/trivy-action",
    "anchore/scan-action",
    "trivy image",
    "trivy rootfs",
    "trivy fs",
    "trivy vm",
    "trivy k8s",
    "grype ",
];

/// Whether a 5-field cron expression fires at least once every 24 h.
/// Day-of-month, month and day-of-week must be unrestricted (`*`); minute and hour may be anything.
pub fn cron_is_daily(expression: &str) -> Option<bool> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    if fields.len() != 5 {
        return None;
    }
    if fields.iter().any(|f| f.contains("${") || f.contains("{{")) {
        return None;
    }
    Some(fields[2] == "*" && fields[3] == "*" && (fields[4] == "*" || fields[4] == "?"))
}

/// Evaluates one CI workflow or Terraform file; returns nothing when the file has neither a
/// scanner nor an ECR scanning configuration (the file is then not a subject).
pub fn evaluate_scan_schedule(path: &Path, text: &str) -> Vec<Assessment> {
    let mut out = Vec::new();
    let subject = path.display().to_string();
    if text.contains("aws_ecr_registry_scanning_configuration") {
        let continuous = text.lines().position(|l| l.contains("CONTINUOUS_SCAN"));
        let (outcome, message, line) = match continuous {
            Some(i) => (
                Outcome::Pass,
                "ECR registry scanning uses CONTINUOUS_SCAN".to_string(),
                Some(i + 1),
            ),
            None => (
                Outcome::Fail,
                "ECR registry scanning configuration without CONTINUOUS_SCAN (scan on push only)"
                    .to_string(),
                None,
            ),
        };
        out.push(
            Assessment::new("4.6.1", CHECK, subject.clone(), outcome, message)
                .at(path, line.and_then(|l| u32::try_from(l).ok())),
        );
    }
    let lower = text.to_ascii_lowercase();
    if !SCANNER_MARKERS.iter().any(|m| lower.contains(m)) {
        return out;
    }
    let crons: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let rest = l.trim().trim_start_matches("- ").trim();
            let value = rest
                .strip_prefix("cron:")?
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            Some((i + 1, value.to_string()))
        })
        .collect();
    let line_of = |n: usize| u32::try_from(n).ok();
    let assessment = match crons.iter().find(|(_, c)| cron_is_daily(c) == Some(true)) {
        Some((line, cron)) => Assessment::new("4.6.1", CHECK, subject, Outcome::Pass, format!("scanner runs on schedule `{cron}` (at least daily)")).at(path, line_of(*line)),
        None => match crons.first() {
            Some((line, cron)) if cron_is_daily(cron).is_none() => {
                Assessment::new("4.6.1", CHECK, subject, Outcome::Inconclusive, format!("schedule `{cron}` is not a plain 5-field cron expression")).at(path, line_of(*line))
            }
            Some((line, cron)) => Assessment::new("4.6.1", CHECK, subject, Outcome::Fail, format!("scanner schedule `{cron}` does not fire every day")).at(path, line_of(*line)),
            None => Assessment::new("4.6.1", CHECK, subject, Outcome::Partial, "scanner runs only on pushes/pull requests, not on a daily schedule; running images and nodes are not rescanned").at(path, None),
        },
    };
    out.push(assessment);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_daily_detection() {
        assert_eq!(cron_is_daily("0 3 * * *"), Some(true));
        assert_eq!(cron_is_daily("*/30 * * * *"), Some(true));
        assert_eq!(cron_is_daily("0 3 * * 1-5"), Some(false));
        assert_eq!(cron_is_daily("0 3 1 * *"), Some(false));
        assert_eq!(cron_is_daily("@daily"), None);
    }

    #[test]
    fn workflow_with_weekly_trivy_fails() {
        let wf = "on:\n  schedule:\n    - cron: '0 4 * * 0'\njobs:\n  scan:\n    steps:\n      - uses: aquasecurity/trivy-action@0.28.0\n";
        let a = evaluate_scan_schedule(Path::new(".github/workflows/scan.yml"), wf);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].outcome, Outcome::Fail);
        assert_eq!(a[0].line, Some(3));
        let daily = wf.replace("0 4 * * 0", "0 4 * * *");
        assert_eq!(
            evaluate_scan_schedule(Path::new("w.yml"), &daily)[0].outcome,
            Outcome::Pass
        );
        assert!(evaluate_scan_schedule(Path::new("w.yml"), "on: push\n").is_empty());
    }
}
