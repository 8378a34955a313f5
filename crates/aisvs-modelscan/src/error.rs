//! Typed errors: `ScanError` for the caller (exit code 2 material), `ParseError` inside format parsers.

use std::path::PathBuf;

/// Errors that stop a scan from starting at all (bad arguments, missing paths).
/// Problems *inside* a file are never errors: they become findings with an `unknown` or `unsafe` effect.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: cannot read: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path}: cannot write report: {reason}")]
    Output { path: PathBuf, reason: String },
}

/// A parse failure inside one byte stream; converted to a finding by the format scanner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("truncated at byte {offset}: {what}")]
    Truncated { offset: u64, what: &'static str },
    #[error("{what} at byte {offset} declares {declared} bytes, more than the {limit}-byte limit")]
    TooLarge {
        offset: u64,
        what: &'static str,
        declared: u64,
        limit: u64,
    },
    #[error("invalid {what} at byte {offset}")]
    Invalid { offset: u64, what: String },
    #[error("read error at byte {offset}: {reason}")]
    Io { offset: u64, reason: String },
}

impl ParseError {
    /// The byte offset the error refers to.
    pub fn offset(&self) -> u64 {
        match self {
            ParseError::Truncated { offset, .. }
            | ParseError::TooLarge { offset, .. }
            | ParseError::Invalid { offset, .. }
            | ParseError::Io { offset, .. } => *offset,
        }
    }

    /// Shorthand for an `Invalid` error.
    pub fn invalid(offset: u64, what: impl Into<String>) -> Self {
        ParseError::Invalid {
            offset,
            what: what.into(),
        }
    }
}
