//! Terraform HCL into span-carrying [`Node`] trees: blocks with labels, attributes as values, nested blocks as repeated keys.
//!
//! Literal values (strings, numbers, booleans, lists, objects, heredocs) become plain values. Anything that needs
//! evaluation (variables, references, function calls, conditionals, `for` expressions) becomes a string of the form
//! `${<expression source>}`, which [`Node::is_templated`] recognises, so rules report it as inconclusive instead of
//! guessing. `jsonencode(<literal>)` is unwrapped because ECS task definitions and IAM policies are written that way.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{BlockLabel, Body, Structure};
use hcl_edit::Span as _;

use crate::parse::node::{Entry, Node, Value};
use crate::source::{FileId, Span};

/// Expressions nested deeper than this are kept as unevaluated text (no real module comes close).
const MAX_DEPTH: usize = 64;
/// Bracket nesting beyond this is rejected before parsing, so a hostile file cannot exhaust the parser's stack.
const MAX_BRACKET_DEPTH: usize = 200;

/// One top-level (or nested) block: `resource "aws_instance" "web" { … }`.
#[derive(Debug, Clone)]
pub struct HclBlock {
    /// The block type (`resource`, `data`, `module`, `variable`, `locals`, `provider` …).
    pub kind: String,
    /// Its labels (`aws_instance`, `web`).
    pub labels: Vec<String>,
    /// The body: attributes and nested blocks (a nested block type that repeats appears as repeated keys).
    pub body: Node,
    /// The whole block.
    pub span: Span,
}

/// Why a Terraform file could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum HclError {
    /// The HCL parser rejected the file.
    #[error("invalid HCL at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Brackets nest deeper than the limit.
    #[error(
        "brackets nest deeper than {MAX_BRACKET_DEPTH} levels at line {line}; file not analysed"
    )]
    TooDeep {
        /// 1-based line where the limit was crossed.
        line: usize,
    },
}

impl HclError {
    /// The 1-based line the error points at.
    pub fn line(&self) -> usize {
        match self {
            HclError::Syntax { line, .. } | HclError::TooDeep { line } => *line,
        }
    }
}

/// Parses one `.tf` file into its top-level blocks (top-level attributes, which Terraform forbids, are ignored).
pub fn parse_hcl(file: FileId, text: &str) -> Result<Vec<HclBlock>, HclError> {
    check_nesting(text)?;
    let body = hcl_edit::parser::parse_body(text).map_err(|e| HclError::Syntax {
        line: e.location().line(),
        column: e.location().column(),
        message: e.message().to_string(),
    })?;
    let conv = Converter { file, text };
    Ok(body
        .iter()
        .filter_map(|s| match s {
            Structure::Block(b) => Some(HclBlock {
                kind: b.ident.as_str().to_string(),
                labels: b.labels.iter().map(label_text).collect(),
                body: conv.body(&b.body, b.span(), 0),
                span: conv.span(b.span()),
            }),
            Structure::Attribute(_) => None,
        })
        .collect())
}

fn label_text(label: &BlockLabel) -> String {
    match label {
        BlockLabel::Ident(i) => i.as_str().to_string(),
        BlockLabel::String(s) => s.as_str().to_string(),
    }
}

struct Converter<'t> {
    file: FileId,
    text: &'t str,
}

impl Converter<'_> {
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        let r = range.unwrap_or(0..0);
        Span::new(self.file, r.start, r.end)
    }

    fn source(&self, range: Option<std::ops::Range<usize>>) -> &str {
        range.and_then(|r| self.text.get(r)).unwrap_or("")
    }

    fn body(&self, body: &Body, span: Option<std::ops::Range<usize>>, depth: usize) -> Node {
        let mut entries = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => entries.push(Entry {
                    key: compact_str::CompactString::new(a.key.as_str()),
                    key_span: self.span(a.key.span()),
                    value: self.expr(&a.value, depth + 1),
                }),
                Structure::Block(b) if depth < MAX_DEPTH && b.ident.as_str() == "dynamic" => {
                    if let Some(entry) = self.dynamic_block(b, depth) {
                        entries.push(entry);
                    }
                }
                Structure::Block(b) if depth < MAX_DEPTH => {
                    let mut inner = self.body(&b.body, b.span(), depth + 1);
                    // Labelled nested blocks (rare: `dynamic "ingress"`) keep their labels as `__labels`.
                    if !b.labels.is_empty() {
                        if let Value::Map(list) = &mut inner.value {
                            let labels = b.labels.iter().map(|l| Node {
                                value: Value::Str(compact_str::CompactString::from(label_text(l))),
                                span: self.span(b.ident.span()),
                            });
                            list.push(Entry {
                                key: "__labels".into(),
                                key_span: self.span(b.ident.span()),
                                value: Node {
                                    value: Value::Seq(labels.collect()),
                                    span: self.span(b.ident.span()),
                                },
                            });
                        }
                    }
                    entries.push(Entry {
                        key: compact_str::CompactString::new(b.ident.as_str()),
                        key_span: self.span(b.ident.span()),
                        value: inner,
                    });
                }
                Structure::Block(_) => {}
            }
        }
        Node {
            value: Value::Map(entries),
            span: self.span(span),
        }
    }

    /// `dynamic "name" { for_each = X; iterator = it; content { … } }` becomes `name` with the content body plus
    /// `__for_each` (the collection) and `__iterator` (the iterator name), so that the model can expand the common
    /// single-item case and rules can tell a conditional block from a present one.
    fn dynamic_block(&self, b: &hcl_edit::structure::Block, depth: usize) -> Option<Entry> {
        let name = label_text(b.labels.first()?);
        let mut for_each = None;
        let mut iterator = name.clone();
        let mut content = None;
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) if a.key.as_str() == "for_each" => {
                    for_each = Some(self.expr(&a.value, depth + 1));
                }
                Structure::Attribute(a) if a.key.as_str() == "iterator" => {
                    iterator = self.source(a.value.span()).trim().to_string();
                }
                Structure::Block(c) if c.ident.as_str() == "content" => {
                    content = Some(self.body(&c.body, b.span(), depth + 1));
                }
                _ => {}
            }
        }
        let mut node = content?;
        let marker = self.span(b.ident.span());
        if let Value::Map(list) = &mut node.value {
            if let Some(fe) = for_each {
                list.push(Entry {
                    key: "__for_each".into(),
                    key_span: marker,
                    value: fe,
                });
            }
            list.push(Entry {
                key: "__iterator".into(),
                key_span: marker,
                value: Node {
                    value: Value::Str(compact_str::CompactString::from(iterator)),
                    span: marker,
                },
            });
        }
        Some(Entry {
            key: compact_str::CompactString::from(name),
            key_span: marker,
            value: node,
        })
    }

    fn expr(&self, e: &Expression, depth: usize) -> Node {
        let span = self.span(e.span());
        let value = if depth > MAX_DEPTH {
            self.unevaluated(e)
        } else {
            match e {
                Expression::Null(_) => Value::Null,
                Expression::Bool(b) => Value::Bool(*b.value()),
                Expression::Number(n) => match n.value().as_i64() {
                    Some(i) => Value::Int(i),
                    None => n.value().as_f64().map_or(Value::Null, Value::Float),
                },
                Expression::String(s) => Value::Str(compact_str::CompactString::new(s.value())),
                Expression::Array(a) => {
                    Value::Seq(a.iter().map(|x| self.expr(x, depth + 1)).collect())
                }
                Expression::Object(o) => Value::Map(
                    o.iter()
                        .map(|(k, v)| Entry {
                            key: compact_str::CompactString::from(self.object_key(k)),
                            key_span: self.span(k.span()),
                            value: self.expr(v.expr(), depth + 1),
                        })
                        .collect(),
                ),
                Expression::StringTemplate(_) => {
                    let raw = self.source(e.span());
                    Value::Str(compact_str::CompactString::from(
                        raw.trim_matches('"').to_string(),
                    ))
                }
                Expression::HeredocTemplate(_) => Value::Str(compact_str::CompactString::from(
                    heredoc_body(self.source(e.span())),
                )),
                Expression::Parenthesis(p) => return self.expr(p.inner(), depth + 1),
                Expression::FuncCall(f)
                    if f.name.namespace.is_empty()
                        && f.name.name.as_str() == "jsonencode"
                        && f.args.len() == 1 =>
                {
                    match f.args.iter().next() {
                        Some(arg) => return self.expr(arg, depth + 1),
                        None => self.unevaluated(e),
                    }
                }
                _ => self.unevaluated(e),
            }
        };
        Node { value, span }
    }

    fn object_key(&self, k: &ObjectKey) -> String {
        match k {
            ObjectKey::Ident(i) => i.as_str().to_string(),
            ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
            ObjectKey::Expression(x) => self.source(x.span()).trim().to_string(),
        }
    }

    /// An expression Terraform would evaluate: kept as `${source}` so that rules see it as templated.
    fn unevaluated(&self, e: &Expression) -> Value {
        Value::Str(compact_str::format_compact!(
            "${{{}}}",
            self.source(e.span()).trim()
        ))
    }
}

#[cfg(test)]
mod tests;
mod text;

use text::{check_nesting, heredoc_body};
