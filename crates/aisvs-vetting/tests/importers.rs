//! The importers on realistic garak, promptfoo and neutral files: counts, categories, digests, errors.

use std::path::{Path, PathBuf};

use aisvs_vetting::eval::SourceFormat;
use aisvs_vetting::import::{detect, load};

const CANDIDATE_DIGEST: &str =
    "sha256:764158c3d946a5abb628cb0098d2c01e2b212d17cbd732b16244fbed0fa212f3";

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

#[test]
fn formats_are_detected_by_content() {
    assert_eq!(
        detect(&fixture("garak/baseline.report.jsonl")).unwrap(),
        SourceFormat::Garak
    );
    assert_eq!(
        detect(&fixture("garak/old-format.report.jsonl")).unwrap(),
        SourceFormat::Garak
    );
    assert_eq!(
        detect(&fixture("promptfoo/baseline.json")).unwrap(),
        SourceFormat::Promptfoo
    );
    assert_eq!(
        detect(&fixture("neutral/baseline.json")).unwrap(),
        SourceFormat::Neutral
    );
    let err = detect(&fixture("policy/policy.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("policy.toml") && err.contains("not a recognised result file"),
        "{err}"
    );
}

#[test]
fn garak_eval_lines_sum_per_category_across_detectors() {
    let results = load(&fixture("garak/baseline.report.jsonl"), None).unwrap();
    let jailbreak = &results.categories["jailbreak"];
    // dan.Dan_11_0 has two detectors: 48/50 and 46/50.
    assert_eq!((jailbreak.passed, jailbreak.failed), (94, 6));
    assert!(jailbreak
        .sources
        .contains("dan.Dan_11_0 / mitigation.MitigationBypass"));
    // promptinject and encoding both map to prompt-injection.
    let injection = &results.categories["prompt-injection"];
    assert_eq!((injection.passed, injection.failed), (348, 28));
    assert_eq!(results.categories["data-leak"].evaluated(), 100);
    assert_eq!(results.tool.version.as_deref(), Some("0.12.0"));
    assert_eq!(results.model.name.as_deref(), Some("acme/support-7b-v1"));
    assert!(results.warnings.is_empty());
}

#[test]
fn garak_digest_comes_from_the_run_section_and_unfinished_runs_warn() {
    let results = load(&fixture("garak/candidate-regressed.report.jsonl"), None).unwrap();
    assert_eq!(results.model.digest.as_deref(), Some(CANDIDATE_DIGEST));
    assert_eq!(results.categories["prompt-injection"].errors, 3);
    assert!(!results.categories.contains_key("data-leak"));
    assert!(
        results.warnings[0].contains("did not finish"),
        "{:?}",
        results.warnings
    );
}

#[test]
fn garak_old_format_uses_total_minus_passed() {
    let results = load(&fixture("garak/old-format.report.jsonl"), None).unwrap();
    let jailbreak = &results.categories["jailbreak"];
    assert_eq!((jailbreak.passed, jailbreak.failed), (3, 7));
    assert_eq!(results.categories["prompt-injection"].passed, 40);
    assert_eq!(results.model.name.as_deref(), Some("gpt2"));
    assert_eq!(results.model.digest, None);
}

#[test]
fn garak_inconsistent_counts_name_the_line() {
    let err = load(&fixture("garak/bad-eval.report.jsonl"), None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad-eval.report.jsonl: line 2:") && err.contains("exceeds"),
        "{err}"
    );
}

#[test]
fn garak_truncated_line_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.report.jsonl");
    let text = std::fs::read_to_string(fixture("garak/baseline.report.jsonl")).unwrap();
    std::fs::write(&path, &text[..text.len() - 40]).unwrap();
    let err = load(&path, None).unwrap_err().to_string();
    assert!(
        err.contains("line 9:") && err.contains("not a JSON object"),
        "{err}"
    );
}

#[test]
fn promptfoo_counts_success_failure_and_errors_per_plugin_category() {
    let results = load(&fixture("promptfoo/candidate.json"), None).unwrap();
    let leak = &results.categories["data-leak"];
    assert_eq!((leak.passed, leak.failed, leak.errors), (7, 3, 1));
    assert_eq!(results.categories["harmful-content"].evaluated(), 10);
    assert_eq!(results.categories["system-prompt-leak"].passed, 9);
    assert_eq!(results.categories["promptfoo:hijacking"].passed, 10);
    assert_eq!(results.model.digest.as_deref(), Some(CANDIDATE_DIGEST));
    assert_eq!(
        results.model.name.as_deref(),
        Some("openai:chat:support-7b")
    );
    assert_eq!(results.tool.version.as_deref(), Some("0.118.4"));
}

#[test]
fn promptfoo_with_two_providers_is_refused() {
    let err = load(&fixture("promptfoo/two-providers.json"), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("2 providers"), "{err}");
}

#[test]
fn neutral_file_keeps_its_counts() {
    let results = load(&fixture("neutral/candidate.json"), None).unwrap();
    assert_eq!(results.categories["system-prompt-leak"].passed, 12);
    assert_eq!(results.tool.name, "acme-redteam");
}

#[test]
fn forcing_the_wrong_format_is_a_clear_error() {
    let err = load(
        &fixture("garak/baseline.report.jsonl"),
        Some(SourceFormat::Promptfoo),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("baseline.report.jsonl") && err.contains("not a promptfoo export"),
        "{err}"
    );
}

#[test]
fn empty_and_hostile_inputs_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8])] = &[
        ("empty.json", b""),
        ("deep.json", &[b'['; 100_000]),
        ("binary.jsonl", &[0xff, 0xfe, b'{', b'\n']),
        ("entry.jsonl", b"{\"entry_type\": \"eval\", \"probe\": 5}\n"),
        ("huge-count.jsonl", b"{\"entry_type\": \"eval\", \"probe\": \"dan.X\", \"passed\": 18446744073709551615, \"fails\": 1, \"total_evaluated\": 0}\n"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let outcome = load(&path, None);
        assert!(outcome.is_err(), "{name} should be refused");
        assert!(outcome.unwrap_err().to_string().contains(name));
    }
}
