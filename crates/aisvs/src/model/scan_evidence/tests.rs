//! Engine-level tests of scan evidence: the history is written only when reports are ingested, accumulates
//! across scans, survives a corrupted file as an inconclusive verdict, and `--at` parses both forms.

use std::path::{Path, PathBuf};

use crate::commands::scan::parse_at;
use crate::evidence::Outcome;
use crate::model::scan_evidence::HistoryChoice;
use crate::run::{scan_with, EvidenceRun, ScanOptions};

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: ml}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/example/api:1.4\n";

/// A minimal Trivy image report of the example image with no findings, dated `at`.
fn trivy(at: &str) -> String {
    format!(
        r#"{{"SchemaVersion":2,"CreatedAt":"{at}","ArtifactName":"ghcr.io/example/api:1.4","ArtifactType":"container_image","Metadata":{{"RepoTags":["ghcr.io/example/api:1.4"]}},"Results":[{{"Target":"api (alpine 3.19)","Class":"os-pkgs","Type":"alpine"}}]}}"#
    )
}

fn scan_dir(dir: &Path, at: &str, history: HistoryChoice) -> Vec<Box<crate::evidence::Evidence>> {
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        level: Some(3),
        config: None,
        today: time::macros::date!(2026 - 03 - 04),
    };
    let run = EvidenceRun {
        at: parse_at(at).expect("valid time"),
        history,
    };
    scan_with(&opts, &run).expect("scan runs").evidence
}

fn cadence(evidence: &[Box<crate::evidence::Evidence>]) -> Vec<(Outcome, String)> {
    evidence
        .iter()
        .filter(|e| e.rule == "report-scan-cadence")
        .map(|e| (e.outcome, e.message.clone()))
        .collect()
}

#[test]
fn no_report_means_no_history_file_and_no_evidence_items() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("api.yaml"), DEPLOYMENT).expect("write");
    let history = dir.path().join("h.sqlite");
    let ev = scan_dir(
        dir.path(),
        "2026-03-04T12:00:00Z",
        HistoryChoice::File(history.clone()),
    );
    assert!(!history.exists(), "history written without reports");
    let evidence_rules = ["report-", "host-", "supply-", "model-vetting", "model-gate"];
    assert!(
        !ev.iter()
            .any(|e| evidence_rules.iter().any(|p| e.rule.starts_with(p))),
        "evidence items without evidence files keep manual_review from applying"
    );
    let ev = scan_dir(dir.path(), "2026-03-04T12:00:00Z", HistoryChoice::Default);
    assert!(!dir.path().join(".aisvs").exists());
    assert!(cadence(&ev).is_empty());
}

#[test]
fn the_history_accumulates_a_daily_series_across_scans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history: PathBuf = dir.path().join("h.sqlite");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    std::fs::write(input.join("api.yaml"), DEPLOYMENT).expect("write");
    std::fs::write(input.join("trivy.json"), trivy("2026-03-01T06:00:00Z")).expect("write");
    let first = scan_dir(
        &input,
        "2026-03-01T12:00:00Z",
        HistoryChoice::File(history.clone()),
    );
    assert!(history.exists(), "reports were ingested into the history");
    assert_eq!(cadence(&first).len(), 1, "{:?}", cadence(&first));
    // The next day's CI run holds only its own report; yesterday's comes from the history.
    std::fs::write(input.join("trivy.json"), trivy("2026-03-02T06:00:00Z")).expect("write");
    let second = scan_dir(
        &input,
        "2026-03-02T12:00:00Z",
        HistoryChoice::File(history.clone()),
    );
    let c = cadence(&second);
    assert_eq!(c.len(), 1);
    assert!(c[0].1.contains("2 scan(s)"), "{c:?}");
    // Three days later with no new report the image is stale: a fail, dated by the reports, not the clock.
    let later = scan_dir(&input, "2026-03-05T12:00:00Z", HistoryChoice::File(history));
    let c = cadence(&later);
    assert_eq!(c[0].0, Outcome::Fail, "{c:?}");
}

#[test]
fn a_corrupted_history_is_inconclusive_and_the_scan_still_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("broken.sqlite");
    std::fs::write(
        &history,
        b"this is not a database, just bytes that look nothing like one",
    )
    .expect("write");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    std::fs::write(input.join("trivy.json"), trivy("2026-03-04T06:00:00Z")).expect("write");
    let ev = scan_dir(&input, "2026-03-04T12:00:00Z", HistoryChoice::File(history));
    let c = cadence(&ev);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].0, Outcome::Inconclusive);
    assert!(c[0].1.contains("history"), "{c:?}");
}

#[test]
fn at_accepts_a_date_or_rfc3339_and_nothing_else() {
    let day = parse_at("2026-03-04").expect("date");
    assert_eq!(day, time::macros::datetime!(2026-03-04 00:00 UTC));
    let t = parse_at("2026-03-04T12:30:00+02:00").expect("rfc3339");
    assert_eq!(t, time::macros::datetime!(2026-03-04 10:30 UTC));
    assert!(parse_at("yesterday").is_none());
    assert!(parse_at("2026-13-01").is_none());
}

#[test]
fn an_evidence_dir_outside_the_root_is_read_and_a_missing_one_is_a_config_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    let evidence = dir.path().join("evidence");
    std::fs::create_dir_all(&repo).expect("mkdir");
    std::fs::create_dir_all(&evidence).expect("mkdir");
    std::fs::write(repo.join("api.yaml"), DEPLOYMENT).expect("write");
    std::fs::write(
        repo.join("aisvs.toml"),
        "[evidence]\ndir = \"../evidence\"\n",
    )
    .expect("write");
    std::fs::write(evidence.join("trivy.json"), trivy("2026-03-04T06:00:00Z")).expect("write");
    let ev = scan_dir(&repo, "2026-03-04T12:00:00Z", HistoryChoice::InMemory);
    let c = cadence(&ev);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].0, Outcome::Partial, "CVE scan only: {c:?}");
    std::fs::write(
        repo.join("aisvs.toml"),
        "level = 3\n[evidence]\ndir = \"../nowhere\"\n",
    )
    .expect("write");
    let opts = ScanOptions {
        paths: vec![repo.clone()],
        level: None,
        config: None,
        today: time::macros::date!(2026 - 03 - 04),
    };
    let run = EvidenceRun {
        at: time::macros::datetime!(2026-03-04 12:00 UTC),
        history: HistoryChoice::InMemory,
    };
    let err = scan_with(&opts, &run)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("aisvs.toml:3:") && err.contains("not a directory"),
        "{err}"
    );
}

#[test]
fn truncated_or_corrupted_evidence_files_never_panic_the_scan() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let samples = [
        "report-patch-sla/fail-fixed-after-72h/cve-1.json",
        "report-benchmark-pass-rate/pass-all-scored-controls/kube-bench.json",
        "supply-signature-sbom/pass-bundle-by-expected-signer/bundle.sigstore.json",
        "model-vetting-record/pass-signed-offline-clean-exit/record.json",
        "model-gate-decision/pass-signed-promotion/decision.json",
        "host-os-hardening/pass-all-basic-checks/node-2.host.json",
    ];
    for sample in samples {
        let bytes = std::fs::read(fixtures.join(sample)).expect("fixture present");
        let name = Path::new(sample).file_name().expect("file name").to_owned();
        for variant in 0..6 {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut data = bytes.clone();
            match variant {
                0..=2 => data.truncate(bytes.len() * (variant + 1) / 4),
                _ => {
                    // Flip bytes at a few spread positions; the result may be invalid UTF-8 or JSON.
                    for k in 1..=variant {
                        let at = bytes.len() * k / (variant + 1);
                        if let Some(b) = data.get_mut(at) {
                            *b ^= 0x5a;
                        }
                    }
                }
            }
            std::fs::write(dir.path().join(&name), &data).expect("write");
            std::fs::write(
                dir.path().join("aisvs.toml"),
                "[evidence]\nvetting_keys = [\"k.pub\"]\nsource_repo = \"github.com/o/r\"\n",
            )
            .expect("write");
            let ev = scan_dir(dir.path(), "2026-03-04T12:00:00Z", HistoryChoice::InMemory);
            assert!(
                ev.iter()
                    .all(|e| e.outcome != Outcome::Pass || !e.rule.starts_with("model-")),
                "{sample} variant {variant}: a damaged record passed"
            );
        }
    }
}
