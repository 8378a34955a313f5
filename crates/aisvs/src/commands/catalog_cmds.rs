//! `aisvs requirements` and `aisvs rules [ID]`: the catalog with its coverage, and rule documentation.

use std::fmt::Write;

use crate::catalog::Catalog;
use crate::rules::registry;

/// Options of `aisvs requirements`.
#[derive(clap::Args, Debug)]
pub struct RequirementsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `aisvs rules`.
#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// Explain one rule (what, why, failing and passing example, remediation, options).
    pub id: Option<String>,
}

/// Prints the catalog with the rules and evidence kinds that cover each requirement.
pub fn requirements(args: RequirementsArgs) -> i32 {
    let catalog = Catalog::load();
    let rules = registry();
    let covering = |id: &str| -> Vec<&'static str> {
        rules
            .iter()
            .filter(|r| r.meta().requirements.contains(&id))
            .map(|r| r.meta().id)
            .collect()
    };
    if args.json {
        let items: Vec<serde_json::Value> = catalog
            .requirement
            .iter()
            .map(|r| {
                let cov = covering(&r.id);
                serde_json::json!({
                    "id": r.id, "section": r.section, "level": r.level, "role": r.role, "title": r.title,
                    "assessment": r.assessment, "rules": cov, "evidence": r.evidence,
                    "without_evidence": if cov.is_empty() { Some(format!("manual_review: decided by {}", r.decided_by)) } else { None },
                })
            })
            .collect();
        let json = serde_json::to_string_pretty(&items).unwrap_or_default();
        return finish(&format!("{json}\n"));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({})",
        catalog.standard, catalog.chapter, catalog.revision
    );
    for r in &catalog.requirement {
        let cov = covering(&r.id);
        let _ = writeln!(
            out,
            "\n{} [L{} {}] {:?}: {}",
            r.id, r.level, r.role, r.assessment, r.title
        );
        if cov.is_empty() {
            let _ = writeln!(
                out,
                "    rules:    none yet: manual_review; decided by {}",
                r.decided_by
            );
        } else {
            let _ = writeln!(out, "    rules:    {}", cov.join(", "));
        }
        let _ = writeln!(out, "    evidence: {}", r.evidence.join("; "));
    }
    finish(&out)
}

/// Lists rules, or explains one.
pub fn rules(args: RulesArgs) -> i32 {
    let rules = registry();
    let Some(id) = args.id else {
        let mut out = String::new();
        for r in &rules {
            let m = r.meta();
            let _ = writeln!(
                out,
                "{:<34} {:<14} {:<7} {}",
                m.id,
                m.requirements.join(","),
                m.severity.as_str(),
                m.title
            );
        }
        return finish(&out);
    };
    let Some(rule) = rules.iter().find(|r| r.meta().id == id) else {
        eprintln!("error: unknown rule `{id}` (see `aisvs rules`)");
        return 2;
    };
    let m = rule.meta();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}\nAISVS: {}   severity: {}   inputs: {}\n",
        m.id,
        m.title,
        m.requirements.join(", "),
        m.severity.as_str(),
        m.inputs
    );
    let _ = writeln!(out, "What it checks:\n  {}\n\nWhy:\n  {}\n", m.what, m.why);
    let _ = writeln!(
        out,
        "Failing example:\n{}\n\nPassing example:\n{}\n",
        indent(m.fail_example),
        indent(m.pass_example)
    );
    let _ = writeln!(
        out,
        "Remediation:\n  {}\n\nInconclusive when:\n  {}",
        m.remediation, m.inconclusive
    );
    if !m.options.is_empty() {
        let _ = writeln!(out, "\nOptions ([rules.{}] in aisvs.toml):", m.id);
        for o in m.options {
            let _ = writeln!(out, "  {} = {}    {}", o.name, o.default, o.doc);
        }
    }
    finish(&out)
}

/// Prints a listing; exit 0, or 2 when stdout fails (a closed pipe is fine).
fn finish(text: &str) -> i32 {
    match print_stdout(text) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            2
        }
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

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
