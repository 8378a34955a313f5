//! The neutral result every evidence evaluation produces, tied to an input file, plus the adapter from
//! `aisvs_evidence::Assessment`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::evidence::{Location, Outcome};
use crate::model::ParsedFile;
use crate::source::FileId;

/// One evaluated subject (an image, a host, a finding, a signature, a record) for one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceItem {
    /// The rule that reports it (rule ids equal the library check ids where those exist).
    pub check: &'static str,
    /// What kind of subject: `image`, `host`, `finding`, `secret`, `kube-bench`, `bundle`, `record` …
    pub kind: &'static str,
    /// Display name of the subject.
    pub subject: String,
    /// The conclusion.
    pub outcome: Outcome,
    /// One sentence: why.
    pub message: String,
    /// The input file it came from, when that file is among the inputs.
    pub file: Option<FileId>,
    /// 1-based line in that file, when known.
    pub line: Option<u32>,
}

/// Maps absolute (and as-given) input paths back to file ids, and lines to byte ranges.
pub struct FileIndex<'a> {
    files: &'a [ParsedFile],
    by_path: HashMap<PathBuf, FileId>,
}

impl<'a> FileIndex<'a> {
    /// Indexes every input file by the path it was read from.
    pub fn new(files: &'a [ParsedFile]) -> Self {
        let mut by_path = HashMap::new();
        for f in files {
            by_path.insert(f.source.abs.clone(), f.source.id);
            if let Ok(canonical) = f.source.abs.canonicalize() {
                by_path.insert(canonical, f.source.id);
            }
        }
        FileIndex { files, by_path }
    }

    /// The input file read from `path`, if any.
    pub fn id_of(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied().or_else(|| {
            path.canonicalize()
                .ok()
                .and_then(|c| self.by_path.get(&c).copied())
        })
    }

    /// The input files.
    pub fn files(&self) -> &'a [ParsedFile] {
        self.files
    }
}

/// The location of an item: its line (or the file's first line) in its input file.
pub fn location_of(files: &[ParsedFile], file: FileId, line: Option<u32>) -> Option<Location> {
    let text = &files.get(file)?.source.text;
    let wanted = line.unwrap_or(1).max(1) as usize;
    let mut start = 0usize;
    for _ in 1..wanted {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    Some(Location::bytes(file, start, end, String::new()))
}

/// Converts a library outcome.
pub fn outcome_of(o: aisvs_evidence::Outcome) -> Outcome {
    match o {
        aisvs_evidence::Outcome::Pass => Outcome::Pass,
        aisvs_evidence::Outcome::Fail => Outcome::Fail,
        aisvs_evidence::Outcome::Partial => Outcome::Partial,
        aisvs_evidence::Outcome::Inconclusive => Outcome::Inconclusive,
    }
}

/// Adapts one library assessment; `fallback` is the file to point at when the assessment names none
/// that is among the inputs.
pub fn from_assessment(
    a: &aisvs_evidence::Assessment,
    kind: &'static str,
    index: &FileIndex<'_>,
    fallback: Option<FileId>,
) -> EvidenceItem {
    let file = a.path.as_deref().and_then(|p| index.id_of(p));
    EvidenceItem {
        check: a.check,
        kind,
        subject: a.subject.clone(),
        outcome: outcome_of(a.outcome),
        message: a.message.clone(),
        line: if file.is_some() { a.line } else { None },
        file: file.or(fallback),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileKind, SourceFile};

    fn file(text: &str) -> ParsedFile {
        ParsedFile {
            source: SourceFile::new(0, "a".into(), "/x/a".into(), FileKind::Text, text.into()),
            docs: Vec::new(),
            parse_failed: false,
        }
    }

    #[test]
    fn lines_become_byte_ranges_and_out_of_range_lines_stay_in_the_file() {
        let files = vec![file("one\ntwo\nthree")];
        let loc = location_of(&files, 0, Some(2)).expect("in range");
        assert_eq!((loc.span.start(), loc.span.end()), (4, 7));
        let last = location_of(&files, 0, Some(99)).expect("clamped");
        assert_eq!(last.span.start(), 8);
        assert!(location_of(&files, 5, None).is_none());
    }

    #[test]
    fn assessment_paths_map_back_to_inputs() {
        let files = vec![file("x")];
        let index = FileIndex::new(&files);
        let a = aisvs_evidence::Assessment::new(
            "4.6.2",
            "report-benchmark-pass-rate",
            "n",
            aisvs_evidence::Outcome::Fail,
            "m",
        )
        .at("/x/a", Some(1));
        let item = from_assessment(&a, "kube-bench", &index, None);
        assert_eq!(item.file, Some(0));
        assert_eq!(item.outcome, Outcome::Fail);
        let elsewhere = a.clone().at("/elsewhere", Some(3));
        let item = from_assessment(&elsewhere, "kube-bench", &index, Some(0));
        assert_eq!((item.file, item.line), (Some(0), None));
    }
}
