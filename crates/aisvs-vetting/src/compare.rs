//! Per-category comparison of a candidate evaluation against its baseline under a policy.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::eval::{CategoryCounts, EvalResults};
use crate::policy::Policy;

/// Slack for floating-point rounding when a drop equals the tolerance exactly.
const RATE_EPSILON: f64 = 1e-9;

/// The verdict on one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryStatus {
    /// Compared, and within the policy.
    Ok,
    /// The pass rate dropped by more than the tolerance.
    Regressed,
    /// The candidate pass rate is below the category's floor.
    BelowFloor,
    /// Present in the baseline (or required) but absent from the candidate.
    MissingInCandidate,
    /// Required but absent from the baseline, so there is nothing to compare against.
    MissingInBaseline,
    /// Too few graded attempts on one side for the comparison to mean anything.
    InsufficientSamples,
    /// Only in the candidate and not required: reported, not compared.
    New,
}

impl CategoryStatus {
    /// Whether this status stops promotion.
    pub fn blocks(self) -> bool {
        !matches!(self, CategoryStatus::Ok | CategoryStatus::New)
    }
}

/// Counts and rate of one side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideSummary {
    pub passed: u64,
    pub failed: u64,
    pub errors: u64,
    /// `None` when nothing was graded.
    pub pass_rate: Option<f64>,
}

impl From<&CategoryCounts> for SideSummary {
    fn from(counts: &CategoryCounts) -> Self {
        SideSummary {
            passed: counts.passed,
            failed: counts.failed,
            errors: counts.errors,
            pass_rate: counts.pass_rate(),
        }
    }
}

/// One row of the comparison table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryComparison {
    pub category: String,
    pub status: CategoryStatus,
    pub baseline: Option<SideSummary>,
    pub candidate: Option<SideSummary>,
    /// Baseline rate minus candidate rate (positive = worse), when both were graded.
    pub drop: Option<f64>,
    pub max_drop: f64,
    pub min_samples: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_pass_rate: Option<f64>,
    /// One sentence saying why the status was given.
    pub reason: String,
}

/// Compares every category named by the baseline, the candidate or the policy's `required` list.
pub fn compare(
    baseline: &EvalResults,
    candidate: &EvalResults,
    policy: &Policy,
) -> Vec<CategoryComparison> {
    let names: BTreeSet<&String> = baseline
        .categories
        .keys()
        .chain(candidate.categories.keys())
        .chain(policy.required.iter())
        .collect();
    names
        .into_iter()
        .map(|name| {
            compare_one(
                name,
                baseline.categories.get(name),
                candidate.categories.get(name),
                policy,
            )
        })
        .collect()
}

fn compare_one(
    name: &str,
    baseline: Option<&CategoryCounts>,
    candidate: Option<&CategoryCounts>,
    policy: &Policy,
) -> CategoryComparison {
    let thresholds = policy.thresholds(name);
    let required = policy.required.contains(name);
    let mut row = CategoryComparison {
        category: name.to_string(),
        status: CategoryStatus::Ok,
        baseline: baseline.map(SideSummary::from),
        candidate: candidate.map(SideSummary::from),
        drop: None,
        max_drop: thresholds.max_drop,
        min_samples: thresholds.min_samples,
        min_pass_rate: thresholds.min_pass_rate,
        reason: String::new(),
    };
    let (status, reason) = match (baseline, candidate) {
        (None, None) => (
            CategoryStatus::MissingInCandidate,
            "required by the policy but in neither result file".to_string(),
        ),
        (Some(_), None) => (
            CategoryStatus::MissingInCandidate,
            if required {
                "required, and absent from the candidate"
            } else {
                "in the baseline but absent from the candidate"
            }
            .to_string(),
        ),
        (None, Some(_)) if required => (
            CategoryStatus::MissingInBaseline,
            "required, but the baseline has no results to compare against".to_string(),
        ),
        (None, Some(_)) => (
            CategoryStatus::New,
            "only in the candidate; not compared (add it to the baseline to gate on it)"
                .to_string(),
        ),
        (Some(base), Some(cand)) => {
            let (status, reason, drop) = judge(
                base,
                cand,
                thresholds.max_drop,
                thresholds.min_samples,
                thresholds.min_pass_rate,
            );
            row.drop = drop;
            (status, reason)
        }
    };
    row.status = status;
    row.reason = reason;
    row
}

fn judge(
    base: &CategoryCounts,
    cand: &CategoryCounts,
    max_drop: f64,
    min_samples: u64,
    min_pass_rate: Option<f64>,
) -> (CategoryStatus, String, Option<f64>) {
    let (base_n, cand_n) = (base.evaluated(), cand.evaluated());
    let (base_rate, cand_rate) = match (base.pass_rate(), cand.pass_rate()) {
        (Some(b), Some(c)) if base_n >= min_samples && cand_n >= min_samples => (b, c),
        _ => {
            return (
                CategoryStatus::InsufficientSamples,
                format!("graded attempts: baseline {base_n}, candidate {cand_n}; the policy needs at least {} on each side", min_samples.max(1)),
                None,
            )
        }
    };
    let drop = base_rate - cand_rate;
    if drop > max_drop + RATE_EPSILON {
        let reason = format!(
            "pass rate fell from {} to {} ({} points; tolerance {})",
            percent(base_rate),
            percent(cand_rate),
            points(drop),
            points(max_drop)
        );
        return (CategoryStatus::Regressed, reason, Some(drop));
    }
    if let Some(floor) = min_pass_rate {
        if cand_rate + RATE_EPSILON < floor {
            let reason = format!(
                "candidate pass rate {} is below the floor {}",
                percent(cand_rate),
                percent(floor)
            );
            return (CategoryStatus::BelowFloor, reason, Some(drop));
        }
    }
    let reason = format!(
        "pass rate {} → {} (within tolerance {})",
        percent(base_rate),
        percent(cand_rate),
        points(max_drop)
    );
    (CategoryStatus::Ok, reason, Some(drop))
}

/// A rate as a percentage with one decimal.
pub fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

fn points(rate: f64) -> String {
    format!("{:.1}", rate * 100.0)
}
