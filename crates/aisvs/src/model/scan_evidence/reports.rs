//! Scanner reports among the inputs: Trivy/Grype series go into the findings history and give 4.6.1
//! cadence and 4.6.3 patch-time verdicts; kube-bench output gives 4.6.2; secret dumps give 4.4.1.

use std::path::PathBuf;

use aisvs_evidence::load::{bench_as_scan, parse_as, Evidence};
use aisvs_evidence::rules::scan_cadence_461::scan_matches;
use aisvs_evidence::{
    evaluate_history, evaluate_kube_bench, evaluate_secret_rotation, BenchPolicy, BenchReport,
    CadencePolicy, Departure, History, Mitigation, ScanReport, SecretRecord,
};
use time::Duration;

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
                (item.file, item.line) = place_of(&a.subject, a.check == CADENCE, series, images);
            }
            item
        })
        .collect();
    Ok((items, path))
}

/// Where to point a history verdict: the workload that runs the image (cadence), else the newest report
/// among the inputs about the artifact (a patch-time subject is `<artifact> <vulnerability> (<package>)`).
fn place_of(
    subject: &str,
    cadence: bool,
    series: &[(usize, ScanReport)],
    images: &[WorkloadImage],
) -> (Option<usize>, Option<u32>) {
    if cadence {
        if let Some(w) = images.iter().find(|w| w.reference == subject) {
            return (Some(w.file), Some(w.line));
        }
    }
    let mut words = subject.split(' ');
    let artifact = if cadence {
        subject
    } else {
        words.next().unwrap_or(subject)
    };
    let vuln = if cadence { None } else { words.next() };
    let about = |r: &ScanReport| {
        r.artifact.name == artifact || r.artifact.aliases.iter().any(|a| a == artifact)
    };
    let newest = |with_vuln: bool| {
        series
            .iter()
            .filter(|(_, r)| about(r))
            .filter(|(_, r)| {
                !with_vuln || r.findings.iter().any(|f| Some(f.vuln_id.as_str()) == vuln)
            })
            .max_by_key(|(_, r)| r.scanned_at)
    };
    match (vuln, newest(true)) {
        // The last report that still lists the finding, at its first mention.
        (Some(id), Some((file, r))) => {
            let line = std::fs::read_to_string(&r.path)
                .ok()
                .and_then(|t| t.find(id).map(|at| t[..at].matches('\n').count() + 1))
                .and_then(|l| u32::try_from(l).ok());
            (Some(*file), line)
        }
        _ => (newest(false).map(|(f, _)| *f), None),
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
