//! Reading a result file in any supported format: detection by content, then the matching importer.

pub mod garak;
pub mod neutral;
pub mod promptfoo;
pub mod taxonomy;

use std::path::Path;

use crate::error::{GateError, Result};
use crate::eval::{EvalResults, SourceFormat};
use crate::limits::{read_text, MAX_RESULT_BYTES};

/// How many leading bytes are enough to recognise a format.
const SNIFF_BYTES: u64 = 64 * 1024;

/// Recognises the format of a result file from its first bytes.
pub fn detect(path: &Path) -> Result<SourceFormat> {
    let head_bytes = read_head(path)?;
    let head = String::from_utf8_lossy(&head_bytes);
    if neutral::sniff(&head) {
        Ok(SourceFormat::Neutral)
    } else if garak::sniff(&head) {
        Ok(SourceFormat::Garak)
    } else if promptfoo::sniff(&head) {
        Ok(SourceFormat::Promptfoo)
    } else {
        Err(GateError::invalid(
            path,
            "not a recognised result file (expected the aisvs neutral JSON, a garak report.jsonl or a promptfoo results.json; use --baseline-format or --candidate-format to say which)",
        ))
    }
}

/// Reads a result file in `format`, or in the detected format when `format` is `None`.
pub fn load(path: &Path, format: Option<SourceFormat>) -> Result<EvalResults> {
    let format = match format {
        Some(format) => format,
        None => detect(path)?,
    };
    match format {
        SourceFormat::Garak => garak::import(path),
        SourceFormat::Neutral => neutral::parse(path, &read_text(path, MAX_RESULT_BYTES)?),
        SourceFormat::Promptfoo => promptfoo::parse(path, &read_text(path, MAX_RESULT_BYTES)?),
    }
}

fn read_head(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| GateError::io(path, e))?;
    let mut head = Vec::new();
    file.take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| GateError::io(path, e))?;
    if head.is_empty() {
        // An empty file is a clear input error, not an unknown format.
        return Err(GateError::invalid(path, "file is empty"));
    }
    Ok(head)
}
