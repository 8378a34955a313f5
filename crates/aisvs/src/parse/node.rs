//! The parsed tree every YAML/JSON rule reads: values with byte spans, independent of the parser crate.

use std::fmt;

use crate::source::Span;

/// A node of a parsed YAML or JSON document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value is.
    pub span: Span,
}

/// One key of a mapping with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as text (non-string keys are rendered as their YAML text).
    pub key: compact_str::CompactString,
    /// Where the key is.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// A YAML/JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(compact_str::CompactString),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<Entry>),
}

static EMPTY_NODES: [Node; 0] = [];
static EMPTY_ENTRIES: [Entry; 0] = [];

impl Node {
    /// The value under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry (key and value) under `key` when this is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Follows a dotted path of mapping keys (`spec.template.spec`).
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |node, key| node.get(key))
    }

    /// The string when this is a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Any scalar rendered as text (numbers and booleans included).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A boolean; the strings `"true"`/`"false"` count too (Helm values are often quoted).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// An integer; numeric strings count too.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The items when this is a sequence, else nothing.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &EMPTY_NODES,
        }
    }

    /// The entries when this is a mapping, else nothing.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &EMPTY_ENTRIES,
        }
    }

    /// True for `null` and for empty mappings or sequences.
    pub fn is_empty(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::Seq(v) => v.is_empty(),
            Value::Map(v) => v.is_empty(),
            Value::Str(s) => s.is_empty(),
            _ => false,
        }
    }

    /// True when this is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// True when the value is (or contains) an unrendered template expression such as `{{ .Values.x }}`.
    pub fn is_templated(&self) -> bool {
        match &self.value {
            Value::Str(s) => s.contains("{{") || s.contains("${"),
            _ => false,
        }
    }
}

/// One step of a route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// The path to a node inside one document, e.g. `spec.template.spec.containers[1].securityContext`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route(pub Vec<Seg>);

impl Route {
    /// The empty route (the document root).
    pub fn root() -> Self {
        Route(Vec::new())
    }
    /// This route with a key appended.
    pub fn key(&self, key: &str) -> Self {
        let mut r = self.clone();
        r.0.push(Seg::Key(key.to_string()));
        r
    }
    /// This route with a dotted path of keys appended.
    pub fn keys(&self, path: &str) -> Self {
        let mut r = self.clone();
        r.0.extend(path.split('.').map(|k| Seg::Key(k.to_string())));
        r
    }
    /// This route with an index appended.
    pub fn index(&self, i: usize) -> Self {
        let mut r = self.clone();
        r.0.push(Seg::Index(i));
        r
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}
