//! Mitigation records for 4.6.3: `.trivyignore` (with `exp:` dates), `.trivyignore.yaml`
//! (`id`, `statement`, `expired_at`) and OpenVEX JSON statements. A mitigation counts only
//! with a reason and an expiry that is still in the future at evaluation time.

use crate::error::{EvidenceError, Result};
use crate::parse::{array_of, str_of};
use crate::timestamp::parse_time;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// One accepted-risk or not-affected record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mitigation {
    /// Vulnerability id it covers.
    pub vuln_id: String,
    /// Why the risk is accepted / not applicable; `None` when the record gives none.
    pub reason: Option<String>,
    /// When the record stops applying; `None` when it never expires.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires: Option<OffsetDateTime>,
    /// File it came from.
    pub path: PathBuf,
    /// 1-based line, when the format has lines.
    pub line: Option<u32>,
}

impl Mitigation {
    /// Whether it counts at `at`; otherwise says why not.
    pub fn validity(&self, at: OffsetDateTime) -> std::result::Result<(), &'static str> {
        match (&self.reason, self.expires) {
            (None, _) => Err("has no reason"),
            (_, None) => Err("has no expiry"),
            (_, Some(exp)) if exp <= at => Err("has expired"),
            _ => Ok(()),
        }
    }
}

/// Parses a mitigation file recognised by [`crate::sniff`].
pub fn parse_mitigations(path: &Path, text: &str) -> Result<Vec<Mitigation>> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        return Ok(parse_trivyignore_yaml(path, text));
    }
    if text.trim_start().starts_with('{') {
        return parse_openvex(path, text);
    }
    Ok(parse_trivyignore(path, text))
}

/// `.trivyignore`: one id per line, optional ` exp:YYYY-MM-DD`; the comment lines directly
/// above an id are its reason.
fn parse_trivyignore(path: &Path, text: &str) -> Vec<Mitigation> {
    let mut out = Vec::new();
    let mut comment: Vec<&str> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(c) = line.strip_prefix('#') {
            comment.push(c.trim());
            continue;
        }
        if line.is_empty() {
            comment.clear();
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(id) = parts.next() else { continue };
        let expires = parts
            .find_map(|p| p.strip_prefix("exp:"))
            .and_then(parse_time);
        let reason = (!comment.is_empty()).then(|| comment.join(" "));
        out.push(Mitigation {
            vuln_id: id.to_string(),
            reason,
            expires,
            path: path.to_path_buf(),
            line: u32::try_from(index + 1).ok(),
        });
        comment.clear();
    }
    out
}

/// `.trivyignore.yaml`, read line by line: list items under `vulnerabilities:` with `id`,
/// `statement` and `expired_at` scalars (the only keys 4.6.3 needs).
fn parse_trivyignore_yaml(path: &Path, text: &str) -> Vec<Mitigation> {
    let mut out: Vec<Mitigation> = Vec::new();
    let mut in_vulns = false;
    for (index, raw) in text.lines().enumerate() {
        if !raw.starts_with(' ') && !raw.starts_with('-') && !raw.trim().is_empty() {
            in_vulns = raw.trim_end() == "vulnerabilities:";
            continue;
        }
        if !in_vulns {
            continue;
        }
        let line = raw.trim();
        let (is_item, body) = match line.strip_prefix("- ") {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let Some((key, value)) = body.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches('"').trim_matches('\'');
        match key.trim() {
            "id" if is_item => out.push(Mitigation {
                vuln_id: value.to_string(),
                reason: None,
                expires: None,
                path: path.to_path_buf(),
                line: u32::try_from(index + 1).ok(),
            }),
            "statement" => {
                if let Some(last) = out.last_mut() {
                    last.reason = (!value.is_empty()).then(|| value.to_string());
                }
            }
            "expired_at" => {
                if let Some(last) = out.last_mut() {
                    last.expires = parse_time(value);
                }
            }
            _ => {}
        }
    }
    out
}

/// OpenVEX: statements with status `not_affected` (justification / impact statement) or
/// `affected` with an `action_statement`. OpenVEX has no expiry field; an
/// `aisvs_expires` extension field (RFC 3339) is read when present.
fn parse_openvex(path: &Path, text: &str) -> Result<Vec<Mitigation>> {
    let root: Value = serde_json::from_str(text).map_err(|e| EvidenceError::json(path, &e))?;
    let mut out = Vec::new();
    for statement in array_of(&root, "statements") {
        let status = str_of(statement, "status").unwrap_or("");
        let reason = match status {
            "not_affected" => {
                str_of(statement, "impact_statement").or_else(|| str_of(statement, "justification"))
            }
            "affected" => str_of(statement, "action_statement"),
            _ => continue,
        };
        let vuln = statement.get("vulnerability");
        let id = vuln
            .and_then(|v| v.as_str().or_else(|| str_of(v, "name")))
            .unwrap_or("");
        if id.is_empty() {
            continue;
        }
        out.push(Mitigation {
            vuln_id: id.to_string(),
            reason: reason.map(str::to_string),
            expires: str_of(statement, "aisvs_expires").and_then(parse_time),
            path: path.to_path_buf(),
            line: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivyignore_reason_and_expiry() {
        let text = "# upstream has no fix; WAF rule blocks the path\nCVE-2019-18276 exp:2030-01-01\n\nCVE-2020-1\n";
        let m = parse_mitigations(Path::new(".trivyignore"), text).unwrap_or_default();
        assert_eq!(m.len(), 2);
        let at = parse_time("2026-01-01T00:00:00Z").unwrap_or(OffsetDateTime::UNIX_EPOCH);
        assert_eq!(m[0].validity(at), Ok(()));
        assert_eq!(m[1].validity(at), Err("has no reason"));
    }

    #[test]
    fn trivyignore_yaml_entries() {
        let text = "vulnerabilities:\n  - id: CVE-1\n    statement: not reachable\n    expired_at: 2031-02-03\n  - id: CVE-2\nmisconfigurations:\n  - id: AVD-1\n";
        let m = parse_mitigations(Path::new(".trivyignore.yaml"), text).unwrap_or_default();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].reason.as_deref(), Some("not reachable"));
        assert!(m[0].expires.is_some());
        assert_eq!(m[1].vuln_id, "CVE-2");
    }
}
