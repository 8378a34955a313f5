//! `aisvs seccomp check FILE`: analyse every profile in a file and report the verdict.

use super::{read_profile_file, EXIT_USAGE};
use crate::seccomp::analysis::{analyse_spo_object_with, AnalysisOptions, ProfileAnalysis};
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
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
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
    let blocks = if analysis.default_action_blocks {
        "blocks"
    } else {
        "does NOT block"
    };
    println!("{title}");
    println!("  default action: {} ({blocks})", analysis.default_action);
    if analysis.allows_unlisted {
        println!("  allow-list: every syscall not explicitly blocked");
    } else {
        println!("  allow-list: {} syscalls", analysis.allow_list_size);
    }
    let arches = if analysis.architectures.is_empty() {
        "native only".to_string()
    } else {
        analysis.architectures.join(", ")
    };
    println!("  architectures: {arches}");
    if let Some(base) = &analysis.base_profile {
        println!("  base profile: {base}");
    }
    for danger in &analysis.dangerous_allowed {
        let when = danger.condition.as_deref().unwrap_or("unconditionally");
        let accepted = if danger.accepted { ", accepted" } else { "" };
        println!(
            "  dangerous: {} [{:?}{accepted}] allowed {when}: {}",
            danger.name, danger.risk, danger.reason
        );
    }
    if !analysis.argument_filters.is_empty() {
        let names: Vec<String> = analysis
            .argument_filters
            .iter()
            .map(|rule| rule.names.join(","))
            .collect();
        println!(
            "  argument filters: {} rule(s) on {}",
            names.len(),
            names.join("; ")
        );
    }
    if !analysis.unknown_names.is_empty() {
        println!(
            "  unknown syscall names: {}",
            analysis.unknown_names.join(", ")
        );
    }
    for note in &analysis.notes {
        println!("  note: {note}");
    }
    for problem in &analysis.problems {
        println!("  problem: {problem}");
    }
    let verdict = if analysis.meets_bar {
        "meets the bar"
    } else {
        "does NOT meet the bar"
    };
    println!("  verdict: {verdict}");
}
