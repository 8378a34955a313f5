//! 4.6.2: pass rate over the critical kube-bench controls ≥ 90 %, per report and per node type.
//! Critical = scored (CIS "Automated") checks whose type is neither `manual` nor `skip`;
//! optionally narrowed to CRITICAL/HIGH by a severity map for the same benchmark version,
//! or replaced by an explicit id list. Rate = PASS ÷ (PASS + FAIL + WARN); INFO is left out.

use crate::assessment::{Assessment, Outcome};
use crate::parse::kube_bench::{BenchCheck, BenchReport, BenchStatus};
use std::collections::BTreeMap;

/// Check id.
pub const CHECK: &str = "report-benchmark-pass-rate";

/// Control id → severity, for one benchmark version (e.g. trivy-checks `k8s-cis-1.23.yaml`).
#[derive(Debug, Clone, Default)]
pub struct SeverityMap {
    /// Benchmark version the ids belong to (`1.23`).
    pub version: String,
    /// Severity per control id.
    pub severities: BTreeMap<String, String>,
}

impl SeverityMap {
    /// Reads the compliance spec YAML line by line: `spec.version` and each control's
    /// `- id:` / `severity:` pair.
    pub fn parse_trivy_compliance(text: &str) -> SeverityMap {
        let mut map = SeverityMap::default();
        let mut item_indent: Option<usize> = None;
        let mut current: Option<String> = None;
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            let body = line.trim();
            if let Some(v) = body.strip_prefix("version:") {
                if map.version.is_empty() {
                    map.version = v.trim().trim_matches('"').to_string();
                }
            } else if let Some(id) = body.strip_prefix("- id:") {
                if item_indent.is_none() {
                    item_indent = Some(indent);
                }
                if item_indent == Some(indent) {
                    current = Some(id.trim().trim_matches('"').to_string());
                }
            } else if let (Some(sev), Some(id)) = (body.strip_prefix("severity:"), &current) {
                map.severities
                    .insert(id.clone(), sev.trim().to_ascii_uppercase());
            }
        }
        map
    }
}

/// Policy for the critical-control set.
#[derive(Debug, Clone)]
pub struct BenchPolicy {
    /// Required pass rate (0.90).
    pub threshold: f64,
    /// Optional severity refinement.
    pub severity_map: Option<SeverityMap>,
    /// Explicit critical ids; replaces the default set when given.
    pub explicit_ids: Option<Vec<String>>,
}

impl Default for BenchPolicy {
    fn default() -> Self {
        BenchPolicy {
            threshold: 0.90,
            severity_map: None,
            explicit_ids: None,
        }
    }
}

/// Normalises `cis-1.23` / `1.23` for comparison.
fn version_key(v: &str) -> &str {
    v.trim().trim_start_matches("cis-")
}

/// Whether a check belongs to the critical set under `policy`.
pub fn is_critical(check: &BenchCheck, policy: &BenchPolicy) -> bool {
    if let Some(ids) = &policy.explicit_ids {
        return ids.iter().any(|i| i == &check.id);
    }
    let automated = check.scored && check.check_type != "manual" && check.check_type != "skip";
    match &policy.severity_map {
        Some(map)
            if !check.benchmark.is_empty()
                && version_key(&map.version) == version_key(&check.benchmark) =>
        {
            automated
                && map
                    .severities
                    .get(&check.id)
                    .is_some_and(|s| s == "CRITICAL" || s == "HIGH")
        }
        _ => automated,
    }
}

/// Evaluates one kube-bench report; `subject` names the node or cluster it came from.
/// One assessment per node type present, each listing its failing critical controls.
pub fn evaluate_kube_bench(
    report: &BenchReport,
    subject: &str,
    policy: &BenchPolicy,
) -> Vec<Assessment> {
    let mut groups: BTreeMap<&str, Vec<&BenchCheck>> = BTreeMap::new();
    for check in report.checks.iter().filter(|c| is_critical(c, policy)) {
        groups
            .entry(check.node_type.as_str())
            .or_default()
            .push(check);
    }
    if groups.is_empty() {
        return vec![Assessment::new(
            "4.6.2",
            CHECK,
            subject,
            Outcome::Inconclusive,
            "no critical (scored, automated) controls in this kube-bench output",
        )
        .at(&report.path, None)];
    }
    groups
        .into_iter()
        .map(|(node_type, checks)| {
            let count = |s: BenchStatus| checks.iter().filter(|c| c.status == s).count();
            let (pass, fail, warn, info) = (count(BenchStatus::Pass), count(BenchStatus::Fail), count(BenchStatus::Warn), count(BenchStatus::Info));
            let denominator = pass + fail + warn;
            let not_passed: Vec<&str> = checks
                .iter()
                .filter(|c| matches!(c.status, BenchStatus::Fail | BenchStatus::Warn))
                .map(|c| c.id.as_str())
                .collect();
            let subject = format!("{subject} ({node_type})");
            if denominator == 0 {
                return Assessment::new("4.6.2", CHECK, subject, Outcome::Inconclusive, format!("only INFO results ({info}) among critical controls")).at(&report.path, None);
            }
            let rate = pass as f64 / denominator as f64;
            let outcome = if rate + 1e-9 >= policy.threshold { Outcome::Pass } else { Outcome::Fail };
            let listed = if not_passed.is_empty() { String::new() } else { format!("; not passed: {}", not_passed.join(", ")) };
            Assessment::new(
                "4.6.2",
                CHECK,
                subject,
                outcome,
                format!("{:.1}% of {denominator} critical controls pass ({pass} pass, {fail} fail, {warn} warn, {info} info excluded; bar {:.0}%){listed}", rate * 100.0, policy.threshold * 100.0),
            )
            .at(&report.path, None)
        })
        .collect()
}
