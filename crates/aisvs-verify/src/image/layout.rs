//! Reading an OCI image layout on disk: `oci-layout`, `index.json`, content-addressed blobs.
//!
//! Blob names are validated before they touch the filesystem (no path traversal), sizes are
//! capped, and every blob read is re-hashed and compared with its digest.

use crate::error::VerifyError;
use crate::input::{parse_json, read_bounded, MAX_DOCUMENT_BYTES};
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Most descriptors looked at in one index or manifest.
pub const MAX_DESCRIPTORS: usize = 4096;

/// Largest manifest / index blob accepted; real ones are a few KB.
pub const MAX_MANIFEST_BYTES: u64 = 4 * 1024 * 1024;

/// An OCI content descriptor (the fields this verifier uses).
#[derive(Debug, Clone, Default)]
pub struct Descriptor {
    /// `mediaType`.
    pub media_type: String,
    /// `digest` (`sha256:<hex>`).
    pub digest: String,
    /// `artifactType`, if any.
    pub artifact_type: Option<String>,
    /// `annotations`.
    pub annotations: BTreeMap<String, String>,
}

impl Descriptor {
    /// Reads a descriptor object leniently (missing fields stay empty).
    pub fn from_value(value: &Value) -> Self {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
        let annotations = value
            .get("annotations")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        Descriptor {
            media_type: text("mediaType").unwrap_or_default(),
            digest: text("digest").unwrap_or_default(),
            artifact_type: text("artifactType"),
            annotations,
        }
    }

    /// An annotation value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }

    /// `sha256:0123456789ab…` for messages.
    pub fn short(&self) -> String {
        short_digest(&self.digest)
    }
}

/// `sha256:0123456789ab…`.
pub fn short_digest(digest: &str) -> String {
    match digest.get(..19) {
        Some(prefix) if digest.len() > 19 => format!("{prefix}…"),
        _ => digest.to_string(),
    }
}

/// The descriptors of a manifest list (`manifests[]`) or manifest (`layers[]`), capped.
pub fn descriptors(value: &Value, key: &str) -> Vec<Descriptor> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .take(MAX_DESCRIPTORS)
                .map(Descriptor::from_value)
                .collect()
        })
        .unwrap_or_default()
}

/// An opened layout.
#[derive(Debug)]
pub struct Layout {
    /// The layout directory.
    pub dir: PathBuf,
    /// `index.json` `manifests[]`.
    pub index: Vec<Descriptor>,
}

impl Layout {
    /// Opens `dir`: checks `oci-layout` and reads `index.json`.
    pub fn open(dir: &Path) -> Result<Self, VerifyError> {
        if !dir.is_dir() {
            return Err(VerifyError::input(
                dir,
                "open OCI layout",
                "not a directory",
            ));
        }
        let marker = dir.join("oci-layout");
        let marker_text = read_bounded(&marker, "read oci-layout", 64 * 1024)?;
        let marker_value = parse_json(
            &marker,
            "parse oci-layout",
            &String::from_utf8_lossy(&marker_text),
        )?;
        if marker_value
            .get("imageLayoutVersion")
            .and_then(Value::as_str)
            .is_none()
        {
            return Err(VerifyError::input(
                &marker,
                "parse oci-layout",
                "no imageLayoutVersion",
            ));
        }
        let index_path = dir.join("index.json");
        let index_bytes = read_bounded(&index_path, "read index.json", MAX_DOCUMENT_BYTES)?;
        let index_value = parse_json(
            &index_path,
            "parse index.json",
            &String::from_utf8_lossy(&index_bytes),
        )?;
        if index_value
            .get("manifests")
            .and_then(Value::as_array)
            .is_none()
        {
            return Err(VerifyError::input(
                &index_path,
                "parse index.json",
                "no manifests array",
            ));
        }
        Ok(Layout {
            dir: dir.to_path_buf(),
            index: descriptors(&index_value, "manifests"),
        })
    }

    /// The path of a blob, after validating the digest syntax.
    pub fn blob_path(&self, digest: &str) -> Result<PathBuf, VerifyError> {
        let hex = digest
            .strip_prefix("sha256:")
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                VerifyError::input(
                    &self.dir,
                    "read blob",
                    format!("unsupported or malformed digest {digest:?}"),
                )
            })?;
        Ok(self.dir.join("blobs").join("sha256").join(hex))
    }

    /// Whether the blob file exists.
    pub fn has_blob(&self, digest: &str) -> bool {
        self.blob_path(digest).is_ok_and(|p| p.is_file())
    }

    /// Reads a blob (up to [`MAX_DOCUMENT_BYTES`]) and checks its sha256 against its digest.
    pub fn blob(&self, digest: &str) -> Result<Vec<u8>, VerifyError> {
        self.blob_limited(digest, MAX_DOCUMENT_BYTES)
    }

    /// Reads a manifest or index blob as JSON (up to [`MAX_MANIFEST_BYTES`]).
    pub fn manifest(&self, digest: &str) -> Result<Value, VerifyError> {
        let bytes = self.blob_limited(digest, MAX_MANIFEST_BYTES)?;
        let path = self.blob_path(digest)?;
        parse_json(
            &path,
            "parse manifest JSON",
            &String::from_utf8_lossy(&bytes),
        )
    }

    fn blob_limited(&self, digest: &str, limit: u64) -> Result<Vec<u8>, VerifyError> {
        let path = self.blob_path(digest)?;
        if !path.is_file() {
            return Err(VerifyError::input(
                &path,
                "read blob",
                format!("blob {digest} is referenced but missing from the layout"),
            ));
        }
        let bytes = read_bounded(&path, "read blob", limit)?;
        let actual = format!("sha256:{}", hex::encode(Sha256::digest(&bytes)));
        if !actual.eq_ignore_ascii_case(digest) {
            return Err(VerifyError::input(
                &path,
                "verify blob digest",
                format!("content hashes to {actual}, not {digest}"),
            ));
        }
        Ok(bytes)
    }

    /// Reads a blob as JSON.
    pub fn json_blob(&self, digest: &str) -> Result<Value, VerifyError> {
        let bytes = self.blob(digest)?;
        let path = self.blob_path(digest)?;
        parse_json(&path, "parse blob JSON", &String::from_utf8_lossy(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_digests_are_refused() {
        let layout = Layout {
            dir: PathBuf::from("/nonexistent"),
            index: vec![],
        };
        assert!(layout.blob_path("sha256:../../etc/passwd").is_err());
        assert!(layout
            .blob_path(&format!("sha512:{}", "a".repeat(128)))
            .is_err());
        assert!(layout
            .blob_path(&format!("sha256:{}", "a".repeat(64)))
            .is_ok());
    }

    #[test]
    fn missing_and_tampered_blobs_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("blobs/sha256")).expect("mkdir");
        let layout = Layout {
            dir: dir.path().to_path_buf(),
            index: vec![],
        };
        let digest = format!("sha256:{}", "b".repeat(64));
        let err = layout.blob(&digest).expect_err("missing");
        assert!(err.to_string().contains("missing from the layout"), "{err}");
        std::fs::write(dir.path().join("blobs/sha256").join("b".repeat(64)), b"x").expect("write");
        let err = layout.blob(&digest).expect_err("tampered");
        assert!(err.to_string().contains("verify blob digest"), "{err}");
    }
}
