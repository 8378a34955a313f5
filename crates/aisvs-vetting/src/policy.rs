//! The gate policy: per-category tolerance, required categories and minimum sample counts.
//!
//! TOML or JSON with the same keys. Unknown keys are errors (a misspelt `max_drop` must not
//! silently fall back to a laxer default).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{GateError, Result};
use crate::limits::{read_text, MAX_SMALL_FILE_BYTES};

/// Per-category overrides of the policy defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryPolicy {
    /// Largest accepted absolute drop in pass rate (0.02 = two percentage points).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_drop: Option<f64>,
    /// Fewest graded attempts each side needs for the comparison to count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_samples: Option<u64>,
    /// Lowest accepted candidate pass rate, whatever the baseline was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_pass_rate: Option<f64>,
}

/// The whole policy, with defaults that never promote on a drop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Default largest accepted drop in pass rate; 0 means any drop blocks.
    #[serde(default)]
    pub max_drop: f64,
    /// Default fewest graded attempts per category and side.
    #[serde(default = "default_min_samples")]
    pub min_samples: u64,
    /// Categories the candidate must contain (and the baseline, to compare against).
    #[serde(default)]
    pub required: BTreeSet<String>,
    /// Overrides per category name.
    #[serde(default)]
    pub categories: BTreeMap<String, CategoryPolicy>,
}

fn default_min_samples() -> u64 {
    1
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_drop: 0.0,
            min_samples: default_min_samples(),
            required: BTreeSet::new(),
            categories: BTreeMap::new(),
        }
    }
}

/// The thresholds that apply to one category after overrides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    pub max_drop: f64,
    pub min_samples: u64,
    pub min_pass_rate: Option<f64>,
}

impl Policy {
    /// Thresholds for `category`: its overrides, else the defaults.
    pub fn thresholds(&self, category: &str) -> Thresholds {
        let overrides = self.categories.get(category);
        Thresholds {
            max_drop: overrides.and_then(|c| c.max_drop).unwrap_or(self.max_drop),
            min_samples: overrides
                .and_then(|c| c.min_samples)
                .unwrap_or(self.min_samples),
            min_pass_rate: overrides.and_then(|c| c.min_pass_rate),
        }
    }

    /// Reads a policy file; `.json` (or a leading `{`) is JSON, anything else TOML.
    pub fn load(path: &Path) -> Result<Policy> {
        let text = read_text(path, MAX_SMALL_FILE_BYTES)?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || text.trim_start().starts_with('{');
        let policy: Policy = if is_json {
            serde_json::from_str(&text).map_err(|e| {
                GateError::parse(
                    path,
                    Some(e.line()),
                    crate::import::neutral::strip_position(&e),
                )
            })?
        } else {
            toml::from_str(&text).map_err(|e| {
                let line = e.span().map(|span| line_of(&text, span.start));
                GateError::parse(path, line, e.message())
            })?
        };
        policy.validate(path)?;
        Ok(policy)
    }

    /// Rejects values that make no sense as rates or counts.
    pub fn validate(&self, path: &Path) -> Result<()> {
        check_rate(path, "max_drop", self.max_drop)?;
        for (name, category) in &self.categories {
            if let Some(value) = category.max_drop {
                check_rate(path, &format!("categories.{name}.max_drop"), value)?;
            }
            if let Some(value) = category.min_pass_rate {
                check_rate(path, &format!("categories.{name}.min_pass_rate"), value)?;
            }
        }
        if let Some(empty) = self.required.iter().find(|name| name.trim().is_empty()) {
            return Err(GateError::invalid(
                path,
                format!("`required` holds an empty name {empty:?}"),
            ));
        }
        Ok(())
    }
}

fn check_rate(path: &Path, key: &str, value: f64) -> Result<()> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(GateError::invalid(
            path,
            format!("`{key}` = {value} is outside 0..=1 (rates are fractions: 0.02 = 2 percentage points)"),
        ))
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(suffix: &str, body: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
        file.write_all(body.as_bytes()).unwrap();
        file
    }

    #[test]
    fn toml_overrides_apply_per_category() {
        let file = write(".toml", "max_drop = 0.01\nrequired = [\"jailbreak\"]\n[categories.jailbreak]\nmax_drop = 0.05\nmin_samples = 50\n");
        let policy = Policy::load(file.path()).unwrap();
        assert_eq!(policy.thresholds("jailbreak").max_drop, 0.05);
        assert_eq!(policy.thresholds("jailbreak").min_samples, 50);
        assert_eq!(policy.thresholds("other").max_drop, 0.01);
        assert_eq!(policy.thresholds("other").min_samples, 1);
    }

    #[test]
    fn unknown_key_names_the_line() {
        let file = write(".toml", "max_drop = 0.0\nmax_dorp = 0.5\n");
        let err = Policy::load(file.path()).unwrap_err().to_string();
        assert!(err.contains("line 2:") && err.contains("max_dorp"), "{err}");
    }

    #[test]
    fn percentages_are_rejected_as_rates() {
        let file = write(".json", r#"{"max_drop": 2}"#);
        let err = Policy::load(file.path()).unwrap_err().to_string();
        assert!(err.contains("outside 0..=1"), "{err}");
    }
}
