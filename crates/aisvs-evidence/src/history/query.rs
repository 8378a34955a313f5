//! Reading the history back: scans per artifact and the findings of each scan.

use super::History;
use crate::error::Result;
use crate::report::ArtifactKind;
use rusqlite::params;
use serde::Serialize;
use time::OffsetDateTime;

/// One stored scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanRecord {
    /// Row id.
    pub id: i64,
    /// Logical artifact key.
    pub artifact: String,
    /// Image, host…
    pub kind: ArtifactKind,
    /// Tags and digests of the scanned instance.
    pub aliases: Vec<String>,
    /// `trivy`, `grype`, `kube-bench`.
    pub scanner: String,
    /// Scan time from the report.
    #[serde(with = "time::serde::rfc3339")]
    pub scanned_at: OffsetDateTime,
    /// The scan looked for vulnerabilities.
    pub covers_vulnerabilities: bool,
    /// The scan looked for misconfigurations.
    pub covers_misconfigurations: bool,
    /// File it was ingested from.
    pub source_path: String,
}

/// One stored vulnerability occurrence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFinding {
    /// Scan it belongs to.
    pub scan_id: i64,
    /// CVE / GHSA id.
    pub vuln_id: String,
    /// Package name.
    pub package: String,
    /// Package location.
    pub package_path: String,
    /// Installed version.
    pub installed: String,
    /// Fixed version if known.
    pub fixed: Option<String>,
    /// Scanner status.
    pub status: Option<String>,
    /// Severity label.
    pub severity: String,
    /// Chosen CVSS score.
    pub score: Option<f64>,
    /// Which selection rule chose it.
    pub score_rule: String,
    /// Sources disagreeing about the 7.0 threshold.
    pub disagreement: Option<String>,
}

impl History {
    /// Every scan, ordered by artifact then time.
    pub fn scans(&self) -> Result<Vec<ScanRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, artifact, artifact_kind, aliases, scanner, scanned_at,
                        covers_vulnerabilities, covers_misconfigurations, source_path
                 FROM scans ORDER BY artifact, scanned_at, id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| {
                let kind: String = r.get(2)?;
                let aliases: String = r.get(3)?;
                let at: i64 = r.get(5)?;
                Ok(ScanRecord {
                    id: r.get(0)?,
                    artifact: r.get(1)?,
                    kind: ArtifactKind::from_name(&kind),
                    aliases: aliases.lines().map(str::to_string).collect(),
                    scanner: r.get(4)?,
                    scanned_at: OffsetDateTime::from_unix_timestamp(at)
                        .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                    covers_vulnerabilities: r.get(6)?,
                    covers_misconfigurations: r.get(7)?,
                    source_path: r.get(8)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.sql_error(e))
    }

    /// Findings stored for one scan.
    pub fn findings_of(&self, scan_id: i64) -> Result<Vec<StoredFinding>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT scan_id, vuln_id, package, package_path, installed, fixed, status, severity,
                        score, score_rule, disagreement
                 FROM findings WHERE scan_id = ?1 ORDER BY vuln_id, package, package_path",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(params![scan_id], |r| {
                Ok(StoredFinding {
                    scan_id: r.get(0)?,
                    vuln_id: r.get(1)?,
                    package: r.get(2)?,
                    package_path: r.get(3)?,
                    installed: r.get(4)?,
                    fixed: r.get(5)?,
                    status: r.get(6)?,
                    severity: r.get(7)?,
                    score: r.get(8)?,
                    score_rule: r.get(9)?,
                    disagreement: r.get(10)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.sql_error(e))
    }

    /// Number of stored scans.
    pub fn scan_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM scans", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))
    }
}
