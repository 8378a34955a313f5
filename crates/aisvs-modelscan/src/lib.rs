//! Static payload scanner for model files (`aisvs model scan`).
//!
//! Formats are identified by content. Pickles (raw, PyTorch zip/legacy/tar, joblib, NumPy object
//! arrays) run through a symbolic VM that never executes anything and reports every import outside
//! an allow-list; safetensors, GGUF, ONNX and Keras configs get bounded structural checks. A file is
//! `safe` only when everything a loader would interpret was understood and allowed.
#![forbid(unsafe_code)]

pub mod cli;
mod dispatch;
pub mod error;
mod formats;
pub mod guard;
pub mod options;
pub mod pickle;
mod render;
pub mod report;
pub mod stream;
mod walk;

pub use error::ScanError;
pub use options::ScanOptions;
pub use report::{verdict_of, Effect, FileReport, Finding, FindingKind, Format, Verdict};

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::Path;

/// Everything a scan of one command-line path produced.
#[derive(serde::Serialize, Debug, Clone, Default)]
pub struct ScanSet {
    /// One report per scanned file, in path order.
    pub files: Vec<FileReport>,
    /// Files found while walking a directory that are plain text and no model format (README,
    /// tokenizer JSON): listed, not judged.
    pub skipped: Vec<String>,
}

impl ScanSet {
    /// The worst verdict over all files (`Safe` for an empty set).
    pub fn worst(&self) -> Verdict {
        self.files
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Safe)
    }
}

/// Scans a file or a directory tree. Errors only for a path that cannot be opened at all; problems
/// inside files are findings.
pub fn scan_path(path: &Path, opts: &ScanOptions) -> Result<ScanSet, ScanError> {
    let mut set = ScanSet::default();
    for visit in walk::expand(path, opts.max_files)? {
        match visit {
            walk::Visit::Report(report) => set.files.push(report),
            walk::Visit::File { path, in_dir } => {
                let report = scan_file(&path, opts);
                if in_dir && report.format == Format::Text {
                    set.skipped.push(report.path);
                } else {
                    set.files.push(report);
                }
            }
        }
    }
    Ok(set)
}

/// Scans one regular file (hashing it on a second thread when `opts.hash` is set).
pub fn scan_file(path: &Path, opts: &ScanOptions) -> FileReport {
    let display = path.display().to_string();
    let opened = File::open(path).and_then(|f| f.metadata().map(|m| (f, m.len())));
    let (file, size) = match opened {
        Ok(pair) => pair,
        Err(e) => {
            let findings = vec![Finding::new(
                FindingKind::ReadError,
                format!("cannot open: {e}"),
                None,
            )];
            return FileReport {
                path: display,
                format: Format::Unknown,
                verdict: Verdict::Unknown,
                size: 0,
                sha256: None,
                findings,
            };
        }
    };
    let ctx = dispatch::Ctx {
        opts,
        depth: 0,
        model_dir: path.parent(),
    };
    let mut findings = Vec::new();
    let (format, sha256) = std::thread::scope(|scope| {
        let hasher = opts.hash.then(|| scope.spawn(|| hash_file(path)));
        let mut reader = BufReader::with_capacity(64 * 1024, file);
        let format = dispatch::scan_window(&mut reader, 0, size, &ctx, &mut findings);
        let sha = hasher.and_then(|h| h.join().ok()).and_then(Result::ok);
        (format, sha)
    });
    if format == Format::Text {
        findings.push(Finding::new(
            FindingKind::UnknownFormat,
            "text file: not a model format",
            None,
        ));
    }
    FileReport {
        path: display,
        format,
        verdict: verdict_of(&findings),
        size,
        sha256,
        findings,
    }
}

/// Scans an in-memory buffer (no hashing, no directory context).
pub fn scan_bytes(bytes: &[u8], opts: &ScanOptions) -> (Format, Verdict, Vec<Finding>) {
    let ctx = dispatch::Ctx {
        opts,
        depth: 0,
        model_dir: None,
    };
    let mut findings = Vec::new();
    let mut cursor = Cursor::new(bytes);
    let format = dispatch::scan_window(&mut cursor, 0, bytes.len() as u64, &ctx, &mut findings);
    if format == Format::Text {
        findings.push(Finding::new(
            FindingKind::UnknownFormat,
            "text: not a model format",
            None,
        ));
    }
    let verdict = verdict_of(&findings);
    (format, verdict, findings)
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}
