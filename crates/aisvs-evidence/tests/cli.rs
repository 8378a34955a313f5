//! The `aisvs evidence` and `aisvs host` command surfaces through clap, with exit codes.

mod common;

use aisvs_evidence::cli::{run, EvidenceCommand};
use aisvs_evidence::host_cli::{self, HostArgs};
use clap::Parser;
use common::{t, trivy_at, vector, write};
use time::Duration;

#[derive(Parser)]
struct Evidence {
    #[command(subcommand)]
    cmd: EvidenceCommand,
}

#[derive(Parser)]
struct Host {
    #[command(flatten)]
    args: HostArgs,
}

fn evidence(args: &[&str]) -> i32 {
    let parsed = Evidence::try_parse_from(std::iter::once("evidence").chain(args.iter().copied()))
        .expect("arguments parse");
    run(parsed.cmd)
}

#[test]
fn ingest_then_status_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let history = dir.path().join("h.sqlite");
    let h = history.to_str().expect("utf-8");
    let t0 = t("2026-03-01T06:00:00Z");
    let day0 = write(
        dir.path(),
        "day0.json",
        &trivy_at("trivy/alpine-39-high-critical.json", t0, None),
    );
    let day1 = write(
        dir.path(),
        "day1.json",
        &trivy_at(
            "trivy/alpine-39-high-critical.json",
            t0 + Duration::hours(24),
            Some(&[]),
        ),
    );
    assert_eq!(
        evidence(&[
            "ingest",
            "--history",
            h,
            day0.to_str().expect("p"),
            day1.to_str().expect("p")
        ]),
        0
    );
    // Same files again: duplicates are skipped, not an error.
    assert_eq!(
        evidence(&["ingest", "--history", h, day0.to_str().expect("p")]),
        0
    );
    let image = "ghcr.io/aquasecurity/trivy-test-images:alpine-39";
    assert_eq!(
        evidence(&[
            "status",
            "--history",
            h,
            "--at",
            "2026-03-02T12:00:00Z",
            "--image",
            image
        ]),
        0
    );
    // Two days later nothing new was scanned: 4.6.1 fails.
    assert_eq!(
        evidence(&[
            "status",
            "--history",
            h,
            "--at",
            "2026-03-04T12:00:00Z",
            "--image",
            image
        ]),
        1
    );
    let out = dir.path().join("status.json");
    evidence(&[
        "status",
        "--history",
        h,
        "--at",
        "2026-03-02T12:00:00Z",
        "--format",
        "json",
        "--output",
        out.to_str().expect("p"),
        "--image",
        image,
    ]);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    assert_eq!(doc["evidence_schema"], 1);
    assert!(doc["assessments"]
        .as_array()
        .expect("array")
        .iter()
        .any(|a| a["requirement"] == "4.6.3" && a["outcome"] == "pass"));
}

#[test]
fn bad_inputs_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = dir.path().join("h.sqlite");
    let h = h.to_str().expect("utf-8");
    let junk = write(dir.path(), "junk.json", "{\"hello\": 1}");
    assert_eq!(
        evidence(&["ingest", "--history", h, junk.to_str().expect("p")]),
        2
    );
    let bench = vector("kube-bench/result.json");
    assert_eq!(
        evidence(&["ingest", "--history", h, bench.to_str().expect("p")]),
        2,
        "kube-bench needs --scanned-at"
    );
    assert_eq!(
        evidence(&[
            "ingest",
            "--history",
            h,
            "--scanned-at",
            "2026-03-01T00:00:00Z",
            "--artifact",
            "node-1",
            bench.to_str().expect("p")
        ]),
        0
    );
    assert_eq!(
        evidence(&["status", "--history", h, "--at", "yesterday"]),
        2
    );
    let text = write(dir.path(), "not-a-db.sqlite", &"x".repeat(5000));
    assert_eq!(
        evidence(&["status", "--history", text.to_str().expect("p")]),
        2
    );
}

#[test]
fn host_on_collected_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "etc/ssh/sshd_config", "UsePAM yes\nKbdInteractiveAuthentication yes\nAuthenticationMethods publickey,keyboard-interactive\nPermitRootLogin no\n");
    write(
        dir.path(),
        "etc/pam.d/sshd",
        "auth required pam_u2f.so authfile=/etc/u2f_mappings\n",
    );
    write(
        dir.path(),
        "etc/passwd",
        "root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n",
    );
    let out = dir.path().join("host.json");
    let args = Host::try_parse_from([
        "host",
        "--root",
        dir.path().to_str().expect("p"),
        "--output",
        out.to_str().expect("p"),
        "--no-sshd-t",
    ])
    .expect("parse");
    let code = host_cli::run(args.args);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    let alice = doc["assessments"]
        .as_array()
        .expect("array")
        .iter()
        .find(|a| a["subject"] == "ssh user alice")
        .cloned()
        .expect("alice");
    assert_eq!(alice["outcome"], "pass", "{alice}");
    // sshd_config mode 0644 under a temp dir fails the 0600 check, so some check fails.
    assert_eq!(code, 1);
    // The written evidence reads back identically, for `aisvs scan` / `evidence status`.
    let text = std::fs::read_to_string(&out).expect("written");
    assert_eq!(
        aisvs_evidence::sniff(&out, &text),
        Some(aisvs_evidence::ReportKind::EvidenceDocument)
    );
    let back = aisvs_evidence::parse_evidence_document(&out, &text).expect("parse back");
    assert_eq!(
        back.len(),
        doc["assessments"].as_array().expect("array").len()
    );
    assert!(back
        .iter()
        .any(|a| a.subject == "ssh user alice" && a.outcome == aisvs_evidence::Outcome::Pass));
    let tampered = text.replace("\"host-ssh-mfa\"", "\"made-up\"");
    assert!(aisvs_evidence::parse_evidence_document(&out, &tampered).is_err());
    let missing = Host::try_parse_from(["host", "--root", "/nonexistent/dir"]).expect("parse");
    assert_eq!(host_cli::run(missing.args), 2);
}

#[test]
fn evidence_directory_is_walked_and_empty_history_is_not_a_pass() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = dir.path().join("h.sqlite");
    let h = h.to_str().expect("utf-8");
    let reports = dir.path().join("reports");
    let t0 = t("2026-03-01T06:00:00Z");
    write(
        &reports,
        "a/trivy.json",
        &trivy_at("trivy/alpine-39-high-critical.json", t0, None),
    );
    write(&reports, "README.md", "not a report\n");
    let grype = std::fs::read_to_string(vector("grype/keycloak-test.json")).expect("vector");
    write(&reports, "b/grype.json", &grype);
    assert_eq!(
        evidence(&[
            "status",
            "--history",
            h,
            "--format",
            "json",
            "--output",
            dir.path().join("empty.json").to_str().expect("p")
        ]),
        0
    );
    let empty: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("empty.json")).expect("written"),
    )
    .expect("json");
    assert_eq!(empty["assessments"][0]["outcome"], "inconclusive");
    assert_eq!(
        evidence(&["ingest", "--history", h, reports.to_str().expect("p")]),
        0
    );
    let history = aisvs_evidence::History::open(std::path::Path::new(h)).expect("open");
    assert_eq!(history.scan_count().expect("count"), 2);
}

#[test]
fn status_never_creates_a_history_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("sub/none.sqlite");
    assert_eq!(
        evidence(&[
            "status",
            "--history",
            missing.to_str().expect("p"),
            "--at",
            "2026-03-01T00:00:00Z"
        ]),
        0
    );
    assert!(!missing.exists());
    assert!(!dir.path().join("sub").exists());
}
