//! `sandbox run` behaviour: exit-status pass-through, bad input (126/127/125 with clear
//! messages), memory limit, loopback ports, and a full vetting run whose signed record verifies.

mod sandbox_support;

use std::os::unix::fs::PermissionsExt;

use aisvs_sandbox::sandbox::record::{self, ControlStatus};
use aisvs_sandbox::sandbox::runner;
use aisvs_sandbox::sandbox::{keys, vetting};
use sandbox_support::{perl, run_captured, test_config};

fn sh(script: &str) -> Vec<String> {
    vec!["sh".into(), "-c".into(), script.into()]
}

#[test]
fn exit_status_passes_through() {
    let out = run_captured(sh("echo hi; exit 7"), |_| {});
    assert_eq!(out.outcome.exit.code, 7);
    assert_eq!(out.stdout, "hi\n");
    assert!(!out.outcome.exit.timed_out);
}

#[test]
fn missing_command_is_127_with_its_name() {
    let err = runner::run(test_config(vec!["no-such-command-aisvs".into()])).unwrap_err();
    assert_eq!(err.exit_code(), 127);
    assert!(err.to_string().contains("no-such-command-aisvs"), "{err}");
}

#[test]
fn command_outside_the_sandbox_root_is_127() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("tool.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = runner::run(test_config(vec![script.display().to_string()])).unwrap_err();
    assert_eq!(err.exit_code(), 127);
    assert!(err.to_string().contains("inside the sandbox"), "{err}");
    // Bound read-only, the same script runs.
    let out = run_captured(vec![script.display().to_string()], |c| {
        c.read_only.push(dir.path().to_path_buf())
    });
    assert_eq!(out.stdout, "hi\n");
}

#[test]
fn non_executable_command_is_126() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.txt");
    std::fs::write(&file, "x").unwrap();
    let err = runner::run(test_config(vec![file.display().to_string()])).unwrap_err();
    assert_eq!(err.exit_code(), 126);
}

#[test]
fn scratch_that_is_a_file_is_a_setup_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let mut config = test_config(vec!["true".into()]);
    config.scratch = Some(file.clone());
    let err = runner::run(config).unwrap_err();
    assert_eq!(err.exit_code(), 125);
    let message = err.to_string();
    assert!(
        message.contains("not-a-dir") && message.contains("not a directory"),
        "{message}"
    );
}

#[test]
fn non_loopback_allow_net_is_refused() {
    let mut config = test_config(vec!["true".into()]);
    config.allow_net = vec!["example.com:443".into()];
    let err = runner::run(config).unwrap_err();
    assert_eq!(err.exit_code(), 125);
    assert!(err.to_string().contains("example.com:443"), "{err}");
}

#[test]
fn allowed_loopback_port_works_inside_and_others_do_not() {
    let out = run_captured(
        perl(
            r#"use Socket; socket(L, PF_INET, SOCK_STREAM, 0) or die;
               setsockopt(L, SOL_SOCKET, SO_REUSEADDR, 1);
               print bind(L, pack_sockaddr_in(18080, INADDR_LOOPBACK)) ? "bound " : ($!+0)." ";
               listen(L, 1); socket(C, PF_INET, SOCK_STREAM, 0) or die;
               print connect(C, pack_sockaddr_in(18080, INADDR_LOOPBACK)) ? "connected " : ($!+0)." ";
               socket(D, PF_INET, SOCK_STREAM, 0) or die;
               print connect(D, pack_sockaddr_in(18081, INADDR_LOOPBACK)) ? "connected" : $!+0"#,
        ),
        |c| c.allow_net = vec!["127.0.0.1:18080".into()],
    );
    assert_eq!(out.stdout.trim(), "bound connected 13", "{out:?}");
}

#[test]
fn user_scratch_dir_receives_output() {
    let scratch = tempfile::tempdir().unwrap();
    let out = run_captured(sh("echo result > /scratch/out.txt"), |c| {
        c.scratch = Some(scratch.path().to_path_buf())
    });
    assert_eq!(out.outcome.exit.code, 0, "{out:?}");
    assert_eq!(
        std::fs::read_to_string(scratch.path().join("out.txt")).unwrap(),
        "result\n"
    );
}

#[test]
fn memory_hog_is_killed_by_the_memory_limit() {
    let out = run_captured(
        perl(r#"my $x = "a" x (256 * 1024 * 1024); print length($x)"#),
        |c| c.limits.memory_bytes = 64 << 20,
    );
    let memory = out.control("memory_limit");
    assert!(out.outcome.exit.code != 0, "{out:?}");
    if memory.starts_with("Applied") {
        assert_eq!(out.outcome.exit.signal, Some(9), "{out:?}");
        assert!(out.outcome.resources.peak_memory_bytes.unwrap_or(0) <= 64 << 20);
    } else {
        // RLIMIT_AS fallback: the allocation fails inside perl instead.
        assert!(out.stderr.contains("Out of memory"), "{out:?}");
    }
}

#[test]
fn vetting_run_produces_a_record_that_verifies() {
    let models = tempfile::tempdir().unwrap();
    let model = models.path().join("model.safetensors");
    std::fs::write(&model, b"not really a model").unwrap();
    let mut config = test_config(vec!["cat".into(), model.display().to_string()]);
    config.read_only.push(models.path().to_path_buf());
    let devnull = std::fs::File::create("/dev/null").unwrap();
    config.stdout = Some(devnull.into());
    let mut scanned = None;
    let run = vetting::run_vetting(config, true, |s| scanned = Some(s.overall.clone())).unwrap();
    assert_eq!(run.record.exit.code, 0);
    assert_eq!(run.record.inputs.len(), 1);
    let expected = aisvs_sandbox::sandbox::inputs::sha256_file(&model)
        .unwrap()
        .0;
    assert!(run.record.has_input_sha256(&expected));
    let scan = run.record.model_scan.as_ref().unwrap();
    assert_eq!(Some(scan.overall.clone()), scanned);
    assert_ne!(scan.overall, "safe", "garbage bytes must not be rated safe");
    let network = run
        .record
        .isolation
        .iter()
        .find(|c| c.control == "network_namespace")
        .unwrap();
    assert_eq!(network.status, ControlStatus::Applied);

    let key = keys::generate();
    let path = models.path().join("record.json");
    record::write_signed_record(&path, &record::sign_record(&run.record, &key).unwrap()).unwrap();
    let verified = record::verify_record_file(&path, &key.verifying_key()).unwrap();
    assert_eq!(verified, run.record);
}
