//! Text and JSON rendering of assessments for `aisvs evidence status` and `aisvs host`.

use crate::assessment::{Assessment, Diagnostic, Outcome};
use serde::Serialize;

/// Output format of the evidence commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable lines.
    Text,
    /// Evidence JSON (`{"evidence_schema": 1, "assessments": [...], "diagnostics": [...]}`), readable by `aisvs scan`.
    Json,
}

/// The JSON document written by `--format json` / `--output`.
#[derive(Debug, Serialize)]
pub struct EvidenceDocument<'a> {
    /// Version of this document's shape.
    pub evidence_schema: u32,
    /// Tool that produced it.
    pub tool: &'static str,
    /// What produced it: `host` or `evidence-status`.
    pub kind: &'static str,
    /// Results.
    pub assessments: &'a [Assessment],
    /// Remarks about the inputs.
    pub diagnostics: &'a [Diagnostic],
}

/// Renders in the chosen format.
pub fn render(
    kind: &'static str,
    assessments: &[Assessment],
    diagnostics: &[Diagnostic],
    format: Format,
) -> String {
    match format {
        Format::Json => {
            let doc = EvidenceDocument {
                evidence_schema: 1,
                tool: "aisvs",
                kind,
                assessments,
                diagnostics,
            };
            serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
                + "\n"
        }
        Format::Text => render_text(assessments, diagnostics),
    }
}

/// One line per assessment, grouped by requirement, then a count line.
fn render_text(assessments: &[Assessment], diagnostics: &[Diagnostic]) -> String {
    let mut sorted: Vec<&Assessment> = assessments.iter().collect();
    sorted.sort_by(|a, b| {
        (a.requirement, a.check, &a.subject).cmp(&(b.requirement, b.check, &b.subject))
    });
    let mut out = String::new();
    for a in &sorted {
        let location = match (&a.path, a.line) {
            (Some(p), Some(l)) => format!("  [{}:{l}]", p.display()),
            (Some(p), None) => format!("  [{}]", p.display()),
            _ => String::new(),
        };
        out.push_str(&format!(
            "{:<12} {}  {}: {}{location}\n",
            a.outcome.label().to_uppercase(),
            a.requirement,
            a.subject,
            a.message
        ));
    }
    for d in diagnostics {
        let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
        out.push_str(&format!(
            "{}: {}{line}: {}\n",
            d.severity,
            d.path.display(),
            d.message
        ));
    }
    let count = |o: Outcome| assessments.iter().filter(|a| a.outcome == o).count();
    out.push_str(&format!(
        "{} checked: {} pass, {} fail, {} partial, {} inconclusive\n",
        assessments.len(),
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::Partial),
        count(Outcome::Inconclusive)
    ));
    out
}

/// Writes `text` to `output` or stdout; an error names the file.
pub fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), String> {
    match output {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
        }
        None => print_stdout(text).map_err(|e| format!("cannot write to stdout: {e}")),
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
