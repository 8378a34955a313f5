//! Source files as read from disk or stdin, with a line index for turning byte offsets into line and column.

use std::path::PathBuf;
use std::sync::Arc;

/// Index of a file in the run's file table.
pub type FileId = usize;

/// What a file is, decided by its path and a sniff of its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// YAML (Kubernetes manifests, Compose, CI workflows, Helm values …).
    Yaml,
    /// JSON (manifests, `kubectl … -o json`, scanner reports, seccomp profiles …).
    Json,
    /// Terraform HCL.
    Terraform,
    /// A Dockerfile or Containerfile.
    Dockerfile,
    /// Anything else that a rule may read as text (sshd_config, .env files, shell scripts).
    Text,
}

impl FileKind {
    /// The name used in `inputs.by_kind` of the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Yaml => "yaml",
            FileKind::Json => "json",
            FileKind::Terraform => "terraform",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Text => "text",
        }
    }
}

/// One input file.
#[derive(Debug)]
pub struct SourceFile {
    /// Position in the file table.
    pub id: FileId,
    /// Path relative to the scan root, `/`-separated (`-` for stdin).
    pub path: String,
    /// Where it was read from.
    pub abs: PathBuf,
    /// Its kind.
    pub kind: FileKind,
    /// The whole text.
    pub text: Arc<str>,
    /// Byte offset of each line's start; u32 because inputs are capped at 8 MiB and a scan holds every file's index.
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Builds a source file and its line index.
    pub fn new(id: FileId, path: String, abs: PathBuf, kind: FileKind, text: String) -> Self {
        let narrow = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let mut line_starts = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count() + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| narrow(i + 1)));
        SourceFile {
            id,
            path,
            abs,
            kind,
            text: Arc::from(text),
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text.len());
        let key = u32::try_from(byte).unwrap_or(u32::MAX);
        let line = match self.line_starts.binary_search(&key) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let col = self
            .text
            .get(start..byte)
            .map_or(byte - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let start = start as usize;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| (e as usize).saturating_sub(1));
        self.text
            .get(start..end.max(start))
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .map_or(self.text.len(), |&s| s as usize)
    }
}

/// A byte range inside one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// File it belongs to.
    file: u32,
    /// First byte.
    start: u32,
    /// One past the last byte.
    end: u32,
}

// Offsets are stored as u32: files over 8 MiB are never read (`discover::MAX_FILE_BYTES`), and every
// parse-tree node carries a span, so the narrower type cuts the trees of a large scan by about a fifth.
impl Span {
    /// A byte range `start..end` in `file` (values past `u32::MAX` saturate; inputs never come close).
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let narrow = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span {
            file: narrow(file),
            start: narrow(start),
            end: narrow(end),
        }
    }
    /// File it belongs to.
    pub fn file(&self) -> FileId {
        self.file as FileId
    }
    /// First byte.
    pub fn start(&self) -> usize {
        self.start as usize
    }
    /// One past the last byte.
    pub fn end(&self) -> usize {
        self.end as usize
    }
}
