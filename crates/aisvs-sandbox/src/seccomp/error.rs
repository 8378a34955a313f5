//! Typed errors of seccomp profile reading, recording and enforcement.

use std::path::PathBuf;

/// Why a profile could not be read or analysed at all.
///
/// Problems that still leave a readable profile (an unknown action, an unknown syscall name,
/// an unknown architecture) are not errors: they become `problems` in the analysis.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The text is not JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The text is not YAML either (for SPO objects).
    #[error("not JSON or YAML: {0}")]
    NotYaml(String),
    /// The JSON is valid but a field has the wrong shape.
    #[error("invalid profile: {0}")]
    Invalid(String),
    /// The input is larger than we are willing to analyse.
    #[error("profile too large: {0} bytes (limit {1})")]
    TooLarge(usize, usize),
    /// The object is not a Security Profiles Operator `SeccompProfile`.
    #[error("not a SeccompProfile object: {0}")]
    NotSpoProfile(String),
    /// A `localhostProfile` path that leaves the profile root or is absolute.
    #[error("localhostProfile {0:?} is not a descending relative path")]
    UnsafeLocalhostPath(String),
    /// A file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS message.
        message: String,
    },
}

/// Why recording, merging or enforcing failed before the workload ran.
#[derive(Debug, thiserror::Error)]
pub enum SeccompRunError {
    /// The command could not be found.
    #[error("command not found: {0}")]
    NotFound(String),
    /// The command exists but could not be executed.
    #[error("cannot execute {0}: {1}")]
    CannotExecute(String, String),
    /// The recorder or filter could not be set up.
    #[error("seccomp setup failed: {0}")]
    Setup(String),
    /// The profile cannot be turned into a kernel filter.
    #[error("profile cannot be enforced: {0}")]
    Unenforceable(String),
}

/// Largest profile text accepted (a generous bound; moby's default profile is ~20 KB).
pub const MAX_PROFILE_BYTES: usize = 4 * 1024 * 1024;
/// Largest number of rules accepted in one profile.
pub const MAX_RULES: usize = 10_000;
/// Largest number of names accepted in one profile, over all rules.
pub const MAX_NAMES: usize = 100_000;
