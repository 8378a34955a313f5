//! Bounded reading of input files and JSON parsing with file/line in the error.
//!
//! Every input is hostile: sizes are capped before anything is allocated from them, and
//! serde_json's recursion limit bounds nesting depth.

use crate::error::VerifyError;
use std::io::Read;
use std::path::Path;

/// Largest bundle, envelope, manifest or SBOM accepted (bytes). Real bundles are < 100 KB and
/// SBOMs of large images a few MB; anything bigger is refused instead of being loaded.
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Reads at most `limit` bytes of `path`; a larger file is an error (never silently truncated).
pub fn read_bounded(path: &Path, step: &'static str, limit: u64) -> Result<Vec<u8>, VerifyError> {
    let file = std::fs::File::open(path).map_err(|e| VerifyError::input(path, step, e))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| VerifyError::input(path, step, e))?;
    if bytes.len() as u64 > limit {
        return Err(VerifyError::input(
            path,
            step,
            format!("file is larger than the {limit}-byte limit"),
        ));
    }
    Ok(bytes)
}

/// Reads a UTF-8 text document of at most [`MAX_DOCUMENT_BYTES`].
pub fn read_text(path: &Path, step: &'static str) -> Result<String, VerifyError> {
    let bytes = read_bounded(path, step, MAX_DOCUMENT_BYTES)?;
    String::from_utf8(bytes).map_err(|e| VerifyError::input(path, step, format!("not UTF-8: {e}")))
}

/// Parses JSON text; the error names the line and column.
pub fn parse_json(
    path: &Path,
    step: &'static str,
    text: &str,
) -> Result<serde_json::Value, VerifyError> {
    serde_json::from_str(text).map_err(|e| {
        VerifyError::input(
            path,
            step,
            format!(
                "invalid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Returns the first non-empty line of a JSON-lines file (`*.intoto.jsonl`) or the whole text.
///
/// A Sigstore bundle or DSSE envelope in a `.jsonl` file is one JSON document per line; a
/// pretty-printed `.json` file is one document spanning many lines. Both are accepted.
pub fn first_json_document(text: &str) -> &str {
    let trimmed = text.trim();
    if trimmed.starts_with('{') && serde_json::from_str::<serde_json::Value>(trimmed).is_ok() {
        return trimmed;
    }
    trimmed
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_files_are_refused_not_truncated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.json");
        std::fs::write(&path, vec![b' '; 100]).expect("write");
        let err = read_bounded(&path, "read", 10).expect_err("must refuse");
        assert!(err.to_string().contains("big.json"), "{err}");
        assert!(err.to_string().contains("limit"), "{err}");
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let err = parse_json(Path::new("b.json"), "parse bundle JSON", "{\n \"a\": }")
            .expect_err("invalid");
        let text = err.to_string();
        assert!(
            text.starts_with("b.json: parse bundle JSON: invalid JSON at line 2"),
            "{text}"
        );
    }

    #[test]
    fn jsonl_first_line_is_taken() {
        assert_eq!(first_json_document("{\"a\":1}\n{\"b\":2}\n"), "{\"a\":1}");
        assert_eq!(first_json_document("{\n \"a\": 1\n}\n"), "{\n \"a\": 1\n}");
    }
}
