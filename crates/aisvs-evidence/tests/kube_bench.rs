//! 4.6.2 over the stored kube-bench outputs: every JSON shape, the text report, the critical
//! set (scored, automated) and the severity-map refinement.

mod common;

use aisvs_evidence::{
    evaluate_kube_bench, parse_kube_bench_json, parse_kube_bench_text, BenchPolicy, BenchStatus,
    Outcome, SeverityMap,
};
use common::{vector, vector_text};

#[test]
fn all_json_shapes_yield_the_same_checks() {
    let with_totals = parse_kube_bench_json(
        &vector("kube-bench/result.json"),
        &vector_text("kube-bench/result.json"),
    )
    .expect("object shape");
    let array = parse_kube_bench_json(
        &vector("kube-bench/result_no_totals.json"),
        &vector_text("kube-bench/result_no_totals.json"),
    )
    .expect("array shape");
    assert_eq!(with_totals.checks, array.checks);
    // Concatenated objects, one per target, as older versions printed them.
    let controls: serde_json::Value =
        serde_json::from_str(&vector_text("kube-bench/result_no_totals.json")).expect("json");
    let concatenated: String = controls
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c.to_string() + "\n")
        .collect();
    let stream = parse_kube_bench_json(std::path::Path::new("stream.json"), &concatenated)
        .expect("stream shape");
    assert_eq!(stream.checks, array.checks);
    assert_eq!(stream.checks.len(), 3);
}

#[test]
fn text_report_rate_is_computed_over_scored_checks_and_fails_below_90() {
    let text = vector_text("kube-bench/Expected_output.data");
    let report = parse_kube_bench_text(&vector("kube-bench/Expected_output.data"), &text)
        .expect("text report");
    // Independent count straight from the lines.
    let automated = |status: &str| {
        text.lines()
            .filter(|l| l.starts_with(status) && l.ends_with("(Automated)"))
            .count()
    };
    let (pass, fail, warn) = (
        automated("[PASS]"),
        automated("[FAIL]"),
        automated("[WARN]"),
    );
    let counted = report.checks.iter().filter(|c| c.scored).count();
    assert_eq!(counted, pass + fail + warn + automated("[INFO]"));
    let results = evaluate_kube_bench(&report, "kind", &BenchPolicy::default());
    let node_types: Vec<&str> = results.iter().map(|a| a.subject.as_str()).collect();
    assert!(
        node_types.contains(&"kind (master)") && node_types.contains(&"kind (node)"),
        "{node_types:?}"
    );
    let master = results
        .iter()
        .find(|a| a.subject == "kind (master)")
        .expect("master");
    assert_eq!(master.outcome, Outcome::Fail);
    assert!(
        master.message.contains("1.1.12"),
        "failing control listed: {}",
        master.message
    );
    let total_pass: usize = report
        .checks
        .iter()
        .filter(|c| c.scored && c.status == BenchStatus::Pass)
        .count();
    assert_eq!(total_pass, pass);
}

#[test]
fn passing_collection_passes_and_explicit_ids_narrow_the_set() {
    let report = parse_kube_bench_json(
        &vector("kube-bench/passedControlsCollection.json"),
        &vector_text("kube-bench/passedControlsCollection.json"),
    )
    .expect("parse");
    let results = evaluate_kube_bench(&report, "cluster", &BenchPolicy::default());
    assert!(
        results.iter().all(|a| a.outcome == Outcome::Pass),
        "{results:?}"
    );
    let text = vector_text("kube-bench/Expected_output.data");
    let full =
        parse_kube_bench_text(&vector("kube-bench/Expected_output.data"), &text).expect("text");
    let only_passing = BenchPolicy {
        explicit_ids: Some(vec!["1.1.1".into(), "1.1.2".into()]),
        ..BenchPolicy::default()
    };
    let narrowed = evaluate_kube_bench(&full, "kind", &only_passing);
    assert_eq!(narrowed.len(), 1);
    assert_eq!(narrowed[0].outcome, Outcome::Pass);
}

#[test]
fn severity_map_applies_only_to_its_benchmark_version() {
    let map = SeverityMap::parse_trivy_compliance(&vector_text("trivy-checks/k8s-cis-1.23.yaml"));
    assert_eq!(map.version, "1.23");
    assert_eq!(
        map.severities.get("1.1.1").map(String::as_str),
        Some("HIGH")
    );
    let high_or_critical = map
        .severities
        .values()
        .filter(|s| *s == "CRITICAL" || *s == "HIGH")
        .count();
    assert_eq!(high_or_critical, 69, "19 CRITICAL + 50 HIGH per SOURCES.md");
    let mut report = parse_kube_bench_json(
        &vector("kube-bench/result.json"),
        &vector_text("kube-bench/result.json"),
    )
    .expect("parse");
    let policy = BenchPolicy {
        severity_map: Some(map),
        ..BenchPolicy::default()
    };
    let unchanged = evaluate_kube_bench(&report, "c", &policy);
    assert_eq!(
        unchanged,
        evaluate_kube_bench(&report, "c", &BenchPolicy::default()),
        "1.5 report: map for 1.23 is not applied"
    );
    for c in &mut report.checks {
        c.benchmark = "cis-1.23".into();
    }
    let mapped = evaluate_kube_bench(&report, "c", &policy);
    assert!(mapped
        .iter()
        .any(|a| a.message.contains("critical controls")));
}
