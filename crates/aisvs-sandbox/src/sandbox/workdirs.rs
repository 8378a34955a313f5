//! Host directories a run needs: the empty mount point of the new root, and the default
//! scratch dir when the user gave none. Both are private (0700) and removed afterwards; a user
//! scratch dir is left in place with its contents.

use std::fs;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::SandboxError;

static SERIAL: AtomicU64 = AtomicU64::new(0);

/// The run's host directories.
#[derive(Debug)]
pub struct WorkDirs {
    pub root: PathBuf,
    pub scratch: PathBuf,
    /// Distinguishes concurrent runs of one process.
    pub serial: u64,
    owns_scratch: bool,
}

fn private_dir(name: String) -> Result<PathBuf, SandboxError> {
    let path = std::env::temp_dir().join(name);
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&path)
        .map_err(|source| SandboxError::Io {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}

impl WorkDirs {
    /// Creates the root mount point, and a scratch dir unless `user_scratch` is given.
    pub fn create(user_scratch: Option<PathBuf>) -> Result<WorkDirs, SandboxError> {
        let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tag = format!("{}-{serial}-{nanos}", std::process::id());
        let root = private_dir(format!("aisvs-sandbox-root-{tag}"))?;
        let (scratch, owns_scratch) = match user_scratch {
            Some(path) => (path, false),
            None => match private_dir(format!("aisvs-sandbox-scratch-{tag}")) {
                Ok(path) => (path, true),
                Err(e) => {
                    let _ = fs::remove_dir(&root);
                    return Err(e);
                }
            },
        };
        Ok(WorkDirs {
            root,
            scratch,
            serial,
            owns_scratch,
        })
    }
}

impl Drop for WorkDirs {
    fn drop(&mut self) {
        let _ = fs::remove_dir(&self.root);
        if self.owns_scratch {
            let _ = fs::remove_dir_all(&self.scratch);
        }
    }
}
