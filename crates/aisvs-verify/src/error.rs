//! Typed errors of the verify library: input that cannot be read or understood (exit code 2).
//!
//! A failed *check* is not an error: it becomes a failing entry in a [`crate::Report`] (exit 1).
//! Errors are reserved for "the tool could not do its job": unreadable or malformed files,
//! usage mistakes. Every message names the file and the step that failed.

use std::fmt::Display;
use std::path::Path;

/// Why verification could not even be attempted.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// A file could not be read or parsed.
    #[error("{path}: {step}: {message}")]
    Input {
        /// The file (or directory) that failed.
        path: String,
        /// The processing step that failed (for example "parse bundle JSON").
        step: &'static str,
        /// What went wrong, in one line.
        message: String,
    },
    /// The options given do not make sense together.
    #[error("{0}")]
    Usage(String),
}

impl VerifyError {
    /// Builds an input error for `path` at `step`.
    pub fn input(path: impl AsRef<Path>, step: &'static str, message: impl Display) -> Self {
        // Keep the message on one line: multi-line causes (PEM dumps, serde contexts) would
        // break the "one-line error" contract of the CLI.
        let message = message.to_string().replace(['\n', '\r'], " ");
        VerifyError::Input {
            path: path.as_ref().display().to_string(),
            step,
            message,
        }
    }

    /// Builds a usage error.
    pub fn usage(message: impl Display) -> Self {
        VerifyError::Usage(message.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_errors_are_one_line_and_name_file_and_step() {
        let err = VerifyError::input("b.json", "parse bundle", "line one\nline two\r\n");
        assert_eq!(err.to_string(), "b.json: parse bundle: line one line two  ");
        assert!(!err.to_string().contains('\n'));
    }
}
