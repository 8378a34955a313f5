//! Command-line surface of `aisvs evidence`: `ingest` reports into the history, `status`
//! evaluates 4.6.1/4.6.3 from it (and 4.6.2/4.4.1 from evidence files given) at `--at`.

use crate::assessment::{Diagnostic, Outcome};
use crate::error::EvidenceError;
use crate::from_history::evaluate_history;
use crate::history::{default_history_path, History, IngestOutcome};
use crate::load::{bench_as_scan, expand_inputs, load, Evidence};
use crate::render::{emit, render, Format};
use crate::rules::kube_bench_462::{evaluate_kube_bench, BenchPolicy, SeverityMap};
use crate::rules::scan_cadence_461::CadencePolicy;
use crate::rules::scan_schedule_461::evaluate_scan_schedule;
use crate::secrets::rotation_441::{evaluate_secret_rotation, MAX_AGE};
use crate::timestamp::{format_time, parse_duration, parse_time};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};

/// Subcommands of `aisvs evidence`.
#[derive(clap::Subcommand, Debug)]
pub enum EvidenceCommand {
    /// Add Trivy/Grype/kube-bench reports to the findings history.
    Ingest(IngestArgs),
    /// Evaluate 4.6.1 and 4.6.3 from the history (plus 4.6.2/4.4.1 from files given) at a point in time.
    #[command(alias = "report")]
    Status(StatusArgs),
}

/// Options of `aisvs evidence ingest`.
#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// History file (default: .aisvs/history.sqlite under the current directory).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Scan time for reports that carry none (kube-bench, Grype snapshots), RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub scanned_at: Option<String>,
    /// Name the scanned artifact (host name for VM/rootfs/kube-bench reports).
    #[arg(long, value_name = "NAME")]
    pub artifact: Option<String>,
    /// Report files, or directories to search for reports (unrecognised files in them are skipped).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Options of `aisvs evidence status`.
#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// History file (default: .aisvs/history.sqlite under the current directory).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Evaluation time (RFC 3339); default: now. Use it for audits and reproducible runs.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// An image referenced by workloads (repeatable); default inventory: every artifact in the history.
    #[arg(long = "image", value_name = "REF")]
    pub images: Vec<String>,
    /// A node/host in scope (repeatable).
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    /// Window over which scan gaps are checked.
    #[arg(long, default_value = "30d", value_name = "DURATION")]
    pub window: String,
    /// Patch window for CVSS >= 7.0 findings.
    #[arg(long, default_value = "48h", value_name = "DURATION")]
    pub sla: String,
    /// trivy-checks compliance YAML mapping CIS ids to severities (narrows critical controls).
    #[arg(long, value_name = "FILE")]
    pub severity_map: Option<PathBuf>,
    /// A CI workflow or Terraform file to check for a daily Trivy/Grype schedule or ECR
    /// CONTINUOUS_SCAN (the static side of 4.6.1; repeatable).
    #[arg(long = "schedule", value_name = "FILE")]
    pub schedules: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Evidence files (or directories of them): kube-bench output, secret metadata dumps,
    /// .trivyignore/OpenVEX, offboarding list.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(cmd: EvidenceCommand) -> i32 {
    let result = match cmd {
        EvidenceCommand::Ingest(args) => ingest(&args),
        EvidenceCommand::Status(args) => status(&args),
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        2
    })
}

/// Parses an optional RFC 3339 option value.
fn time_option(name: &str, value: Option<&str>) -> Result<Option<OffsetDateTime>, String> {
    value
        .map(|v| parse_time(v).ok_or_else(|| format!("--{name} {v:?} is not an RFC 3339 time")))
        .transpose()
}

/// The history chosen by `--history`, or the default under the current directory.
fn history_path(option: Option<&Path>) -> Result<PathBuf, String> {
    match option {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(default_history_path(
            &std::env::current_dir()
                .map_err(|e| format!("cannot read the current directory: {e}"))?,
        )),
    }
}

/// Opens (creating if needed) the history for writing.
fn open_history(option: Option<&Path>) -> Result<History, String> {
    History::open(&history_path(option)?).map_err(|e| e.to_string())
}

/// `aisvs evidence ingest`.
fn ingest(args: &IngestArgs) -> Result<i32, String> {
    let declared = time_option("scanned-at", args.scanned_at.as_deref())?;
    let mut history = open_history(args.history.as_deref())?;
    let now = OffsetDateTime::now_utc();
    let mut failed = false;
    let mut skipped = 0usize;
    for (file, from_dir) in expand_inputs(&args.files) {
        let file = &file;
        let mut report = match load(file) {
            Ok(Evidence::Scan(report)) => report,
            Ok(Evidence::Bench(bench)) => {
                let host = args.artifact.clone().unwrap_or_else(|| {
                    file.file_stem()
                        .map_or_else(|| "node".into(), |s| s.to_string_lossy().into_owned())
                });
                bench_as_scan(&bench, &host, declared)
            }
            Ok(_) | Err(EvidenceError::Unrecognised { .. }) if from_dir => {
                skipped += 1;
                continue;
            }
            Ok(_) => {
                eprintln!("error: {}: not a scanner report (evaluate it with `aisvs evidence status FILE`)", file.display());
                failed = true;
                continue;
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        if report.scanned_at.is_none() {
            report.scanned_at = declared;
        }
        if let Some(name) = &args.artifact {
            report.artifact.aliases.push(report.artifact.name.clone());
            report.artifact.name = name.clone();
        }
        for d in &report.diagnostics {
            eprintln!("warning: {}: {}", d.path.display(), d.message);
        }
        if let Some(t) = report
            .scanned_at
            .filter(|t| *t > now + Duration::minutes(5))
        {
            eprintln!("warning: {}: scan time {} is in the future of this machine's clock (clock skew?); stored as written", file.display(), format_time(t));
        }
        match history.ingest(&report) {
            Ok(IngestOutcome::Added {
                findings,
                same_time_conflict,
                ..
            }) => {
                if same_time_conflict {
                    eprintln!("warning: {}: another, different report for {} at the same time is already stored", file.display(), report.artifact.name);
                }
                let at = report.scanned_at.map(format_time).unwrap_or_default();
                say(&format!(
                    "ingested {}: {} {} at {at}, {findings} finding(s)\n",
                    file.display(),
                    report.scanner,
                    report.artifact.name
                ))?;
            }
            Ok(IngestOutcome::Duplicate { scan_id }) => say(&format!(
                "skipped {}: duplicate of stored scan #{scan_id}\n",
                file.display()
            ))?,
            Err(e @ EvidenceError::NoTimestamp { .. }) => {
                eprintln!("error: {e}");
                failed = true;
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    if skipped > 0 {
        say(&format!(
            "skipped {skipped} file(s) in directories that are not scanner reports\n"
        ))?;
    }
    Ok(if failed { 2 } else { 0 })
}

/// `aisvs evidence status`.
fn status(args: &StatusArgs) -> Result<i32, String> {
    let at = time_option("at", args.at.as_deref())?.unwrap_or_else(OffsetDateTime::now_utc);
    let window = parse_duration(&args.window)
        .ok_or_else(|| format!("--window {:?}: use e.g. 30d, 48h", args.window))?;
    let sla =
        parse_duration(&args.sla).ok_or_else(|| format!("--sla {:?}: use e.g. 48h", args.sla))?;
    // Evaluation never creates a history file; a missing one is an empty history.
    let history = History::open_or_empty(&history_path(args.history.as_deref())?)
        .map_err(|e| e.to_string())?;
    let mut inventory: Vec<String> = args.images.clone();
    inventory.extend(args.hosts.iter().cloned());
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut collected = Vec::new();
    let (mut mitigations, mut secrets, mut departures, mut benches) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (file, from_dir) in expand_inputs(&args.files) {
        let file = &file;
        let evidence = match load(file) {
            Ok(e) => e,
            Err(EvidenceError::Unrecognised { .. }) if from_dir => continue,
            Err(e) => return Err(e.to_string()),
        };
        match evidence {
            Evidence::Mitigations(m) => mitigations.extend(m),
            Evidence::Secrets(s) => secrets.extend(s),
            Evidence::Offboarding(d) => departures.extend(d),
            Evidence::Bench(b) => benches.push(b),
            Evidence::Assessments(a) => collected.extend(a),
            Evidence::Scan(_) => diagnostics.push(Diagnostic::warning(
                file,
                "scanner report given to status: ingest it first (`aisvs evidence ingest`)",
            )),
        }
    }
    let cadence = CadencePolicy {
        window,
        ..CadencePolicy::default()
    };
    let evaluation = evaluate_history(&history, &inventory, &mitigations, at, &cadence, sla)
        .map_err(|e| e.to_string())?;
    let mut assessments = evaluation.assessments;
    assessments.extend(collected);
    for file in &args.schedules {
        let text = crate::load::read_text(file).map_err(|e| e.to_string())?;
        let found = evaluate_scan_schedule(file, &text);
        if found.is_empty() {
            diagnostics.push(Diagnostic::warning(
                file,
                "no Trivy/Grype step or ECR scanning configuration found",
            ));
        }
        assessments.extend(found);
    }
    diagnostics.extend(evaluation.diagnostics);
    let policy = BenchPolicy {
        severity_map: match &args.severity_map {
            Some(p) => Some(SeverityMap::parse_trivy_compliance(
                &crate::load::read_text(p).map_err(|e| e.to_string())?,
            )),
            None => None,
        },
        ..BenchPolicy::default()
    };
    for bench in &benches {
        let subject = bench
            .path
            .file_stem()
            .map_or_else(|| "kube-bench".into(), |s| s.to_string_lossy().into_owned());
        assessments.extend(evaluate_kube_bench(bench, &subject, &policy));
    }
    assessments.extend(evaluate_secret_rotation(&secrets, &departures, at, MAX_AGE));
    emit(
        &render("evidence-status", &assessments, &diagnostics, args.format),
        args.output.as_deref(),
    )?;
    Ok(i32::from(
        assessments.iter().any(|a| a.outcome == Outcome::Fail),
    ))
}

/// One progress line to stdout (through [`crate::render::emit`], so a closed pipe is not an error).
fn say(line: &str) -> Result<(), String> {
    crate::render::emit(line, None)
}
