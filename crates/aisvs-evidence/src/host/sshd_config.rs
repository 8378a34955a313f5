//! Our own `sshd_config` reader for when OpenSSH is not installed (or a collected copy is
//! checked): `Include` (globs, relative to /etc/ssh, also inside `Match`), `Match` blocks,
//! first-value-wins for single-valued keywords, accumulation for Allow/Deny lists.

use super::pattern::list_matches;
use super::under_root;
use crate::error::{EvidenceError, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Nesting limit for `Include` (OpenSSH uses 16 as well).
const MAX_INCLUDE_DEPTH: usize = 16;
/// Line budget over all included files (hostile-input bound).
const MAX_LINES: usize = 100_000;

/// Keywords whose values accumulate over lines instead of first-wins.
const ACCUMULATING: &[&str] = &["allowusers", "denyusers", "allowgroups", "denygroups"];

/// One `Keyword value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-case keyword (aliases folded: challengeresponseauthentication → kbdinteractiveauthentication).
    pub keyword: String,
    /// The rest of the line.
    pub value: String,
    /// File and 1-based line.
    pub file: PathBuf,
    pub line: u32,
}

/// A `Match` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchBlock {
    /// Criteria as written after `Match`.
    pub criteria: String,
    /// (criterion lower-case, pattern list) pairs.
    pub conditions: Vec<(String, String)>,
    /// Lines inside the block.
    pub directives: Vec<Directive>,
    /// Where the block starts.
    pub file: PathBuf,
    pub line: u32,
}

/// The parsed configuration, before evaluation for a connection.
#[derive(Debug, Clone, Default)]
pub struct SshdConfig {
    /// Lines outside any Match block, in effective order (includes expanded in place).
    pub global: Vec<Directive>,
    /// Match blocks in order.
    pub matches: Vec<MatchBlock>,
}

/// The configuration in effect for one connection, keyword → values (like `sshd -T`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectiveConfig {
    /// Lower-case keyword → values.
    pub values: BTreeMap<String, Vec<String>>,
    /// `sshd -T` or `parsed sshd_config`.
    pub source: String,
}

impl EffectiveConfig {
    /// First value of a keyword, lower-cased.
    pub fn get(&self, keyword: &str) -> Option<String> {
        self.values
            .get(keyword)
            .and_then(|v| v.first())
            .map(|v| v.to_ascii_lowercase())
    }

    /// All values of an accumulating keyword.
    pub fn list(&self, keyword: &str) -> Vec<String> {
        self.values.get(keyword).cloned().unwrap_or_default()
    }
}

/// OpenSSH 9.2 compiled-in defaults for the keywords the checks read.
const DEFAULTS: &[(&str, &str)] = &[
    ("authenticationmethods", "any"),
    ("usepam", "no"),
    ("kbdinteractiveauthentication", "yes"),
    ("passwordauthentication", "yes"),
    ("pubkeyauthentication", "yes"),
    ("permitrootlogin", "without-password"),
    ("permitemptypasswords", "no"),
    ("hostbasedauthentication", "no"),
    (
        "authorizedkeysfile",
        ".ssh/authorized_keys .ssh/authorized_keys2",
    ),
    ("x11forwarding", "no"),
    ("maxauthtries", "6"),
];

/// Folds deprecated aliases onto the keyword `sshd -T` prints.
fn canonical(keyword: &str) -> String {
    match keyword.to_ascii_lowercase().as_str() {
        "challengeresponseauthentication" => "kbdinteractiveauthentication".into(),
        other => other.to_string(),
    }
}

impl SshdConfig {
    /// Reads `main` (an absolute node path such as `/etc/ssh/sshd_config`) under `root`.
    pub fn load(root: &Path, main: &str) -> Result<SshdConfig> {
        let mut config = SshdConfig::default();
        let mut budget = MAX_LINES;
        let mut current_match: Option<MatchBlock> = None;
        read_file(
            root,
            &under_root(root, main),
            0,
            &mut config,
            &mut current_match,
            &mut budget,
        )?;
        config.matches.extend(current_match);
        Ok(config)
    }

    /// Evaluates the configuration for `user` with `groups`. Match criteria other than
    /// User, Group and All (Host, Address, LocalPort…) are treated as not matching.
    pub fn effective(&self, user: &str, groups: &[String]) -> EffectiveConfig {
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        apply(&mut values, &self.global);
        let mut from_matches: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for block in self
            .matches
            .iter()
            .filter(|b| block_matches(b, user, groups))
        {
            apply(&mut from_matches, &block.directives);
        }
        for (k, v) in from_matches {
            values.insert(k, v);
        }
        for (k, v) in DEFAULTS {
            values
                .entry((*k).to_string())
                .or_insert_with(|| vec![(*v).to_string()]);
        }
        EffectiveConfig {
            values,
            source: "parsed sshd_config".into(),
        }
    }
}

/// Whether every condition of a block holds for the user.
pub fn block_matches(block: &MatchBlock, user: &str, groups: &[String]) -> bool {
    block
        .conditions
        .iter()
        .all(|(criterion, pattern)| match criterion.as_str() {
            "all" => true,
            "user" => list_matches(pattern, user),
            "group" => groups.iter().any(|g| list_matches(pattern, g)),
            _ => false,
        })
}

/// First-wins for ordinary keywords, accumulation for the Allow/Deny lists.
fn apply(values: &mut BTreeMap<String, Vec<String>>, directives: &[Directive]) {
    for d in directives {
        if ACCUMULATING.contains(&d.keyword.as_str()) {
            values
                .entry(d.keyword.clone())
                .or_default()
                .extend(d.value.split_whitespace().map(str::to_string));
        } else {
            values
                .entry(d.keyword.clone())
                .or_insert_with(|| vec![d.value.clone()]);
        }
    }
}

/// Reads one file, expanding `Include` in place.
fn read_file(
    root: &Path,
    file: &Path,
    depth: usize,
    config: &mut SshdConfig,
    current: &mut Option<MatchBlock>,
    budget: &mut usize,
) -> Result<()> {
    if depth > MAX_INCLUDE_DEPTH {
        return Err(EvidenceError::Invalid(format!(
            "{}: Include nested deeper than {MAX_INCLUDE_DEPTH}",
            file.display()
        )));
    }
    let text = std::fs::read_to_string(file).map_err(|source| EvidenceError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    for (index, raw) in text.lines().enumerate() {
        *budget = budget.checked_sub(1).ok_or_else(|| {
            EvidenceError::Invalid(format!(
                "{}: more than {MAX_LINES} configuration lines",
                file.display()
            ))
        })?;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (keyword, value) = match line.find(|c: char| c.is_whitespace() || c == '=') {
            Some(i) => (
                &line[..i],
                line[i..]
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '=')
                    .trim(),
            ),
            None => (line, ""),
        };
        let keyword = canonical(keyword);
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if keyword == "include" {
            for included in super::sshd_include::expand_include(root, value) {
                read_file(root, &included, depth + 1, config, current, budget)?;
            }
        } else if keyword == "match" {
            config.matches.extend(current.take());
            *current = Some(MatchBlock {
                criteria: value.to_string(),
                conditions: parse_criteria(value),
                directives: Vec::new(),
                file: file.to_path_buf(),
                line: line_no,
            });
        } else {
            let directive = Directive {
                keyword,
                value: value.trim_matches('"').to_string(),
                file: file.to_path_buf(),
                line: line_no,
            };
            match current {
                Some(block) => block.directives.push(directive),
                None => config.global.push(directive),
            }
        }
    }
    Ok(())
}

/// `Match User a,b Group c` → [(user, "a,b"), (group, "c")]; `Match all` → [(all, "")].
fn parse_criteria(value: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = value.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let criterion = words[i].to_ascii_lowercase();
        if criterion == "all" {
            out.push((criterion, String::new()));
            i += 1;
        } else {
            out.push((
                criterion,
                words
                    .get(i + 1)
                    .map(|s| s.trim_matches('"').to_string())
                    .unwrap_or_default(),
            ));
            i += 2;
        }
    }
    out
}
