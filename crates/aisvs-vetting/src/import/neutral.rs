//! Reader and writer of the gate's own neutral result format (`aisvs-adversarial-eval`, version 1).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{GateError, Result};
use crate::eval::{CategoryCounts, EvalResults, ModelRef, SourceFormat, ToolInfo};

/// The `format` marker of a neutral result file.
pub const NEUTRAL_FORMAT: &str = "aisvs-adversarial-eval";
/// The only version this build reads and writes.
pub const NEUTRAL_VERSION: u32 = 1;
/// Longest category name accepted (names reach terminals and JSON reports).
const MAX_CATEGORY_CHARS: usize = 128;

/// The on-disk shape; unknown fields are an error so a typo cannot silently drop data.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NeutralFile {
    format: String,
    version: u32,
    tool: ToolInfo,
    model: ModelRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    run_id: Option<String>,
    categories: BTreeMap<String, CategoryCounts>,
}

/// True when `text` looks like a neutral result file (cheap check before a full parse).
pub fn sniff(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains(NEUTRAL_FORMAT)
}

/// Parses a neutral result file already read into memory.
pub fn parse(path: &Path, text: &str) -> Result<EvalResults> {
    let file: NeutralFile = serde_json::from_str(text)
        .map_err(|e| GateError::parse(path, Some(e.line()), strip_position(&e)))?;
    if file.format != NEUTRAL_FORMAT {
        return Err(GateError::invalid(
            path,
            format!("`format` is {:?}, expected {NEUTRAL_FORMAT:?}", file.format),
        ));
    }
    if file.version != NEUTRAL_VERSION {
        return Err(GateError::invalid(
            path,
            format!(
                "`version` {} is not supported (this build reads {NEUTRAL_VERSION})",
                file.version
            ),
        ));
    }
    if file.tool.name.trim().is_empty() {
        return Err(GateError::invalid(path, "`tool.name` is empty"));
    }
    for name in file.categories.keys() {
        if name.trim().is_empty()
            || name.chars().count() > MAX_CATEGORY_CHARS
            || name.chars().any(char::is_control)
        {
            return Err(GateError::invalid(
                path,
                format!("category name {name:?} is empty, too long or has control characters"),
            ));
        }
    }
    Ok(EvalResults {
        format: SourceFormat::Neutral,
        tool: file.tool,
        model: file.model,
        run_id: file.run_id,
        categories: file.categories,
        warnings: Vec::new(),
    })
}

/// Renders results in the neutral format (used to convert tool reports for archiving).
pub fn render(results: &EvalResults) -> String {
    let file = NeutralFile {
        format: NEUTRAL_FORMAT.to_string(),
        version: NEUTRAL_VERSION,
        tool: results.tool.clone(),
        model: results.model.clone(),
        run_id: results.run_id.clone(),
        categories: results.categories.clone(),
    };
    // Serialising plain structs with string keys cannot fail; fall back to an empty object anyway.
    serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{}".to_string())
}

/// serde_json appends " at line X column Y"; the gate prints the line itself.
pub(crate) fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"format":"aisvs-adversarial-eval","version":1,
        "tool":{"name":"in-house"},"model":{"digest":"sha256:00"},
        "categories":{"jailbreak":{"passed":9,"failed":1}}}"#;

    #[test]
    fn parses_and_round_trips() {
        let parsed = parse(Path::new("n.json"), SAMPLE).unwrap();
        assert_eq!(parsed.categories["jailbreak"].passed, 9);
        let again = parse(Path::new("n.json"), &render(&parsed)).unwrap();
        assert_eq!(again.categories, parsed.categories);
        assert!(sniff(SAMPLE));
    }

    #[test]
    fn unknown_fields_and_versions_are_errors() {
        let typo = SAMPLE.replace("\"failed\"", "\"faild\"");
        let err = parse(Path::new("n.json"), &typo).unwrap_err().to_string();
        assert!(
            err.starts_with("n.json: line 3: unknown field `faild`"),
            "{err}"
        );
        let v2 = SAMPLE.replace("\"version\":1", "\"version\":2");
        assert!(parse(Path::new("n.json"), &v2)
            .unwrap_err()
            .to_string()
            .contains("version"));
    }
}
