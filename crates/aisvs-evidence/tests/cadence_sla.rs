//! 4.6.1 cadence and 4.6.3 patch SLA over series derived from the stored Trivy report
//! (alpine 3.9 with two CRITICAL musl findings, fixed in 1.1.20-r5).

mod common;

use aisvs_evidence::{
    evaluate_patch_sla, evaluate_scan_cadence, parse_mitigations, parse_trivy, CadencePolicy,
    History, Outcome,
};
use common::{t, trivy_at, vector, with_misconfig};
use time::{Duration, OffsetDateTime};

const ALPINE: &str = "trivy/alpine-39-high-critical.json";
const IMAGE: &str = "ghcr.io/aquasecurity/trivy-test-images:alpine-39";
const CVE: &str = "CVE-2019-14697";

fn t0() -> OffsetDateTime {
    t("2026-03-01T06:00:00Z")
}

/// A history with one scan per offset (hours after T0); scans at or after `fixed_from` no longer contain the CVE.
fn history_with(dir: &std::path::Path, offsets: &[i64], fixed_from: Option<i64>) -> History {
    let mut history = History::open(&dir.join("h.sqlite")).expect("open");
    for &h in offsets {
        let keep: Option<&[&str]> = match fixed_from {
            Some(f) if h >= f => Some(&[]),
            _ => None,
        };
        let text = with_misconfig(&trivy_at(ALPINE, t0() + Duration::hours(h), keep));
        let report = parse_trivy(&vector(ALPINE), &text).expect("parse derived");
        history.ingest(&report).expect("ingest");
    }
    history
}

fn series(
    history: &History,
) -> Vec<(
    aisvs_evidence::ScanRecord,
    Vec<aisvs_evidence::StoredFinding>,
)> {
    history
        .scans()
        .expect("scans")
        .into_iter()
        .map(|s| {
            let f = history.findings_of(s.id).expect("findings");
            (s, f)
        })
        .collect()
}

#[test]
fn daily_scans_pass_and_a_gap_or_stale_scan_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history = history_with(dir.path(), &[0, 24, 48, 72, 96], None);
    let scans = history.scans().expect("scans");
    let inventory = vec![
        IMAGE.to_string(),
        "ghcr.io/other/never-scanned:1".to_string(),
    ];
    let policy = CadencePolicy::default();
    let result = evaluate_scan_cadence(&scans, &inventory, t0() + Duration::hours(100), &policy);
    assert_eq!(result[0].outcome, Outcome::Pass, "{}", result[0].message);
    assert_eq!(result[1].outcome, Outcome::Fail);
    assert!(result[1].message.contains("never scanned"));
    let stale = evaluate_scan_cadence(
        &scans,
        &inventory[..1],
        t0() + Duration::hours(130),
        &policy,
    );
    assert_eq!(stale[0].outcome, Outcome::Fail);
    assert!(
        stale[0].message.starts_with("stale"),
        "{}",
        stale[0].message
    );

    let gap_dir = tempfile::tempdir().expect("tempdir");
    let gapped = history_with(gap_dir.path(), &[0, 24, 60, 84], None);
    let result = evaluate_scan_cadence(
        &gapped.scans().expect("scans"),
        &inventory[..1],
        t0() + Duration::hours(90),
        &policy,
    );
    assert_eq!(result[0].outcome, Outcome::Fail);
    assert!(
        result[0].message.contains("longest 36h"),
        "{}",
        result[0].message
    );
}

#[test]
fn digest_reference_matches_and_future_scans_are_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history = history_with(dir.path(), &[0, 24], None);
    let scans = history.scans().expect("scans");
    let digest_ref = format!(
        "ghcr.io/aquasecurity/trivy-test-images@{}",
        "sha256:055936d3920576da37aa9bc460d70c5f212028bda1c08c0879aedf03d7a66ea1"
    );
    let result = evaluate_scan_cadence(
        &scans,
        &[digest_ref],
        t0() + Duration::hours(30),
        &CadencePolicy::default(),
    );
    assert_eq!(result[0].outcome, Outcome::Pass, "{}", result[0].message);
    // Evaluated before any scan happened: nothing counts.
    let early = evaluate_scan_cadence(
        &scans,
        &[IMAGE.to_string()],
        t0() - Duration::hours(1),
        &CadencePolicy::default(),
    );
    assert_eq!(early[0].outcome, Outcome::Fail);
}

#[test]
fn fixed_within_48h_passes_and_after_60h_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fast = history_with(dir.path(), &[0, 12, 24, 36, 48], Some(36));
    let result = evaluate_patch_sla(
        &series(&fast),
        &[],
        t0() + Duration::hours(50),
        Duration::hours(48),
    );
    let musl: Vec<_> = result.iter().filter(|a| a.subject.contains(CVE)).collect();
    assert_eq!(musl.len(), 2, "musl and musl-utils");
    assert!(musl.iter().all(|a| a.outcome == Outcome::Pass), "{musl:?}");

    let slow_dir = tempfile::tempdir().expect("tempdir");
    let slow = history_with(slow_dir.path(), &[0, 24, 48, 60], Some(60));
    let result = evaluate_patch_sla(
        &series(&slow),
        &[],
        t0() + Duration::hours(61),
        Duration::hours(48),
    );
    assert!(
        result
            .iter()
            .filter(|a| a.subject.contains(CVE))
            .all(|a| a.outcome == Outcome::Fail),
        "{result:?}"
    );
}

#[test]
fn open_finding_fails_with_its_age_unless_validly_mitigated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history = history_with(dir.path(), &[0, 24, 48, 72], None);
    let at = t0() + Duration::hours(73);
    let result = evaluate_patch_sla(&series(&history), &[], at, Duration::hours(48));
    let first = result
        .iter()
        .find(|a| a.subject.contains(CVE))
        .expect("finding assessed");
    assert_eq!(first.outcome, Outcome::Fail);
    assert!(
        first.message.contains("open for 3d 1h"),
        "{}",
        first.message
    );

    let ignore = format!("# musl fix pending upstream; port not exposed\n{CVE} exp:2026-06-01\n");
    let mitigations =
        parse_mitigations(std::path::Path::new(".trivyignore"), &ignore).expect("parse ignore");
    let result = evaluate_patch_sla(&series(&history), &mitigations, at, Duration::hours(48));
    assert!(result
        .iter()
        .filter(|a| a.subject.contains(CVE))
        .all(|a| a.outcome == Outcome::Pass));

    let expired = parse_mitigations(
        std::path::Path::new(".trivyignore"),
        &ignore.replace("2026-06-01", "2026-03-02"),
    )
    .expect("parse");
    let result = evaluate_patch_sla(&series(&history), &expired, at, Duration::hours(48));
    let a = result
        .iter()
        .find(|a| a.subject.contains(CVE))
        .expect("assessed");
    assert_eq!(a.outcome, Outcome::Fail);
    assert!(a.message.contains("has expired"), "{}", a.message);
}

#[test]
fn young_open_finding_is_within_window_and_unrescanned_one_is_inconclusive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history = history_with(dir.path(), &[0, 12], None);
    let young = evaluate_patch_sla(
        &series(&history),
        &[],
        t0() + Duration::hours(20),
        Duration::hours(48),
    );
    assert!(young
        .iter()
        .filter(|a| a.subject.contains(CVE))
        .all(|a| a.outcome == Outcome::Pass));
    let later = evaluate_patch_sla(
        &series(&history),
        &[],
        t0() + Duration::hours(100),
        Duration::hours(48),
    );
    assert!(
        later
            .iter()
            .filter(|a| a.subject.contains(CVE))
            .all(|a| a.outcome == Outcome::Inconclusive),
        "{later:?}"
    );
}

#[test]
fn another_tag_of_the_same_repository_does_not_resolve_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut history = history_with(dir.path(), &[0], None);
    let other = trivy_at("trivy/debian-buster.json", t0() + Duration::hours(12), None);
    let report = parse_trivy(&vector("trivy/debian-buster.json"), &other).expect("parse");
    assert_ne!(
        report.artifact.name,
        IMAGE.to_string(),
        "separate logical artifacts"
    );
    history.ingest(&report).expect("ingest");
    let result = evaluate_patch_sla(
        &series(&history),
        &[],
        t0() + Duration::hours(20),
        Duration::hours(48),
    );
    let musl = result
        .iter()
        .find(|a| a.subject.contains(CVE))
        .expect("assessed");
    assert!(musl.message.starts_with("open for"), "{}", musl.message);
}

#[test]
fn cve_only_scans_are_partial_for_4_6_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut history = History::open(&dir.path().join("h.sqlite")).expect("open");
    for h in [0, 24] {
        let text = trivy_at(ALPINE, t0() + Duration::hours(h), None);
        history
            .ingest(&parse_trivy(&vector(ALPINE), &text).expect("parse"))
            .expect("ingest");
    }
    let scans = history.scans().expect("scans");
    let result = evaluate_scan_cadence(
        &scans,
        &[IMAGE.to_string()],
        t0() + Duration::hours(30),
        &CadencePolicy::default(),
    );
    assert_eq!(result[0].outcome, Outcome::Partial, "{}", result[0].message);
    assert!(result[0].message.contains("CVE scans only"));
}
