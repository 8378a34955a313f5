//! Recording one parsed report in the history, atomically (all of it or nothing).

use super::History;
use crate::error::{EvidenceError, Result};
use crate::report::ScanReport;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

/// What happened to a report handed to [`History::ingest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Stored as a new scan.
    Added {
        /// Row id of the scan.
        scan_id: i64,
        /// Number of vulnerability occurrences stored.
        findings: usize,
        /// Another report for the same artifact, scanner and time, but different content, exists.
        same_time_conflict: bool,
    },
    /// The same report content was already stored; nothing was written.
    Duplicate {
        /// Row id of the earlier copy.
        scan_id: i64,
    },
}

/// Content fingerprint: what was scanned, when, by whom and what was found
/// (file formatting and paths do not matter, so a re-saved copy is still a duplicate).
fn fingerprint(report: &ScanReport) -> String {
    let mut hasher = Sha256::new();
    hasher.update(report.scanner.as_bytes());
    hasher.update([0]);
    hasher.update(report.artifact.name.as_bytes());
    hasher.update([0]);
    for alias in &report.artifact.aliases {
        hasher.update(alias.as_bytes());
        hasher.update([0]);
    }
    let time = report.scanned_at.map(|t| t.unix_timestamp()).unwrap_or(0);
    hasher.update(time.to_le_bytes());
    for f in &report.findings {
        for part in [&f.vuln_id, &f.package, &f.package_path, &f.installed] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hasher.update(f.fixed.as_deref().unwrap_or("").as_bytes());
        hasher.update([1]);
    }
    hex::encode(hasher.finalize())
}

impl History {
    /// Stores a report in one IMMEDIATE transaction. The report must carry a scan time
    /// (from the report itself or declared by the user); the wall clock is never used.
    pub fn ingest(&mut self, report: &ScanReport) -> Result<IngestOutcome> {
        let Some(scanned_at) = report.scanned_at else {
            return Err(EvidenceError::NoTimestamp {
                path: report.path.clone(),
            });
        };
        let digest = fingerprint(report);
        let path = self.path.clone();
        let sql = move |source| EvidenceError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&sql)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM scans WHERE content_sha256 = ?1",
                [&digest],
                |r| r.get(0),
            )
            .optional()
            .map_err(&sql)?;
        if let Some(scan_id) = existing {
            return Ok(IngestOutcome::Duplicate { scan_id });
        }
        let same_time_conflict: bool = tx
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM scans WHERE artifact = ?1 AND scanner = ?2 AND scanned_at = ?3)",
                params![report.artifact.name, report.scanner, scanned_at.unix_timestamp()],
                |r| r.get(0),
            )
            .map_err(&sql)?;
        tx.execute(
            "INSERT INTO scans (content_sha256, artifact, artifact_kind, aliases, scanner, scanner_version,
                scanned_at, covers_vulnerabilities, covers_misconfigurations, source_path)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                digest,
                report.artifact.name,
                report.artifact.kind.as_str(),
                report.artifact.aliases.join("\n"),
                report.scanner,
                report.scanner_version,
                scanned_at.unix_timestamp(),
                report.covers_vulnerabilities,
                report.covers_misconfigurations,
                report.path.to_string_lossy(),
            ],
        )
        .map_err(&sql)?;
        let scan_id = tx.last_insert_rowid();
        let mut stored = 0usize;
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR IGNORE INTO findings (scan_id, vuln_id, package, package_path, installed, fixed,
                        status, severity, score, score_rule, disagreement)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(&sql)?;
            for f in &report.findings {
                stored += insert
                    .execute(params![
                        scan_id,
                        f.vuln_id,
                        f.package,
                        f.package_path,
                        f.installed,
                        f.fixed,
                        f.status,
                        f.severity,
                        f.score.score,
                        f.score.rule,
                        f.score.disagreement,
                    ])
                    .map_err(&sql)?;
            }
        }
        tx.commit().map_err(&sql)?;
        Ok(IngestOutcome::Added {
            scan_id,
            findings: stored,
            same_time_conflict,
        })
    }
}
