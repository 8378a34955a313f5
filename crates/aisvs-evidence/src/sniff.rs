//! Content-based recognition of evidence files among scan inputs.

use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// Every evidence kind this crate can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// Trivy JSON report (SchemaVersion 2).
    Trivy,
    /// Grype JSON document.
    Grype,
    /// kube-bench `--json` output (any of its shapes).
    KubeBenchJson,
    /// kube-bench text output.
    KubeBenchText,
    /// A secret/key metadata dump (AWS, GCP, Vault, Kubernetes, External Secrets).
    SecretMetadata,
    /// A mitigation record: OpenVEX JSON or `.trivyignore` / `.trivyignore.yaml`.
    Mitigation,
    /// An offboarding list (`{"offboarding": [{person, date, secrets}]}`).
    Offboarding,
    /// Our own evidence JSON (`aisvs host --output`, `aisvs evidence status --format json`).
    EvidenceDocument,
}

impl ReportKind {
    /// Every kind, for callers that try each parser (hostile-input tests, fuzzing).
    pub const ALL: [ReportKind; 8] = [
        ReportKind::Trivy,
        ReportKind::Grype,
        ReportKind::KubeBenchJson,
        ReportKind::KubeBenchText,
        ReportKind::SecretMetadata,
        ReportKind::Mitigation,
        ReportKind::Offboarding,
        ReportKind::EvidenceDocument,
    ];
}

/// Recognises an evidence file from its content (and, for ignore files, its name).
/// Returns `None` for anything else, including invalid JSON.
pub fn sniff(path: &Path, text: &str) -> Option<ReportKind> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == ".trivyignore" || name == ".trivyignore.yaml" || name == ".trivyignore.yml" {
        return Some(ReportKind::Mitigation);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // kube-bench text also starts with `[`, so only a value that parses is JSON.
        if let Some(Ok(first)) = serde_json::Deserializer::from_str(trimmed)
            .into_iter::<Value>()
            .next()
        {
            return sniff_json(&first);
        }
    }
    let has_check_line = text.lines().any(|l| {
        let l = l.trim_start();
        (l.starts_with("[PASS] ") || l.starts_with("[FAIL] ") || l.starts_with("[WARN] "))
            && (l.ends_with("(Automated)")
                || l.ends_with("(Manual)")
                || l.ends_with("(Scored)")
                || l.ends_with("(Not Scored)"))
    });
    (has_check_line && text.contains("== Summary ")).then_some(ReportKind::KubeBenchText)
}

/// Recognises the first JSON value of a file.
fn sniff_json(value: &Value) -> Option<ReportKind> {
    let has = |k: &str| value.get(k).is_some();
    if let Value::Array(items) = value {
        let first = items.first()?;
        if first.get("node_type").is_some() && first.get("tests").is_some() {
            return Some(ReportKind::KubeBenchJson);
        }
        return crate::secrets::dumps::looks_like_secret_metadata(first)
            .then_some(ReportKind::SecretMetadata);
    }
    if has("SchemaVersion") && (has("ArtifactName") || has("Results")) {
        return Some(ReportKind::Trivy);
    }
    if value.get("matches").is_some_and(Value::is_array) && (has("descriptor") || has("source")) {
        return Some(ReportKind::Grype);
    }
    if has("Controls") || (has("node_type") && has("tests")) {
        return Some(ReportKind::KubeBenchJson);
    }
    if value
        .get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains("openvex"))
    {
        return Some(ReportKind::Mitigation);
    }
    if crate::evidence_json::looks_like_evidence_document(value) {
        return Some(ReportKind::EvidenceDocument);
    }
    if has("offboarding") {
        return Some(ReportKind::Offboarding);
    }
    crate::secrets::dumps::looks_like_secret_metadata(value).then_some(ReportKind::SecretMetadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_kind_once() {
        // The exhaustive match stops compiling when a kind is added without a place here.
        let place = |kind: ReportKind| match kind {
            ReportKind::Trivy => 0,
            ReportKind::Grype => 1,
            ReportKind::KubeBenchJson => 2,
            ReportKind::KubeBenchText => 3,
            ReportKind::SecretMetadata => 4,
            ReportKind::Mitigation => 5,
            ReportKind::Offboarding => 6,
            ReportKind::EvidenceDocument => 7,
        };
        for (i, kind) in ReportKind::ALL.iter().enumerate() {
            assert_eq!(place(*kind), i);
        }
    }

    #[test]
    fn recognises_by_content_not_name() {
        let p = Path::new("whatever.json");
        assert_eq!(
            sniff(p, r#"{"SchemaVersion":2,"ArtifactName":"x","Results":[]}"#),
            Some(ReportKind::Trivy)
        );
        assert_eq!(
            sniff(p, r#"{"matches":[],"source":{},"descriptor":{}}"#),
            Some(ReportKind::Grype)
        );
        assert_eq!(
            sniff(p, r#"[{"id":"1","node_type":"master","tests":[]}]"#),
            Some(ReportKind::KubeBenchJson)
        );
        assert_eq!(sniff(p, r#"{"apiVersion":"v1","kind":"Pod"}"#), None);
        assert_eq!(sniff(p, "{not json"), None);
        assert_eq!(sniff(p, "plain text"), None);
    }
}
