//! The Sigstore trusted root: the shipped production root, or a file given with `--trusted-root`.
//!
//! Verification is offline, so the root of trust is data: it is never refreshed over TUF.

use crate::error::VerifyError;
use crate::input::{parse_json, read_text};
use sigstore_verify::trust_root::TrustedRoot;
use std::path::Path;

/// The Sigstore public-good production TrustedRoot shipped with aisvs (see `data/README.md`).
pub const PRODUCTION_TRUSTED_ROOT_JSON: &str = include_str!("../data/production.trusted_root.json");

/// TrustedRoot media types accepted (protobuf-specs `sigstore_trustroot.proto`).
const TRUSTED_ROOT_MEDIA_TYPES: [&str; 3] = [
    "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
    "application/vnd.dev.sigstore.trustedroot.v0.1+json",
    "application/vnd.dev.sigstore.trustedroot.v0.2+json",
];

/// A loaded root of trust with a label saying where it came from.
pub struct TrustRoot {
    /// The parsed root.
    pub root: TrustedRoot,
    /// "shipped Sigstore production root" or the file path.
    pub label: String,
    /// Any RFC 3161 timestamp that does not authenticate fails the bundle (see `timestamps.rs`).
    pub strict_timestamps: bool,
}

impl TrustRoot {
    /// Sets the timestamp policy used with this root.
    pub fn with_strict_timestamps(mut self, strict: bool) -> Self {
        self.strict_timestamps = strict;
        self
    }
}

/// Loads `path`, or the shipped production root when `path` is `None`.
pub fn load_trusted_root(path: Option<&Path>) -> Result<TrustRoot, VerifyError> {
    match path {
        None => {
            let root = TrustedRoot::from_json(PRODUCTION_TRUSTED_ROOT_JSON).map_err(|e| {
                VerifyError::input("shipped production trusted root", "parse trusted root", e)
            })?;
            Ok(TrustRoot {
                root,
                label: "shipped Sigstore production root".to_string(),
                strict_timestamps: false,
            })
        }
        Some(path) => {
            let text = read_text(path, "read trusted root")?;
            // A sigstore ClientTrustConfig (`sigstore --trust-config`) wraps the root.
            let value = parse_json(path, "parse trusted root", &text)?;
            let (root_value, text) = match value.get("trustedRoot") {
                Some(inner) => (inner.clone(), inner.to_string()),
                None => (value, text),
            };
            let media_type = root_value
                .get("mediaType")
                .and_then(|m| m.as_str())
                .unwrap_or("");
            if !TRUSTED_ROOT_MEDIA_TYPES.contains(&media_type) {
                return Err(VerifyError::input(
                    path,
                    "check trusted root media type",
                    format!("unknown trusted root media type {media_type:?}"),
                ));
            }
            let root = TrustedRoot::from_json(&text)
                .map_err(|e| VerifyError::input(path, "parse trusted root", e))?;
            Ok(TrustRoot {
                root,
                label: path.display().to_string(),
                strict_timestamps: false,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_root_parses() {
        let root = load_trusted_root(None).expect("shipped root must parse");
        assert!(root.label.contains("production"));
    }

    #[test]
    fn garbage_root_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("root.json");
        std::fs::write(&path, "{\"mediaType\": 3}").expect("write");
        let err = load_trusted_root(Some(&path)).err().expect("must fail");
        assert!(
            err.to_string()
                .contains("root.json: check trusted root media type"),
            "{err}"
        );
    }
}
