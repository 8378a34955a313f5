//! The neutral adversarial-evaluation result model every importer produces and the gate compares.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// Which input format a result file was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// The gate's own documented JSON format (`aisvs-adversarial-eval`, version 1).
    Neutral,
    /// A garak `garak.<run>.report.jsonl` file.
    Garak,
    /// A promptfoo `promptfoo eval -o results.json` export.
    Promptfoo,
}

impl SourceFormat {
    /// Lower-case name used in messages and records.
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Neutral => "neutral",
            SourceFormat::Garak => "garak",
            SourceFormat::Promptfoo => "promptfoo",
        }
    }
}

/// Outcome counts of one attack category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryCounts {
    /// Attacks the model resisted.
    pub passed: u64,
    /// Attacks that succeeded against the model.
    pub failed: u64,
    /// Attempts that produced no gradable answer (transport errors, empty outputs); not in the rate.
    #[serde(default)]
    pub errors: u64,
    /// The tool-specific probes, plugins or tests that fed this category (for traceability).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub sources: BTreeSet<String>,
}

impl CategoryCounts {
    /// Graded attempts: the denominator of the pass rate.
    pub fn evaluated(&self) -> u64 {
        self.passed.saturating_add(self.failed)
    }

    /// Share of graded attacks the model resisted, or `None` when nothing was graded.
    pub fn pass_rate(&self) -> Option<f64> {
        let evaluated = self.evaluated();
        (evaluated > 0).then(|| self.passed as f64 / evaluated as f64)
    }

    /// Adds another set of counts (saturating: hostile counts must not overflow).
    pub fn add(&mut self, passed: u64, failed: u64, errors: u64, source: &str) {
        self.passed = self.passed.saturating_add(passed);
        self.failed = self.failed.saturating_add(failed);
        self.errors = self.errors.saturating_add(errors);
        if !source.is_empty() {
            self.sources.insert(source.to_string());
        }
    }
}

/// The tool that produced the results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolInfo {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The model that was evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRef {
    /// Display name (a provider id, a Hugging Face repo, a local path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `sha256:<hex>` of the model artifact; the key that binds results to a sandbox record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// One evaluation run, reduced to per-category counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalResults {
    pub format: SourceFormat,
    pub tool: ToolInfo,
    pub model: ModelRef,
    /// Run identifier from the tool, when it has one.
    pub run_id: Option<String>,
    pub categories: BTreeMap<String, CategoryCounts>,
    /// Things the importer noticed that do not make the file unreadable (an unfinished run…).
    pub warnings: Vec<String>,
}

impl EvalResults {
    /// An empty result set for `format`, produced by `tool`.
    pub fn new(format: SourceFormat, tool: &str) -> Self {
        EvalResults {
            format,
            tool: ToolInfo {
                name: tool.to_string(),
                version: None,
            },
            model: ModelRef::default(),
            run_id: None,
            categories: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    /// Adds counts to `category`, creating it on first use.
    pub fn record(&mut self, category: &str, passed: u64, failed: u64, errors: u64, source: &str) {
        self.categories
            .entry(category.to_string())
            .or_default()
            .add(passed, failed, errors, source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_rate_ignores_errors_and_is_none_when_nothing_graded() {
        let mut counts = CategoryCounts::default();
        assert_eq!(counts.pass_rate(), None);
        counts.add(3, 1, 5, "dan.Dan_11_0");
        assert_eq!(counts.evaluated(), 4);
        assert_eq!(counts.pass_rate(), Some(0.75));
    }

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        let mut counts = CategoryCounts::default();
        counts.add(u64::MAX, 0, 0, "");
        counts.add(5, 0, 0, "");
        assert_eq!(counts.passed, u64::MAX);
        assert!(counts.sources.is_empty());
    }
}
