//! HTML: a self-contained page with the verdict table and the findings, for auditors (everything escaped).

use std::fmt::Write;

use crate::report::Report;
use crate::verdict::scores;

/// Renders a standalone HTML page.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>aisvs: OWASP AISVS C4</title>");
    let _ = writeln!(out, "<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}.fail{{color:#b00020;font-weight:bold}}.pass{{color:#137333;font-weight:bold}}.partial{{color:#b26a00;font-weight:bold}}</style></head><body>");
    let _ = writeln!(out, "<h1>OWASP AISVS C4 (level {})</h1>", report.level);
    let _ = writeln!(
        out,
        "<p>{} files, {} documents scanned by aisvs {}.</p>",
        report.files.len(),
        report.document_count(),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<table><tr><th>Requirement</th><th>Verdict</th><th>Pass</th><th>Fail</th><th>Partial</th><th>Inconclusive</th><th>Waived</th><th>Note</th></tr>");
    for r in &report.results {
        let c = r.counts;
        let _ = writeln!(
            out,
            "<tr><td>{} {}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.requirement.id),
            esc(&r.requirement.title),
            r.verdict.as_str(),
            r.verdict.as_str(),
            c.passed,
            c.failed,
            c.partial,
            c.inconclusive,
            c.waived,
            esc(&r.note)
        );
    }
    let _ = writeln!(out, "</table>\n<h2>Score</h2><ul>");
    for (name, s) in scores(&report.results, report.level) {
        let pct = s
            .score
            .map_or_else(|| "n/a".into(), |x| format!("{:.0}%", x * 100.0));
        let _ = writeln!(
            out,
            "<li>{name}: {pct} = {} / ({} + {} + {})</li>",
            s.pass, s.pass, s.fail, s.partial
        );
    }
    let _ = writeln!(out, "</ul>\n<h2>Findings</h2>\n<table><tr><th>Severity</th><th>Rule</th><th>AISVS</th><th>Location</th><th>Subject</th><th>Message</th></tr>");
    for &i in &report.findings {
        let e = &report.evidence[i];
        let at = e.location.as_ref().map(|l| {
            let r = report.resolve(l);
            format!("{}:{}:{}", r.path, r.start_line, r.start_column)
        });
        let suppressed = e
            .suppressed
            .as_ref()
            .map(|s| format!(" (suppressed: {})", s.reason))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}{}</td></tr>",
            e.severity.as_str(),
            esc(e.rule),
            esc(&e.requirements.join(", ")),
            esc(&at.unwrap_or_default()),
            esc(&e.subject.display),
            esc(&e.message),
            esc(&suppressed)
        );
    }
    let _ = writeln!(out, "</table>");
    if !report.diagnostics.is_empty() {
        let _ = writeln!(out, "<h2>Diagnostics</h2><ul>");
        for d in &report.diagnostics {
            let _ = writeln!(
                out,
                "<li><code>{}:{}</code> {}</li>",
                esc(&d.path),
                d.line,
                esc(&d.message)
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    out.push_str("</body></html>\n");
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
