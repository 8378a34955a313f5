//! Command-line surface of `aisvs model`: `aisvs model scan [--format text|json] [--output FILE] PATH…`.
//! Exit codes: 0 every file safe, 1 any file unsafe or not understood, 2 usage or input error.

use crate::{render, scan_path, ScanOptions, ScanSet, Verdict};
use std::path::PathBuf;

/// Output formats of `model scan`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

/// Subcommands of `aisvs model`.
#[derive(clap::Subcommand, Debug)]
pub enum ModelCommand {
    /// Statically scan model files for code payloads (pickle, PyTorch, joblib, NumPy, Keras,
    /// safetensors, GGUF, ONNX). Formats are identified by content; nothing is ever loaded.
    /// Exit 0: every file safe; 1: any file unsafe or not understood; 2: usage or input error.
    Scan(ScanArgs),
}

/// Arguments of `aisvs model scan`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    /// Files or directories (walked recursively; symlinks leaving the directory are not followed).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also compute each file's SHA-256 (reads every byte, tensor data included; without it,
    /// tensor data is skipped and never read).
    #[arg(long)]
    pub sha256: bool,
    /// Largest archive member or compressed stream inflated for scanning, in MiB.
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub max_member_mib: u64,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(cmd: ModelCommand) -> i32 {
    match cmd {
        ModelCommand::Scan(args) => run_scan(&args),
    }
}

fn run_scan(args: &ScanArgs) -> i32 {
    let opts = ScanOptions {
        hash: args.sha256,
        max_member_bytes: args.max_member_mib.saturating_mul(1 << 20),
        ..ScanOptions::default()
    };
    let mut all = ScanSet::default();
    for path in &args.paths {
        match scan_path(path, &opts) {
            Ok(set) => {
                all.files.extend(set.files);
                all.skipped.extend(set.skipped);
            }
            Err(e) => {
                eprintln!("error: {}", render::sanitize(&e.to_string()));
                return 2;
            }
        }
    }
    let rendered = match args.format {
        OutputFormat::Text => render::text(&all),
        OutputFormat::Json => render::json(&all),
    };
    match &args.output {
        Some(file) => {
            if let Err(e) = std::fs::write(file, rendered) {
                eprintln!("error: {}: cannot write report: {e}", file.display());
                return 2;
            }
        }
        None => {
            if let Err(e) = print_stdout(&rendered) {
                eprintln!("error: cannot write to stdout: {e}");
                return 2;
            }
        }
    }
    match all.worst() {
        Verdict::Safe => 0,
        Verdict::Unsafe | Verdict::Unknown => 1,
    }
}

/// Writes `text` to stdout. A reader that went away (`… | head`) is not an error; any other failure is.
fn print_stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
