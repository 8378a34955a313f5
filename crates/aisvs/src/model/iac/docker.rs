//! Dockerfile view: instructions grouped into build stages, with `ARG` values expanded where they are statically known.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::evidence::{Location, Subject};
use crate::parse::dockerfile::{key_values, parse_dockerfile, split_words, Instruction};
use crate::source::{FileId, SourceFile};

/// One build stage: `FROM image [AS name]` and the instructions up to the next `FROM`.
#[derive(Debug, Clone)]
pub struct DockerStage {
    /// 0-based stage number.
    pub index: usize,
    /// `AS name`, when given.
    pub name: Option<String>,
    /// The base image with known `ARG`s expanded (may still contain `$` when a value is unknown).
    pub image: String,
    /// Index of the `FROM` instruction.
    pub from: usize,
    /// Indices of the instructions of this stage (after `FROM`).
    pub body: std::ops::Range<usize>,
}

/// A Dockerfile with its stages.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// The file.
    pub file: FileId,
    /// Its path.
    pub path: String,
    /// Every instruction.
    pub instructions: Vec<Instruction>,
    /// Build stages in order.
    pub stages: Vec<DockerStage>,
}

impl Dockerfile {
    /// Parses the file; unknown instructions and unterminated heredocs become warnings.
    pub fn build(src: &SourceFile, diags: &mut Vec<Diagnostic>) -> Self {
        let parsed = parse_dockerfile(src.id, &src.text);
        for (line, word) in &parsed.unknown {
            diags.push(Diagnostic::warning(
                &src.path,
                *line,
                format!(
                    "unknown Dockerfile instruction `{}`; line skipped",
                    word.chars().take(40).collect::<String>()
                ),
            ));
        }
        for (line, delim) in &parsed.unterminated {
            diags.push(Diagnostic::warning(
                &src.path,
                *line,
                format!("heredoc `{delim}` is never terminated; read to the end of the file"),
            ));
        }
        let instructions = parsed.instructions;
        let mut global_args: BTreeMap<String, String> = BTreeMap::new();
        let mut stages: Vec<DockerStage> = Vec::new();
        for (i, ins) in instructions.iter().enumerate() {
            match ins.keyword.as_str() {
                "ARG" if stages.is_empty() => {
                    for (k, v) in key_values("ARG", &ins.args) {
                        if let Some(v) = v {
                            global_args.insert(k, v);
                        }
                    }
                }
                "FROM" => {
                    if let Some(last) = stages.last_mut() {
                        last.body.end = i;
                    }
                    let words: Vec<String> = split_words(&ins.args)
                        .into_iter()
                        .filter(|w| !w.starts_with("--"))
                        .collect();
                    let image = words
                        .first()
                        .map(|w| expand(w, &global_args))
                        .unwrap_or_default();
                    let name = match words.as_slice() {
                        [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => {
                            Some(name.clone())
                        }
                        _ => None,
                    };
                    stages.push(DockerStage {
                        index: stages.len(),
                        name,
                        image,
                        from: i,
                        body: i + 1..instructions.len(),
                    });
                }
                _ => {}
            }
        }
        Dockerfile {
            file: src.id,
            path: src.path.clone(),
            instructions,
            stages,
        }
    }

    /// The subject for the whole file.
    pub fn subject(&self) -> Subject {
        Subject {
            kind: "Dockerfile".into(),
            namespace: None,
            name: self.path.clone(),
            container: None,
            display: format!("Dockerfile:{}", self.path),
        }
    }

    /// The subject for one stage (`Dockerfile:path#stage`).
    pub fn stage_subject(&self, stage: &DockerStage) -> Subject {
        let label = stage
            .name
            .clone()
            .unwrap_or_else(|| stage.index.to_string());
        Subject {
            kind: "Dockerfile".into(),
            namespace: None,
            name: self.path.clone(),
            container: Some(label.clone()),
            display: format!("Dockerfile:{}#{label}", self.path),
        }
    }

    /// Location of an instruction.
    pub fn location(&self, index: usize) -> Option<Location> {
        self.instructions.get(index).map(|ins| Location {
            span: ins.span,
            route: format!("{}@{}", ins.keyword, ins.line),
        })
    }

    /// The final stage (the image that is shipped unless `--target` says otherwise).
    pub fn final_stage(&self) -> Option<&DockerStage> {
        self.stages.last()
    }

    /// Instructions of a stage, with their indices.
    pub fn stage_instructions<'s>(
        &'s self,
        stage: &DockerStage,
    ) -> impl Iterator<Item = (usize, &'s Instruction)> + 's {
        let range = stage.body.clone();
        self.instructions
            .iter()
            .enumerate()
            .skip(range.start)
            .take(range.end.saturating_sub(range.start))
    }
}

/// Expands `$NAME` and `${NAME}` (and `${NAME:-default}`) from known values; unknown names stay as written.
pub fn expand(s: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, default, consumed) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => {
                    let body = &inner[..end];
                    let (n, d) = match body.split_once(":-") {
                        Some((n, d)) => (n, Some(d)),
                        None => (body, None),
                    };
                    (n, d, end + 2)
                }
                None => ("", None, 0),
            }
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..n], None, n)
        };
        match (vars.get(name), default) {
            (Some(v), _) if !name.is_empty() => out.push_str(v),
            (None, Some(d)) => out.push_str(d),
            _ => out.push_str(&rest[pos..pos + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_known_args_only() {
        let mut vars = BTreeMap::new();
        vars.insert("TAG".to_string(), "3.12".to_string());
        assert_eq!(expand("python:${TAG}", &vars), "python:3.12");
        assert_eq!(expand("python:$TAG-slim", &vars), "python:3.12-slim");
        assert_eq!(expand("${REG:-docker.io}/x:$V", &vars), "docker.io/x:$V");
        assert_eq!(expand("${BROKEN", &vars), "${BROKEN");
    }
}
