//! Secrets inside command lines, scripts and config-file text: `NAME=value`, `--flag value`,
//! `--flag=value`, `key: value`, `Bearer <token>`, and bare tokens in a known format.

use super::{classify, SecretHit};

/// A secret found in free text, with the byte range of the token that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHit {
    /// Byte offset of the token's start in the text.
    pub start: usize,
    /// Byte offset just past the token.
    pub end: usize,
    /// The hit (redacted).
    pub hit: SecretHit,
}

/// Texts longer than this are scanned in their first part only.
const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// Whitespace-separated tokens with their byte ranges, quotes and trailing separators trimmed.
fn tokens(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                let raw = &text[s..i];
                let trimmed =
                    raw.trim_matches(|c| matches!(c, '"' | '\'' | '`' | ';' | ',' | '(' | ')'));
                if !trimmed.is_empty() {
                    let off = s + raw.find(trimmed).unwrap_or(0);
                    out.push((off, off + trimmed.len(), trimmed));
                } else if raw.contains(['"', '\'']) {
                    // An empty string (`"key": "",`) still fills the value's place, so that the next key
                    // is not read as this key's value.
                    out.push((s, s, ""));
                }
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// `NAME=value` or `--flag=value` when the left side looks like a name.
fn split_assignment(token: &str) -> Option<(&str, &str)> {
    let (name, value) = token.split_once('=')?;
    let bare = name.trim_start_matches('-');
    let is_name = !bare.is_empty()
        && bare.len() <= 128
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    is_name.then_some((bare, value.trim_matches(|c| c == '"' || c == '\'')))
}

/// Whether the byte offset sits on a comment line (`#` or `//` first): prose there mentions secrets
/// without holding them, so only known key formats count.
fn in_comment(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let line = text[line_start..].trim_start();
    line.starts_with('#') || line.starts_with("//")
}

/// Runs the token logic over `(origin, token)` pairs; `origin` is echoed back with each hit.
fn scan(tokens: &[(usize, usize, &str)]) -> Vec<(usize, usize, SecretHit)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (start, end, tok) = tokens[i];
        let next = tokens.get(i + 1);
        if let Some((name, value)) = split_assignment(tok) {
            if let Some(h) = classify(Some(name), value, false) {
                out.push((start, end, h));
            }
            i += 1;
            continue;
        }
        // `--api-key VALUE`, `password: VALUE`, `Bearer VALUE`.
        let name = tok.trim_start_matches('-').trim_end_matches(':');
        let takes_value =
            tok.starts_with('-') || tok.ends_with(':') || tok.eq_ignore_ascii_case("bearer");
        if takes_value && super::secret_name_reason(name).is_some()
            || tok.eq_ignore_ascii_case("bearer")
        {
            if let Some(&(ns, ne, value)) = next {
                // A next word ending in `:` is the next key (`serviceAccountToken:` / `path: …`), not a value.
                let is_key = value.trim_end_matches(['"', '\'']).ends_with(':');
                if !value.starts_with('-') && !is_key {
                    if let Some(h) = classify(
                        Some(if name.eq_ignore_ascii_case("bearer") {
                            "bearer token"
                        } else {
                            name
                        }),
                        value,
                        false,
                    ) {
                        out.push((ns, ne, h));
                    }
                    i += 2;
                    continue;
                }
            }
        }
        if let Some(h) = classify(None, tok, false) {
            out.push((start, end, h));
        }
        i += 1;
    }
    out
}

/// Every secret in a script, command line or config text. PEM blocks are found even though they span
/// several whitespace-separated words.
pub fn find_in_text(text: &str) -> Vec<TextHit> {
    let mut end = text.len().min(MAX_TEXT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let toks: Vec<_> = tokens(text)
        .into_iter()
        .filter(|(s, _, _)| !in_comment(text, *s))
        .collect();
    let comment_toks: Vec<_> = tokens(text)
        .into_iter()
        .filter(|(s, _, _)| in_comment(text, *s))
        .collect();
    let comment_hits = comment_toks.iter().filter_map(|&(start, end, t)| {
        classify(None, t, false).map(|hit| TextHit { start, end, hit })
    });
    let mut hits: Vec<TextHit> = scan(&toks)
        .into_iter()
        .map(|(start, end, hit)| TextHit { start, end, hit })
        .chain(comment_hits)
        .collect();
    if let Some(pos) = text.find("PRIVATE KEY-----") {
        let line_start = text[..pos].rfind('\n').map_or(0, |p| p + 1);
        if !hits.iter().any(|h| h.start <= pos && pos < h.end) {
            if let Some(hit) = classify(None, &text[line_start..], false) {
                hits.push(TextHit {
                    start: line_start,
                    end: pos + 16,
                    hit,
                });
            }
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

/// Every secret in a container's `command` + `args` list; each hit carries the index of the argument
/// that holds the secret. Arguments are also split on whitespace, so `sh -c "… --token X"` is covered.
pub fn find_in_args(args: &[&str]) -> Vec<(usize, SecretHit)> {
    let mut toks = Vec::new();
    for (i, a) in args.iter().enumerate() {
        for (_, _, t) in tokens(a) {
            toks.push((i, i, t));
        }
    }
    scan(&toks).into_iter().map(|(i, _, h)| (i, h)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_assignments_and_bearer() {
        let hits = find_in_args(&[
            "vllm",
            "serve",
            "--api-key",
            "s3cretValue99",
            "--port",
            "8000",
        ]);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, 3);
        let hits = find_in_args(&[
            "sh",
            "-c",
            "export HF_TOKEN=plainTextToken42 && python serve.py",
        ]);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].0, 2);
        let hits = find_in_text("curl -H 'Authorization: Bearer abcDEF123456ghiJKL' http://x");
        assert_eq!(hits.len(), 1, "{hits:?}");
    }

    #[test]
    fn references_and_harmless_flags_are_not_hits() {
        assert!(find_in_args(&["--api-key", "$(VLLM_API_KEY)"]).is_empty());
        assert!(find_in_args(&["--max-tokens", "4096", "--token-file", "/etc/token"]).is_empty());
        assert!(find_in_args(&["--ServerApp.token="]).is_empty());
        assert!(find_in_text(
            "image: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        .is_empty());
    }

    #[test]
    fn pem_block_in_text() {
        let text = "key.pem: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEpAIBAAKCAQEA\n";
        let hits = find_in_text(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].hit.kind, "private key (PEM)");
    }

    #[test]
    fn config_text_key_value() {
        let hits = find_in_text("database:\n  password: Tr0ub4dor&3x\n  user: app\n");
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].hit.kind, "literal password");
    }
}
