//! Errors of `sandbox run`, each mapped to the exit code DESIGN.md fixes (125, 126, 127).

use std::path::PathBuf;

/// Exit code when the sandbox itself could not be set up.
pub const EXIT_SETUP: i32 = 125;
/// Exit code when the command exists but cannot be run.
pub const EXIT_CANNOT_RUN: i32 = 126;
/// Exit code when the command cannot be found.
pub const EXIT_NOT_FOUND: i32 = 127;

/// Why a sandboxed run did not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("scratch dir {path}: {reason}")]
    InvalidScratch { path: PathBuf, reason: String },
    #[error("--read-only {path}: {reason}")]
    InvalidReadOnly { path: PathBuf, reason: String },
    #[error("--allow-net {value}: {reason}")]
    InvalidAllowNet { value: String, reason: String },
    #[error("{what}: {reason}")]
    InvalidOption { what: String, reason: String },
    #[error("command not found: {command}")]
    CommandNotFound { command: String },
    #[error("command not found inside the sandbox: {path} (add its directory with --read-only)")]
    CommandNotVisible { path: String },
    #[error("cannot run {path}: {reason}")]
    CommandNotExecutable { path: String, reason: String },
    #[error("sandbox setup failed at step `{step}`: {reason}")]
    Setup { step: &'static str, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("model scan of {path}: {reason}")]
    ModelScan { path: PathBuf, reason: String },
}

impl SandboxError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            SandboxError::CommandNotFound { .. } | SandboxError::CommandNotVisible { .. } => {
                EXIT_NOT_FOUND
            }
            SandboxError::CommandNotExecutable { .. } => EXIT_CANNOT_RUN,
            _ => EXIT_SETUP,
        }
    }

    /// A setup error from a raw `errno`.
    pub fn setup(step: &'static str, errno: i32) -> Self {
        SandboxError::Setup {
            step,
            reason: std::io::Error::from_raw_os_error(errno).to_string(),
        }
    }
}
