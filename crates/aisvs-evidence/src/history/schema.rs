//! Schema of the history file and its version check.

use crate::error::{EvidenceError, Result};
use rusqlite::Connection;
use std::path::Path;

/// Schema version written to `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 1;

/// Tables: one row per ingested report (`scans`) and one per vulnerability occurrence
/// (`findings`); first/last seen are derived by the `vulnerability_history` view, so a
/// report ingested out of order can never corrupt them.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY,
    content_sha256 TEXT NOT NULL UNIQUE,
    artifact TEXT NOT NULL,
    artifact_kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    scanner TEXT NOT NULL,
    scanner_version TEXT NOT NULL,
    scanned_at INTEGER NOT NULL,
    covers_vulnerabilities INTEGER NOT NULL,
    covers_misconfigurations INTEGER NOT NULL,
    source_path TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scans_by_artifact ON scans(artifact, scanned_at);
CREATE TABLE IF NOT EXISTS findings (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    vuln_id TEXT NOT NULL,
    package TEXT NOT NULL,
    package_path TEXT NOT NULL,
    installed TEXT NOT NULL,
    fixed TEXT,
    status TEXT,
    severity TEXT NOT NULL,
    score REAL,
    score_rule TEXT NOT NULL,
    disagreement TEXT,
    PRIMARY KEY (scan_id, vuln_id, package, package_path, installed)
);
CREATE VIEW IF NOT EXISTS vulnerability_history AS
    SELECT s.artifact AS artifact, f.vuln_id AS vuln_id, f.package AS package,
           f.package_path AS package_path,
           MIN(s.scanned_at) AS first_seen, MAX(s.scanned_at) AS last_seen,
           MAX(f.score) AS score, MAX(f.severity) AS severity, MAX(f.fixed) AS fixed_version
    FROM findings f JOIN scans s ON s.id = f.scan_id
    GROUP BY s.artifact, f.vuln_id, f.package, f.package_path;
";

/// Switches to WAL, creates the tables and checks the version.
pub fn prepare(conn: &Connection, path: &Path) -> Result<()> {
    let sql = |source| EvidenceError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    // WAL lets readers proceed while one writer commits; the answer row is the new mode.
    let _mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
        .map_err(sql)?;
    conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")
        .map_err(sql)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(sql)?;
    if version > SCHEMA_VERSION {
        return Err(EvidenceError::HistoryVersion {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < SCHEMA_VERSION {
        // IMMEDIATE takes the write lock up front, so two first-time openers do not race.
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ))
        .map_err(sql)?;
    }
    Ok(())
}
