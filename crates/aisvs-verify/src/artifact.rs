//! What a signature or attestation must be about: an artifact file, a digest, or bytes in hand.

use crate::error::VerifyError;
use sha2::{Digest as _, Sha256, Sha512};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The artifact a bundle or provenance must describe.
#[derive(Debug, Clone)]
pub enum ArtifactInput {
    /// A file on disk; hashed in constant memory.
    File(PathBuf),
    /// A digest given on the command line (`sha256:<hex>` or `sha512:<hex>`).
    Digest(ArtifactDigest),
    /// Bytes already in memory (for example a cosign simple-signing payload).
    Bytes(Vec<u8>),
}

/// A typed digest: algorithm name and lowercase hex value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactDigest {
    /// "sha256" or "sha512".
    pub algorithm: String,
    /// Lowercase hex.
    pub hex: String,
}

impl ArtifactDigest {
    /// Parses `sha256:<64 hex>` or `sha512:<128 hex>`.
    pub fn parse(text: &str) -> Result<Self, VerifyError> {
        let (algorithm, hex) = text.split_once(':').ok_or_else(|| {
            VerifyError::usage(format!("digest {text:?} must look like sha256:<hex>"))
        })?;
        let algorithm = algorithm.to_ascii_lowercase();
        let expected_len = match algorithm.as_str() {
            "sha256" => 64,
            "sha512" => 128,
            _ => {
                return Err(VerifyError::usage(format!(
                    "digest algorithm {algorithm:?} is not supported (sha256, sha512)"
                )))
            }
        };
        if hex.len() != expected_len || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(VerifyError::usage(format!(
                "digest {text:?}: expected {expected_len} hex characters"
            )));
        }
        Ok(ArtifactDigest {
            algorithm,
            hex: hex.to_ascii_lowercase(),
        })
    }

    /// `algorithm:hex`.
    pub fn display(&self) -> String {
        format!("{}:{}", self.algorithm, self.hex)
    }
}

/// The digests of an artifact that are known (a file gives both; a given digest only its own).
#[derive(Debug, Clone, Default)]
pub struct KnownDigests {
    /// sha256 hex, if known.
    pub sha256: Option<String>,
    /// sha512 hex, if known.
    pub sha512: Option<String>,
}

impl KnownDigests {
    /// Looks up the digest for an in-toto digest-set key ("sha256", "sha512").
    pub fn get(&self, algorithm: &str) -> Option<&str> {
        match algorithm {
            "sha256" => self.sha256.as_deref(),
            "sha512" => self.sha512.as_deref(),
            _ => None,
        }
    }

    /// Short description for reports.
    pub fn describe(&self) -> String {
        match (&self.sha256, &self.sha512) {
            (Some(h), _) => format!("sha256:{h}"),
            (None, Some(h)) => format!("sha512:{h}"),
            (None, None) => "no digest".to_string(),
        }
    }
}

impl ArtifactInput {
    /// Computes the digests this input makes known (hashing files in 64 KiB chunks).
    pub fn digests(&self) -> Result<KnownDigests, VerifyError> {
        match self {
            ArtifactInput::Digest(d) => Ok(match d.algorithm.as_str() {
                "sha512" => KnownDigests {
                    sha256: None,
                    sha512: Some(d.hex.clone()),
                },
                _ => KnownDigests {
                    sha256: Some(d.hex.clone()),
                    sha512: None,
                },
            }),
            ArtifactInput::Bytes(bytes) => Ok(KnownDigests {
                sha256: Some(hex::encode(Sha256::digest(bytes))),
                sha512: Some(hex::encode(Sha512::digest(bytes))),
            }),
            ArtifactInput::File(path) => hash_file(path),
        }
    }

    /// Short description for reports.
    pub fn describe(&self) -> String {
        match self {
            ArtifactInput::File(path) => path.display().to_string(),
            ArtifactInput::Digest(d) => d.display(),
            ArtifactInput::Bytes(bytes) => format!("{} bytes in memory", bytes.len()),
        }
    }
}

fn hash_file(path: &Path) -> Result<KnownDigests, VerifyError> {
    let mut file =
        std::fs::File::open(path).map_err(|e| VerifyError::input(path, "read artifact", e))?;
    let mut sha256 = Sha256::new();
    let mut sha512 = Sha512::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| VerifyError::input(path, "read artifact", e))?;
        if n == 0 {
            break;
        }
        let chunk = buffer.get(..n).unwrap_or_default();
        sha256.update(chunk);
        sha512.update(chunk);
    }
    Ok(KnownDigests {
        sha256: Some(hex::encode(sha256.finalize())),
        sha512: Some(hex::encode(sha512.finalize())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_parsing_validates_length_and_algorithm() {
        let ok = ArtifactDigest::parse(&format!("sha256:{}", "A".repeat(64))).expect("valid");
        assert_eq!(ok.hex, "a".repeat(64));
        assert!(ArtifactDigest::parse("sha256:abcd").is_err());
        assert!(ArtifactDigest::parse(&format!("md5:{}", "a".repeat(32))).is_err());
        assert!(ArtifactDigest::parse("nocolon").is_err());
    }

    #[test]
    fn bytes_digest_is_sha256_of_content() {
        let d = ArtifactInput::Bytes(Vec::new()).digests().expect("digests");
        assert_eq!(
            d.sha256.as_deref(),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }
}
