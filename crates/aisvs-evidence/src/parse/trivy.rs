//! Trivy JSON (`trivy image|fs|rootfs|vm -f json`, SchemaVersion 2) into a [`ScanReport`].

use super::{array_of, str_of, strings_of};
use crate::assessment::Diagnostic;
use crate::cvss::{self, CvssEntry};
use crate::error::{EvidenceError, Result};
use crate::report::{image_logical_name, Artifact, ArtifactKind, ScanReport, VulnFinding};
use crate::timestamp::parse_time;
use serde_json::Value;
use std::path::Path;

/// Schema version this parser was written against.
const KNOWN_SCHEMA: i64 = 2;

/// Parses a Trivy JSON report; unknown fields are ignored, drift becomes diagnostics.
pub fn parse_trivy(path: &Path, text: &str) -> Result<ScanReport> {
    let root: Value = serde_json::from_str(text).map_err(|e| EvidenceError::json(path, &e))?;
    if !root.is_object() {
        return Err(EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            message: "Trivy report must be a JSON object".into(),
        });
    }
    let mut diagnostics = Vec::new();
    match root.get("SchemaVersion").and_then(Value::as_i64) {
        Some(KNOWN_SCHEMA) => {}
        Some(other) => diagnostics.push(Diagnostic::warning(
            path,
            format!("Trivy SchemaVersion {other} is not the known version {KNOWN_SCHEMA}; fields were read leniently"),
        )),
        None => diagnostics.push(Diagnostic::warning(path, "Trivy report has no SchemaVersion")),
    }
    let scanned_at = str_of(&root, "CreatedAt").and_then(parse_time);
    let version = root
        .get("Trivy")
        .and_then(|t| str_of(t, "Version"))
        .unwrap_or("unknown")
        .to_string();
    let artifact = trivy_artifact(&root);
    let results = array_of(&root, "Results");
    if root.get("Results").is_none() {
        diagnostics.push(Diagnostic::warning(path, "Trivy report has no Results (a clean scan omits it; counted as a scan with no findings)"));
    }
    let mut findings = Vec::new();
    let mut covers_vulnerabilities = results.is_empty();
    let mut covers_misconfigurations = false;
    for result in results {
        match str_of(result, "Class").unwrap_or("") {
            "os-pkgs" | "lang-pkgs" => covers_vulnerabilities = true,
            "config" => covers_misconfigurations = true,
            _ => {}
        }
        for vuln in array_of(result, "Vulnerabilities") {
            if let Some(f) = trivy_finding(vuln) {
                findings.push(f);
            } else {
                diagnostics.push(Diagnostic::warning(
                    path,
                    "a Trivy vulnerability without VulnerabilityID/PkgName was skipped",
                ));
            }
        }
    }
    Ok(ScanReport {
        path: path.to_path_buf(),
        scanner: "trivy",
        scanner_version: version,
        scanned_at,
        artifact,
        covers_vulnerabilities,
        covers_misconfigurations,
        findings,
        diagnostics,
    })
}

/// Identifies the artifact: repository and digests for images, the artifact name otherwise.
fn trivy_artifact(root: &Value) -> Artifact {
    let name = str_of(root, "ArtifactName")
        .unwrap_or("unknown")
        .to_string();
    let meta = root.get("Metadata").cloned().unwrap_or(Value::Null);
    let kind = match str_of(root, "ArtifactType").unwrap_or("") {
        "container_image" => ArtifactKind::Image,
        "vm" => ArtifactKind::Host,
        "filesystem" | "rootfs" if name == "/" => ArtifactKind::Host,
        "filesystem" | "repository" | "rootfs" => ArtifactKind::Filesystem,
        _ => ArtifactKind::Other,
    };
    let mut aliases = vec![name.clone()];
    aliases.extend(strings_of(&meta, "RepoTags"));
    aliases.extend(strings_of(&meta, "RepoDigests"));
    aliases.extend(str_of(&meta, "ImageID").map(str::to_string));
    aliases.extend(str_of(root, "ArtifactID").map(str::to_string));
    let logical = if kind == ArtifactKind::Image {
        strings_of(&meta, "RepoTags")
            .first()
            .or(strings_of(&meta, "RepoDigests").first())
            .map(|r| image_logical_name(r))
            .unwrap_or_else(|| image_logical_name(&name))
    } else {
        name
    };
    aliases.sort();
    aliases.dedup();
    Artifact {
        kind,
        name: logical,
        aliases,
    }
}

/// One entry of `Results[].Vulnerabilities[]`.
fn trivy_finding(vuln: &Value) -> Option<VulnFinding> {
    let vuln_id = str_of(vuln, "VulnerabilityID")?.to_string();
    let package = str_of(vuln, "PkgName")?.to_string();
    let severity = str_of(vuln, "Severity").unwrap_or("UNKNOWN").to_string();
    let mut entries = Vec::new();
    if let Some(sources) = vuln.get("CVSS").and_then(Value::as_object) {
        for (source, scores) in sources {
            for (field, major) in [("V40Score", 4u8), ("V3Score", 3), ("V2Score", 2)] {
                if let Some(score) = scores.get(field).and_then(Value::as_f64) {
                    entries.push(CvssEntry {
                        source: source.clone(),
                        major,
                        score,
                    });
                }
            }
        }
    }
    Some(VulnFinding {
        vuln_id,
        package,
        package_path: str_of(vuln, "PkgPath").unwrap_or("").to_string(),
        installed: str_of(vuln, "InstalledVersion").unwrap_or("").to_string(),
        fixed: str_of(vuln, "FixedVersion")
            .filter(|v| !v.is_empty())
            .map(str::to_string),
        status: str_of(vuln, "Status").map(str::to_string),
        score: cvss::choose(&entries, &severity),
        severity,
    })
}
