//! Implementations of the `aisvs seccomp` subcommands (argument types live in `seccomp_cli`).

mod check;
mod record;
mod run;

pub use check::check;
pub use record::record;
pub use run::run;

use super::error::{ProfileError, SeccompRunError, MAX_PROFILE_BYTES};
use std::path::Path;

/// Exit code for usage and input errors.
pub(crate) const EXIT_USAGE: i32 = 2;
/// Exit code when the recorder or filter could not be set up (as `sandbox run` uses it).
pub(crate) const EXIT_SETUP: i32 = 125;

/// Reads a profile file with a size bound; the error names the file.
pub(crate) fn read_profile_file(path: &Path) -> Result<String, ProfileError> {
    let io = |message: String| ProfileError::Io {
        path: path.to_path_buf(),
        message,
    };
    let metadata = std::fs::metadata(path).map_err(|err| io(err.to_string()))?;
    if metadata.len() > MAX_PROFILE_BYTES as u64 {
        return Err(io(format!("larger than {MAX_PROFILE_BYTES} bytes")));
    }
    std::fs::read_to_string(path).map_err(|err| io(err.to_string()))
}

/// Prints a run error and maps it to the exit code of `env`/`timeout` conventions.
pub(crate) fn report_run_error(err: &SeccompRunError) -> i32 {
    eprintln!("error: {err}");
    match err {
        SeccompRunError::NotFound(_) => 127,
        SeccompRunError::CannotExecute(..) => 126,
        SeccompRunError::Setup(_) => EXIT_SETUP,
        SeccompRunError::Unenforceable(_) => EXIT_USAGE,
    }
}
