//! The build-blocking half of 4.4.3: `aisvs scan --level 2` fails (exit 1) on a secret in an image, the secret never
//! reaches any rendered output, and the same file without the secret passes the gate.

use std::path::Path;

use crate::render::{render, Format};
use crate::run::{scan, ScanOptions};
use crate::verdict::Verdict;

const SECRET: &str = "sk-proj-Zq3xV9mK2pL7rT4wY8nB1cD6fG0hJ5sA9qW3eR7tY2uI4oP8";

fn dockerfile(env_line: &str) -> String {
    format!(
        "FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n{env_line}\nUSER 10001\n"
    )
}

fn scan_dir(dir: &Path, level: u8) -> crate::report::Report {
    let opts = ScanOptions {
        paths: vec![dir.to_path_buf()],
        level: Some(level),
        config: None,
        today: time::macros::date!(2026 - 12 - 01),
    };
    match scan(&opts) {
        Ok(r) => r,
        Err(e) => panic!("scan failed: {e}"),
    }
}

fn verdict_of(report: &crate::report::Report, id: &str) -> Option<Verdict> {
    report
        .results
        .iter()
        .find(|r| r.requirement.id == id)
        .map(|r| r.verdict)
}

#[test]
fn level_2_gate_fails_on_a_leaked_secret_and_redacts_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        dockerfile(&format!("ENV OPENAI_API_KEY={SECRET}")),
    )
    .unwrap();
    let report = scan_dir(dir.path(), 2);
    assert_eq!(verdict_of(&report, "4.4.3"), Some(Verdict::Fail));
    assert!(report.has_failures(), "the CI gate (exit 1) must trip");
    for format in [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::Junit,
    ] {
        let out = render(&report, format);
        assert!(!out.contains(SECRET), "{format:?} output leaks the secret");
        assert!(
            !out.contains(&SECRET[10..30]),
            "{format:?} output leaks part of the secret"
        );
    }
}

#[test]
fn gate_passes_without_the_secret_and_level_1_leaves_4_4_3_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        dockerfile("ENV LOG_LEVEL=info"),
    )
    .unwrap();
    let clean = scan_dir(dir.path(), 2);
    // 4.4.3 is only partially assessable from configuration, so a clean scan is `partial`, never `fail`.
    assert_eq!(verdict_of(&clean, "4.4.3"), Some(Verdict::Partial));
    assert!(
        !clean.has_failures(),
        "a clean image must pass the gate (exit 0)"
    );

    std::fs::write(
        dir.path().join("Dockerfile"),
        dockerfile(&format!("ENV OPENAI_API_KEY={SECRET}")),
    )
    .unwrap();
    let level1 = scan_dir(dir.path(), 1);
    assert_ne!(
        verdict_of(&level1, "4.4.3"),
        Some(Verdict::Fail),
        "4.4.3 is a level-2 requirement"
    );
}
