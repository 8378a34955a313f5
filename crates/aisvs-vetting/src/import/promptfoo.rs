//! Importer for promptfoo's `promptfoo eval -o results.json` / `promptfoo redteam eval -o …` export.
//!
//! Shape used (promptfoo `OutputFile`): `evalId`, `results.results[]` (each an `EvaluateResult`
//! with `success`, `failureReason` 0 none / 1 assertion / 2 error, `provider`, `testCase.metadata`,
//! `metadata`), `config.metadata` (free-form, where the model digest is read from) and
//! `metadata.promptfooVersion`. Red-team tests carry `pluginId` / `strategyId` in their metadata.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{GateError, Result};
use crate::eval::{EvalResults, SourceFormat};
use crate::import::taxonomy::promptfoo_category;

/// promptfoo's `ResultFailureReason.ERROR`: the test errored instead of being graded.
const FAILURE_REASON_ERROR: u64 = 2;
/// Category for tests that carry neither a red-team plugin id nor a `category` metadata key.
pub const UNCATEGORIZED: &str = "uncategorized";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutputFile {
    #[serde(default)]
    eval_id: Option<String>,
    results: Summary,
    #[serde(default)]
    config: Option<Config>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
struct Summary {
    results: Vec<TestResult>,
}

#[derive(Debug, Default, Deserialize)]
struct Config {
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TestResult {
    success: bool,
    #[serde(default)]
    failure_reason: Option<u64>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    provider: Option<Provider>,
    #[serde(default)]
    test_case: Option<TestCase>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
struct Provider {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TestCase {
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

/// True when `text` looks like a promptfoo export (an object with a nested `results.results`).
pub fn sniff(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.trim_start().starts_with('{')
        && (head.contains("\"evalId\"")
            || head.contains("\"promptfooVersion\"")
            || head.contains("\"shareableUrl\""))
}

/// Parses a promptfoo export already read into memory.
pub fn parse(path: &Path, text: &str) -> Result<EvalResults> {
    let file: OutputFile = serde_json::from_str(text).map_err(|e| {
        GateError::parse(
            path,
            Some(e.line()),
            format!(
                "not a promptfoo export: {}",
                super::neutral::strip_position(&e)
            ),
        )
    })?;
    let mut results = EvalResults::new(SourceFormat::Promptfoo, "promptfoo");
    results.run_id = file.eval_id;
    results.tool.version = file
        .metadata
        .as_ref()
        .and_then(|m| m.get("promptfooVersion"))
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(raw) = file
        .config
        .and_then(|c| c.metadata)
        .and_then(|m| digest_in(&m))
    {
        let digest = crate::digest::normalize_model_digest(&raw).ok_or_else(|| {
            GateError::invalid(
                path,
                format!("`config.metadata.model_digest` {raw:?} is not a sha256 digest"),
            )
        })?;
        results.model.digest = Some(digest);
    }
    if file.results.results.is_empty() {
        return Err(GateError::invalid(
            path,
            "`results.results` is empty: the eval ran no tests",
        ));
    }
    let mut providers = BTreeSet::new();
    for test in &file.results.results {
        if let Some(provider) = &test.provider {
            // The id is what promptfoo calls; labels are optional display names and may be empty.
            let label = provider.label.as_ref().filter(|l| !l.trim().is_empty());
            if let Some(name) = provider
                .id
                .as_ref()
                .filter(|i| !i.trim().is_empty())
                .or(label)
            {
                providers.insert(name.clone());
            }
        }
        let plugin = metadata_str(test, "pluginId");
        let strategy = metadata_str(test, "strategyId");
        let category = match (&plugin, metadata_str(test, "category")) {
            (Some(plugin), _) => promptfoo_category(plugin),
            (None, Some(user_category)) => user_category,
            (None, None) => UNCATEGORIZED.to_string(),
        };
        let source = match (&plugin, &strategy) {
            (Some(p), Some(s)) => format!("{p} / {s}"),
            (Some(p), None) => p.clone(),
            _ => String::new(),
        };
        let errored = test.failure_reason == Some(FAILURE_REASON_ERROR)
            || (!test.success
                && test.error.as_ref().is_some_and(|e| !e.is_null())
                && test.failure_reason.is_none());
        let (passed, failed, errors) = match (errored, test.success) {
            (true, _) => (0, 0, 1),
            (false, true) => (1, 0, 0),
            (false, false) => (0, 1, 0),
        };
        results.record(&category, passed, failed, errors, &source);
    }
    if providers.len() > 1 {
        let names: Vec<_> = providers.iter().map(String::as_str).collect();
        return Err(GateError::invalid(
            path,
            format!(
                "results cover {} providers ({}); the gate compares one model per file (use --filter-providers)",
                providers.len(),
                names.join(", ")
            ),
        ));
    }
    results.model.name = providers.into_iter().next();
    Ok(results)
}

/// The model digest a promptfoo config can carry in its free-form `metadata` block.
fn digest_in(metadata: &Map<String, Value>) -> Option<String> {
    ["model_digest", "modelDigest"].iter().find_map(|key| {
        metadata
            .get(*key)
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

/// A string from the test case's metadata, else from the result's own metadata.
fn metadata_str(test: &TestResult, key: &str) -> Option<String> {
    let from_case = test.test_case.as_ref().and_then(|c| c.metadata.as_ref());
    [from_case, test.metadata.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|m| m.get(key).and_then(Value::as_str))
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}
