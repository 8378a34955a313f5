//! 4.6.1 static side over real workflows from shared/corpus.

use aisvs_evidence::{evaluate_scan_schedule, Outcome};
use std::path::PathBuf;

fn corpus(relative: &str) -> (PathBuf, String) {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ))
    .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, text)
}

#[test]
fn weekly_trivy_schedule_fails_with_its_line() {
    let (path, text) = corpus("zero-to-jupyterhub-k8s/.github/workflows/vuln-scan.yaml");
    let result = evaluate_scan_schedule(&path, &text);
    assert_eq!(result.len(), 1);
    assert_eq!(result[0].outcome, Outcome::Fail, "{}", result[0].message);
    assert_eq!(result[0].line, Some(29));
    let daily = text.replace("0 5 * * 1", "0 5 * * *");
    assert_eq!(
        evaluate_scan_schedule(&path, &daily)[0].outcome,
        Outcome::Pass
    );
}

#[test]
fn trivy_without_schedule_is_partial() {
    let (path, text) = corpus("kubernetes-sigs-lws/.github/workflows/trivy.yaml");
    let result = evaluate_scan_schedule(&path, &text);
    assert_eq!(result.len(), 1);
    assert_eq!(result[0].outcome, Outcome::Partial, "{}", result[0].message);
}

#[test]
fn ecr_continuous_scan_passes_and_scan_on_push_fails() {
    let tf = "resource \"aws_ecr_registry_scanning_configuration\" \"this\" {\n  scan_type = \"ENHANCED\"\n  rule {\n    scan_frequency = \"CONTINUOUS_SCAN\"\n    repository_filter {\n      filter = \"*\"\n      filter_type = \"WILDCARD\"\n    }\n  }\n}\n";
    let path = PathBuf::from("ecr.tf");
    let result = evaluate_scan_schedule(&path, tf);
    assert_eq!(
        (result[0].outcome, result[0].line),
        (Outcome::Pass, Some(4))
    );
    let push = evaluate_scan_schedule(&path, &tf.replace("CONTINUOUS_SCAN", "SCAN_ON_PUSH"));
    assert_eq!(push[0].outcome, Outcome::Fail);
}
