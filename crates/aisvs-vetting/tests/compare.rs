//! The per-category comparison rules, one case per status.

use aisvs_vetting::compare::{compare, CategoryStatus};
use aisvs_vetting::eval::{EvalResults, SourceFormat};
use aisvs_vetting::policy::{CategoryPolicy, Policy};

fn results(rows: &[(&str, u64, u64)]) -> EvalResults {
    let mut results = EvalResults::new(SourceFormat::Neutral, "t");
    for (name, passed, failed) in rows {
        results.record(name, *passed, *failed, 0, "");
    }
    results
}

fn status_of(rows: &[aisvs_vetting::compare::CategoryComparison], name: &str) -> CategoryStatus {
    rows.iter()
        .find(|r| r.category == name)
        .map(|r| r.status)
        .expect("category row")
}

#[test]
fn exact_tolerance_passes_and_one_more_failure_blocks() {
    let base = results(&[("jailbreak", 90, 10)]);
    let policy = Policy {
        max_drop: 0.02,
        ..Policy::default()
    };
    let at_limit = compare(&base, &results(&[("jailbreak", 88, 12)]), &policy);
    assert_eq!(status_of(&at_limit, "jailbreak"), CategoryStatus::Ok);
    let over = compare(&base, &results(&[("jailbreak", 87, 13)]), &policy);
    assert_eq!(status_of(&over, "jailbreak"), CategoryStatus::Regressed);
}

#[test]
fn improvements_pass_with_zero_tolerance() {
    let rows = compare(
        &results(&[("x", 5, 5)]),
        &results(&[("x", 9, 1)]),
        &Policy::default(),
    );
    assert_eq!(status_of(&rows, "x"), CategoryStatus::Ok);
    assert!(rows[0].drop.unwrap() < 0.0);
}

#[test]
fn missing_new_and_required_categories() {
    let mut policy = Policy::default();
    policy.required.insert("required-only-in-candidate".into());
    policy.required.insert("required-nowhere".into());
    let base = results(&[("dropped", 10, 0)]);
    let cand = results(&[("required-only-in-candidate", 10, 0), ("brand-new", 3, 3)]);
    let rows = compare(&base, &cand, &policy);
    assert_eq!(
        status_of(&rows, "dropped"),
        CategoryStatus::MissingInCandidate
    );
    assert_eq!(
        status_of(&rows, "required-only-in-candidate"),
        CategoryStatus::MissingInBaseline
    );
    assert_eq!(
        status_of(&rows, "required-nowhere"),
        CategoryStatus::MissingInCandidate
    );
    assert_eq!(status_of(&rows, "brand-new"), CategoryStatus::New);
    assert!(!CategoryStatus::New.blocks());
}

#[test]
fn too_few_samples_block_even_without_a_drop() {
    let policy = Policy {
        min_samples: 30,
        ..Policy::default()
    };
    let rows = compare(
        &results(&[("x", 100, 0)]),
        &results(&[("x", 20, 0)]),
        &policy,
    );
    assert_eq!(status_of(&rows, "x"), CategoryStatus::InsufficientSamples);
    // A category whose attempts all errored has nothing graded, whatever the minimum.
    let mut errored = EvalResults::new(SourceFormat::Neutral, "t");
    errored.record("x", 0, 0, 12, "");
    let rows = compare(&results(&[("x", 1, 0)]), &errored, &Policy::default());
    assert_eq!(status_of(&rows, "x"), CategoryStatus::InsufficientSamples);
}

#[test]
fn floor_blocks_a_low_candidate_even_when_baseline_was_as_low() {
    let mut policy = Policy::default();
    policy.categories.insert(
        "x".into(),
        CategoryPolicy {
            min_pass_rate: Some(0.9),
            ..CategoryPolicy::default()
        },
    );
    let rows = compare(
        &results(&[("x", 80, 20)]),
        &results(&[("x", 80, 20)]),
        &policy,
    );
    assert_eq!(status_of(&rows, "x"), CategoryStatus::BelowFloor);
}
