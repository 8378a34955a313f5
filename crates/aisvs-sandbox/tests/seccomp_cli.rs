//! `aisvs seccomp check|record|run` through the CLI entry point: exit codes, files written,
//! and bad input (not JSON, missing file, unknown names) handled without a panic.

use aisvs_sandbox::seccomp::analysis::analyse_profile_json;
use aisvs_sandbox::seccomp::base_set::BaseSet;
use aisvs_sandbox::seccomp::spo::documents_from_text;
use aisvs_sandbox::seccomp_cli::{
    run, CheckArgs, CheckFormat, RecordArgs, RecordFormat, RunArgs, SeccompCommand,
};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/seccomp_fixtures")
        .join(relative)
}

fn check(path: &Path, accept: &[&str]) -> i32 {
    run(SeccompCommand::Check(CheckArgs {
        file: path.to_path_buf(),
        accept: accept.iter().map(|s| s.to_string()).collect(),
        format: CheckFormat::Json,
    }))
}

fn record_args(output: &Path, merge: Vec<PathBuf>, command: &[&str]) -> RecordArgs {
    RecordArgs {
        output: Some(output.to_path_buf()),
        format: RecordFormat::Oci,
        name: "recorded".to_string(),
        namespace: None,
        base: BaseSet::Runc,
        merge,
        command: command.iter().map(OsString::from).collect(),
    }
}

#[test]
fn check_exit_codes_follow_the_verdict() {
    assert_eq!(
        check(&fixture("moby/default.json"), &[]),
        1,
        "moby default allows ptrace"
    );
    assert_eq!(
        check(
            &fixture("moby/default.json"),
            &["ptrace", "process_vm_readv", "process_vm_writev"]
        ),
        0
    );
    assert_eq!(
        check(
            &fixture("spo/seccompprofile-allowed-syscalls-change.yaml"),
            &[]
        ),
        0
    );
    assert_eq!(
        check(&fixture("spo/seccompprofile.yaml"), &[]),
        1,
        "LOG and ALLOW defaults fail"
    );
    assert_eq!(check(&fixture("spo/baseprofile-runc.yaml"), &[]), 0);
}

#[test]
fn check_rejects_unreadable_input_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(check(&dir.path().join("missing.json"), &[]), 2);
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{ this is : not [ json").expect("write");
    assert_eq!(check(&garbage, &[]), 2);
    let pod = dir.path().join("pod.yaml");
    std::fs::write(&pod, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n").expect("write");
    assert_eq!(check(&pod, &[]), 2, "no profile in the file");
    let bad_action = dir.path().join("bad.json");
    std::fs::write(
        &bad_action,
        r#"{"defaultAction":"SCMP_ACT_NOPE","syscalls":[]}"#,
    )
    .expect("write");
    assert_eq!(
        check(&bad_action, &[]),
        1,
        "readable but refused by runtimes"
    );
}

#[test]
fn record_merge_only_unions_allow_lists_and_refuses_bad_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("a.json");
    let second = dir.path().join("b.json");
    std::fs::write(&first, r#"{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}"#).expect("write");
    std::fs::write(&second, r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["openat","read"],"action":"SCMP_ACT_ALLOW"}]}"#).expect("write");
    let merged = dir.path().join("merged.json");
    let mut args = record_args(&merged, vec![first.clone(), second], &[]);
    args.base = BaseSet::None;
    assert_eq!(run(SeccompCommand::Record(args)), 0);
    let analysis =
        analyse_profile_json(&std::fs::read_to_string(&merged).expect("written")).expect("valid");
    assert_eq!(analysis.allowed_syscalls, ["openat", "read", "write"]);
    assert_eq!(analysis.architectures, ["SCMP_ARCH_X86_64"]);
    assert!(analysis.meets_bar);

    let log = dir.path().join("log.json");
    std::fs::write(&log, r#"{"defaultAction":"SCMP_ACT_LOG"}"#).expect("write");
    assert_eq!(
        run(SeccompCommand::Record(record_args(
            &merged,
            vec![first, log],
            &[]
        ))),
        2
    );
    let nothing = record_args(&merged, Vec::new(), &[]);
    assert_eq!(
        run(SeccompCommand::Record(nothing)),
        2,
        "neither command nor --merge"
    );
}

#[test]
fn record_writes_a_kubernetes_object_that_checks_and_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = dir.path().join("profile.yaml");
    let mut args = record_args(
        &output,
        Vec::new(),
        &["sh", "-c", "/bin/true; cat /dev/null; exit 4"],
    );
    args.format = RecordFormat::Kubernetes;
    args.namespace = Some("ml".to_string());
    assert_eq!(
        run(SeccompCommand::Record(args)),
        4,
        "the command's status is passed through"
    );
    let text = std::fs::read_to_string(&output).expect("written");
    let documents = documents_from_text(&text).expect("valid YAML");
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0]["kind"], "SeccompProfile");
    assert_eq!(documents[0]["metadata"]["namespace"], "ml");
    assert_eq!(documents[0]["spec"]["defaultAction"], "SCMP_ACT_ERRNO");
    assert_eq!(check(&output, &[]), 0, "a fresh recording meets the bar");
    let again = RunArgs {
        profile: output.clone(),
        command: ["sh", "-c", "/bin/true; cat /dev/null; exit 4"]
            .iter()
            .map(OsString::from)
            .collect(),
    };
    assert_eq!(
        run(SeccompCommand::Run(again)),
        4,
        "same workload runs under the profile"
    );
    let outside = RunArgs {
        profile: output,
        // sh may fork and exec (recorded), but mkdir(2) itself was never recorded.
        command: [
            "sh",
            "-c",
            &format!("mkdir {}/new 2>/dev/null || exit 9", dir.path().display()),
        ]
        .iter()
        .map(OsString::from)
        .collect(),
    };
    assert_eq!(
        run(SeccompCommand::Run(outside)),
        9,
        "mkdir is refused under the profile"
    );
    assert!(!dir.path().join("new").exists());
}

#[test]
fn record_and_run_report_missing_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = dir.path().join("p.json");
    let missing = record_args(&output, Vec::new(), &["/nonexistent/aisvs-missing"]);
    assert_eq!(run(SeccompCommand::Record(missing)), 127);
    assert!(!output.exists(), "no profile from a command that never ran");
    let profile = fixture("spo/baseprofile-runc.yaml");
    let run_missing = RunArgs {
        profile,
        command: vec![OsString::from("/nonexistent/aisvs-missing")],
    };
    assert_eq!(run(SeccompCommand::Run(run_missing)), 127);
    let no_exec = dir.path().join("no-exec.json");
    std::fs::write(
        &no_exec,
        r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}"#,
    )
    .expect("write");
    let cannot_start = RunArgs {
        profile: no_exec,
        command: vec![OsString::from("true")],
    };
    assert_eq!(run(SeccompCommand::Run(cannot_start)), 126);
    let not_json = dir.path().join("x.json");
    std::fs::write(&not_json, "nope: [").expect("write");
    let bad_profile = RunArgs {
        profile: not_json,
        command: vec![OsString::from("true")],
    };
    assert_eq!(run(SeccompCommand::Run(bad_profile)), 2);
}
