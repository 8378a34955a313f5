//! Recording and enforcement, end to end on real processes: threads, child processes and exec
//! are followed; a recorded profile lets the same workload run and refuses anything else (EPERM).
//!
//! The workload is this test binary itself, re-executed with `AISVS_SECCOMP_WORKLOAD` set, so
//! the test needs no interpreter and controls exactly which unusual syscalls happen where.

use aisvs_sandbox::seccomp::base_set::BaseSet;
use aisvs_sandbox::seccomp::enforce::{compile, run_confined};
use aisvs_sandbox::seccomp::error::SeccompRunError;
use aisvs_sandbox::seccomp::merge::allow_list_profile;
use aisvs_sandbox::seccomp::recorder::{record, Recording};
use std::collections::BTreeSet;
use std::ffi::OsString;

const MODE: &str = "AISVS_SECCOMP_WORKLOAD";

/// Not a test: the workload. Without the variable it returns at once.
#[test]
fn workload_helper() {
    let Ok(mode) = std::env::var(MODE) else {
        return;
    };
    match mode.as_str() {
        // A thread makes sysinfo(2); a child process (fork + exec of this binary) makes times(2).
        "family" => {
            std::thread::spawn(|| {
                // SAFETY: sysinfo writes into a zeroed struct owned by this frame.
                let mut info: libc::sysinfo = unsafe { std::mem::zeroed() };
                unsafe { libc::sysinfo(&mut info) };
            })
            .join()
            .ok();
            let status = std::process::Command::new(std::env::current_exe().unwrap_or_default())
                .args(["--exact", "workload_helper", "--test-threads=1", "--quiet"])
                .env(MODE, "child")
                .status();
            std::process::exit(if status.is_ok_and(|s| s.code() == Some(0)) {
                7
            } else {
                99
            });
        }
        "child" => {
            // SAFETY: times(2) writes into a zeroed struct owned by this frame.
            let mut buffer: libc::tms = unsafe { std::mem::zeroed() };
            unsafe { libc::times(&mut buffer) };
            std::process::exit(0);
        }
        // Tries to create a directory: exit 42 when refused with EPERM, 0 when it worked.
        "mkdir" => {
            let dir =
                std::env::temp_dir().join(format!("aisvs-seccomp-probe-{}", std::process::id()));
            let result = std::fs::create_dir(&dir);
            let _ = std::fs::remove_dir(&dir);
            std::process::exit(match result {
                Ok(()) => 0,
                Err(err) if err.raw_os_error() == Some(libc::EPERM) => 42,
                Err(_) => 3,
            });
        }
        "quiet" => std::process::exit(5),
        // Records `sh -c 'exit 6'` from inside this process: exit 0 when that worked.
        "record-unprivileged" => {
            let args = [OsString::from("-c"), OsString::from("exit 6")];
            let worked = record(&OsString::from("sh"), &args)
                .is_ok_and(|rec| rec.exit_code == 6 && rec.syscalls.contains("exit_group"));
            std::process::exit(if worked { 0 } else { 1 });
        }
        other => panic!("unknown workload mode {other}"),
    }
}

fn record_self(mode: &str) -> Recording {
    let exe = std::env::current_exe().expect("test binary path");
    // The environment variable is inherited through the recorder into the workload.
    let args: Vec<OsString> = ["--exact", "workload_helper", "--test-threads=1", "--quiet"]
        .iter()
        .map(OsString::from)
        .collect();
    // `env VAR=mode test-binary …`: the recorder API has no environment parameter.
    let program = OsString::from("env");
    let mut full = vec![
        OsString::from(format!("{MODE}={mode}")),
        exe.into_os_string(),
    ];
    full.extend(args);
    record(&program, &full).expect("recording runs")
}

#[test]
fn recording_follows_threads_children_and_exec() {
    let recording = record_self("family");
    assert_eq!(
        recording.exit_code, 7,
        "exit status passed through; 99 = child failed"
    );
    assert!(
        recording.syscalls.contains("execve"),
        "{:?}",
        recording.syscalls
    );
    assert!(
        recording.syscalls.contains("sysinfo"),
        "thread not followed: {:?}",
        recording.syscalls
    );
    assert!(
        recording.syscalls.contains("times"),
        "child after exec not followed"
    );
    assert!(
        recording.syscalls.contains("clone3") || recording.syscalls.contains("clone"),
        "thread/process creation not seen"
    );
    assert!(!recording.syscalls.contains("mkdir") && !recording.syscalls.contains("mkdirat"));
    assert!(recording.events > recording.syscalls.len() as u64);
    assert!(!recording.leftover_killed);
    assert!(recording
        .architectures
        .contains(aisvs_sandbox::seccomp::names::native_architecture()));
}

#[test]
fn recorded_profile_confines_the_workload() {
    let recording = record_self("quiet");
    assert_eq!(recording.exit_code, 5);
    let mut names: BTreeSet<String> = recording.syscalls.clone();
    names.extend(BaseSet::Minimal.syscalls().into_iter().map(str::to_string));
    let profile = allow_list_profile(&names, &recording.architectures);
    let compiled = compile(&profile).expect("recorded profile compiles");
    let exe = std::env::current_exe()
        .expect("test binary path")
        .into_os_string();
    let run = |mode: &str| {
        let args: Vec<OsString> = [format!("{MODE}={mode}")]
            .into_iter()
            .map(OsString::from)
            .chain([exe.clone()])
            .chain(
                ["--exact", "workload_helper", "--test-threads=1", "--quiet"].map(OsString::from),
            )
            .collect();
        run_confined(&compiled, &OsString::from("env"), &args).expect("runs")
    };
    assert_eq!(
        run("quiet"),
        5,
        "the recorded workload runs under its own profile"
    );
    assert_eq!(
        run("mkdir"),
        42,
        "mkdir is outside the profile and must fail with EPERM"
    );
    let unconfined = std::process::Command::new(&exe)
        .args(["--exact", "workload_helper", "--test-threads=1", "--quiet"])
        .env(MODE, "mkdir")
        .status()
        .expect("runs");
    assert_eq!(
        unconfined.code(),
        Some(0),
        "without the profile the probe succeeds"
    );
}

#[test]
fn missing_command_and_signals_are_reported() {
    let missing = record(&OsString::from("/nonexistent/aisvs-no-such-command"), &[]);
    assert!(
        matches!(missing, Err(SeccompRunError::NotFound(_))),
        "{missing:?}"
    );
    let killed = record(
        &OsString::from("sh"),
        &[OsString::from("-c"), OsString::from("kill -9 $$")],
    )
    .expect("runs");
    assert_eq!(killed.exit_code, 128 + 9);
    assert_eq!(killed.killed_by, Some(9));
    assert!(killed.syscalls.contains("kill"));
}

#[test]
fn descendants_left_running_are_ended() {
    let pid_file = std::env::temp_dir().join(format!("aisvs-seccomp-bg-{}", std::process::id()));
    let script = format!("sleep 30 & echo $! > {}; exit 3", pid_file.display());
    let recording = record(
        &OsString::from("sh"),
        &[OsString::from("-c"), OsString::from(script)],
    )
    .expect("runs");
    assert_eq!(recording.exit_code, 3);
    assert!(recording.leftover_killed);
    let pid = std::fs::read_to_string(&pid_file).expect("pid written");
    let _ = std::fs::remove_file(&pid_file);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let state = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    let running = state
        .rsplit(')')
        .next()
        .is_some_and(|rest| !rest.trim_start().starts_with('Z'));
    assert!(!running, "background sleep still running: {state}");
}

#[test]
fn recording_works_without_root() {
    let exe = std::env::current_exe().expect("test binary path");
    let harness = ["--exact", "workload_helper", "--test-threads=1", "--quiet"];
    // SAFETY: geteuid has no preconditions.
    let status = if unsafe { libc::geteuid() } != 0 {
        std::process::Command::new(&exe)
            .args(harness)
            .env(MODE, "record-unprivileged")
            .status()
    } else {
        // As root, drop to nobody with setpriv (util-linux). The binary is copied to a directory
        // nobody can reach, since the build directory may sit below /root.
        let dir = tempfile::tempdir().expect("tempdir");
        let copy = dir.path().join("seccomp-record-test");
        std::fs::copy(&exe, &copy).expect("copy test binary");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::process::Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
            ])
            .arg(&copy)
            .args(harness)
            .env(MODE, "record-unprivileged")
            .status()
    };
    let status = status.expect("setpriv (util-linux) runs");
    assert_eq!(status.code(), Some(0), "unprivileged recording failed");
}
