//! Expansion of sshd `Include` lines: space-separated paths or globs, relative ones under
//! /etc/ssh, matches in lexical order (as OpenSSH sorts glob results), mapped under the root.

use super::under_root;
use std::path::{Path, PathBuf};

/// Expands the space-separated patterns of an `Include` line; relative ones are under /etc/ssh.
pub fn expand_include(root: &Path, value: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for pattern in value.split_whitespace() {
        let absolute = if pattern.starts_with('/') {
            pattern.to_string()
        } else {
            format!("/etc/ssh/{pattern}")
        };
        let full = under_root(root, &absolute);
        let (Some(dir), Some(name)) = (full.parent(), full.file_name().and_then(|n| n.to_str()))
        else {
            continue;
        };
        if !name.contains('*') && !name.contains('?') {
            if full.is_file() {
                out.push(full);
            }
            continue;
        }
        let mut matched: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| super::pattern::glob(name, n))
            })
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        matched.sort();
        out.extend(matched);
    }
    out
}
