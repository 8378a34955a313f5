//! SHA-256 of every regular file under the read-only inputs, for the record. Symlinks are not
//! followed (inside the sandbox they resolve against the new root, not the host), and the walk
//! is bounded in depth and file count so a hostile tree cannot make it run forever.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::SandboxError;
use super::record::InputFile;

/// Most files digested per run.
pub const MAX_INPUT_FILES: usize = 100_000;
/// Deepest directory level walked below an input.
pub const MAX_DEPTH: usize = 64;

/// Digest of one file, streamed.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Every regular file under `roots` (files or directories), sorted by path.
pub fn collect_files(roots: &[PathBuf]) -> Result<Vec<PathBuf>, SandboxError> {
    let mut files = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = roots.iter().map(|r| (r.clone(), 0)).collect();
    while let Some((path, depth)) = stack.pop() {
        let io_err = |source| SandboxError::Io {
            path: path.clone(),
            source,
        };
        let meta = fs::symlink_metadata(&path).map_err(io_err)?;
        if meta.is_file() {
            files.push(path);
            if files.len() > MAX_INPUT_FILES {
                return Err(SandboxError::InvalidOption {
                    what: "--read-only inputs".into(),
                    reason: format!(
                        "more than {MAX_INPUT_FILES} files; pass the model files or dirs only"
                    ),
                });
            }
        } else if meta.is_dir() && depth < MAX_DEPTH {
            for entry in fs::read_dir(&path).map_err(io_err)? {
                let entry = entry.map_err(io_err)?;
                stack.push((entry.path(), depth + 1));
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Digests of every input file.
pub fn digest_inputs(roots: &[PathBuf]) -> Result<Vec<InputFile>, SandboxError> {
    collect_files(roots)?
        .into_iter()
        .map(|path| {
            let (sha256, size) = sha256_file(&path).map_err(|source| SandboxError::Io {
                path: path.clone(),
                source,
            })?;
            Ok(InputFile {
                path: path.display().to_string(),
                sha256,
                size,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_files_in_nested_dirs_and_skips_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/a.bin"), b"abc").unwrap();
        fs::write(dir.path().join("b.bin"), b"").unwrap();
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join("link")).unwrap();
        let inputs = digest_inputs(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(inputs.len(), 2);
        let a = inputs.iter().find(|i| i.path.ends_with("a.bin")).unwrap();
        assert_eq!(
            a.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(a.size, 3);
    }
}
