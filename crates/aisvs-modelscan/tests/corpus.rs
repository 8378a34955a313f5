//! Generated-corpus test: `tests/gen/make_corpus.py` writes malicious and benign samples plus a
//! manifest of expected verdicts; every sample is scanned and its verdict (and, where given, the
//! finding that names the payload) is asserted. Every bypass class of the knowledge base must be
//! represented in the manifest.

use aisvs_modelscan::{scan_file, FileReport, ScanOptions, Verdict};
use std::path::Path;
use std::process::Command;

/// Bypass classes that must each have at least one sample (knowledge base §5 and the issue text).
const REQUIRED_CLASSES: &[&str] = &[
    "deny-list-gap",
    "python2-alias",
    "dotted-name",
    "dotted-dunder-name",
    "submodule-of-denied-package",
    "harmless-looking-builtins",
    "inst-call",
    "obj-call-popped",
    "newobj-ex",
    "extension-registry",
    "build-setattr-on-global",
    "memo-indirection",
    "stack-global-string-operands",
    "inst-str-memo-type-confusion",
    "payload-then-truncation",
    "payload-then-memo-miss",
    "payload-then-type-confusion",
    "frame-desync",
    "frame-inside-frame",
    "second-pickle",
    "legacy-magic-payload",
    "nested-deserializer",
    "scanner-deactivation",
    "huge-declared-length",
    "mark-nesting",
    "stack-exhaustion",
    "zip-crc",
    "zip-flag-bit",
    "zip-name-mismatch",
    "zip-path-traversal",
    "zip-duplicate-name",
    "nested-archive",
    "deep-nesting",
    "zip-bomb",
    "prepended-data",
    "extension-mismatch",
    "odd-member-name",
    "torch-legacy-payload",
    "torch-tar-payload",
    "joblib-inline-array",
    "joblib-inline-then-payload",
    "npy-object-pickle",
    "keras-lambda",
    "keras-module-reference",
    "keras-h5-lambda",
    "gguf-jinja-ssti",
    "gguf-header-bomb",
    "onnx-external-data",
    "safetensors-header-bomb",
    "safetensors-overlap",
    "compressed-pickle",
    "multi-stream-compression",
    "corrupt-compression",
    "compression-bomb",
];

#[derive(serde::Deserialize)]
struct Row {
    file: String,
    expect: String,
    class: String,
    mention: Option<String>,
}

fn generate(out: &Path) -> Option<Vec<Row>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gen/make_corpus.py");
    let status = match Command::new("python3").arg(&script).arg(out).status() {
        Ok(status) => status,
        Err(e) => {
            eprintln!("SKIPPED: python3 is not available ({e}); the corpus cannot be generated");
            return None;
        }
    };
    assert!(status.success(), "corpus generator failed: {status}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("manifest written");
    Some(serde_json::from_str(&manifest).expect("manifest parses"))
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Safe => "safe",
        Verdict::Unsafe => "unsafe",
        Verdict::Unknown => "unknown",
    }
}

fn mentions(report: &FileReport, needle: &str) -> bool {
    report.findings.iter().any(|f| {
        f.detail.contains(needle)
            || serde_json::to_string(&f.kind).is_ok_and(|k| k.contains(needle))
    })
}

#[test]
fn every_generated_sample_gets_its_expected_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(rows) = generate(dir.path()) else {
        return;
    };
    // Smaller member limit than the CLI default keeps the zip-bomb sample quick.
    let opts = ScanOptions {
        hash: false,
        max_member_bytes: 32 << 20,
        ..ScanOptions::default()
    };
    let mut failures = Vec::new();
    for row in &rows {
        let report = scan_file(&dir.path().join(&row.file), &opts);
        let got = verdict_name(report.verdict);
        if got != row.expect {
            failures.push(format!(
                "{} [{}]: expected {}, got {got}: {:#?}",
                row.file, row.class, row.expect, report.findings
            ));
        } else if let Some(needle) = &row.mention {
            if !mentions(&report, needle) {
                failures.push(format!(
                    "{} [{}]: no finding mentions {needle:?}: {:#?}",
                    row.file, row.class, report.findings
                ));
            }
        }
        if row.expect == "unsafe"
            && report
                .findings
                .iter()
                .all(|f| f.offset.is_none() && f.member.is_none() && !f.detail.starts_with('/'))
        {
            failures.push(format!("{}: unsafe without any located finding", row.file));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} samples wrong:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_covers_every_bypass_class_and_both_outcomes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(rows) = generate(dir.path()) else {
        return;
    };
    for class in REQUIRED_CLASSES {
        assert!(
            rows.iter().any(|r| r.class == *class),
            "no sample for bypass class {class}"
        );
    }
    for expect in ["safe", "unsafe", "unknown"] {
        assert!(
            rows.iter().filter(|r| r.expect == expect).count() >= 5,
            "fewer than 5 {expect} samples"
        );
    }
}
