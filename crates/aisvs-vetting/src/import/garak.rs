//! Importer for garak's `garak.<run>.report.jsonl`: one JSON object per line, `entry_type` says which.
//!
//! Used lines: `start_run setup` (configuration, flattened as `section.key`), `init` (version,
//! run id), `eval` (one per probe/detector pair: `passed` and either `total` in older releases or
//! `fails`/`nones`/`total_evaluated` in newer ones) and `completion` (the run finished).

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{GateError, Result};
use crate::eval::{EvalResults, SourceFormat};
use crate::import::taxonomy::garak_category;
use crate::limits::for_each_line;

/// Fields of an `eval` line; absent counts default to `None` so both report generations parse.
#[derive(Debug, Deserialize)]
struct EvalLine {
    probe: String,
    #[serde(default)]
    detector: Option<String>,
    passed: u64,
    #[serde(default)]
    fails: Option<u64>,
    #[serde(default)]
    nones: Option<u64>,
    #[serde(default)]
    total_evaluated: Option<u64>,
    #[serde(default)]
    total: Option<u64>,
}

/// True when the first non-empty line of `head` is a garak report line.
pub fn sniff(head: &str) -> bool {
    let first = head.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    first.trim_start().starts_with('{') && first.contains("\"entry_type\"")
}

/// Reads a garak report, streaming it line by line.
pub fn import(path: &Path) -> Result<EvalResults> {
    let mut results = EvalResults::new(SourceFormat::Garak, "garak");
    let mut eval_lines = 0usize;
    let mut completed = false;
    for_each_line(path, |number, line| {
        if line.trim().is_empty() {
            return Ok(());
        }
        let value: Value = serde_json::from_str(line).map_err(|e| {
            GateError::parse(
                path,
                Some(number),
                format!("not a JSON object: {}", super::neutral::strip_position(&e)),
            )
        })?;
        let entry_type = value
            .get("entry_type")
            .and_then(Value::as_str)
            .unwrap_or("");
        match entry_type {
            "start_run setup" => read_setup(path, &value, &mut results)?,
            "init" => {
                results.tool.version = string_field(&value, "garak_version");
                results.run_id = string_field(&value, "run");
            }
            "eval" => {
                read_eval(path, number, value, &mut results)?;
                eval_lines += 1;
            }
            "completion" => completed = true,
            // garak 0.9 wrote its arguments as a `config` line instead of `start_run setup`.
            "config" => results.model.name = string_field(&value, "model_name"),
            _ => {}
        }
        Ok(())
    })?;
    if eval_lines == 0 {
        return Err(GateError::invalid(
            path,
            "no `eval` entries: the garak run evaluated nothing",
        ));
    }
    if !completed {
        results
            .warnings
            .push("no `completion` entry: the garak run did not finish; probes that had not run are absent".into());
    }
    Ok(results)
}

fn read_setup(path: &Path, setup: &Value, results: &mut EvalResults) -> Result<()> {
    results.model.name = string_field(setup, "plugins.target_name")
        .or_else(|| string_field(setup, "plugins.model_name"));
    // garak copies every plain value of its `run:` config section into this line, so a
    // `run: {model_digest: …}` entry in the garak config file arrives here as `run.model_digest`.
    if let Some(raw) = string_field(setup, "run.model_digest") {
        let digest = crate::digest::normalize_model_digest(&raw).ok_or_else(|| {
            GateError::invalid(
                path,
                format!("`run.model_digest` {raw:?} is not a sha256 digest"),
            )
        })?;
        results.model.digest = Some(digest);
    }
    Ok(())
}

fn read_eval(path: &Path, number: usize, value: Value, results: &mut EvalResults) -> Result<()> {
    let line: EvalLine = serde_json::from_value(value)
        .map_err(|e| GateError::parse(path, Some(number), format!("`eval` entry: {e}")))?;
    let total = line.total_evaluated.or(line.total).ok_or_else(|| {
        GateError::parse(
            path,
            Some(number),
            "`eval` entry has neither `total_evaluated` nor `total`",
        )
    })?;
    let failed = match line.fails {
        Some(fails) => fails,
        None => total.checked_sub(line.passed).ok_or_else(|| {
            GateError::parse(
                path,
                Some(number),
                format!("`passed` {} exceeds the total {total}", line.passed),
            )
        })?,
    };
    if line.passed.checked_add(failed) != Some(total) {
        return Err(GateError::parse(
            path,
            Some(number),
            format!(
                "`passed` {} + `fails` {failed} does not equal the total {total}",
                line.passed
            ),
        ));
    }
    let source = match &line.detector {
        Some(detector) => format!("{} / {}", line.probe, detector),
        None => line.probe.clone(),
    };
    results.record(
        &garak_category(&line.probe),
        line.passed,
        failed,
        line.nones.unwrap_or(0),
        &source,
    );
    Ok(())
}

fn string_field(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}
