//! Reading an evidence file from disk (size-bounded), recognising it and parsing it.

use crate::error::{EvidenceError, Result};
use crate::mitigation::{parse_mitigations, Mitigation};
use crate::parse::kube_bench::{parse_kube_bench_json, BenchReport};
use crate::parse::kube_bench_text::parse_kube_bench_text;
use crate::parse::{grype::parse_grype, trivy::parse_trivy, MAX_REPORT_BYTES};
use crate::report::{Artifact, ArtifactKind, ScanReport};
use crate::secrets::dumps::{parse_secret_metadata, SecretRecord};
use crate::secrets::offboarding::{parse_offboarding, Departure};
use crate::sniff::{sniff, ReportKind};
use std::io::Read;
use std::path::Path;
use time::OffsetDateTime;

/// A parsed evidence file.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// Trivy or Grype vulnerability report.
    Scan(ScanReport),
    /// kube-bench output.
    Bench(BenchReport),
    /// Secret / key metadata.
    Secrets(Vec<SecretRecord>),
    /// VEX / ignore records.
    Mitigations(Vec<Mitigation>),
    /// People who left.
    Offboarding(Vec<Departure>),
    /// Assessments written earlier by `aisvs host --output` or `evidence status`.
    Assessments(Vec<crate::assessment::Assessment>),
}

/// Reads a UTF-8 text file of at most [`MAX_REPORT_BYTES`].
pub fn read_text(path: &Path) -> Result<String> {
    let read_err = |source| EvidenceError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    file.take(MAX_REPORT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() > MAX_REPORT_BYTES {
        return Err(EvidenceError::Invalid(format!(
            "{}: larger than {} MiB; refusing to read",
            path.display(),
            MAX_REPORT_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        EvidenceError::Invalid(format!(
            "{}: not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Parses `text` as the given kind.
pub fn parse_as(kind: ReportKind, path: &Path, text: &str) -> Result<Evidence> {
    Ok(match kind {
        ReportKind::Trivy => Evidence::Scan(parse_trivy(path, text)?),
        ReportKind::Grype => Evidence::Scan(parse_grype(path, text)?),
        ReportKind::KubeBenchJson => Evidence::Bench(parse_kube_bench_json(path, text)?),
        ReportKind::KubeBenchText => Evidence::Bench(parse_kube_bench_text(path, text)?),
        ReportKind::SecretMetadata => Evidence::Secrets(parse_secret_metadata(path, text)?),
        ReportKind::Mitigation => Evidence::Mitigations(parse_mitigations(path, text)?),
        ReportKind::Offboarding => Evidence::Offboarding(parse_offboarding(path, text)?),
        ReportKind::EvidenceDocument => {
            Evidence::Assessments(crate::evidence_json::parse_evidence_document(path, text)?)
        }
    })
}

/// Reads, recognises and parses a file; an unrecognised file is an error naming it.
pub fn load(path: &Path) -> Result<Evidence> {
    let text = read_text(path)?;
    let kind = sniff(path, &text).ok_or_else(|| EvidenceError::Unrecognised {
        path: path.to_path_buf(),
    })?;
    parse_as(kind, path, &text)
}

/// Turns a kube-bench run into a history scan of `host` (a misconfiguration scan without
/// vulnerability findings), dated by the file or by `declared`.
pub fn bench_as_scan(
    report: &BenchReport,
    host: &str,
    declared: Option<OffsetDateTime>,
) -> ScanReport {
    ScanReport {
        path: report.path.clone(),
        scanner: "kube-bench",
        scanner_version: report
            .checks
            .first()
            .map(|c| c.benchmark.clone())
            .unwrap_or_default(),
        scanned_at: report.declared_at.or(declared),
        artifact: Artifact {
            kind: ArtifactKind::Host,
            name: host.to_string(),
            aliases: vec![host.to_string()],
        },
        covers_vulnerabilities: false,
        covers_misconfigurations: true,
        findings: Vec::new(),
        diagnostics: report.diagnostics.clone(),
    }
}

/// Depth and entry bounds for walking an evidence directory.
const MAX_DIR_DEPTH: usize = 8;
const MAX_DIR_ENTRIES: usize = 100_000;

/// Expands inputs: files stay as given (`false`), directories are walked (symlinks and hidden
/// entries skipped, sorted) and their files returned with `true` — callers skip unrecognised
/// files found this way instead of failing on them.
pub fn expand_inputs(inputs: &[std::path::PathBuf]) -> Vec<(std::path::PathBuf, bool)> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, 0, &mut found);
            found.sort();
            out.extend(found.into_iter().map(|p| (p, true)));
        } else {
            out.push((input.clone(), false));
        }
    }
    out
}

/// Collects regular files under `dir`.
fn walk(dir: &Path, depth: usize, found: &mut Vec<std::path::PathBuf>) {
    if depth > MAX_DIR_DEPTH || found.len() >= MAX_DIR_ENTRIES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let hidden = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.') && !n.starts_with(".trivyignore"));
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if hidden || kind.is_symlink() || found.len() >= MAX_DIR_ENTRIES {
            continue;
        }
        if kind.is_dir() {
            walk(&entry.path(), depth + 1, found);
        } else if kind.is_file() {
            found.push(entry.path());
        }
    }
}
