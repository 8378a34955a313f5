//! Recognises evidence files among the inputs by content (and, for a few, by name), cheaply: only text
//! that can be one of the evidence formats is handed to the library sniffers.

use aisvs_evidence::ReportKind;
use aisvs_verify::EvidenceKind;

use crate::model::ParsedFile;
use crate::source::{FileId, FileKind};

/// What an input file is, as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognised {
    /// A scanner report, kube-bench output, secret metadata dump, mitigation or offboarding list.
    Report(ReportKind),
    /// An sshd_config (a collected node's `etc/ssh/sshd_config`, or a loose one).
    SshdConfig,
    /// Sigstore bundle, DSSE envelope, provenance dump, SBOM or OCI layout marker.
    Supply(EvidenceKind),
    /// A signed sandbox vetting record (`aisvs sandbox run --record`).
    VettingRecord,
    /// A promotion-gate decision record (`aisvs gate`).
    GateDecision,
}

/// One recognised input.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    /// The input file.
    pub file: FileId,
    /// What it is.
    pub what: Recognised,
}

/// Classifies every input; files that are not evidence are left out.
pub fn classify_all(files: &[ParsedFile]) -> Vec<Found> {
    files
        .iter()
        .filter(|f| f.source.path != "-")
        .filter_map(|f| {
            classify(f).map(|what| Found {
                file: f.source.id,
                what,
            })
        })
        .collect()
}

fn classify(f: &ParsedFile) -> Option<Recognised> {
    let src = &f.source;
    let name = src.path.rsplit('/').next().unwrap_or(&src.path);
    if name == "sshd_config" {
        return Some(Recognised::SshdConfig);
    }
    if name == "oci-layout" {
        return aisvs_verify::sniff(&src.abs, src.text.as_bytes()).map(Recognised::Supply);
    }
    if name.starts_with(".trivyignore") {
        return Some(Recognised::Report(ReportKind::Mitigation));
    }
    let text: &str = &src.text;
    let head = text.trim_start();
    if !(head.starts_with('{') || head.starts_with('[')) {
        // The only non-JSON report is kube-bench's text output.
        let bench = src.kind == FileKind::Text && text.contains("== Summary ");
        return bench
            .then(|| aisvs_evidence::sniff(&src.abs, text))
            .flatten()
            .map(Recognised::Report);
    }
    if src.kind == FileKind::Yaml && !head.starts_with('{') {
        return None;
    }
    let prefix: String = head.chars().take(4096).collect();
    if aisvs_vetting::sniff_decision(text) {
        return Some(Recognised::GateDecision);
    }
    if prefix.contains(aisvs_sandbox::sandbox::record::PAYLOAD_TYPE) {
        return Some(Recognised::VettingRecord);
    }
    if let Some(kind) = aisvs_evidence::sniff(&src.abs, text) {
        if kind == ReportKind::SecretMetadata && !is_cluster_dump(text) {
            return None;
        }
        return Some(Recognised::Report(kind));
    }
    aisvs_verify::sniff(&src.abs, text.as_bytes()).map(Recognised::Supply)
}

/// Kubernetes Secrets in a repository are manifests, not metadata dumps: only objects read back from a
/// cluster (they carry creation or field-manager times) say how old a value is. Cloud dumps always do.
fn is_cluster_dump(text: &str) -> bool {
    let head: String = text.chars().take(2048).collect();
    let kubernetes = head.contains("\"apiVersion\"") && head.contains("\"kind\"");
    !kubernetes
        || text.contains("\"creationTimestamp\"")
        || text.contains("\"managedFields\"")
        || text.contains("\"refreshTime\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn file(path: &str, kind: FileKind, text: &str) -> ParsedFile {
        ParsedFile {
            source: SourceFile::new(0, path.into(), path.into(), kind, text.into()),
            docs: Vec::new(),
            parse_failed: false,
        }
    }

    #[test]
    fn reports_are_recognised_by_content_and_manifests_are_not_evidence() {
        let trivy = file(
            "r.json",
            FileKind::Json,
            r#"{"SchemaVersion":2,"ArtifactName":"x","Results":[]}"#,
        );
        assert_eq!(
            classify(&trivy),
            Some(Recognised::Report(ReportKind::Trivy))
        );
        let pod = file(
            "p.json",
            FileKind::Json,
            r#"{"apiVersion":"v1","kind":"Pod"}"#,
        );
        assert_eq!(classify(&pod), None);
        let secret = file(
            "s.json",
            FileKind::Json,
            r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"}}"#,
        );
        assert_eq!(classify(&secret), None, "a Secret manifest is not a dump");
        let dumped = file(
            "s.json",
            FileKind::Json,
            r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a","creationTimestamp":"2026-01-01T00:00:00Z"}}"#,
        );
        assert_eq!(
            classify(&dumped),
            Some(Recognised::Report(ReportKind::SecretMetadata))
        );
        let yaml = file("k.yaml", FileKind::Yaml, "kind: Pod\n");
        assert_eq!(classify(&yaml), None);
    }

    #[test]
    fn names_decide_for_sshd_and_trivyignore() {
        let sshd = file("node/etc/ssh/sshd_config", FileKind::Text, "Port 22\n");
        assert_eq!(classify(&sshd), Some(Recognised::SshdConfig));
        let ignore = file(".trivyignore", FileKind::Text, "CVE-2020-1\n");
        assert_eq!(
            classify(&ignore),
            Some(Recognised::Report(ReportKind::Mitigation))
        );
    }
}
