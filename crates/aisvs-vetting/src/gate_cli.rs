//! Command-line surface of `aisvs gate`: compare adversarial-evaluation results with a baseline
//! and exit 0 (promote), 1 (block) or 2 (usage or input error).

use std::path::{Path, PathBuf};

use crate::decision::DecisionRecord;
use crate::eval::SourceFormat;
use crate::gate::{decide, GateRequest};
use crate::report::render_text;
use crate::signing;

/// Exit status: the candidate may be promoted.
pub const EXIT_PROMOTE: i32 = 0;
/// Exit status: promotion is blocked (regression, missing evidence, unverified sandbox run).
pub const EXIT_BLOCK: i32 = 1;
/// Exit status: the gate could not do its job (bad input, unreadable file).
pub const EXIT_ERROR: i32 = 2;

/// What `aisvs gate` prints on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// Options of `aisvs gate`.
#[derive(clap::Args, Debug, Clone)]
#[command(
    about = "Compare adversarial-evaluation results with a baseline; exit 1 blocks promotion (AISVS 4.5.2)",
    after_help = "Result files: the aisvs neutral JSON, a garak report.jsonl or a promptfoo results.json (detected by content).\nExit codes: 0 promote, 1 block, 2 usage or input error. See docs/gate.md."
)]
pub struct GateArgs {
    /// Results of the model currently in production (or the last promoted one).
    #[arg(long, value_name = "FILE")]
    pub baseline: PathBuf,
    /// Results of the model to promote.
    #[arg(long, value_name = "FILE")]
    pub candidate: PathBuf,
    /// Policy file (TOML or JSON): tolerances, required categories, minimum samples.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Signed vetting record of the sandboxed evaluation run (`aisvs sandbox run --record`).
    #[arg(long, value_name = "FILE")]
    pub sandbox_record: Option<PathBuf>,
    /// Ed25519 public key (PEM) that signed the sandbox record.
    #[arg(long, value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// Write the decision record (JSON) here.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Sign the decision record with this Ed25519 key (PKCS#8 PEM); needs --record.
    #[arg(long, value_name = "FILE", requires = "record")]
    pub sign_key: Option<PathBuf>,
    /// Candidate model digest (sha256:<hex>) when the result file cannot carry one.
    #[arg(long, value_name = "DIGEST")]
    pub candidate_digest: Option<String>,
    /// Baseline model digest (sha256:<hex>), recorded for reference.
    #[arg(long, value_name = "DIGEST")]
    pub baseline_digest: Option<String>,
    /// Format of the baseline file, when detection is not wanted.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub baseline_format: Option<SourceFormat>,
    /// Format of the candidate file, when detection is not wanted.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub candidate_format: Option<SourceFormat>,
    /// Output on stdout: a readable table, or the decision record itself.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Runs `aisvs gate` and returns the process exit code.
pub fn run(args: GateArgs) -> i32 {
    let request = GateRequest {
        baseline: args.baseline.clone(),
        candidate: args.candidate.clone(),
        baseline_format: args.baseline_format,
        candidate_format: args.candidate_format,
        baseline_digest: args.baseline_digest.clone(),
        candidate_digest: args.candidate_digest.clone(),
        policy: args.policy.clone(),
        sandbox_record: args.sandbox_record.clone(),
        public_key: args.public_key.clone(),
    };
    let record = match decide(&request) {
        Ok(record) => record,
        Err(err) => {
            eprintln!("error: {err}");
            return EXIT_ERROR;
        }
    };
    if let Some(path) = &args.record {
        if let Err(message) = write_record(path, &record, args.sign_key.as_deref()) {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    }
    let mut text = match args.format {
        OutputFormat::Text => render_text(&record),
        OutputFormat::Json => format!("{}\n", record.to_json()),
    };
    if let (OutputFormat::Text, Some(path)) = (&args.format, &args.record) {
        text.push_str(&format!("decision record: {}\n", path.display()));
    }
    if let Err(e) = print_stdout(&text) {
        eprintln!("error: cannot write to stdout: {e}");
        return EXIT_ERROR;
    }
    match record.decision {
        crate::decision::Outcome::Promote => EXIT_PROMOTE,
        crate::decision::Outcome::Block => EXIT_BLOCK,
    }
}

/// Writes the record, plain or as a signed DSSE envelope.
fn write_record(
    path: &Path,
    record: &DecisionRecord,
    sign_key: Option<&Path>,
) -> Result<(), String> {
    let json = record.to_json();
    let text = match sign_key {
        None => json,
        Some(key_path) => {
            let key = aisvs_sandbox::sandbox::keys::load_signing_key(key_path)
                .map_err(|e| e.to_string())?;
            let envelope = signing::sign(json.as_bytes(), &key);
            serde_json::to_string_pretty(&envelope)
                .map_err(|e| format!("{}: {e}", path.display()))?
        }
    };
    std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
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
