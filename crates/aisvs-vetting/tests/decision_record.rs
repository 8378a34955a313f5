//! Decision records through the CLI: written, optionally signed, read back by the engine's API.

mod common;

use clap::Parser;

use aisvs_vetting::gate_cli::{run, GateArgs, EXIT_BLOCK, EXIT_ERROR, EXIT_PROMOTE};
use aisvs_vetting::{sniff_decision, verify_decision_file, Outcome, SignatureStatus};
use common::*;

#[derive(Parser)]
struct TestCli {
    #[command(flatten)]
    args: GateArgs,
}

fn gate(args: &[&str]) -> i32 {
    let mut argv = vec!["aisvs-gate"];
    argv.extend_from_slice(args);
    run(TestCli::try_parse_from(argv).expect("arguments parse").args)
}

fn path_str(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[test]
fn promote_writes_a_signed_record_the_engine_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (record, public_key) = write_record(dir.path(), &good_record());
    let decision_path = dir.path().join("decision.json");
    let baseline = path_str(&fixture("garak/baseline.report.jsonl"));
    let candidate = path_str(&fixture("garak/candidate-ok.report.jsonl"));
    let code = gate(&[
        "--baseline",
        &baseline,
        "--candidate",
        &candidate,
        "--sandbox-record",
        &path_str(&record),
        "--public-key",
        &path_str(&public_key),
        "--record",
        &path_str(&decision_path),
        "--sign-key",
        &path_str(&dir.path().join("sandbox.key")),
    ]);
    assert_eq!(code, EXIT_PROMOTE);
    let text = std::fs::read_to_string(&decision_path).unwrap();
    assert!(sniff_decision(&text));
    let verified = verify_decision_file(&decision_path, Some(&public_key)).unwrap();
    assert_eq!(verified.record.decision, Outcome::Promote);
    assert!(matches!(
        verified.signature,
        SignatureStatus::Verified { .. }
    ));
    let unchecked = verify_decision_file(&decision_path, None).unwrap();
    assert_eq!(unchecked.signature, SignatureStatus::NotChecked);
}

#[test]
fn block_writes_a_plain_record_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let decision_path = dir.path().join("decision.json");
    let code = gate(&[
        "--baseline",
        &path_str(&fixture("promptfoo/baseline.json")),
        "--candidate",
        &path_str(&fixture("promptfoo/candidate.json")),
        "--record",
        &path_str(&decision_path),
    ]);
    assert_eq!(code, EXIT_BLOCK);
    let decision = verify_decision_file(&decision_path, None).unwrap();
    assert_eq!(decision.signature, SignatureStatus::Unsigned);
    assert_eq!(decision.record.decision, Outcome::Block);
    assert!(decision
        .record
        .reasons
        .iter()
        .any(|r| r.contains("data-leak")));
    assert!(decision
        .record
        .reasons
        .iter()
        .any(|r| r.contains("sandbox")));
    // A key demands a signature.
    let other = tempfile::tempdir().unwrap();
    let key = aisvs_sandbox::sandbox::keys::generate_to(&other.path().join("k"), false).unwrap();
    assert!(verify_decision_file(&decision_path, Some(&key.public_key)).is_err());
}

#[test]
fn edited_records_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let (record, public_key) = write_record(dir.path(), &good_record());
    let decision_path = dir.path().join("decision.json");
    let code = gate(&[
        "--baseline",
        &path_str(&fixture("garak/baseline.report.jsonl")),
        "--candidate",
        &path_str(&fixture("garak/candidate-regressed.report.jsonl")),
        "--sandbox-record",
        &path_str(&record),
        "--public-key",
        &path_str(&public_key),
        "--record",
        &path_str(&decision_path),
    ]);
    assert_eq!(code, EXIT_BLOCK);
    // Flipping the outcome of an unsigned record by hand makes it self-contradictory.
    let text = std::fs::read_to_string(&decision_path).unwrap();
    let forged = text.replacen("\"decision\": \"block\"", "\"decision\": \"promote\"", 1);
    assert_ne!(forged, text);
    std::fs::write(&decision_path, forged).unwrap();
    let err = verify_decision_file(&decision_path, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("inconsistent decision record"), "{err}");
}

#[test]
fn input_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = path_str(&dir.path().join("nope.json"));
    let good = path_str(&fixture("neutral/baseline.json"));
    assert_eq!(
        gate(&["--baseline", &missing, "--candidate", &good]),
        EXIT_ERROR
    );
    let bad_policy = dir.path().join("p.toml");
    std::fs::write(&bad_policy, "max_drop = \"lots\"\n").unwrap();
    assert_eq!(
        gate(&[
            "--baseline",
            &good,
            "--candidate",
            &good,
            "--policy",
            &path_str(&bad_policy)
        ]),
        EXIT_ERROR
    );
    assert_eq!(
        gate(&[
            "--baseline",
            &good,
            "--candidate",
            &good,
            "--candidate-digest",
            "md5:abc"
        ]),
        EXIT_ERROR
    );
}
