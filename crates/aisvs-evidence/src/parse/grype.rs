//! Grype JSON (`grype -o json`) into a [`ScanReport`].

use super::{array_of, major_version, str_of, strings_of};
use crate::assessment::Diagnostic;
use crate::cvss::{self, CvssEntry};
use crate::error::{EvidenceError, Result};
use crate::report::{image_logical_name, Artifact, ArtifactKind, ScanReport, VulnFinding};
use crate::timestamp::parse_time;
use serde_json::Value;
use std::path::Path;

/// Parses a Grype JSON document; an empty `matches` list is still a scan.
pub fn parse_grype(path: &Path, text: &str) -> Result<ScanReport> {
    let root: Value = serde_json::from_str(text).map_err(|e| EvidenceError::json(path, &e))?;
    let Some(matches) = root.get("matches").and_then(Value::as_array) else {
        return Err(EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            message: "Grype report has no `matches` array".into(),
        });
    };
    let mut diagnostics = Vec::new();
    let descriptor = root.get("descriptor").cloned().unwrap_or(Value::Null);
    if str_of(&descriptor, "name").is_some_and(|n| n != "grype") {
        diagnostics.push(Diagnostic::warning(
            path,
            "descriptor.name is not `grype`; read as Grype JSON anyway",
        ));
    }
    let scanned_at = str_of(&descriptor, "timestamp").and_then(parse_time);
    let mut findings = Vec::new();
    for m in matches {
        match grype_finding(m) {
            Some(f) => findings.push(f),
            None => diagnostics.push(Diagnostic::warning(
                path,
                "a Grype match without vulnerability.id/artifact.name was skipped",
            )),
        }
    }
    Ok(ScanReport {
        path: path.to_path_buf(),
        scanner: "grype",
        scanner_version: str_of(&descriptor, "version")
            .unwrap_or("unknown")
            .to_string(),
        scanned_at,
        artifact: grype_artifact(root.get("source").unwrap_or(&Value::Null)),
        covers_vulnerabilities: true,
        covers_misconfigurations: false,
        findings,
        diagnostics,
    })
}

/// `source{type, target}`: images carry a target object, directories a string.
fn grype_artifact(source: &Value) -> Artifact {
    let target = source.get("target").unwrap_or(&Value::Null);
    match str_of(source, "type").unwrap_or("") {
        "image" => {
            let user_input = str_of(target, "userInput").unwrap_or("unknown");
            let mut aliases = vec![user_input.to_string()];
            aliases.extend(strings_of(target, "tags"));
            aliases.extend(strings_of(target, "repoDigests"));
            aliases.extend(str_of(target, "imageID").map(str::to_string));
            aliases.extend(str_of(target, "manifestDigest").map(str::to_string));
            aliases.sort();
            aliases.dedup();
            Artifact {
                kind: ArtifactKind::Image,
                name: image_logical_name(user_input),
                aliases,
            }
        }
        kind => {
            let name = target
                .as_str()
                .or_else(|| str_of(target, "userInput"))
                .unwrap_or("unknown")
                .to_string();
            let kind = match kind {
                "directory" | "file" if name == "/" => ArtifactKind::Host,
                "directory" | "file" => ArtifactKind::Filesystem,
                _ => ArtifactKind::Other,
            };
            Artifact {
                kind,
                aliases: vec![name.clone()],
                name,
            }
        }
    }
}

/// Collects v2/v3/v4 base scores from one vulnerability metadata object.
fn cvss_entries(meta: &Value, entries: &mut Vec<CvssEntry>) {
    let namespace = str_of(meta, "namespace").unwrap_or("");
    for c in array_of(meta, "cvss") {
        let Some(score) = c
            .get("metrics")
            .and_then(|m| m.get("baseScore"))
            .and_then(Value::as_f64)
        else {
            continue;
        };
        let Some(major) = str_of(c, "version").and_then(major_version) else {
            continue;
        };
        // Grype names NVD either in `source` or only through the `nvd:cpe` namespace.
        let source = match str_of(c, "source") {
            Some(s) if !s.is_empty() => s.to_string(),
            _ if namespace.starts_with("nvd") => "nvd".to_string(),
            _ => namespace.split(':').next().unwrap_or("vendor").to_string(),
        };
        entries.push(CvssEntry {
            source,
            major,
            score,
        });
    }
}

/// One `matches[]` entry.
fn grype_finding(m: &Value) -> Option<VulnFinding> {
    let vuln = m.get("vulnerability")?;
    let artifact = m.get("artifact")?;
    let vuln_id = str_of(vuln, "id")?.to_string();
    let package = str_of(artifact, "name")?.to_string();
    let severity = str_of(vuln, "severity").unwrap_or("Unknown").to_string();
    let mut entries = Vec::new();
    cvss_entries(vuln, &mut entries);
    for related in array_of(m, "relatedVulnerabilities") {
        cvss_entries(related, &mut entries);
    }
    let fix = vuln.get("fix").unwrap_or(&Value::Null);
    let package_path = array_of(artifact, "locations")
        .first()
        .and_then(|l| str_of(l, "path"))
        .unwrap_or("")
        .to_string();
    Some(VulnFinding {
        vuln_id,
        package,
        package_path,
        installed: str_of(artifact, "version").unwrap_or("").to_string(),
        fixed: strings_of(fix, "versions").into_iter().next(),
        status: str_of(fix, "state").map(str::to_string),
        score: cvss::choose(&entries, &severity),
        severity,
    })
}
