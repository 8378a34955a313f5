//! Diagnostics: problems with inputs that do not stop the run (unparseable files, skipped files, config warnings).

use serde::Serialize;

/// Severity of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagSeverity {
    /// The input could not be used.
    Error,
    /// The input was used, with a caveat.
    Warning,
}

/// One diagnostic, as it appears in every output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Path relative to the scan root.
    pub path: String,
    /// 1-based line, 0 when the whole file is meant.
    pub line: usize,
    /// Error or warning.
    pub severity: DiagSeverity,
    /// One line saying what is wrong.
    pub message: String,
}

impl Diagnostic {
    /// An error diagnostic.
    pub fn error(path: &str, line: usize, message: String) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            severity: DiagSeverity::Error,
            message,
        }
    }
    /// A warning diagnostic.
    pub fn warning(path: &str, line: usize, message: String) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            severity: DiagSeverity::Warning,
            message,
        }
    }
}
