//! Discovery: turns the paths given on the command line into source files (gitignore-aware, stdin, size limits).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::source::{FileKind, SourceFile};

/// Files larger than this are reported and skipped, so a stray 100 MB dump cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What discovery produced.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The scan root (paths in output are relative to it).
    pub root: PathBuf,
    /// Files to parse, in path order.
    pub files: Vec<SourceFile>,
    /// Files that could not be read or were skipped, as diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Errors that stop a scan before it starts.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A path named on the command line does not exist or cannot be read.
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
}

/// Classifies a file by its name; `None` means the scan does not read it.
pub fn kind_for_path(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
    {
        return Some(FileKind::Dockerfile);
    }
    match ext {
        "yaml" | "yml" => Some(FileKind::Yaml),
        "json" => Some(FileKind::Json),
        "tf" => Some(FileKind::Terraform),
        "sh" | "env" | "conf" => Some(FileKind::Text),
        // HCL other than Terraform: read for Vault server configurations (seal stanzas).
        "hcl" => Some(FileKind::Text),
        // Evidence: JSON-lines bundles/attestations, Sigstore bundles (JSON), OCI layout markers.
        "jsonl" => Some(FileKind::Text),
        "sigstore" => Some(FileKind::Json),
        _ if lower == "oci-layout" || lower == ".trivyignore" => Some(FileKind::Text),
        _ if lower == ".env" || lower == "sshd_config" || lower == "entrypoint" => {
            Some(FileKind::Text)
        }
        _ if path.parent().and_then(|p| p.file_name()) == Some("pam.d".as_ref()) => {
            Some(FileKind::Text)
        }
        _ => None,
    }
}

/// Walks the inputs. `-` reads stdin as one YAML/JSON stream.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovered, DiscoverError> {
    let mut out = Discovered {
        root: scan_root(inputs),
        ..Discovered::default()
    };
    let mut found: Vec<(String, PathBuf, FileKind)> = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            let mut text = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut text) {
                return Err(DiscoverError::Unreadable {
                    path: "-".into(),
                    reason: e.to_string(),
                });
            }
            push_file(
                &mut out,
                "-".into(),
                PathBuf::from("-"),
                FileKind::Yaml,
                text,
            );
            continue;
        }
        let meta = std::fs::metadata(input).map_err(|e| DiscoverError::Unreadable {
            path: input.display().to_string(),
            reason: e.to_string(),
        })?;
        if meta.is_file() {
            // A file named explicitly is read whatever its name; YAML is the default guess.
            let kind = kind_for_path(input).unwrap_or(FileKind::Yaml);
            found.push((relative(&out.root, input), input.clone(), kind));
            continue;
        }
        walk_dir(&out.root, input, &mut found, &mut out.diagnostics);
    }
    found.sort();
    found.dedup();
    for (rel, abs, kind) in found {
        match read_bounded(&abs) {
            Ok(bytes) => push_file(&mut out, rel, abs, kind, bytes),
            Err(reason) => out.diagnostics.push(Diagnostic::error(&rel, 0, reason)),
        }
    }
    Ok(out)
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    found: &mut Vec<(String, PathBuf, FileKind)>,
    diags: &mut Vec<Diagnostic>,
) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name();
            !(e.depth() > 0 && (name == ".git" || name == ".aisvs" || name == "node_modules"))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let Some(ft) = e.file_type() else { continue };
                if !ft.is_file() {
                    continue;
                }
                if let Some(kind) = kind_for_path(e.path()) {
                    found.push((relative(root, e.path()), e.path().to_path_buf(), kind));
                }
            }
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => relative(root, path),
                    _ => dir.display().to_string(),
                };
                diags.push(Diagnostic::warning(
                    &path,
                    0,
                    format!("skipped: {}", one_line(&err.to_string())),
                ));
            }
        }
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(format!(
            "file is {len} bytes, over the {MAX_FILE_BYTES}-byte limit; skipped"
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "file is over the {MAX_FILE_BYTES}-byte limit; skipped"
        ));
    }
    Ok(bytes)
}

fn push_file(out: &mut Discovered, rel: String, abs: PathBuf, kind: FileKind, bytes: Vec<u8>) {
    if bytes.contains(&0) {
        out.diagnostics.push(Diagnostic::error(
            &rel,
            0,
            "binary content (NUL bytes); not a text file, skipped".into(),
        ));
        return;
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.remove(0);
            }
            let id = out.files.len();
            out.files.push(SourceFile::new(id, rel, abs, kind, text));
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
            out.diagnostics.push(Diagnostic::error(
                &rel,
                line,
                "not valid UTF-8; skipped".into(),
            ));
        }
    }
}

fn scan_root(inputs: &[PathBuf]) -> PathBuf {
    match inputs {
        [one] if one.is_dir() => one.clone(),
        _ => PathBuf::from("."),
    }
}

/// Path relative to the root, `/`-separated; falls back to the path as given.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_string();
    if s.is_empty() {
        path.file_name()
            .map_or_else(|| ".".into(), |n| n.to_string_lossy().into_owned())
    } else {
        s
    }
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}
