//! Text-level helpers of the HCL reader: a cheap nesting bound before parsing, and heredoc bodies.

use super::{HclError, MAX_BRACKET_DEPTH};

/// Rejects pathological bracket nesting with a linear scan (strings are not tracked: a conservative bound).
pub fn check_nesting(text: &str) -> Result<(), HclError> {
    let mut depth = 0usize;
    let mut line = 1usize;
    for b in text.bytes() {
        match b {
            b'\n' => line += 1,
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Err(HclError::TooDeep { line });
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The content of a heredoc (`<<EOF` / `<<-EOF`), with `<<-` indentation removed.
pub fn heredoc_body(raw: &str) -> String {
    let mut lines = raw.lines();
    let opener = lines.next().unwrap_or("");
    let body: Vec<&str> = lines.collect();
    let content = match body.split_last() {
        Some((_, rest)) => rest,
        None => &[][..],
    };
    if !opener.trim_start().starts_with("<<-") {
        return content.join("\n");
    }
    let indent = content
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    content
        .iter()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}
