//! Ed25519 keys that sign vetting records: generation, loading, and the default key location.
//!
//! File format (text, interoperable with OpenSSL):
//! - signing key: PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), written with mode 0600;
//! - public key: SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
//!
//! `openssl pkey -in sandbox-signing.key -pubout` prints the same public key we write.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Key files are a few hundred bytes; anything bigger is not a key and is not read whole.
const MAX_KEY_FILE_BYTES: u64 = 16 * 1024;

/// Environment variable that overrides the default signing-key path.
pub const KEY_PATH_ENV: &str = "AISVS_SANDBOX_KEY";

/// Errors while creating, reading or parsing key files.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is larger than {MAX_KEY_FILE_BYTES} bytes, not a key file")]
    TooLarge { path: PathBuf },
    #[error("{path}: not a PEM PKCS#8 Ed25519 private key ({reason})")]
    BadSigningKey { path: PathBuf, reason: String },
    #[error("{path}: not a PEM Ed25519 public key ({reason})")]
    BadPublicKey { path: PathBuf, reason: String },
    #[error("{path}: already exists (pass --force to overwrite)")]
    Exists { path: PathBuf },
    #[error("cannot encode key: {0}")]
    Encode(String),
    #[error("no default key path: set {KEY_PATH_ENV} or HOME, or pass --key")]
    NoDefaultPath,
}

/// Paths of a generated key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPairPaths {
    pub signing_key: PathBuf,
    pub public_key: PathBuf,
}

/// The default signing-key path: `$AISVS_SANDBOX_KEY`, else
/// `$XDG_CONFIG_HOME/aisvs/sandbox-signing.key`, else `$HOME/.config/aisvs/sandbox-signing.key`.
pub fn default_signing_key_path() -> Result<PathBuf, KeyError> {
    if let Some(explicit) = std::env::var_os(KEY_PATH_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(explicit));
    }
    let config_dir = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        })
        .ok_or(KeyError::NoDefaultPath)?;
    Ok(config_dir.join("aisvs").join("sandbox-signing.key"))
}

/// The public-key path that belongs to a signing-key path (`<key>.pub`).
pub fn public_key_path_for(signing_key: &Path) -> PathBuf {
    let mut name = signing_key.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// A fresh key from the operating system's CSPRNG.
pub fn generate() -> SigningKey {
    SigningKey::generate(&mut rand_core::OsRng)
}

/// Generates a key pair and writes it to `signing_key` and `<signing_key>.pub`.
/// Refuses to overwrite existing files unless `force`.
pub fn generate_to(signing_key: &Path, force: bool) -> Result<KeyPairPaths, KeyError> {
    let public_key = public_key_path_for(signing_key);
    if !force {
        for path in [signing_key, public_key.as_path()] {
            if path.exists() {
                return Err(KeyError::Exists {
                    path: path.to_path_buf(),
                });
            }
        }
    }
    if let Some(parent) = signing_key.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|source| KeyError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let key = generate();
    let private_pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| KeyError::Encode(e.to_string()))?;
    write_file(signing_key, private_pem.as_bytes(), 0o600)?;
    write_file(
        &public_key,
        public_key_pem(&key.verifying_key())?.as_bytes(),
        0o644,
    )?;
    Ok(KeyPairPaths {
        signing_key: signing_key.to_path_buf(),
        public_key,
    })
}

/// The PEM text of a public key.
pub fn public_key_pem(key: &VerifyingKey) -> Result<String, KeyError> {
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|e| KeyError::Encode(e.to_string()))
}

/// Stable identifier of a public key: lowercase hex SHA-256 of its 32 raw bytes.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Loads a PKCS#8 PEM signing key.
pub fn load_signing_key(path: &Path) -> Result<SigningKey, KeyError> {
    let text = read_small(path)?;
    SigningKey::from_pkcs8_pem(&text).map_err(|e| KeyError::BadSigningKey {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Loads a public key: SPKI PEM, or (for convenience) the signing key itself, from which the
/// public half is derived.
pub fn load_public_key(path: &Path) -> Result<VerifyingKey, KeyError> {
    let text = read_small(path)?;
    if text.contains("-----BEGIN PRIVATE KEY-----") {
        return load_signing_key(path).map(|k| k.verifying_key());
    }
    VerifyingKey::from_public_key_pem(&text).map_err(|e| KeyError::BadPublicKey {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn read_small(path: &Path) -> Result<String, KeyError> {
    let io_err = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = fs::metadata(path).map_err(io_err)?;
    if meta.len() > MAX_KEY_FILE_BYTES {
        return Err(KeyError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    fs::read_to_string(path).map_err(io_err)
}

fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Result<(), KeyError> {
    let io_err = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Remove first so that an existing file's looser mode is not kept (only reached with --force).
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(e)),
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(io_err)?;
    file.write_all(bytes).map_err(io_err)?;
    file.sync_all().map_err(io_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pair_round_trips_and_matches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k/sandbox.key");
        let paths = generate_to(&path, false).unwrap();
        let signing = load_signing_key(&paths.signing_key).unwrap();
        let public = load_public_key(&paths.public_key).unwrap();
        assert_eq!(signing.verifying_key(), public);
        assert_eq!(load_public_key(&paths.signing_key).unwrap(), public);
        assert_eq!(key_id(&public).len(), 64);
        let mode = fs::metadata(&paths.signing_key).unwrap().permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );
    }

    #[test]
    fn refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox.key");
        let first = generate_to(&path, false).unwrap();
        assert!(matches!(
            generate_to(&path, false),
            Err(KeyError::Exists { .. })
        ));
        let before = load_public_key(&first.public_key).unwrap();
        generate_to(&path, true).unwrap();
        assert_ne!(before, load_public_key(&first.public_key).unwrap());
    }

    #[test]
    fn garbage_key_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.key");
        fs::write(&path, "not a key").unwrap();
        let err = load_signing_key(&path).unwrap_err().to_string();
        assert!(err.contains("bad.key"), "{err}");
        let err = load_public_key(&path).unwrap_err().to_string();
        assert!(err.contains("bad.key"), "{err}");
        fs::write(&path, vec![b'A'; 20_000]).unwrap();
        assert!(matches!(
            load_public_key(&path),
            Err(KeyError::TooLarge { .. })
        ));
    }
}
