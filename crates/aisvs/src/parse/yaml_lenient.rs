//! Tolerance for one YAML slip that PyYAML and libyaml accept but the YAML 1.2 grammar (and so saphyr) rejects:
//! a multi-line flow collection whose closing `]` or `}` stands on its own line, indented less than the grammar
//! asks for (left of its key). Falco's own rules files are written this way.

/// Each repair costs one re-parse of the file, so only this many are tried before the error stands.
pub const MAX_REPAIRS: usize = 16;

/// When the 1-based `line` of `text` holds nothing but closing brackets (and commas), returns the text with those
/// characters moved to just after the last non-blank content before them. Bytes are moved, never added or
/// dropped, and no line break moves: every other byte keeps its offset, so spans and line numbers stay true.
///
/// `None` when the line is anything else, or when the content before it ends in a comment (a bracket appended
/// there would be commented out).
pub fn hoist_closers(text: &str, line: usize) -> Option<String> {
    let line_start = nth_line_start(text, line)?;
    let rest = &text[line_start..];
    let line_text = rest.split('\n').next().unwrap_or(rest);
    let indent = line_text.len() - line_text.trim_start().len();
    let closers = line_text.trim();
    if closers.is_empty()
        || !closers.starts_with([']', '}'])
        || !closers.chars().all(|c| matches!(c, ']' | '}' | ','))
    {
        return None;
    }
    let content_end = text[..line_start].trim_end().len();
    if content_end == 0 {
        return None;
    }
    let prev_line = text[..content_end].rsplit('\n').next().unwrap_or_default();
    if prev_line.contains('#') {
        return None;
    }
    let closers_at = line_start + indent;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..content_end]);
    out.push_str(closers);
    out.push_str(&text[content_end..closers_at]);
    out.push_str(&text[closers_at + closers.len()..]);
    debug_assert_eq!(out.len(), text.len());
    Some(out)
}

/// Byte offset where the 1-based `line` starts.
fn nth_line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_an_under_indented_closer_to_the_previous_content() {
        let text = "- list: x\n  items: [\n    \"a\",\n    \"b\"\n  ]\n- list: y\n";
        let fixed = hoist_closers(text, 5).unwrap();
        assert_eq!(
            fixed,
            "- list: x\n  items: [\n    \"a\",\n    \"b\"]\n  \n- list: y\n"
        );
        assert_eq!(fixed.len(), text.len());
        // What follows keeps its offset.
        assert_eq!(fixed.find("- list: y"), text.find("- list: y"));
    }

    #[test]
    fn crosses_blank_lines_and_keeps_crlf_and_commas() {
        let text = "k: {\n  a: 1\r\n\r\n}, \r\nz: 2\r\n";
        let fixed = hoist_closers(text, 4).unwrap();
        assert_eq!(fixed, "k: {\n  a: 1},\r\n\r\n \r\nz: 2\r\n");
    }

    #[test]
    fn parser_reads_the_file_with_a_warning_and_true_spans() {
        use crate::source::{FileKind, SourceFile};
        let text = "- list: x\n  items: [\n    a,\n    b\n]\n- rule: r\n  tags: [\n    t\n]\n";
        let file = SourceFile::new(
            0,
            "f.yaml".into(),
            "f.yaml".into(),
            FileKind::Yaml,
            text.into(),
        );
        let (docs, note) = crate::parse::yaml::parse_yaml_noting(&file).unwrap();
        let note = note.expect("a warning for the repaired lines");
        assert_eq!(note.line, 5);
        assert!(note.message.contains("2 line(s)"), "{}", note.message);
        let items = docs[0].root.items();
        let rule = items[1].get("rule").unwrap();
        assert_eq!(&text[rule.span.start()..rule.span.end()], "r");
        let tags = items[1].get("tags").unwrap().items();
        assert_eq!(&text[tags[0].span.start()..tags[0].span.end()], "t");
        // A slip that moving brackets cannot fix stays an error at its line.
        let bad = SourceFile::new(
            0,
            "g.yaml".into(),
            "g.yaml".into(),
            FileKind::Yaml,
            "a:\n  b: 1\n c: 2\n".into(),
        );
        assert!(crate::parse::yaml::parse_yaml_noting(&bad).is_err());
    }

    #[test]
    fn leaves_other_lines_and_comments_alone() {
        assert_eq!(hoist_closers("a: [\n  1\n  ] # end\n", 3), None);
        assert_eq!(hoist_closers("a: [\n  1 # one\n]\n", 3), None);
        assert_eq!(hoist_closers("a: b\n", 1), None);
        assert_eq!(hoist_closers("]\n", 1), None);
        assert_eq!(hoist_closers("a: [1]\n", 9), None);
    }
}
