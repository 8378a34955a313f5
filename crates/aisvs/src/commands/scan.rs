//! `aisvs scan`: runs the pipeline and writes the report; exit 0 (no fail), 1 (a fail), 2 (could not run).

use std::path::PathBuf;

use crate::render::{render, Format};
use crate::run::{scan, ScanOptions};

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
    /// Evaluate waiver expiry as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}

/// Runs `aisvs scan`.
pub fn run(args: ScanArgs) -> i32 {
    let today = match &args.at {
        Some(s) => match crate::config::parse_date(s) {
            Some(d) => d,
            None => {
                eprintln!("error: --at `{s}` is not a YYYY-MM-DD date");
                return 2;
            }
        },
        None => time::OffsetDateTime::now_utc().date(),
    };
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
    let report = match scan(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let text = render(&report, args.format);
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return 2;
            }
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if out
                .write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .is_err()
            {
                return 2;
            }
        }
    }
    let unparseable = report
        .diagnostics
        .iter()
        .any(|d| d.severity == crate::diag::DiagSeverity::Error);
    if args.exit_zero {
        0
    } else if report.has_failures() || (args.strict && unparseable) {
        1
    } else {
        0
    }
}
