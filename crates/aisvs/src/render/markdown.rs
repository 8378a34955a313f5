//! Markdown: a verdict table and the findings, for pull-request comments and audit files.

use std::fmt::Write;

use crate::report::Report;
use crate::verdict::scores;

/// Renders Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# aisvs: OWASP AISVS C4 (level {})\n", report.level);
    let _ = writeln!(
        out,
        "| Requirement | Verdict | Pass | Fail | Partial | Inconclusive | Waived | Note |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---|");
    for r in &report.results {
        let c = r.counts;
        let _ = writeln!(
            out,
            "| {} {} | **{}** | {} | {} | {} | {} | {} | {} |",
            r.requirement.id,
            esc(&r.requirement.title),
            r.verdict.as_str(),
            c.passed,
            c.failed,
            c.partial,
            c.inconclusive,
            c.waived,
            esc(&r.note)
        );
    }
    let _ = writeln!(out, "\nScore = pass / (pass + fail + partial):\n");
    for (name, s) in scores(&report.results, report.level) {
        let pct = s
            .score
            .map_or_else(|| "n/a".into(), |x| format!("{:.0}%", x * 100.0));
        let _ = writeln!(
            out,
            "- {name}: {pct} ({} pass, {} fail, {} partial; {} n/a, {} manual review)",
            s.pass, s.fail, s.partial, s.not_applicable, s.manual_review
        );
    }
    if !report.findings.is_empty() {
        let _ = writeln!(out, "\n## Findings\n");
        let _ = writeln!(
            out,
            "| Severity | Rule | AISVS | Location | Subject | Message |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for &i in &report.findings {
            let e = &report.evidence[i];
            let at = e.location.as_ref().map(|l| {
                let r = report.resolve(l);
                format!("`{}:{}`", r.path, r.start_line)
            });
            let msg = match &e.suppressed {
                Some(s) => format!("{} (suppressed: {})", e.message, s.reason),
                None => e.message.clone(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} |",
                e.severity.as_str(),
                e.rule,
                e.requirements.join(", "),
                at.unwrap_or_default(),
                esc(&e.subject.display),
                esc(&msg)
            );
        }
    }
    if !report.diagnostics.is_empty() {
        let _ = writeln!(out, "\n## Diagnostics\n");
        for d in &report.diagnostics {
            let _ = writeln!(out, "- `{}:{}`: {}", d.path, d.line, esc(&d.message));
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
