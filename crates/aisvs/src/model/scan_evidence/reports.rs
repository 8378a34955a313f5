//! Scanner reports among the inputs: Trivy/Grype series go into the findings history and give 4.6.1
//! cadence and 4.6.3 patch-time verdicts; kube-bench output gives 4.6.2; secret dumps give 4.4.1.

use std::collections::HashMap;
use std::path::PathBuf;

use aisvs_evidence::load::{bench_as_scan, parse_as, Evidence};
use aisvs_evidence::rules::scan_cadence_461::scan_matches;
use aisvs_evidence::{
    evaluate_history, evaluate_kube_bench, evaluate_secret_rotation, BenchPolicy, BenchReport,
    CadencePolicy, Departure, History, Mitigation, ScanReport, SecretRecord,
};
use time::{Duration, OffsetDateTime};

use crate::diag::Diagnostic;
use crate::evidence::Outcome;

use super::classify::{Found, Recognised};
use super::item::{from_assessment, EvidenceItem, FileIndex};
use super::{EvidenceContext, HistoryChoice};

/// Rule id of the cadence check (4.6.1), also used for history problems.
const CADENCE: &str = aisvs_evidence::rules::scan_cadence_461::CHECK;

/// Parsed reports, by kind, with the input file each came from.
#[derive(Default)]
struct Parsed {
    scans: Vec<(usize, ScanReport)>,
    benches: Vec<(usize, BenchReport)>,
    secrets: Vec<SecretRecord>,
    mitigations: Vec<Mitigation>,
    departures: Vec<Departure>,
    documents: Vec<(usize, Vec<aisvs_evidence::Assessment>)>,
}

/// An image a workload runs, with the place that names it.
#[derive(Debug, Clone)]
pub struct WorkloadImage {
    /// The reference as written.
    pub reference: String,
    /// The manifest naming it first.
    pub file: usize,
    /// Line of its `image:` field.
    pub line: u32,
}

/// Evaluates every report; returns the items and the history file written (when one was).
pub fn evaluate(
    found: &[Found],
    images: &[WorkloadImage],
    ctx: &EvidenceContext,
    index: &FileIndex<'_>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<EvidenceItem>, Option<PathBuf>) {
    let parsed = parse_reports(found, index, diags);
    let mut items = Vec::new();
    for (file, list) in &parsed.documents {
        for a in list {
            let kind = if a.check.starts_with("host-") {
                "host"
            } else {
                "evidence"
            };
            let mut item = from_assessment(a, kind, index, Some(*file));
            item.message = format!("{} (from aisvs evidence file)", item.message);
            items.push(item);
        }
    }
    for (file, bench) in &parsed.benches {
        let subject = ctx.config.bench_host.clone().unwrap_or_else(|| {
            let path = &index.files()[*file].source.path;
            format!("kube-bench {path}")
        });
        for a in evaluate_kube_bench(bench, &subject, &BenchPolicy::default()) {
            items.push(from_assessment(&a, "kube-bench", index, Some(*file)));
        }
    }
    if !parsed.secrets.is_empty() {
        let fallback = found
            .iter()
            .find(|f| f.what == Recognised::Report(aisvs_evidence::ReportKind::SecretMetadata))
            .map(|f| f.file);
        for a in evaluate_secret_rotation(
            &parsed.secrets,
            &parsed.departures,
            ctx.at,
            Duration::days(90),
        ) {
            items.push(from_assessment(&a, "secret", index, fallback));
        }
    }
    let mut history_path = None;
    let mut series: Vec<(usize, ScanReport)> = parsed.scans;
    for (file, bench) in &parsed.benches {
        match (&ctx.config.bench_host, bench.declared_at) {
            (Some(host), Some(_)) => series.push((*file, bench_as_scan(bench, host, None))),
            _ => diags.push(Diagnostic::warning(
                &index.files()[*file].source.path,
                0,
                "kube-bench output carries no time or host: it counts for 4.6.2 but not as a daily misconfiguration scan (4.6.1); record it with `aisvs evidence ingest --scanned-at TIME --artifact HOST`".into(),
            )),
        }
    }
    if !series.is_empty() {
        match history_items(&series, images, &parsed.mitigations, ctx, index, diags) {
            Ok((more, path)) => {
                items.extend(more);
                history_path = path;
            }
            Err(message) => items.push(EvidenceItem {
                check: CADENCE,
                kind: "history",
                subject: "scan history".into(),
                outcome: Outcome::Inconclusive,
                message,
                file: series.first().map(|(f, _)| *f),
                line: None,
            }),
        }
    }
    (items, history_path)
}

fn parse_reports(found: &[Found], index: &FileIndex<'_>, diags: &mut Vec<Diagnostic>) -> Parsed {
    let mut parsed = Parsed::default();
    for f in found {
        let Recognised::Report(kind) = f.what else {
            continue;
        };
        let src = &index.files()[f.file].source;
        match parse_as(kind, &src.abs, &src.text) {
            Ok(Evidence::Scan(s)) => {
                if s.scanned_at.is_none() {
                    diags.push(Diagnostic::warning(&src.path, 0, format!("{} report carries no scan time; it is not counted for 4.6.1/4.6.3 (record it with `aisvs evidence ingest --scanned-at TIME`)", s.scanner)));
                } else {
                    parsed.scans.push((f.file, s));
                }
            }
            Ok(Evidence::Bench(b)) => parsed.benches.push((f.file, b)),
            Ok(Evidence::Secrets(s)) => parsed.secrets.extend(s),
            Ok(Evidence::Mitigations(m)) => parsed.mitigations.extend(m),
            Ok(Evidence::Offboarding(d)) => parsed.departures.extend(d),
            // `aisvs host --output` / `evidence status --format json`: results collected elsewhere (a node,
            // an audit run); their (requirement, check) pairs were validated by the reader.
            Ok(Evidence::Assessments(list)) => parsed.documents.push((f.file, list)),
            Err(e) => diags.push(Diagnostic::error(
                &src.path,
                0,
                one_line(&e.to_string()).replace(&src.abs.display().to_string(), &src.path),
            )),
        }
    }
    parsed
}

/// Ingests the series into the history, then evaluates 4.6.1 over the inventory and 4.6.3 over every
/// stored finding. A history that cannot be opened is an error message, never a silent pass.
fn history_items(
    series: &[(usize, ScanReport)],
    images: &[WorkloadImage],
    mitigations: &[Mitigation],
    ctx: &EvidenceContext,
    index: &FileIndex<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<EvidenceItem>, Option<PathBuf>), String> {
    let path = match &ctx.history {
        HistoryChoice::InMemory => None,
        HistoryChoice::File(p) => Some(p.clone()),
        HistoryChoice::Default => Some(aisvs_evidence::default_history_path(&ctx.root)),
    };
    let open_at = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
    let mut history = History::open(&open_at).map_err(|e| {
        format!(
            "findings history unusable, 4.6.1/4.6.3 not evaluated: {}",
            one_line(&e.to_string())
        )
    })?;
    for (file, report) in series {
        if let Err(e) = history.ingest(report) {
            diags.push(Diagnostic::warning(
                &index.files()[*file].source.path,
                0,
                format!("not recorded in the history: {}", one_line(&e.to_string())),
            ));
        }
    }
    let refs: Vec<String> = images.iter().map(|i| i.reference.clone()).collect();
    let inventory = inventory(&history, &refs, &ctx.config.hosts)
        .map_err(|e| format!("findings history unreadable: {}", one_line(&e)))?;
    let eval = evaluate_history(
        &history,
        &inventory,
        mitigations,
        ctx.at,
        &CadencePolicy::default(),
        aisvs_evidence::rules::patch_sla_463::DEFAULT_SLA,
    )
    .map_err(|e| format!("findings history unreadable: {}", one_line(&e.to_string())))?;
    for d in eval.diagnostics {
        let path = index.id_of(&d.path).map_or_else(
            || d.path.display().to_string(),
            |id| index.files()[id].source.path.clone(),
        );
        diags.push(Diagnostic::warning(&path, 0, d.message));
    }
    let places = Places::new(series, images);
    let items = eval
        .assessments
        .iter()
        .map(|a| {
            let kind = if a.check == CADENCE {
                "artifact"
            } else {
                "finding"
            };
            let mut item = from_assessment(a, kind, index, None);
            if item.file.is_none() {
                (item.file, item.line) = places.of(&a.subject, a.check == CADENCE, index);
            }
            item
        })
        .collect();
    Ok((items, path))
}

/// Where history verdicts point: per artifact name or alias, the newest report among the inputs, and per
/// (artifact, vulnerability) the newest report that still lists it. Built once, so placing is O(1) per item.
struct Places<'s> {
    images: &'s [WorkloadImage],
    newest: HashMap<&'s str, (usize, OffsetDateTime)>,
    newest_with: HashMap<(&'s str, &'s str), (usize, OffsetDateTime)>,
}

impl<'s> Places<'s> {
    fn new(series: &'s [(usize, ScanReport)], images: &'s [WorkloadImage]) -> Self {
        let mut places = Places {
            images,
            newest: HashMap::new(),
            newest_with: HashMap::new(),
        };
        let keep = |slot: &mut (usize, OffsetDateTime), file: usize, at: OffsetDateTime| {
            if at >= slot.1 {
                *slot = (file, at);
            }
        };
        for (file, r) in series {
            let Some(at) = r.scanned_at else { continue };
            let names = std::iter::once(r.artifact.name.as_str())
                .chain(r.artifact.aliases.iter().map(String::as_str));
            for name in names {
                keep(places.newest.entry(name).or_insert((*file, at)), *file, at);
                for f in &r.findings {
                    let slot = places
                        .newest_with
                        .entry((name, f.vuln_id.as_str()))
                        .or_insert((*file, at));
                    keep(slot, *file, at);
                }
            }
        }
        places
    }

    /// The workload that runs the image (cadence), else the newest report about the artifact; a patch-time
    /// subject is `<artifact> <vulnerability> (<package>)` and points at the vulnerability's line.
    fn of(
        &self,
        subject: &str,
        cadence: bool,
        index: &FileIndex<'_>,
    ) -> (Option<usize>, Option<u32>) {
        if cadence {
            if let Some(w) = self.images.iter().find(|w| w.reference == subject) {
                return (Some(w.file), Some(w.line));
            }
            return (self.newest.get(subject).map(|p| p.0), None);
        }
        let mut words = subject.split(' ');
        let artifact = words.next().unwrap_or(subject);
        let Some(vuln) = words.next() else {
            return (self.newest.get(artifact).map(|p| p.0), None);
        };
        match self.newest_with.get(&(artifact, vuln)) {
            Some((file, _)) => {
                let text = &index.files()[*file].source.text;
                let line = text
                    .find(vuln)
                    .map(|at| text[..at].matches('\n').count() + 1)
                    .and_then(|l| u32::try_from(l).ok());
                (Some(*file), line)
            }
            None => (self.newest.get(artifact).map(|p| p.0), None),
        }
    }
}

/// The 4.6.1 scope: images the workloads run, configured hosts, and every other artifact in the history
/// (an image a workload names under another spelling is not listed twice).
fn inventory(
    history: &History,
    images: &[String],
    hosts: &[String],
) -> Result<Vec<String>, String> {
    let scans = history.scans().map_err(|e| e.to_string())?;
    let mut out: Vec<String> = images.iter().chain(hosts).cloned().collect();
    for scan in &scans {
        let covered = out.iter().any(|r| scan_matches(scan, r));
        if !covered {
            out.push(scan.artifact.clone());
        }
    }
    out.dedup();
    Ok(out)
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}
