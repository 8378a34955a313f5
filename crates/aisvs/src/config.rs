//! `aisvs.toml`: level, per-rule settings and waivers. Unknown keys are errors that name the key and its line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::evidence::Severity;

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default `--level`.
    pub level: Option<u8>,
    /// Per-rule settings: `enabled`, `severity` and the rule's own options.
    #[serde(default)]
    pub rules: BTreeMap<String, toml::Table>,
    /// Accepted risks.
    #[serde(default)]
    pub waiver: Vec<Waiver>,
    /// Scan settings.
    #[serde(default)]
    pub scan: ScanSection,
    /// `[evidence]`: expected signers, builders, keys and history settings for evidence files.
    #[serde(default)]
    pub evidence: crate::model::scan_evidence::EvidenceConfig,
    /// Where this config came from (for messages).
    #[serde(skip)]
    pub path: String,
    #[serde(skip)]
    text: String,
}

/// `[scan]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    /// Glob patterns (relative to the scan root) of paths to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// `[[waiver]]`: suppresses matching failures, with a required reason and an optional expiry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Rule id.
    pub rule: String,
    /// Glob of paths (relative to the scan root); default all.
    #[serde(default)]
    pub path: Option<String>,
    /// Route prefix inside the document.
    #[serde(default)]
    pub route: Option<String>,
    /// Why the risk is accepted (required).
    pub reason: String,
    /// `YYYY-MM-DD`; after it, the waiver no longer applies and is reported.
    #[serde(default)]
    pub expires: Option<String>,
}

/// Config errors, each naming the file (and the line where one is known).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable file.
    #[error("{path}: cannot read config: {reason}")]
    Read { path: String, reason: String },
    /// Syntax or schema error.
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: usize,
        message: String,
    },
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: display.clone(),
            reason: e.to_string(),
        })?;
        Self::parse(&text, &display)
    }

    /// Parses config text.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            ConfigError::Invalid {
                path: path.into(),
                line,
                message: e.message().trim().replace('\n', " "),
            }
        })?;
        cfg.path = path.into();
        cfg.text = text.into();
        if let Some(l) = cfg.level {
            if !(1..=3).contains(&l) {
                return Err(cfg.error_at(
                    "level",
                    None,
                    format!("level must be 1, 2 or 3, not {l}"),
                ));
            }
        }
        for w in &cfg.waiver {
            if w.reason.trim().is_empty() {
                return Err(cfg.error_at(
                    "reason",
                    Some("waiver"),
                    format!("waiver for `{}` needs a non-empty reason", w.rule),
                ));
            }
            if let Some(e) = &w.expires {
                if parse_date(e).is_none() {
                    return Err(cfg.error_at(
                        "expires",
                        Some("waiver"),
                        format!("expires `{e}` is not a YYYY-MM-DD date"),
                    ));
                }
            }
        }
        Ok(cfg)
    }

    /// An error pointing at the first line where `key` is set (inside `[section…]` when given).
    pub fn error_at(&self, key: &str, section: Option<&str>, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.clone(),
            line: self.line_of(key, section),
            message,
        }
    }

    /// 1-based line of `key = …` within a table whose header contains `section` (0 if not found).
    pub fn line_of(&self, key: &str, section: Option<&str>) -> usize {
        let mut in_section = section.is_none();
        for (i, line) in self.text.lines().enumerate() {
            let t = line.trim();
            if t.starts_with('[') {
                in_section = section.is_some_and(|s| t.contains(s));
                continue;
            }
            if in_section {
                let k = t.split('=').next().unwrap_or("").trim().trim_matches('"');
                if k == key && t.contains('=') {
                    return i + 1;
                }
            }
        }
        0
    }

    /// 1-based line of the n-th occurrence of a table header such as `[[waiver]]` (0 if absent).
    pub fn table_header_line(&self, header: &str, n: usize) -> usize {
        self.text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim() == header)
            .nth(n)
            .map_or(0, |(i, _)| i + 1)
    }

    /// Splits a `[rules.<id>]` table into enabled, severity and the rule's own options.
    pub fn rule_settings(
        &self,
        id: &str,
    ) -> Result<(bool, Option<Severity>, toml::Table), ConfigError> {
        let mut table = self.rules.get(id).cloned().unwrap_or_default();
        let section = format!("rules.{id}");
        let enabled = match table.remove("enabled") {
            None => true,
            Some(toml::Value::Boolean(b)) => b,
            Some(_) => {
                return Err(self.error_at(
                    "enabled",
                    Some(&section),
                    "enabled must be true or false".into(),
                ))
            }
        };
        let severity = match table.remove("severity") {
            None => None,
            Some(v) => Some(v.try_into::<Severity>().map_err(|_| {
                self.error_at(
                    "severity",
                    Some(&section),
                    "severity must be high, medium, low or info".into(),
                )
            })?),
        };
        Ok((enabled, severity, table))
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(
        s,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}
