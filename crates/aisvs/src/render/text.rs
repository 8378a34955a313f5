//! Text report: rustc-style code frames for each finding, then a per-requirement table and the score formula.

use std::fmt::Write;

use crate::evidence::{Evidence, Outcome};
use crate::report::Report;
use crate::verdict::{scores, Verdict};

/// Renders the human report.
pub fn render(report: &Report) -> String {
    super::collect(report, write)
}

/// Writes the human report finding by finding, so the whole text is never held in memory
/// (tens of MB for a large repository).
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::new();
    for d in &report.diagnostics {
        let line = if d.line > 0 {
            format!(":{}", d.line)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}: {}{}: {}",
            severity_word(d.severity == crate::diag::DiagSeverity::Error),
            d.path,
            line,
            d.message
        );
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
    }
    w.write_all(out.as_bytes())?;
    for &i in &report.findings {
        out.clear();
        frame(&mut out, report, &report.evidence[i]);
        w.write_all(out.as_bytes())?;
    }
    out.clear();
    requirement_table(&mut out, report);
    w.write_all(out.as_bytes())
}

fn severity_word(error: bool) -> &'static str {
    if error {
        "error"
    } else {
        "warning"
    }
}

/// One finding as a code frame.
pub fn frame(out: &mut String, report: &Report, e: &Evidence) {
    let reqs = e.requirements.join(", ");
    let waived = e
        .suppressed
        .as_ref()
        .map(|s| format!(" (suppressed by {}: {})", s.kind, s.reason))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}[{}]: {} [AISVS {}]{}",
        e.severity.as_str(),
        e.rule,
        e.message,
        reqs,
        waived
    );
    if let Some(loc) = &e.location {
        let r = report.resolve(loc);
        let file = &report.files[loc.span.file()].source;
        let width = r.start_line.to_string().len();
        let pad = " ".repeat(width);
        let _ = writeln!(
            out,
            "{pad}--> {}:{}:{}",
            r.path, r.start_line, r.start_column
        );
        let _ = writeln!(out, "{pad} |");
        // A line that holds a secret is never echoed; the message carries the redacted value.
        let text = if e.sensitive {
            "<line not shown: contains a secret>"
        } else {
            file.line_text(r.start_line)
        };
        let _ = writeln!(out, "{} | {}", r.start_line, text);
        let len = if r.end_line == r.start_line {
            r.end_column.saturating_sub(r.start_column).max(1)
        } else {
            text.chars()
                .count()
                .saturating_sub(r.start_column - 1)
                .max(1)
        };
        let _ = writeln!(
            out,
            "{pad} | {}{}",
            " ".repeat(r.start_column - 1),
            "^".repeat(len.min(80))
        );
        if !r.route.is_empty() {
            let _ = writeln!(out, "{pad} = at: {}", r.route);
        }
        let _ = writeln!(out, "{pad} = subject: {}", e.subject.display);
        for (l, note) in &e.related {
            let rr = report.resolve(l);
            let _ = writeln!(
                out,
                "{pad} = related: {}:{}:{}: {}",
                rr.path, rr.start_line, rr.start_column, note
            );
        }
        let _ = writeln!(out, "{pad} = help: {}", e.remediation);
    } else {
        let _ = writeln!(out, "  = subject: {}", e.subject.display);
        let _ = writeln!(out, "  = help: {}", e.remediation);
    }
    out.push('\n');
}

fn requirement_table(out: &mut String, report: &Report) {
    let _ = writeln!(out, "OWASP AISVS C4 requirements (level {}):", report.level);
    let _ = writeln!(
        out,
        "  {:<7} {:<15} {:>5} {:>5} {:>5} {:>5} {:>5}  title",
        "id", "verdict", "pass", "fail", "part", "inc", "waive"
    );
    for r in &report.results {
        let c = r.counts;
        let _ = writeln!(
            out,
            "  {:<7} {:<15} {:>5} {:>5} {:>5} {:>5} {:>5}  {}",
            r.requirement.id,
            r.verdict.as_str(),
            c.passed,
            c.failed,
            c.partial,
            c.inconclusive,
            c.waived,
            r.requirement.title
        );
        if r.verdict != Verdict::Pass {
            let _ = writeln!(out, "  {:<7} {}", "", r.note);
            // Partial and inconclusive subjects explain a `partial`: show the first few reasons.
            let mut shown = 0;
            for &i in &r.evidence {
                let e = &report.evidence[i];
                if matches!(e.outcome, Outcome::Partial | Outcome::Inconclusive)
                    && e.suppressed.is_none()
                    && shown < 3
                {
                    let at = e.location.as_ref().map(|l| {
                        let rr = report.resolve(l);
                        format!("{}:{}: ", rr.path, rr.start_line)
                    });
                    let _ = writeln!(out, "  {:<7} - {}{}", "", at.unwrap_or_default(), e.message);
                    shown += 1;
                }
            }
        }
    }
    let s = scores(&report.results, report.level);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "score = pass / (pass + fail + partial); not_applicable and manual_review are left out"
    );
    for (name, v) in &s {
        let pct = v
            .score
            .map_or_else(|| "n/a".to_string(), |x| format!("{:.0}%", x * 100.0));
        let _ = writeln!(
            out,
            "  {name}: {pct} = {} / ({} + {} + {}); not_applicable {}, manual_review {}",
            v.pass, v.pass, v.fail, v.partial, v.not_applicable, v.manual_review
        );
    }
    let failed = report
        .findings
        .iter()
        .filter(|&&i| report.evidence[i].suppressed.is_none())
        .count();
    let _ = writeln!(
        out,
        "{} files, {} documents, {} findings ({} suppressed), {} diagnostics",
        report.files.len(),
        report.document_count(),
        failed,
        report.findings.len() - failed,
        report.diagnostics.len()
    );
}
