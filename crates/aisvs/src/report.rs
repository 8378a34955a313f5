//! The finished scan: evidence resolved to paths, lines and columns, findings, verdicts and diagnostics, ready to render.

use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::diag::Diagnostic;
use crate::evidence::{Evidence, Location, Outcome};
use crate::model::ParsedFile;
use crate::rules::RuleMeta;
use crate::source::FileKind;
use crate::verdict::RequirementResult;

/// A location with path, 1-based lines and columns, and route.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Resolved {
    /// Path relative to the scan root.
    pub path: String,
    /// First line.
    pub start_line: usize,
    /// First column.
    pub start_column: usize,
    /// Last line.
    pub end_line: usize,
    /// Column after the last character.
    pub end_column: usize,
    /// Route inside the document.
    pub route: String,
}

/// A scan's results.
pub struct Report {
    /// The scan root.
    pub root: PathBuf,
    /// `--level`.
    pub level: u8,
    /// Every input file.
    pub files: Vec<ParsedFile>,
    /// Every evidence item (sorted by file, position, rule).
    pub evidence: Vec<Box<Evidence>>,
    /// Indices into `evidence` of the failures (suppressed ones included), in output order.
    pub findings: Vec<usize>,
    /// Per-requirement verdicts.
    pub results: Vec<RequirementResult>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The rules that ran.
    pub rules: Vec<&'static RuleMeta>,
    /// The catalog.
    pub catalog: Catalog,
    /// YAML/JSON documents parsed (the trees themselves are dropped once the rules ran).
    document_count: usize,
    /// For each evidence item, its position in `findings` (built once: a linear search per lookup was quadratic).
    finding_pos: Vec<Option<usize>>,
}

impl Report {
    /// Assembles a report.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        root: PathBuf,
        level: u8,
        files: Vec<ParsedFile>,
        evidence: Vec<Box<Evidence>>,
        results: Vec<RequirementResult>,
        diagnostics: Vec<Diagnostic>,
        rules: Vec<&'static RuleMeta>,
        catalog: Catalog,
    ) -> Self {
        let in_level: std::collections::BTreeSet<&str> =
            results.iter().map(|r| r.requirement.id.as_str()).collect();
        let findings = evidence
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.outcome == Outcome::Fail && e.requirements.iter().any(|r| in_level.contains(r))
            })
            .map(|(i, _)| i)
            .collect::<Vec<usize>>();
        // The parse trees are no longer needed once the rules ran: only the sources are (for
        // code frames and positions). Freeing them here lowers the peak while reports render.
        let mut files = files;
        let document_count = files.iter().map(|f| f.docs.len()).sum();
        for f in &mut files {
            f.docs = Vec::new();
        }
        let mut finding_pos = vec![None; evidence.len()];
        for (pos, &i) in findings.iter().enumerate() {
            finding_pos[i] = Some(pos);
        }
        Report {
            finding_pos,
            document_count,
            root,
            level,
            files,
            evidence,
            findings,
            results,
            diagnostics,
            rules,
            catalog,
        }
    }

    /// Resolves a location to path, line and column; trailing white space of the span is not counted.
    pub fn resolve(&self, loc: &Location) -> Resolved {
        let file = &self.files[loc.span.file()].source;
        let text = &file.text;
        let start = loc.span.start().min(text.len());
        let mut end = loc.span.end().clamp(start, text.len());
        while end > start && text.as_bytes()[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let (start_line, start_column) = file.line_col(start);
        let (end_line, end_column) = file.line_col(end);
        Resolved {
            path: file.path.clone(),
            start_line,
            start_column,
            end_line,
            end_column,
            route: loc.route.clone(),
        }
    }

    /// A stable fingerprint of a finding: rule, path, route and subject (not the line, so edits above do not change it).
    pub fn fingerprint(&self, e: &Evidence) -> String {
        let mut h = Sha256::new();
        h.update(e.rule.as_bytes());
        if let Some(loc) = &e.location {
            h.update(self.files[loc.span.file()].source.path.as_bytes());
            h.update(loc.route.as_bytes());
        }
        h.update(e.subject.display.as_bytes());
        hex::encode(&h.finalize()[..8])
    }

    /// True when some unsuppressed failure at the selected level makes the run fail.
    pub fn has_failures(&self) -> bool {
        self.results
            .iter()
            .any(|r| r.verdict == crate::verdict::Verdict::Fail)
    }

    /// Number of YAML/JSON documents parsed.
    pub fn document_count(&self) -> usize {
        self.document_count
    }

    /// Files per kind.
    pub fn files_by_kind(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let mut m = std::collections::BTreeMap::new();
        for f in &self.files {
            *m.entry(kind_name(f.source.kind)).or_insert(0) += 1;
        }
        m
    }

    /// Position of an evidence item in the findings list (for requirement → finding indices).
    pub fn finding_index(&self, evidence_index: usize) -> Option<usize> {
        self.finding_pos.get(evidence_index).copied().flatten()
    }
}

fn kind_name(k: FileKind) -> &'static str {
    k.as_str()
}
