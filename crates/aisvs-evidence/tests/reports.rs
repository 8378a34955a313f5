//! Parsing the stored real Trivy, Grype and kube-bench reports: recognition by content,
//! artifact identity, score selection and the lenient handling of drift.

mod common;

use aisvs_evidence::{parse_grype, parse_trivy, sniff, ArtifactKind, ReportKind};
use common::{vector, vector_text};

#[test]
fn every_stored_report_is_recognised_by_content() {
    let expected = [
        ("trivy/alpine-310.json", Some(ReportKind::Trivy)),
        ("trivy/debian-buster.json", Some(ReportKind::Trivy)),
        (
            "trivy/amazonlinux2-gp2-x86-vm.json",
            Some(ReportKind::Trivy),
        ),
        ("trivy/dockerfile.json", Some(ReportKind::Trivy)),
        ("trivy/alpine-310.sarif.json", None),
        ("grype/keycloak-test.json", Some(ReportKind::Grype)),
        ("grype/TestEmptyJsonPresenter.json", Some(ReportKind::Grype)),
        ("kube-bench/result.json", Some(ReportKind::KubeBenchJson)),
        (
            "kube-bench/result_no_totals.json",
            Some(ReportKind::KubeBenchJson),
        ),
        (
            "kube-bench/controlsCollection.json",
            Some(ReportKind::KubeBenchJson),
        ),
        (
            "kube-bench/Expected_output.data",
            Some(ReportKind::KubeBenchText),
        ),
        ("kube-bench/cfg-cis-1.12-node.yaml", None),
    ];
    for (file, kind) in expected {
        assert_eq!(sniff(&vector(file), &vector_text(file)), kind, "{file}");
    }
}

#[test]
fn debian_scores_follow_the_selection_order_and_flag_disagreements() {
    let file = "trivy/debian-buster.json";
    let report = parse_trivy(&vector(file), &vector_text(file)).expect("parse");
    assert_eq!(report.artifact.kind, ArtifactKind::Image);
    assert!(report.scanned_at.is_some());
    let bash = report
        .findings
        .iter()
        .find(|f| f.vuln_id == "CVE-2019-18276")
        .expect("bash finding");
    assert_eq!(bash.score.score, Some(7.8));
    assert_eq!(bash.score.rule, "nvd v3");
    assert_eq!(bash.fixed, None);
    assert!(bash
        .score
        .disagreement
        .as_deref()
        .is_some_and(|d| d.contains("label LOW")));
    let idn = report
        .findings
        .iter()
        .find(|f| f.vuln_id == "CVE-2019-18224")
        .expect("libidn finding");
    assert_eq!(idn.score.score, Some(9.8));
    assert!(idn
        .score
        .disagreement
        .as_deref()
        .is_some_and(|d| d.contains("redhat v3 5.6")));
}

#[test]
fn vm_report_is_a_host_scan_and_label_medium_is_high_by_score() {
    let file = "trivy/amazonlinux2-gp2-x86-vm.json";
    let report = parse_trivy(&vector(file), &vector_text(file)).expect("parse");
    assert_eq!(report.artifact.kind, ArtifactKind::Host);
    assert_eq!(report.artifact.name, "disk.img");
    let f = &report.findings[0];
    assert_eq!((f.severity.as_str(), f.score.score), ("MEDIUM", Some(7.5)));
    assert!(f.score.is_high());
}

#[test]
fn image_identity_uses_repository_tag_and_digests() {
    let file = "trivy/alpine-39-high-critical.json";
    let report = parse_trivy(&vector(file), &vector_text(file)).expect("parse");
    assert_eq!(
        report.artifact.name,
        "ghcr.io/aquasecurity/trivy-test-images:alpine-39"
    );
    assert!(report
        .artifact
        .aliases
        .iter()
        .any(|a| a == "ghcr.io/aquasecurity/trivy-test-images:alpine-39"));
    assert_eq!(
        report.findings.iter().filter(|f| f.score.is_high()).count(),
        2
    );
}

#[test]
fn grype_reports_parse_with_related_scores_and_empty_scans() {
    let ghsa = parse_grype(
        &vector("grype/ghsa-test.json"),
        &vector_text("grype/ghsa-test.json"),
    )
    .expect("parse");
    let g = ghsa
        .findings
        .iter()
        .find(|f| f.vuln_id == "GHSA-cfh5-3ghh-wfjx")
        .expect("ghsa match");
    assert_eq!(
        g.score.score,
        Some(5.8),
        "only the related NVD v2 score exists"
    );
    assert_eq!(g.fixed.as_deref(), Some("4.3.5"));
    let keycloak = parse_grype(
        &vector("grype/keycloak-test.json"),
        &vector_text("grype/keycloak-test.json"),
    )
    .expect("parse");
    assert_eq!(keycloak.scanner_version, "0.66.0");
    assert_eq!(
        keycloak.scanned_at.map(|t| t.unix_timestamp()),
        Some(1_693_570_422)
    );
    assert_eq!(keycloak.artifact.name, "keycloak/keycloak:21.0.2");
    let empty = parse_grype(
        &vector("grype/TestEmptyJsonPresenter.json"),
        &vector_text("grype/TestEmptyJsonPresenter.json"),
    )
    .expect("parse");
    assert!(empty.findings.is_empty() && empty.covers_vulnerabilities);
    assert_eq!(
        empty.scanned_at, None,
        "an empty timestamp is absent, not the epoch"
    );
}

#[test]
fn schema_drift_is_a_diagnostic_and_garbage_is_an_error() {
    let drifted = vector_text("trivy/alpine-310.json").replacen(
        "\"SchemaVersion\": 2",
        "\"SchemaVersion\": 3",
        1,
    );
    let report = parse_trivy(&vector("trivy/alpine-310.json"), &drifted).expect("lenient parse");
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.message.contains("SchemaVersion 3")));
    assert!(!report.findings.is_empty());
    let err = parse_trivy(
        std::path::Path::new("bad.json"),
        "{\n  \"SchemaVersion\": 2,\n  oops\n}",
    )
    .expect_err("invalid JSON");
    let message = err.to_string();
    assert!(message.starts_with("bad.json:3:"), "{message}");
    assert!(parse_grype(std::path::Path::new("x.json"), "{\"source\":{}}").is_err());
}
