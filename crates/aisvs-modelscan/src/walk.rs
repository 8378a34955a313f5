//! Expands the paths given on the command line into files to scan. Directories are walked in name
//! order without following symlinks out of the given root; links that leave it, dangling links and
//! special files become `unknown` reports instead of being opened.

use crate::error::ScanError;
use crate::report::{verdict_of, FileReport, Finding, FindingKind, Format};
use std::fs;
use std::path::{Path, PathBuf};

/// One thing to do for a path.
pub enum Visit {
    /// Scan this regular file; `in_dir` is true when it was found by walking a directory.
    File { path: PathBuf, in_dir: bool },
    /// Already decided without reading (links out of the root, special files, unreadable dirs).
    Report(FileReport),
}

fn refused(path: &Path, kind: FindingKind, detail: String) -> Visit {
    let findings = vec![Finding::new(kind, detail, None)];
    Visit::Report(FileReport {
        path: path.display().to_string(),
        format: Format::Unknown,
        verdict: verdict_of(&findings),
        size: 0,
        sha256: None,
        findings,
    })
}

/// Expands one command-line path.
pub fn expand(root: &Path, max_files: u64) -> Result<Vec<Visit>, ScanError> {
    let meta = fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ScanError::NotFound {
            path: root.to_path_buf(),
        },
        _ => ScanError::Unreadable {
            path: root.to_path_buf(),
            reason: e.to_string(),
        },
    })?;
    if meta.is_file() {
        return Ok(vec![Visit::File {
            path: root.to_path_buf(),
            in_dir: false,
        }]);
    }
    if !meta.is_dir() {
        return Ok(vec![refused(
            root,
            FindingKind::NotRegularFile,
            "not a regular file or directory: not opened".into(),
        )]);
    }
    let canonical_root = root.canonicalize().map_err(|e| ScanError::Unreadable {
        path: root.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut visits = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let mut entries: Vec<PathBuf> = match fs::read_dir(&dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                visits.push(refused(
                    &dir,
                    FindingKind::ReadError,
                    format!("directory unreadable: {e}"),
                ));
                continue;
            }
        };
        entries.sort();
        // Reverse so the stack pops subdirectories in name order.
        for path in entries.into_iter().rev() {
            if visits.len() as u64 >= max_files {
                return Err(ScanError::Unreadable {
                    path: root.to_path_buf(),
                    reason: format!("more than {max_files} files"),
                });
            }
            let Ok(lmeta) = fs::symlink_metadata(&path) else {
                continue;
            };
            let ft = lmeta.file_type();
            if ft.is_dir() {
                pending.push(path);
            } else if ft.is_file() {
                visits.push(Visit::File { path, in_dir: true });
            } else if ft.is_symlink() {
                match path.canonicalize() {
                    Err(_) => visits.push(refused(
                        &path,
                        FindingKind::SymlinkOutsideRoot,
                        "dangling symbolic link: not followed".into(),
                    )),
                    Ok(target) if !target.starts_with(&canonical_root) => {
                        let detail = format!(
                            "symbolic link to {} leaves the scanned directory: not followed",
                            target.display()
                        );
                        visits.push(refused(&path, FindingKind::SymlinkOutsideRoot, detail));
                    }
                    // Links to directories inside the root are visited through their real path.
                    Ok(target) if target.is_file() => {
                        visits.push(Visit::File { path, in_dir: true })
                    }
                    Ok(_) => {}
                }
            } else {
                visits.push(refused(
                    &path,
                    FindingKind::NotRegularFile,
                    "special file (fifo, socket or device): not opened".into(),
                ));
            }
        }
    }
    visits.reverse();
    visits.sort_by_key(visit_path);
    Ok(visits)
}

fn visit_path(v: &Visit) -> String {
    match v {
        Visit::File { path, .. } => path.display().to_string(),
        Visit::Report(r) => r.path.clone(),
    }
}
