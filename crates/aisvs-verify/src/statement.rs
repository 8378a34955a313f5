//! in-toto Statements (v1 and legacy v0.1): subjects and predicate.

use crate::artifact::KnownDigests;
use crate::error::VerifyError;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// in-toto Statement v1 `_type`.
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";
/// Legacy in-toto Statement v0.1 `_type` (slsa-github-generator v0.2 provenance, BuildKit, npm).
pub const STATEMENT_V01: &str = "https://in-toto.io/Statement/v0.1";

/// One `subject[]` entry.
#[derive(Debug, Clone)]
pub struct Subject {
    /// `name`.
    pub name: String,
    /// `digest` set: algorithm → lowercase hex (or other string values such as gitCommit).
    pub digest: BTreeMap<String, String>,
}

/// A parsed statement.
#[derive(Debug, Clone)]
pub struct Statement {
    /// `_type`.
    pub statement_type: String,
    /// `predicateType`.
    pub predicate_type: String,
    /// `subject[]`.
    pub subjects: Vec<Subject>,
    /// `predicate` (Null when absent).
    pub predicate: Value,
}

impl Statement {
    /// Parses the statement from DSSE payload bytes.
    pub fn parse(path: &Path, payload: &[u8]) -> Result<Self, VerifyError> {
        const STEP: &str = "parse in-toto statement";
        let value: Value = serde_json::from_slice(payload)
            .map_err(|e| VerifyError::input(path, STEP, format!("payload is not JSON: {e}")))?;
        Self::from_value(path, value)
    }

    /// Builds the statement from a JSON value.
    pub fn from_value(path: &Path, mut value: Value) -> Result<Self, VerifyError> {
        const STEP: &str = "parse in-toto statement";
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        let statement_type =
            text(&value, "_type").ok_or_else(|| VerifyError::input(path, STEP, "missing _type"))?;
        let predicate_type = text(&value, "predicateType")
            .ok_or_else(|| VerifyError::input(path, STEP, "missing predicateType"))?;
        let mut subjects = Vec::new();
        for entry in value
            .get("subject")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let digest = entry
                .get("digest")
                .and_then(Value::as_object)
                .map(|map| {
                    map.iter()
                        .filter_map(|(k, v)| {
                            v.as_str()
                                .map(|s| (k.to_ascii_lowercase(), s.to_ascii_lowercase()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            subjects.push(Subject {
                name: text(entry, "name").unwrap_or_default(),
                digest,
            });
        }
        let predicate = value
            .get_mut("predicate")
            .map(Value::take)
            .unwrap_or(Value::Null);
        Ok(Statement {
            statement_type,
            predicate_type,
            subjects,
            predicate,
        })
    }

    /// The first subject whose digest equals a known digest of the artifact (sha256 or sha512).
    pub fn matching_subject(&self, known: &KnownDigests) -> Option<&Subject> {
        self.subjects.iter().find(|subject| {
            subject.digest.iter().any(|(algorithm, value)| {
                known
                    .get(algorithm)
                    .is_some_and(|expected| expected == value)
            })
        })
    }

    /// `name@alg:hex` of every subject, for messages.
    pub fn describe_subjects(&self) -> String {
        let parts: Vec<String> = self
            .subjects
            .iter()
            .take(5)
            .map(|s| {
                let digest = s
                    .digest
                    .iter()
                    .next()
                    .map(|(a, h)| format!("{a}:{h}"))
                    .unwrap_or_default();
                format!("{} {digest}", s.name)
            })
            .collect();
        let more = self.subjects.len().saturating_sub(5);
        if more > 0 {
            format!("{} (+{more} more)", parts.join(", "))
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_match_uses_any_known_algorithm() {
        let st = Statement::from_value(
            Path::new("s"),
            serde_json::json!({"_type": STATEMENT_V1, "predicateType": "p",
                "subject": [{"name": "a", "digest": {"sha256": "AB"}}]}),
        )
        .expect("parse");
        let hit = KnownDigests {
            sha256: Some("ab".into()),
            sha512: None,
        };
        let miss = KnownDigests {
            sha256: Some("cd".into()),
            sha512: None,
        };
        assert_eq!(
            st.matching_subject(&hit).map(|s| s.name.as_str()),
            Some("a")
        );
        assert!(st.matching_subject(&miss).is_none());
    }

    #[test]
    fn missing_predicate_type_is_an_error() {
        let err = Statement::from_value(Path::new("s.json"), serde_json::json!({"_type": "x"}))
            .expect_err("bad");
        assert!(err.to_string().contains("predicateType"), "{err}");
    }
}
