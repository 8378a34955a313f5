//! Typed errors of the evidence library; every message names the file it is about.

use std::path::PathBuf;

/// Everything that can go wrong while reading evidence or using the history store.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid JSON (or not the shape its kind requires).
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: PathBuf,
        line: u32,
        message: String,
    },
    /// The file is not a report kind this library understands.
    #[error("{path}: not a recognised report (Trivy JSON, Grype JSON, kube-bench JSON/text or secret metadata)")]
    Unrecognised { path: PathBuf },
    /// A report carries no scan time and none was declared.
    #[error("{path}: report has no timestamp; pass --scanned-at TIME (RFC 3339) to declare when it was produced")]
    NoTimestamp { path: PathBuf },
    /// The history file failed its integrity check; it was kept untouched and copied.
    #[error("{path}: history database is corrupted ({detail}); it was left untouched, a copy was saved as {backup}; move it away or restore a backup to continue")]
    CorruptHistory {
        path: PathBuf,
        backup: PathBuf,
        detail: String,
    },
    /// The history file was written by a newer schema.
    #[error(
        "{path}: history schema version {found} is newer than this tool understands ({supported})"
    )]
    HistoryVersion {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// Any other SQLite failure.
    #[error("{path}: history database error: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// Input that is syntactically valid but unusable (bad option value, bad time).
    #[error("{0}")]
    Invalid(String),
}

impl EvidenceError {
    /// Builds a `Malformed` error from a serde_json error, keeping its line number.
    pub fn json(path: &std::path::Path, err: &serde_json::Error) -> Self {
        EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: u32::try_from(err.line()).unwrap_or(0),
            message: format!("invalid JSON: {err}"),
        }
    }
}

/// Result alias used across the crate.
pub type Result<T> = std::result::Result<T, EvidenceError>;
