//! Hostile and damaged input: every parser on every truncation and byte flip of the stored
//! reports returns a value or an error naming the file — never a panic.

mod common;

use aisvs_evidence::load::parse_as;
use aisvs_evidence::{sniff, ReportKind};
use common::vector_text;
use std::path::Path;

const FILES: &[&str] = &[
    "trivy/debian-buster.json",
    "trivy/amazonlinux2-gp2-x86-vm.json",
    "grype/ghsa-test.json",
    "grype/TestJsonDirsPresenter.json",
    "kube-bench/result.json",
    "kube-bench/Expected_output.data",
];

const KINDS: &[ReportKind] = &ReportKind::ALL;

#[test]
fn truncations_and_flips_never_panic() {
    let path = Path::new("damaged.json");
    for file in FILES {
        let text = vector_text(file);
        let step = (text.len() / 64).max(1);
        for cut in (0..text.len()).step_by(step) {
            let Some(prefix) = text.get(..cut) else {
                continue;
            };
            let _ = sniff(path, prefix);
            for kind in KINDS {
                if let Err(e) = parse_as(*kind, path, prefix) {
                    assert!(e.to_string().starts_with("damaged.json"), "{e}");
                }
            }
        }
        let mut bytes = text.clone().into_bytes();
        for i in (0..bytes.len()).step_by(step) {
            bytes[i] = b'"';
        }
        let flipped = String::from_utf8_lossy(&bytes);
        for kind in KINDS {
            let _ = parse_as(*kind, path, &flipped);
        }
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    let path = Path::new("deep.json");
    assert_eq!(sniff(path, &deep), None);
    for kind in KINDS {
        let _ = parse_as(*kind, path, &deep);
    }
}
