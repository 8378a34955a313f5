//! `aisvs scan`: runs the pipeline and writes the report; exit 0 (no fail), 1 (a fail), 2 (could not run).

use std::path::PathBuf;

use crate::model::scan_evidence::HistoryChoice;
use crate::render::{write, Format};
use crate::run::{scan_with, EvidenceRun, ScanOptions};

/// Options of `aisvs scan`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads a YAML/JSON stream from stdin. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Judge requirements up to this AISVS level (1, 2 or 3; default 3 = everything).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub level: Option<u8>,
    /// Configuration file (default: aisvs.toml in the scan root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Exit 0 even when a requirement fails (for report-only jobs).
    #[arg(long)]
    pub exit_zero: bool,
    /// Fail the run (exit 1) when any input could not be parsed.
    #[arg(long)]
    pub strict: bool,
    /// Evaluate as of this time instead of now: YYYY-MM-DD (start of day, UTC) or RFC 3339. Waiver expiry
    /// uses its date; evidence (scan cadence, patch times, secret age) uses the time.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Findings history that scanner reports among the inputs are added to (default
    /// <root>/.aisvs/history.sqlite, or the user's data directory when the root is not writable).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
}

/// Parses `--at`: a date (start of day, UTC) or an RFC 3339 time.
pub fn parse_at(s: &str) -> Option<time::OffsetDateTime> {
    if let Some(d) = crate::config::parse_date(s) {
        return Some(d.midnight().assume_utc());
    }
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// Runs `aisvs scan`.
pub fn run(args: ScanArgs) -> i32 {
    let at = match &args.at {
        Some(s) => match parse_at(s) {
            Some(t) => t,
            None => {
                eprintln!("error: --at `{s}` is not a YYYY-MM-DD date or an RFC 3339 time");
                return 2;
            }
        },
        None => time::OffsetDateTime::now_utc(),
    };
    let today = at.to_offset(time::UtcOffset::UTC).date();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let opts = ScanOptions {
        paths,
        level: args.level,
        config: args.config.clone(),
        today,
    };
    let evidence = EvidenceRun {
        at,
        history: args
            .history
            .clone()
            .map_or(HistoryChoice::Default, HistoryChoice::File),
    };
    let report = match scan_with(&opts, &evidence) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let written = match &args.output {
        Some(path) => std::fs::File::create(path).and_then(|file| {
            let mut w = std::io::BufWriter::new(file);
            write(&report, args.format, &mut w)?;
            std::io::Write::flush(&mut w)
        }),
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            write(&report, args.format, &mut w).and_then(|()| std::io::Write::flush(&mut w))
        }
    };
    if let Err(e) = written {
        match &args.output {
            Some(path) => eprintln!("error: cannot write {}: {e}", path.display()),
            // A closed pipe (`aisvs scan | head`) is not worth a message, but still not a success.
            None if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            None => eprintln!("error: cannot write the report: {e}"),
        }
        return 2;
    }
    let unparseable = report
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::DiagSeverity::Error);
    let code = if args.exit_zero {
        0
    } else if report.has_failures() || (args.strict && unparseable) {
        1
    } else {
        0
    };
    // The process ends right after this: freeing every parse tree and evidence item one by one costs a few
    // percent of a large scan for nothing, so the memory goes back to the OS in one piece at exit instead.
    // The report owns only memory (the history file was written and closed inside `scan_with`).
    std::mem::forget(report);
    code
}
