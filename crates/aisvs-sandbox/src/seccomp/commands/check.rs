//! `aisvs seccomp check FILE`: analyse every profile in a file and report the verdict.

use super::{read_profile_file, EXIT_USAGE};
use crate::seccomp::analysis::{analyse_spo_object_with, AnalysisOptions, ProfileAnalysis};
use crate::seccomp::dangerous::Risk;
use crate::seccomp::spo;
use crate::seccomp_cli::{CheckArgs, CheckFormat};
use serde_json::Value;

/// Runs `check`; 0 = every profile meets the bar, 1 = one does not, 2 = input error.
pub fn check(args: &CheckArgs) -> i32 {
    let shown = args.file.display();
    let text = match read_profile_file(&args.file) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: {err}");
            return EXIT_USAGE;
        }
    };
    let documents = match spo::documents_from_text(&text) {
        Ok(documents) => documents,
        Err(err) => {
            eprintln!("error: {shown}: not a seccomp profile: {err}");
            return EXIT_USAGE;
        }
    };
    let options = AnalysisOptions {
        accepted_dangerous: args
            .accept
            .iter()
            .map(|name| name.trim().to_string())
            .collect(),
    };
    let mut results: Vec<(String, ProfileAnalysis)> = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        let kind = document.get("kind").and_then(Value::as_str);
        if kind.is_some() && kind != Some("SeccompProfile") {
            continue; // Other objects in a manifest stream are not profiles.
        }
        let name = spo::object_name(document).0;
        let base = spo::spec_of(document)
            .ok()
            .and_then(spo::base_profile_name)
            .and_then(|base| {
                documents
                    .iter()
                    .find(|doc| spo::object_name(doc).0.as_deref() == Some(&base))
            });
        match analyse_spo_object_with(document, base, &options) {
            Ok(analysis) => {
                let label = match (name, documents.len()) {
                    (Some(name), _) => format!("{shown} ({name})"),
                    (None, 1) => shown.to_string(),
                    (None, _) => format!("{shown} (document {})", index + 1),
                };
                results.push((label, analysis));
            }
            Err(err) => {
                eprintln!("error: {shown}: document {}: {err}", index + 1);
                return EXIT_USAGE;
            }
        }
    }
    if results.is_empty() {
        eprintln!("error: {shown}: no seccomp profile or SeccompProfile object found");
        return EXIT_USAGE;
    }
    match args.format {
        CheckFormat::Json => {
            let list: Vec<Value> = results
                .iter()
                .map(|(label, analysis)| serde_json::json!({"file": shown.to_string(), "profile": label, "analysis": analysis}))
                .collect();
            emit(&(serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"));
        }
        CheckFormat::Text => {
            for (label, analysis) in &results {
                print_text(label, analysis);
            }
        }
    }
    i32::from(!results.iter().all(|(_, analysis)| analysis.meets_bar))
}

fn print_text(title: &str, analysis: &ProfileAnalysis) {
    use std::fmt::Write as _;
    let mut out = String::new();
    let blocks = if analysis.default_action_blocks {
        "blocks"
    } else {
        "does NOT block"
    };
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "  default action: {} ({blocks})",
        analysis.default_action
    );
    if analysis.allows_unlisted {
        let _ = writeln!(out, "  allow-list: every syscall not explicitly blocked");
    } else {
        let _ = writeln!(out, "  allow-list: {} syscalls", analysis.allow_list_size);
    }
    let arches = if analysis.architectures.is_empty() {
        "native only".to_string()
    } else {
        analysis.architectures.join(", ")
    };
    let _ = writeln!(out, "  architectures: {arches}");
    if let Some(base) = &analysis.base_profile {
        let _ = writeln!(out, "  base profile: {base}");
    }
    for danger in &analysis.dangerous_allowed {
        let when = danger.condition.as_deref().unwrap_or("unconditionally");
        let accepted = if danger.accepted { ", accepted" } else { "" };
        let _ = writeln!(
            out,
            "  dangerous: {} [{}{accepted}] allowed {when}: {}",
            danger.name,
            risk_word(danger.risk),
            danger.reason
        );
    }
    if !analysis.argument_filters.is_empty() {
        let names: Vec<String> = analysis
            .argument_filters
            .iter()
            .map(|rule| rule.names.join(","))
            .collect();
        let _ = writeln!(
            out,
            "  argument filters: {} rule(s) on {}",
            names.len(),
            names.join("; ")
        );
    }
    if !analysis.unknown_names.is_empty() {
        let _ = writeln!(
            out,
            "  unknown syscall names: {}",
            analysis.unknown_names.join(", ")
        );
    }
    for note in &analysis.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    for problem in &analysis.problems {
        let _ = writeln!(out, "  problem: {problem}");
    }
    let verdict = if analysis.meets_bar {
        "meets the bar"
    } else {
        "does NOT meet the bar"
    };
    let _ = writeln!(out, "  verdict: {verdict}");
    emit(&out);
}

fn risk_word(risk: Risk) -> &'static str {
    match risk {
        Risk::High => "high",
        Risk::Medium => "medium",
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error worth a panic.
pub(crate) fn emit(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
