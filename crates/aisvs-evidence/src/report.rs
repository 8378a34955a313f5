//! Scanner-neutral model of one vulnerability report (Trivy or Grype) after parsing.

use crate::assessment::Diagnostic;
use crate::cvss::ScoreChoice;
use serde::Serialize;
use std::path::PathBuf;
use time::OffsetDateTime;

/// What kind of thing a report scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    /// A container image.
    Image,
    /// A host, VM disk or root filesystem of a node.
    Host,
    /// A directory or repository checkout.
    Filesystem,
    /// Anything else (SBOM input, unknown source).
    Other,
}

impl ArtifactKind {
    /// Stable lower-case name stored in the history.
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::Image => "image",
            ArtifactKind::Host => "host",
            ArtifactKind::Filesystem => "filesystem",
            ArtifactKind::Other => "other",
        }
    }

    /// Inverse of [`ArtifactKind::as_str`].
    pub fn from_name(name: &str) -> ArtifactKind {
        match name {
            "image" => ArtifactKind::Image,
            "host" => ArtifactKind::Host,
            "filesystem" => ArtifactKind::Filesystem,
            _ => ArtifactKind::Other,
        }
    }
}

/// The scanned artifact: a logical name (image repository or host name) plus every alias seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Artifact {
    /// Image, host, directory…
    pub kind: ArtifactKind,
    /// Logical key: image repository and tag without digest, or the host name.
    pub name: String,
    /// Tags, digests and user input that identify this exact instance.
    pub aliases: Vec<String>,
}

/// One vulnerability occurrence in one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VulnFinding {
    /// CVE / GHSA / vendor id.
    pub vuln_id: String,
    /// Package name.
    pub package: String,
    /// Where the package lives (jar path, lock file), empty for OS packages.
    pub package_path: String,
    /// Installed version.
    pub installed: String,
    /// First fixed version, if the scanner knows one.
    pub fixed: Option<String>,
    /// Scanner status (`fixed`, `affected`, `wont-fix`, …), if given.
    pub status: Option<String>,
    /// The severity label as written by the scanner.
    pub severity: String,
    /// The CVSS score chosen by the documented selection order.
    pub score: ScoreChoice,
}

/// A parsed Trivy or Grype vulnerability report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanReport {
    /// File the report was read from.
    pub path: PathBuf,
    /// `trivy` or `grype`.
    pub scanner: &'static str,
    /// Version string the scanner wrote (may be `dev` or `[not provided]`).
    pub scanner_version: String,
    /// When the scan ran, from the report itself (never the ingesting machine's clock).
    #[serde(with = "time::serde::rfc3339::option")]
    pub scanned_at: Option<OffsetDateTime>,
    /// What was scanned.
    pub artifact: Artifact,
    /// The report contains a vulnerability scan (an empty list still counts as a scan).
    pub covers_vulnerabilities: bool,
    /// The report contains a misconfiguration scan.
    pub covers_misconfigurations: bool,
    /// Vulnerability occurrences.
    pub findings: Vec<VulnFinding>,
    /// Schema drift and other non-fatal remarks.
    pub diagnostics: Vec<Diagnostic>,
}

/// Strips tag and digest from an image reference and the implicit Docker Hub prefixes,
/// so `docker.io/library/nginx:1.25` and `nginx@sha256:…` share the key `nginx`.
pub fn image_repository(reference: &str) -> String {
    let without_digest = reference.split('@').next().unwrap_or(reference);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let repo = match without_digest[last_slash..].rfind(':') {
        Some(colon) => &without_digest[..last_slash + colon],
        None => without_digest,
    };
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let repo = repo.strip_prefix("index.docker.io/").unwrap_or(repo);
    repo.strip_prefix("library/").unwrap_or(repo).to_string()
}

/// Logical image key: repository plus tag when there is one (`ghcr.io/x/y:1.2`), without the
/// digest, so a rebuilt (patched) image keeps its key while other tags of the same repository
/// stay separate artifacts.
pub fn image_logical_name(reference: &str) -> String {
    let without_digest = reference.split('@').next().unwrap_or(reference);
    normalise_reference(without_digest)
}

/// Normalises a full reference for alias comparison (Docker Hub prefixes removed).
pub fn normalise_reference(reference: &str) -> String {
    let r = reference.trim();
    let r = r.strip_prefix("docker.io/").unwrap_or(r);
    let r = r.strip_prefix("index.docker.io/").unwrap_or(r);
    r.strip_prefix("library/").unwrap_or(r).to_string()
}

/// The `sha256:…` digest inside a reference, if any.
pub fn reference_digest(reference: &str) -> Option<&str> {
    reference
        .split_once('@')
        .map(|(_, d)| d)
        .or_else(|| reference.starts_with("sha256:").then_some(reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_keys() {
        assert_eq!(image_repository("docker.io/library/nginx:1.25"), "nginx");
        assert_eq!(image_repository("nginx@sha256:abc"), "nginx");
        assert_eq!(
            image_repository("localhost:5000/ml/vllm:v1"),
            "localhost:5000/ml/vllm"
        );
        assert_eq!(
            image_repository("localhost:5000/ml/vllm"),
            "localhost:5000/ml/vllm"
        );
        assert_eq!(reference_digest("a/b@sha256:12"), Some("sha256:12"));
        assert_eq!(
            image_logical_name("docker.io/library/nginx:1.25@sha256:ab"),
            "nginx:1.25"
        );
        assert_eq!(reference_digest("a/b:1"), None);
    }
}
