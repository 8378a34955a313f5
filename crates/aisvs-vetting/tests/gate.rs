//! End-to-end decisions of the gate: promote only with no regression and an accepted sandbox record.

mod common;

use aisvs_sandbox::sandbox::record::ControlStatus;
use aisvs_vetting::compare::CategoryStatus;
use aisvs_vetting::{decide, Outcome};
use common::*;

#[test]
fn promotes_when_within_tolerance_and_sandbox_record_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let record = write_record(dir.path(), &good_record());
    let decision = decide(&request(
        "garak/baseline.report.jsonl",
        "garak/candidate-ok.report.jsonl",
        Some(record),
    ))
    .unwrap();
    assert_eq!(
        decision.decision,
        Outcome::Promote,
        "{:?}",
        decision.reasons
    );
    assert!(decision.reasons.is_empty());
    assert!(decision.sandbox_record.accepted());
    assert!(decision
        .categories
        .iter()
        .all(|c| c.status == CategoryStatus::Ok));
    assert_eq!(
        decision.candidate.model_digest.as_deref(),
        Some(format!("sha256:{CANDIDATE_HEX}").as_str())
    );
    // A fallback is not a missing control; the API key in the recorded command never reaches the record.
    assert!(decision.sandbox_record.warnings.is_empty());
    assert!(decision
        .sandbox_record
        .command
        .contains(&"[REDACTED]".to_string()));
    let json = decision.to_json();
    assert!(
        !json.contains("sk-do-not-print-this"),
        "secret leaked into the record"
    );
    assert!(decision.inconsistency().is_none());
}

#[test]
fn blocks_on_regression_and_missing_category_even_with_good_sandbox_record() {
    let dir = tempfile::tempdir().unwrap();
    let record = write_record(dir.path(), &good_record());
    let decision = decide(&request(
        "garak/baseline.report.jsonl",
        "garak/candidate-regressed.report.jsonl",
        Some(record),
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    let status = |name: &str| {
        decision
            .categories
            .iter()
            .find(|c| c.category == name)
            .map(|c| c.status)
    };
    assert_eq!(status("prompt-injection"), Some(CategoryStatus::Regressed));
    assert_eq!(
        status("data-leak"),
        Some(CategoryStatus::MissingInCandidate)
    );
    assert_eq!(
        status("jailbreak"),
        Some(CategoryStatus::Ok),
        "94/100 -> 94/100 is no drop"
    );
    assert!(decision
        .reasons
        .iter()
        .any(|r| r.contains("prompt-injection") && r.contains("fell from")));
    assert!(decision
        .warnings
        .iter()
        .any(|w| w.contains("did not finish")));
}

#[test]
fn never_promotes_without_a_sandbox_record() {
    let decision = decide(&request(
        "garak/baseline.report.jsonl",
        "garak/candidate-ok.report.jsonl",
        None,
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    assert!(
        decision
            .reasons
            .iter()
            .any(|r| r.contains("no sandbox record")),
        "{:?}",
        decision.reasons
    );
}

#[test]
fn blocks_when_the_record_is_for_another_model() {
    let dir = tempfile::tempdir().unwrap();
    let mut record = good_record();
    record.inputs[0].sha256 = BASELINE_HEX.to_string();
    let paths = write_record(dir.path(), &record);
    let decision = decide(&request(
        "garak/baseline.report.jsonl",
        "garak/candidate-ok.report.jsonl",
        Some(paths),
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    assert_eq!(decision.sandbox_record.model_digest_matched, Some(false));
}

#[test]
fn blocks_when_network_was_allowed_or_command_failed() {
    let dir = tempfile::tempdir().unwrap();
    let mut networked = good_record();
    networked.isolation[1].status = ControlStatus::NotApplied;
    let paths = write_record(dir.path(), &networked);
    let decision = decide(&request(
        "neutral/baseline.json",
        "neutral/candidate.json",
        Some(paths),
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    assert_eq!(decision.sandbox_record.network_isolated, Some(false));

    let mut failed = good_record();
    failed.exit.code = 137;
    failed.exit.signal = Some(9);
    let paths = write_record(dir.path(), &failed);
    let decision = decide(&request(
        "neutral/baseline.json",
        "neutral/candidate.json",
        Some(paths),
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    assert!(decision
        .reasons
        .iter()
        .any(|r| r.contains("did not succeed")));
}

#[test]
fn blocks_when_the_record_is_signed_by_another_key_or_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let (record_path, _) = write_record(dir.path(), &good_record());
    let other = tempfile::tempdir().unwrap();
    let other_key =
        aisvs_sandbox::sandbox::keys::generate_to(&other.path().join("k"), false).unwrap();
    let decision = decide(&request(
        "neutral/baseline.json",
        "neutral/candidate.json",
        Some((record_path.clone(), other_key.public_key)),
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    assert!(!decision.sandbox_record.signature_verified);

    let (record_path, public_key) = write_record(dir.path(), &good_record());
    let text = std::fs::read_to_string(&record_path).unwrap();
    let mut envelope: serde_json::Value = serde_json::from_str(&text).unwrap();
    envelope["payload"] =
        serde_json::Value::String(envelope["payload"].as_str().unwrap().replacen('e', "f", 1));
    std::fs::write(&record_path, envelope.to_string()).unwrap();
    let decision = decide(&request(
        "neutral/baseline.json",
        "neutral/candidate.json",
        Some((record_path, public_key)),
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    assert!(!decision.sandbox_record.signature_verified);
}

#[test]
fn policy_tolerance_floor_and_sample_minimum_apply() {
    let dir = tempfile::tempdir().unwrap();
    let record = write_record(dir.path(), &good_record());
    let mut req = request(
        "neutral/baseline.json",
        "neutral/candidate.json",
        Some(record),
    );
    // Without a policy, any drop blocks: jailbreak 90.0% -> 89.0%.
    let strict = decide(&req).unwrap();
    assert_eq!(strict.decision, Outcome::Block);
    // The policy allows 2 points on jailbreak; system-prompt-leak has 12 samples (needs 10).
    req.policy = Some(fixture("policy/policy.toml"));
    let lenient = decide(&req).unwrap();
    assert_eq!(lenient.decision, Outcome::Promote, "{:?}", lenient.reasons);
    assert!(lenient.policy.sha256.is_some());
}

#[test]
fn promptfoo_results_gate_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let record = write_record(dir.path(), &good_record());
    let decision = decide(&request(
        "promptfoo/baseline.json",
        "promptfoo/candidate.json",
        Some(record),
    ))
    .unwrap();
    assert_eq!(decision.decision, Outcome::Block);
    let leak = decision
        .categories
        .iter()
        .find(|c| c.category == "data-leak")
        .unwrap();
    assert_eq!(leak.status, CategoryStatus::Regressed);
    // 10/10 -> 7/10: thirty points down.
    assert!((leak.drop.unwrap() - 0.3).abs() < 1e-9);
}

#[test]
fn digest_conflict_between_file_and_flag_is_an_input_error() {
    let mut req = request(
        "garak/baseline.report.jsonl",
        "garak/candidate-ok.report.jsonl",
        None,
    );
    req.candidate_digest = Some(format!("sha256:{BASELINE_HEX}"));
    let err = decide(&req).unwrap_err().to_string();
    assert!(
        err.contains("candidate-ok.report.jsonl") && err.contains("command line says"),
        "{err}"
    );
}

#[test]
fn digest_flag_fills_in_for_formats_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let record = write_record(dir.path(), &good_record());
    let mut req = request(
        "garak/old-format.report.jsonl",
        "garak/old-format.report.jsonl",
        Some(record),
    );
    req.candidate_digest = Some(CANDIDATE_HEX.to_uppercase());
    let decision = decide(&req).unwrap();
    assert_eq!(
        decision.candidate.model_digest_source.as_deref(),
        Some("command line")
    );
    assert_eq!(decision.sandbox_record.model_digest_matched, Some(true));
}

#[test]
fn a_missing_non_network_control_warns_but_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let mut record = good_record();
    record
        .isolation
        .push(control("seccomp_denylist", ControlStatus::NotApplied));
    let paths = write_record(dir.path(), &record);
    let decision = decide(&request(
        "garak/baseline.report.jsonl",
        "garak/candidate-ok.report.jsonl",
        Some(paths),
    ))
    .unwrap();
    assert_eq!(
        decision.decision,
        Outcome::Promote,
        "{:?}",
        decision.reasons
    );
    assert!(decision
        .warnings
        .iter()
        .any(|w| w.contains("seccomp_denylist")));
}
