//! Shared helpers of the sandbox integration tests: run a command in the sandbox in-process
//! with stdout/stderr captured to files, and build Perl probes.
#![allow(dead_code)]

use std::os::fd::OwnedFd;

use aisvs_sandbox::sandbox::config::SandboxConfig;
use aisvs_sandbox::sandbox::record::RequestedLimits;
use aisvs_sandbox::sandbox::runner::{self, RunOutcome};

/// A finished run with its captured output.
#[derive(Debug)]
pub struct Captured {
    pub outcome: RunOutcome,
    pub stdout: String,
    pub stderr: String,
}

impl Captured {
    /// `"<Status>: <detail>"` of one isolation control, or `"missing"`.
    pub fn control(&self, name: &str) -> String {
        self.outcome
            .isolation
            .iter()
            .find(|c| c.control == name)
            .map(|c| format!("{:?}: {}", c.status, c.detail))
            .unwrap_or_else(|| "missing".into())
    }
}

/// `perl -e SCRIPT`.
pub fn perl(script: &str) -> Vec<String> {
    vec!["perl".into(), "-e".into(), script.into()]
}

/// A config with short limits suitable for tests.
pub fn test_config(command: Vec<String>) -> SandboxConfig {
    SandboxConfig {
        command,
        limits: RequestedLimits {
            memory_bytes: 512 << 20,
            pids: 64,
            cpu_seconds: 30,
            timeout_seconds: 30,
        },
        ..SandboxConfig::default()
    }
}

/// Runs `command` (after `tweak` adjusts the config) and captures its output; panics with the
/// error if the sandbox did not start.
pub fn run_captured(command: Vec<String>, tweak: impl FnOnce(&mut SandboxConfig)) -> Captured {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("stdout");
    let err_path = dir.path().join("stderr");
    let mut config = test_config(command);
    config.stdout = Some(OwnedFd::from(std::fs::File::create(&out_path).unwrap()));
    config.stderr = Some(OwnedFd::from(std::fs::File::create(&err_path).unwrap()));
    tweak(&mut config);
    let outcome = runner::run(config).unwrap_or_else(|e| panic!("sandbox did not start: {e}"));
    Captured {
        outcome,
        stdout: std::fs::read_to_string(&out_path).unwrap(),
        stderr: std::fs::read_to_string(&err_path).unwrap(),
    }
}
