//! Content sniffing for the scan engine: which supply-chain evidence a file (or directory) is.

use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// Kinds of supply-chain evidence `aisvs scan` can hand to this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Sigstore bundle (v0.1–v0.3): verify with [`crate::verify_bundle`] or, when it carries
    /// SLSA provenance, [`crate::verify_provenance`].
    SigstoreBundle,
    /// Bare DSSE envelope (keyed attestation): [`crate::verify_provenance`] with keys.
    DsseEnvelope,
    /// `gcloud artifacts … --show-provenance` dump: [`crate::verify_provenance`] with keys.
    ProvenanceDump,
    /// CycloneDX SBOM (JSON).
    SbomCycloneDx,
    /// SPDX SBOM (JSON).
    SbomSpdx,
    /// OCI image layout directory: [`crate::verify_image`].
    OciLayout,
}

/// Only the start of a file is needed to recognise it; bigger inputs are not parsed whole here.
const SNIFF_LIMIT: usize = 8 * 1024 * 1024;

/// Recognises evidence from a path and its bytes (`bytes` may be empty for a directory).
pub fn sniff(path: &Path, bytes: &[u8]) -> Option<EvidenceKind> {
    if path.is_dir() {
        return path
            .join("oci-layout")
            .is_file()
            .then_some(EvidenceKind::OciLayout);
    }
    if path.file_name().is_some_and(|n| n == "oci-layout") {
        return contains(bytes, b"imageLayoutVersion").then_some(EvidenceKind::OciLayout);
    }
    if bytes.len() > SNIFF_LIMIT {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let first = crate::input::first_json_document(text);
    if !first.starts_with('{') {
        return None;
    }
    let value: Value = serde_json::from_str(first).ok()?;
    let has = |key: &str| value.get(key).is_some();
    let media_type = value.get("mediaType").and_then(Value::as_str).unwrap_or("");
    if media_type.starts_with("application/vnd.dev.sigstore.bundle") {
        Some(EvidenceKind::SigstoreBundle)
    } else if has("payloadType") && has("payload") && has("signatures") {
        Some(EvidenceKind::DsseEnvelope)
    } else if value
        .get("provenance_summary")
        .is_some_and(|s| s.get("provenance").is_some())
    {
        Some(EvidenceKind::ProvenanceDump)
    } else if value.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        Some(EvidenceKind::SbomCycloneDx)
    } else if has("spdxVersion") && has("SPDXID") {
        Some(EvidenceKind::SbomSpdx)
    } else {
        None
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_kind_and_ignores_other_json() {
        let p = Path::new("x.json");
        assert_eq!(
            sniff(
                p,
                br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}"#
            ),
            Some(EvidenceKind::SigstoreBundle)
        );
        assert_eq!(
            sniff(p, br#"{"payloadType":"a","payload":"","signatures":[]}"#),
            Some(EvidenceKind::DsseEnvelope)
        );
        assert_eq!(
            sniff(p, br#"{"provenance_summary":{"provenance":[]}}"#),
            Some(EvidenceKind::ProvenanceDump)
        );
        assert_eq!(
            sniff(p, br#"{"bomFormat":"CycloneDX","specVersion":"1.4"}"#),
            Some(EvidenceKind::SbomCycloneDx)
        );
        assert_eq!(
            sniff(
                p,
                br#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT"}"#
            ),
            Some(EvidenceKind::SbomSpdx)
        );
        assert_eq!(sniff(p, br#"{"apiVersion":"v1","kind":"Pod"}"#), None);
        assert_eq!(sniff(p, b"\xff\xfe binary"), None);
        assert_eq!(
            sniff(
                Path::new("oci-layout"),
                br#"{"imageLayoutVersion":"1.0.0"}"#
            ),
            Some(EvidenceKind::OciLayout)
        );
    }

    #[test]
    fn jsonl_bundles_are_recognised_by_their_first_line() {
        let text = b"{\"mediaType\":\"application/vnd.dev.sigstore.bundle+json;version=0.2\"}\n{\"x\":1}\n";
        assert_eq!(
            sniff(Path::new("a.intoto.jsonl"), text),
            Some(EvidenceKind::SigstoreBundle)
        );
    }
}
