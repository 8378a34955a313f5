//! SBOM recognition (CycloneDX, SPDX JSON) and whether an SBOM describes a given image.

use serde_json::Value;

/// CycloneDX and SPDX in-toto predicate types used by `cosign attest` and BuildKit.
pub fn is_sbom_predicate(predicate_type: &str) -> bool {
    predicate_type.starts_with("https://cyclonedx.org/bom")
        || predicate_type.starts_with("https://spdx.dev/Document")
}

/// Media types of SBOMs attached directly (OCI referrers, `cosign attach sbom`).
pub fn is_sbom_media_type(media_type: &str) -> bool {
    let mt = media_type.to_ascii_lowercase();
    mt.contains("spdx") || mt.contains("cyclonedx")
}

/// What was learnt about one SBOM document.
#[derive(Debug, Clone)]
pub struct SbomInfo {
    /// "CycloneDX 1.4" / "SPDX-2.3".
    pub format: String,
    /// Whether the document itself names the image digest (metadata.component / packages).
    pub names_image: bool,
}

/// Validates the SBOM shape and looks for the image digest inside it.
pub fn inspect(document: &Value, image_hex: &str) -> Result<SbomInfo, String> {
    if document.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        let version = document
            .get("specVersion")
            .and_then(Value::as_str)
            .ok_or("CycloneDX document without specVersion")?;
        let subject = document.get("metadata").and_then(|m| m.get("component"));
        return Ok(SbomInfo {
            format: format!("CycloneDX {version}"),
            names_image: subject.is_some_and(|c| mentions(c, image_hex, 0)),
        });
    }
    if let Some(version) = document.get("spdxVersion").and_then(Value::as_str) {
        if document.get("SPDXID").and_then(Value::as_str).is_none() {
            return Err("SPDX document without SPDXID".to_string());
        }
        let packages = document.get("packages");
        return Ok(SbomInfo {
            format: version.to_string(),
            names_image: packages.is_some_and(|p| mentions(p, image_hex, 0)),
        });
    }
    Err(
        "neither a CycloneDX (bomFormat/specVersion) nor an SPDX (spdxVersion/SPDXID) document"
            .to_string(),
    )
}

/// Whether any string inside `value` contains the digest hex (depth-bounded walk).
fn mentions(value: &Value, image_hex: &str, depth: usize) -> bool {
    if depth > 32 || image_hex.is_empty() {
        return false;
    }
    match value {
        Value::String(s) => s.to_ascii_lowercase().contains(image_hex),
        Value::Array(items) => items.iter().any(|v| mentions(v, image_hex, depth + 1)),
        Value::Object(map) => map.values().any(|v| mentions(v, image_hex, depth + 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cyclonedx_component_with_digest_names_the_image() {
        let hex = "ab".repeat(32);
        let doc = json!({"bomFormat": "CycloneDX", "specVersion": "1.5",
            "metadata": {"component": {"type": "container", "name": "img", "version": format!("sha256:{hex}")}}});
        let info = inspect(&doc, &hex).expect("cyclonedx");
        assert!(info.names_image);
        assert_eq!(info.format, "CycloneDX 1.5");
        assert!(
            !inspect(&doc, &"cd".repeat(32))
                .expect("cyclonedx")
                .names_image
        );
    }

    #[test]
    fn spdx_needs_spdxid_and_other_json_is_rejected() {
        assert!(inspect(&json!({"spdxVersion": "SPDX-2.3"}), "ab").is_err());
        assert!(inspect(
            &json!({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}),
            "ab"
        )
        .is_ok());
        assert!(inspect(&json!({"hello": 1}), "ab").is_err());
        assert!(is_sbom_predicate("https://spdx.dev/Document"));
        assert!(!is_sbom_predicate("https://slsa.dev/provenance/v0.2"));
    }
}
