//! Dockerfiles into instructions with byte spans: parser directives, line continuations, comments and heredocs.
//!
//! A small line-based reader instead of a full grammar: a line it does not understand (an unknown instruction) is
//! reported and skipped while the rest of the file is still read, which a strict parser cannot do.

use crate::source::{FileId, Span};

/// Instructions the Dockerfile frontend knows.
const KNOWN: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// One instruction.
#[derive(Debug, Clone)]
pub struct Instruction {
    /// Upper-cased keyword (`RUN`).
    pub keyword: String,
    /// Arguments with continuations joined by a space (comment lines inside dropped).
    pub args: String,
    /// Heredoc bodies that follow the instruction (`RUN <<EOF … EOF`).
    pub heredocs: Vec<String>,
    /// From the keyword to the end of the last line (heredocs included).
    pub span: Span,
    /// 1-based line of the keyword.
    pub line: usize,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct ParsedDockerfile {
    /// Instructions in order.
    pub instructions: Vec<Instruction>,
    /// Lines that start with a word that is not an instruction: (1-based line, the word).
    pub unknown: Vec<(usize, String)>,
    /// A heredoc whose terminator never came: (1-based line of the instruction, delimiter).
    pub unterminated: Vec<(usize, String)>,
}

/// Reads a Dockerfile. Never fails: problems are listed in [`ParsedDockerfile::unknown`] and `unterminated`.
pub fn parse_dockerfile(file: FileId, text: &str) -> ParsedDockerfile {
    let lines: Vec<(usize, &str)> = line_offsets(text);
    let mut out = ParsedDockerfile::default();
    let mut escape = '\\';
    let mut directives_open = true;
    let mut i = 0;
    while i < lines.len() {
        let (start, raw) = lines[i];
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if directives_open {
                if let Some(value) = directive(trimmed, "escape") {
                    escape = if value == "`" { '`' } else { '\\' };
                } else if directive(trimmed, "syntax").is_none()
                    && directive(trimmed, "check").is_none()
                {
                    directives_open = false;
                }
            }
            i += 1;
            continue;
        }
        directives_open = false;
        let first_line = i + 1;
        let (word, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        let keyword = word.to_ascii_uppercase();
        let mut args = String::new();
        let mut piece = rest;
        let mut end = start + raw.len();
        // Join continuation lines; comment lines inside a continuation are skipped, as BuildKit does.
        loop {
            let body = piece.trim_end_matches('\r').trim_end();
            match body.strip_suffix(escape) {
                Some(head) => {
                    args.push_str(head.trim());
                    args.push(' ');
                    i += 1;
                    while i < lines.len() && lines[i].1.trim_start().starts_with('#') {
                        i += 1;
                    }
                    let Some(&(s, next)) = lines.get(i) else {
                        break;
                    };
                    end = s + next.len();
                    piece = next;
                }
                None => {
                    args.push_str(body.trim());
                    break;
                }
            }
        }
        i += 1;
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (delim, strip_tabs) in heredoc_markers(&args) {
                let mut body = Vec::new();
                let mut closed = false;
                while i < lines.len() {
                    let (s, l) = lines[i];
                    i += 1;
                    end = s + l.len();
                    let l = l.trim_end_matches('\r');
                    let cmp = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    if cmp == delim {
                        closed = true;
                        break;
                    }
                    body.push(cmp.to_string());
                }
                if !closed {
                    out.unterminated.push((first_line, delim.clone()));
                }
                heredocs.push(body.join("\n"));
            }
        }
        if !KNOWN.contains(&keyword.as_str()) {
            out.unknown.push((first_line, word.to_string()));
            continue;
        }
        let kw_start = start + (line.len() - trimmed.len());
        out.instructions.push(Instruction {
            keyword,
            args,
            heredocs,
            span: Span::new(file, kw_start, end.min(text.len())),
            line: first_line,
        });
    }
    out
}

/// (byte offset, line text without `\n`) for every line.
fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split('\n') {
        out.push((start, l));
        start += l.len() + 1;
    }
    out
}

/// `# name=value` parser directive.
fn directive<'l>(line: &'l str, name: &str) -> Option<&'l str> {
    let rest = line.strip_prefix('#')?.trim_start();
    let (k, v) = rest.split_once('=')?;
    k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
}

/// Heredoc delimiters in an instruction's arguments: `<<EOF`, `<<-EOF`, `<<"EOF"` (the bool: `<<-`, strip tabs).
fn heredoc_markers(args: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(pos) = rest.find("<<") {
        let mut after = &rest[pos + 2..];
        let strip = after.starts_with('-');
        if strip {
            after = &after[1..];
        }
        let quoted = after.starts_with('"') || after.starts_with('\'');
        let word: String = after
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() && (quoted || word.chars().all(|c| !c.is_ascii_digit())) {
            out.push((word, strip));
        }
        rest = &rest[pos + 2..];
    }
    out
}

/// Splits instruction arguments into words, honouring double and single quotes and backslash escapes.
pub fn split_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => cur.push(c),
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (_, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// `ENV`/`LABEL`/`ARG` pairs: `k=v k2="v 2"`, or the legacy `ENV key value with spaces`.
pub fn key_values(keyword: &str, args: &str) -> Vec<(String, Option<String>)> {
    let words = split_words(args);
    let legacy = keyword == "ENV" && words.first().is_some_and(|w| !w.contains('='));
    if legacy {
        let mut it = words.into_iter();
        let key = it.next().unwrap_or_default();
        let value: Vec<String> = it.collect();
        return vec![(key, Some(value.join(" ")))];
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w, None),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_heredocs_and_unknown_lines() {
        let src = "# syntax=docker/dockerfile:1\nFROM python:3.12 AS build\nRUN apt-get update \\\n  # a comment\n  && apt-get install -y curl\nRUN <<EOF\nset -e\necho hi\nEOF\nFOO bar\nUSER 1000\n";
        let d = parse_dockerfile(0, src);
        let kws: Vec<&str> = d.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kws, ["FROM", "RUN", "RUN", "USER"]);
        assert_eq!(
            d.instructions[1].args,
            "apt-get update && apt-get install -y curl"
        );
        assert_eq!(d.instructions[2].heredocs, vec!["set -e\necho hi"]);
        assert_eq!(d.unknown, vec![(10, "FOO".to_string())]);
        assert_eq!(d.instructions[3].line, 11);
        let user = &d.instructions[3];
        assert_eq!(&src[user.span.start()..user.span.end()], "USER 1000");
    }

    #[test]
    fn escape_directive_and_pairs() {
        let d = parse_dockerfile(0, "# escape=`\nFROM x\nENV A=1 `\n  B=\"two words\"\n");
        assert_eq!(d.instructions[1].args, "A=1 B=\"two words\"");
        let kv = key_values("ENV", &d.instructions[1].args);
        assert_eq!(kv[1], ("B".to_string(), Some("two words".to_string())));
        assert_eq!(
            key_values("ENV", "TOKEN abc def"),
            vec![("TOKEN".to_string(), Some("abc def".to_string()))]
        );
        let open = parse_dockerfile(0, "FROM x\nRUN <<EOF\necho\n");
        assert_eq!(open.unterminated, vec![(2, "EOF".to_string())]);
    }
}
