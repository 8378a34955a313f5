//! YAML and JSON parsing with spans: multi-document streams into [`Node`] trees, bad input into diagnostics.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::diag::Diagnostic;
use crate::parse::node::{Entry, Node, Value};
use crate::parse::yaml_lenient;
use crate::source::{SourceFile, Span};

/// Documents nested deeper than this are cut off with a diagnostic (no real manifest comes close).
pub const MAX_DEPTH: usize = 256;

/// One document of a YAML stream (or a whole JSON file).
#[derive(Debug)]
pub struct Document {
    /// Position within the file's stream (0-based).
    pub index: usize,
    /// The root node.
    pub root: Node,
}

/// Parses a YAML or JSON file into its documents; on error returns a diagnostic with the line.
pub fn parse_yaml(file: &SourceFile) -> Result<Vec<Document>, Diagnostic> {
    parse_yaml_noting(file).map(|(docs, _)| docs)
}

/// [`parse_yaml`], plus a warning when the file was only readable after closing brackets were moved
/// ([`yaml_lenient`]).
pub fn parse_yaml_noting(
    file: &SourceFile,
) -> Result<(Vec<Document>, Option<Diagnostic>), Diagnostic> {
    let mut repaired: Option<String> = None;
    let mut repaired_lines: Vec<usize> = Vec::new();
    loop {
        let text = repaired.as_deref().unwrap_or(&file.text);
        let err = match MarkedYaml::load_from_str(text) {
            Ok(loaded) => {
                let docs = convert(file, text, &loaded)?;
                let note = repaired_lines.first().map(|&line| {
                    Diagnostic::warning(
                        &file.path,
                        line,
                        format!(
                            "closing bracket indented less than its collection ({} line(s)): invalid YAML 1.2, read as PyYAML reads it",
                            repaired_lines.len()
                        ),
                    )
                });
                return Ok((docs, note));
            }
            Err(err) => err,
        };
        let line = err.marker().line();
        let retry = (err.info() == "invalid indentation"
            && repaired_lines.len() < yaml_lenient::MAX_REPAIRS)
            .then(|| yaml_lenient::hoist_closers(text, line))
            .flatten();
        match retry {
            Some(next) => {
                repaired_lines.push(line);
                repaired = Some(next);
            }
            None => {
                return Err(Diagnostic::error(
                    &file.path,
                    line,
                    format!("invalid YAML: {}", err.info()),
                ))
            }
        }
    }
}

/// Turns saphyr's documents into [`Node`] trees; `text` is what was parsed (byte offsets match the file's).
fn convert(
    file: &SourceFile,
    text: &str,
    loaded: &[MarkedYaml<'_>],
) -> Result<Vec<Document>, Diagnostic> {
    let offsets = CharOffsets::new(text);
    let mut conv = Converter {
        file: file.id,
        offsets: &offsets,
        truncated: false,
    };
    let mut docs = Vec::new();
    for (index, doc) in loaded.iter().enumerate() {
        let root = conv.node(doc, 0);
        if root.value != Value::Null {
            docs.push(Document { index, root });
        }
    }
    if conv.truncated {
        return Err(Diagnostic::error(
            &file.path,
            1,
            format!("nesting deeper than {MAX_DEPTH} levels; file not analysed"),
        ));
    }
    Ok(docs)
}

/// Maps saphyr's character offsets to byte offsets (identity for ASCII text).
struct CharOffsets {
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b).collect());
        CharOffsets {
            bytes,
            len: text.len(),
        }
    }
    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(v) => v.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

struct Converter<'a> {
    file: usize,
    offsets: &'a CharOffsets,
    truncated: bool,
}

impl Converter<'_> {
    fn span(&self, s: &saphyr::MarkedYaml<'_>) -> Span {
        let start = self.offsets.byte(s.span.start.index());
        let end = self.offsets.byte(s.span.end.index()).max(start);
        Span::new(self.file, start, end)
    }

    fn node(&mut self, y: &MarkedYaml<'_>, depth: usize) -> Node {
        let span = self.span(y);
        if depth > MAX_DEPTH {
            self.truncated = true;
            return Node {
                value: Value::Null,
                span,
            };
        }
        let value = match &y.data {
            YamlData::Value(s) => scalar(s),
            YamlData::Representation(text, _, _) => {
                Value::Str(compact_str::CompactString::new(text))
            }
            YamlData::Sequence(items) => {
                Value::Seq(items.iter().map(|i| self.node(i, depth + 1)).collect())
            }
            YamlData::Mapping(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| Entry {
                        key: compact_str::CompactString::from(key_text(k)),
                        key_span: self.span(k),
                        value: self.node(v, depth + 1),
                    })
                    .collect(),
            ),
            YamlData::Tagged(_, inner) => return self.node(inner, depth + 1),
            YamlData::Alias(_) | YamlData::BadValue => Value::Null,
        };
        Node { value, span }
    }
}

fn scalar(s: &Scalar<'_>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Int(*i),
        Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
        Scalar::String(s) => Value::Str(compact_str::CompactString::new(s)),
    }
}

fn key_text(k: &MarkedYaml<'_>) -> String {
    match &k.data {
        YamlData::Value(Scalar::String(s)) => s.to_string(),
        YamlData::Value(Scalar::Integer(i)) => i.to_string(),
        YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
        YamlData::Value(Scalar::FloatingPoint(f)) => f.to_string(),
        YamlData::Value(Scalar::Null) => "null".into(),
        YamlData::Representation(t, _, _) => t.to_string(),
        _ => "<complex key>".into(),
    }
}
