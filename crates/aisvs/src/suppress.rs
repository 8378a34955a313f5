//! Suppression: inline `# aisvs: ignore[rule] reason` comments, the `aisvs.io/ignore` annotation and config waivers.

use globset::Glob;

use crate::config::{parse_date, Config};
use crate::diag::Diagnostic;
use crate::evidence::{Evidence, Outcome, Suppression};
use crate::model::Model;

/// Applies every suppression source to failures, partials and inconclusives; warns about unused or expired waivers.
pub fn apply(
    evidence: &mut [Box<Evidence>],
    model: &Model<'_>,
    config: &Config,
    today: time::Date,
    diags: &mut Vec<Diagnostic>,
) {
    let annotations = annotation_ignores(model);
    let mut used = vec![false; config.waiver.len()];
    for e in evidence.iter_mut().filter(|e| e.outcome != Outcome::Pass) {
        let Some(loc) = &e.location else { continue };
        let file = model.file(loc.span.file());
        if let Some(reason) = inline_ignore(file, loc.span.start(), loc.span.end(), e.rule) {
            e.suppressed = Some(Suppression {
                kind: "inline".into(),
                reason,
            });
            continue;
        }
        if let Some((_, _, reason)) = annotations
            .iter()
            .find(|(f, range, _)| {
                *f == loc.span.file() && range.0 <= loc.span.start() && loc.span.start() < range.1
            })
            .and_then(|(f, r, rules)| {
                rules
                    .iter()
                    .find(|(id, _)| id == e.rule)
                    .map(|(_, why)| (f, r, why.clone()))
            })
        {
            e.suppressed = Some(Suppression {
                kind: "annotation".into(),
                reason,
            });
            continue;
        }
        for (i, w) in config.waiver.iter().enumerate() {
            if w.rule != e.rule {
                continue;
            }
            if let Some(glob) = &w.path {
                match Glob::new(glob) {
                    Ok(g) if g.compile_matcher().is_match(&file.path) => {}
                    _ => continue,
                }
            }
            if w.route
                .as_ref()
                .is_some_and(|r| !loc.route.starts_with(r.as_str()))
            {
                continue;
            }
            used[i] = true;
            if w.expires
                .as_deref()
                .and_then(parse_date)
                .is_some_and(|d| d < today)
            {
                continue;
            }
            e.suppressed = Some(Suppression {
                kind: "waiver".into(),
                reason: w.reason.clone(),
            });
            break;
        }
    }
    for (i, w) in config.waiver.iter().enumerate() {
        let line = nth_waiver_line(config, i);
        if let Some(d) = w
            .expires
            .as_deref()
            .and_then(parse_date)
            .filter(|d| *d < today)
        {
            diags.push(Diagnostic::warning(
                &config.path,
                line,
                format!(
                    "waiver for `{}` expired on {d}; it no longer suppresses",
                    w.rule
                ),
            ));
        } else if !used[i] {
            diags.push(Diagnostic::warning(
                &config.path,
                line,
                format!("waiver for `{}` matched nothing", w.rule),
            ));
        }
    }
}

/// Finds `aisvs: ignore[ids] reason` on the line before the location or on any of its lines.
fn inline_ignore(
    file: &crate::source::SourceFile,
    start: usize,
    end: usize,
    rule: &str,
) -> Option<String> {
    let (first, _) = file.line_col(start);
    let (last, _) = file.line_col(end.saturating_sub(1).max(start));
    // Comments inside a large block belong to the block; cap the scan so a huge span stays cheap.
    let last = last.min(first + 200);
    (first.saturating_sub(1).max(1)..=last).find_map(|l| parse_ignore(file.line_text(l), rule))
}

/// Parses one line's ignore comment; returns the reason when it names `rule`.
pub fn parse_ignore(line: &str, rule: &str) -> Option<String> {
    let at = line.find("aisvs: ignore[")?;
    let before = &line[..at];
    if !(before.trim_end().ends_with('#') || before.trim_end().ends_with("//")) {
        return None;
    }
    let rest = &line[at + "aisvs: ignore[".len()..];
    let close = rest.find(']')?;
    let ids = &rest[..close];
    ids.split(',').any(|id| id.trim() == rule).then(|| {
        let reason = rest[close + 1..].trim();
        if reason.is_empty() {
            "no reason given".to_string()
        } else {
            reason.to_string()
        }
    })
}

type AnnotationIgnore = (usize, (usize, usize), Vec<(String, String)>);

/// Objects annotated `aisvs.io/ignore: "rule-id: reason"` (several separated by `;` or new lines).
fn annotation_ignores(model: &Model<'_>) -> Vec<AnnotationIgnore> {
    let mut out = Vec::new();
    for o in &model.objects {
        let Some(value) = o.annotation("aisvs.io/ignore") else {
            continue;
        };
        let rules = value
            .split([';', '\n'])
            .filter_map(|part| {
                let (id, reason) = part.split_once(':').unwrap_or((part, "no reason given"));
                let id = id.trim();
                (!id.is_empty()).then(|| (id.to_string(), reason.trim().to_string()))
            })
            .collect();
        out.push((
            o.file,
            (
                o.root.span.start(),
                o.root.span.end().max(o.root.span.start() + 1),
            ),
            rules,
        ));
    }
    out
}

fn nth_waiver_line(config: &Config, n: usize) -> usize {
    config.table_header_line("[[waiver]]", n)
}

#[cfg(test)]
mod tests {
    use super::parse_ignore;

    #[test]
    fn ignore_comment_forms() {
        assert_eq!(
            parse_ignore("  # aisvs: ignore[k8s-seccomp] legacy node", "k8s-seccomp").as_deref(),
            Some("legacy node")
        );
        assert_eq!(
            parse_ignore("x: 1 # aisvs: ignore[a, k8s-seccomp]", "k8s-seccomp").as_deref(),
            Some("no reason given")
        );
        assert_eq!(
            parse_ignore("# aisvs: ignore[k8s-privileged] gpu", "k8s-seccomp"),
            None
        );
        assert_eq!(
            parse_ignore("name: aisvs: ignore[k8s-seccomp]", "k8s-seccomp"),
            None,
            "must be a comment"
        );
    }
}
