//! Text and JSON rendering of scan results. Details quote bytes from hostile files, so they are
//! shortened, stripped of control characters and scrubbed of token-shaped secrets first.

use crate::report::{FileReport, Verdict};
use crate::ScanSet;
use serde_json::json;

const MAX_DETAIL: usize = 300;
/// Prefixes of well-known credential formats; the rest of such a token is masked.
const SECRET_PREFIXES: &[&str] = &[
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghs_",
    "github_pat_",
    "hf_",
    "sk-",
    "xoxb-",
    "xoxp-",
    "glpat-",
    "AIza",
];

/// Shortens, removes control characters and masks token-shaped secrets.
pub fn sanitize(text: &str) -> String {
    let mut clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    for prefix in SECRET_PREFIXES {
        let mut from = 0;
        while let Some(rel) = clean[from..].find(prefix) {
            let start = from + rel;
            let tail = &clean[start + prefix.len()..];
            let len = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(tail.len());
            if len >= 12 {
                clean.replace_range(
                    start + prefix.len()..start + prefix.len() + len,
                    "***REDACTED***",
                );
            }
            from = start + prefix.len();
        }
    }
    if clean.chars().count() > MAX_DETAIL {
        clean = clean.chars().take(MAX_DETAIL).collect::<String>() + "…";
    }
    clean
}

fn sanitized(report: &FileReport) -> FileReport {
    let mut r = report.clone();
    r.path = sanitize(&r.path);
    for f in &mut r.findings {
        f.detail = sanitize(&f.detail);
        f.member = f.member.as_deref().map(sanitize);
    }
    r
}

fn counts(set: &ScanSet) -> (usize, usize, usize) {
    let n = |v: Verdict| set.files.iter().filter(|f| f.verdict == v).count();
    (n(Verdict::Safe), n(Verdict::Unsafe), n(Verdict::Unknown))
}

/// Machine-readable report (schema version 1).
pub fn json(set: &ScanSet) -> String {
    let (safe, unsafe_, unknown) = counts(set);
    let files: Vec<FileReport> = set.files.iter().map(sanitized).collect();
    let doc = json!({
        "schema_version": 1,
        "tool": {"name": "aisvs model scan", "version": env!("CARGO_PKG_VERSION")},
        "summary": {"files": set.files.len(), "safe": safe, "unsafe": unsafe_, "unknown": unknown, "skipped": set.skipped.len()},
        "files": files,
        "skipped": set.skipped.iter().map(|p| sanitize(p)).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}

fn human_size(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / f64::from(1u32 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

/// Human-readable report.
pub fn text(set: &ScanSet) -> String {
    let mut out = String::new();
    for report in set.files.iter().map(sanitized) {
        let label = match report.verdict {
            Verdict::Safe => "SAFE   ",
            Verdict::Unsafe => "UNSAFE ",
            Verdict::Unknown => "UNKNOWN",
        };
        let format = serde_json::to_value(report.format)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        out += &format!(
            "{label} {}  ({format}, {})\n",
            report.path,
            human_size(report.size)
        );
        if let Some(sha) = &report.sha256 {
            out += &format!("        sha256 {sha}\n");
        }
        for f in &report.findings {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            let at = f.offset.map(|o| format!(" @{o}")).unwrap_or_default();
            let member = f
                .member
                .as_ref()
                .map(|m| format!(" [{m}]"))
                .unwrap_or_default();
            out += &format!("  - {kind}{member}{at}: {}\n", f.detail);
        }
    }
    let (safe, unsafe_, unknown) = counts(set);
    out += &format!(
        "{} file(s): {safe} safe, {unsafe_} unsafe, {unknown} unknown",
        set.files.len()
    );
    if !set.skipped.is_empty() {
        out += &format!(
            "; {} text file(s) skipped (no model format)",
            set.skipped.len()
        );
    }
    if set.files.is_empty() {
        out += "; no model files found";
    }
    out + "\n"
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn secrets_and_control_characters_are_scrubbed() {
        let s = sanitize("token hf_abcdefghijklmnopqrstuvwxyz\n end");
        assert!(!s.contains("abcdefghijklmnop"), "{s}");
        assert!(s.contains("hf_***REDACTED***"));
        assert!(!s.contains('\n'));
        assert_eq!(sanitize(&"x".repeat(1000)).chars().count(), 301);
    }
}
