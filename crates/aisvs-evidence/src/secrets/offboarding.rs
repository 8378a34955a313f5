//! Offboarding list for 4.4.1 "immediately upon personnel change":
//! `{"offboarding": [{"person": "alice", "date": "2026-02-01", "secrets": ["prod/db", …]}]}`.
//! Without `secrets`, the person is assumed to have been able to read every inventoried secret.

use crate::error::{EvidenceError, Result};
use crate::parse::{array_of, str_of, strings_of};
use crate::timestamp::parse_time;
use serde_json::Value;
use std::path::Path;
use time::OffsetDateTime;

/// One person who left.
#[derive(Debug, Clone, PartialEq)]
pub struct Departure {
    /// Who left.
    pub person: String,
    /// When they lost access.
    pub left_at: OffsetDateTime,
    /// Secret ids they could read; `None` = all.
    pub secrets: Option<Vec<String>>,
}

impl Departure {
    /// Whether this person could read the secret `id` (exact id or last path segment).
    pub fn could_read(&self, id: &str) -> bool {
        match &self.secrets {
            None => true,
            Some(list) => list.iter().any(|s| {
                s == id || id.ends_with(&format!("/{s}")) || id.ends_with(&format!(":{s}"))
            }),
        }
    }
}

/// Parses the offboarding file; an entry without a valid date is an error naming its index.
pub fn parse_offboarding(path: &Path, text: &str) -> Result<Vec<Departure>> {
    let root: Value = serde_json::from_str(text).map_err(|e| EvidenceError::json(path, &e))?;
    let entries = array_of(&root, "offboarding");
    let mut out = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let bad = |what: &str| EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: 0,
            message: format!("offboarding[{index}]: {what}"),
        };
        let person = str_of(entry, "person").ok_or_else(|| bad("missing `person`"))?;
        let left_at = str_of(entry, "date")
            .and_then(parse_time)
            .ok_or_else(|| bad("missing or invalid `date` (YYYY-MM-DD or RFC 3339)"))?;
        out.push(Departure {
            person: person.to_string(),
            left_at,
            secrets: entry.get("secrets").map(|_| strings_of(entry, "secrets")),
        });
    }
    Ok(out)
}
