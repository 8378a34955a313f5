//! Finding the image and the manifests that sign or describe it inside a layout: cosign
//! `kind` annotations (`cosign save`), the `sha256-<hex>.sig/.att/.sbom` tag scheme, OCI 1.1
//! referrers (`subject` = the image, or the `sha256-<hex>` referrers-tag index), and BuildKit
//! attestation manifests inside the image index.

use super::layout::{descriptors, Descriptor, Layout};
use crate::artifact::ArtifactDigest;
use crate::error::VerifyError;

const REF_NAME: &str = "org.opencontainers.image.ref.name";
const KIND: &str = "kind";

fn is_signature_kind(kind: &str) -> bool {
    matches!(
        kind,
        "dev.cosignproject.cosign/sigs"
            | "dev.cosignproject.cosign/atts"
            | "dev.cosignproject.cosign/sboms"
    )
}

/// Only manifests and indexes are opened while searching (never layers or other blobs).
fn is_manifest(d: &Descriptor) -> bool {
    d.media_type.is_empty() || d.media_type.contains("manifest") || d.media_type.contains("index")
}

fn is_cosign_tag(name: &str) -> bool {
    name.starts_with("sha256-")
}

/// Chooses the image: the given digest, else the single non-signature entry of `index.json`.
pub fn select_image(
    layout: &Layout,
    wanted: Option<&ArtifactDigest>,
) -> Result<ArtifactDigest, VerifyError> {
    if let Some(digest) = wanted {
        return Ok(digest.clone());
    }
    let mut candidates: Vec<&Descriptor> = Vec::new();
    for d in &layout.index {
        if d.annotation(KIND).is_some_and(is_signature_kind)
            || d.annotation(REF_NAME).is_some_and(is_cosign_tag)
            || d.artifact_type.is_some()
        {
            continue;
        }
        if !is_manifest(d) {
            continue;
        }
        if layout.has_blob(&d.digest) && layout.manifest(&d.digest)?.get("subject").is_some() {
            continue; // a referrer, not an image
        }
        candidates.push(d);
    }
    match candidates.as_slice() {
        [one] => ArtifactDigest::parse(&one.digest)
            .map_err(|e| VerifyError::input(&layout.dir, "select image", e)),
        [] => Err(VerifyError::input(
            layout.dir.join("index.json"),
            "select image",
            "no image manifest in index.json",
        )),
        many => Err(VerifyError::usage(format!(
            "{}: several images in the layout; choose one with --image-digest ({})",
            layout.dir.display(),
            many.iter()
                .map(|d| d.digest.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Every manifest that may sign, attest or describe `image`, with how it was found.
pub fn signature_manifests(
    layout: &Layout,
    image: &ArtifactDigest,
) -> Result<Vec<(Descriptor, String)>, VerifyError> {
    let image_digest = image.display();
    let tag_prefix = format!("sha256-{}", image.hex);
    let mut found: Vec<(Descriptor, String)> = Vec::new();
    for d in &layout.index {
        if d.digest == image_digest {
            continue;
        }
        if let Some(kind) = d.annotation(KIND).filter(|k| is_signature_kind(k)) {
            found.push((
                d.clone(),
                format!("cosign save ({})", kind.rsplit('/').next().unwrap_or(kind)),
            ));
            continue;
        }
        if let Some(name) = d.annotation(REF_NAME) {
            if name == tag_prefix {
                // Referrers tag schema fallback: an index whose entries are the referrers.
                for m in descriptors(&layout.manifest(&d.digest)?, "manifests") {
                    found.push((m, format!("referrers tag {name}")));
                }
                continue;
            }
            if name.starts_with(&tag_prefix) {
                found.push((d.clone(), format!("tag {name}")));
                continue;
            }
        }
        if is_manifest(d) && layout.has_blob(&d.digest) {
            let value = layout.manifest(&d.digest)?;
            let subject = value
                .get("subject")
                .and_then(|s| s.get("digest"))
                .and_then(|s| s.as_str());
            if subject == Some(image_digest.as_str()) {
                let mut referrer = d.clone();
                if referrer.artifact_type.is_none() {
                    referrer.artifact_type = value
                        .get("artifactType")
                        .and_then(|a| a.as_str())
                        .map(str::to_string);
                }
                found.push((referrer, "OCI referrer".to_string()));
            }
        }
    }
    // BuildKit stores (unsigned) attestations as extra manifests of the image index.
    if layout.has_blob(&image_digest) {
        let value = layout.manifest(&image_digest)?;
        for m in descriptors(&value, "manifests") {
            if m.annotation("vnd.docker.reference.type") == Some("attestation-manifest") {
                found.push((m, "BuildKit attestation".to_string()));
            }
        }
    }
    Ok(found)
}
