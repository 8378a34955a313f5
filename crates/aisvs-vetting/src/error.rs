//! Typed errors of the gate library; every message names the file (and the line where one applies).

use std::path::{Path, PathBuf};

/// Everything that can go wrong while reading gate inputs or writing the decision record.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// The file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than the gate is willing to read.
    #[error("{}: file is larger than the {limit_mib} MiB limit", path.display())]
    TooLarge { path: PathBuf, limit_mib: u64 },
    /// The file is not valid in its format; `line` is 1-based when known.
    #[error("{}: {}{message}", path.display(), line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Parse {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// The file parsed but says something the gate cannot accept.
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl GateError {
    /// An I/O failure on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        GateError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A syntax or schema problem in `path`, optionally at a 1-based line.
    pub fn parse(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        GateError::Parse {
            path: path.to_path_buf(),
            line,
            message: one_line(&message.into()),
        }
    }

    /// A semantic problem in `path`.
    pub fn invalid(path: &Path, message: impl Into<String>) -> Self {
        GateError::Invalid {
            path: path.to_path_buf(),
            message: one_line(&message.into()),
        }
    }
}

/// Library results.
pub type Result<T> = std::result::Result<T, GateError>;

/// Collapses a multi-line message (TOML errors draw code frames) into one line, bounded in length,
/// because every error the gate prints is a single line.
pub fn one_line(message: &str) -> String {
    const MAX_CHARS: usize = 300;
    let joined = message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if joined.chars().count() > MAX_CHARS {
        let cut: String = joined.chars().take(MAX_CHARS).collect();
        format!("{cut}…")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_names_file_and_line() {
        let err = GateError::parse(Path::new("r.jsonl"), Some(7), "bad\n  thing");
        assert_eq!(err.to_string(), "r.jsonl: line 7: bad; thing");
    }

    #[test]
    fn long_messages_are_truncated() {
        let long = "x".repeat(1000);
        assert!(one_line(&long).chars().count() <= 301);
    }
}
