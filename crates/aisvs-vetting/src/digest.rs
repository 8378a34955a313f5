//! Model and file digests: one spelling (`sha256:<64 lowercase hex>`) everywhere the gate compares them.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{GateError, Result};

/// Normalises a model digest to `sha256:<hex>`; accepts a bare 64-hex string or the prefixed form
/// in any letter case. Returns `None` for anything else (other algorithms are not comparable here).
pub fn normalize_model_digest(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let hex_part = match trimmed.split_once(':') {
        Some((algorithm, rest)) if algorithm.eq_ignore_ascii_case("sha256") => rest,
        Some(_) => return None,
        None => trimmed,
    };
    let is_hex = hex_part.len() == 64 && hex_part.bytes().all(|b| b.is_ascii_hexdigit());
    is_hex.then(|| format!("sha256:{}", hex_part.to_ascii_lowercase()))
}

/// `sha256:<hex>` of some bytes, used to pin every input file in the decision record.
pub fn sha256_of(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// `sha256:<hex>` of a file, streamed (result files can be hundreds of MiB), up to `limit` bytes.
pub fn sha256_of_file(path: &Path, limit: u64) -> Result<String> {
    let file = std::fs::File::open(path).map_err(|e| GateError::io(path, e))?;
    let mut reader = file.take(limit + 1);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let read = reader
            .read(&mut buffer)
            .map_err(|e| GateError::io(path, e))?;
        if read == 0 {
            break;
        }
        total += read as u64;
        if total > limit {
            return Err(GateError::TooLarge {
                path: path.to_path_buf(),
                limit_mib: limit >> 20,
            });
        }
        hasher.update(&buffer[..read]);
    }
    Ok(format!("sha256:{}", hex::encode(hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn accepts_bare_and_prefixed_hex_in_any_case() {
        let expected = format!("sha256:{HEX}");
        assert_eq!(
            normalize_model_digest(HEX).as_deref(),
            Some(expected.as_str())
        );
        let upper = format!("SHA256:{}", HEX.to_uppercase());
        assert_eq!(
            normalize_model_digest(&upper).as_deref(),
            Some(expected.as_str())
        );
    }

    #[test]
    fn rejects_other_algorithms_and_bad_lengths() {
        assert_eq!(normalize_model_digest(&format!("sha512:{HEX}")), None);
        assert_eq!(normalize_model_digest("sha256:abc"), None);
        assert_eq!(normalize_model_digest(&format!("{}g", &HEX[..63])), None);
    }

    #[test]
    fn hashes_bytes() {
        assert_eq!(sha256_of(b"test"), format!("sha256:{HEX}"));
    }
}
