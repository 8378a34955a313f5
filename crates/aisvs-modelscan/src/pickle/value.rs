//! Symbolic values on the emulated pickle stack.
//!
//! Values are cheap to clone (`Rc`), containers keep only a few items and a bounded depth, and
//! strings are kept only up to a size budget, so DUP/GET storms and deep nesting cannot blow up
//! memory or the drop stack.

use std::rc::Rc;

/// Containers deeper than this are flattened to `Opaque` (drop recursion stays shallow).
pub const MAX_DEPTH: u8 = 6;
/// Items kept per container (enough for joblib's wrapper state and torch persistent ids).
pub const MAX_ITEMS: usize = 32;

/// What kind of container a `Seq` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqKind {
    Tuple,
    List,
    /// Items alternate key, value.
    Dict,
    Set,
}

/// A container with its first `MAX_ITEMS` items.
#[derive(Debug, Clone)]
pub struct Seq {
    pub kind: SeqKind,
    pub items: Vec<Value>,
    pub depth: u8,
}

/// An imported global (class or function).
#[derive(Debug, Clone)]
pub struct Global {
    pub dotted: String,
    pub allowed: bool,
}

/// An instance produced by calling an allowed class.
#[derive(Debug, Clone)]
pub struct Instance {
    pub class: String,
    /// The first constructor argument when it was a short string (`numpy.dtype('f8')`).
    pub arg0: Option<Rc<str>>,
    /// `elsize` from a numpy dtype's BUILD state tuple (index 5), when set.
    pub elsize: Option<i64>,
}

/// A symbolic pickle value.
#[derive(Debug, Clone)]
pub enum Value {
    None,
    Bool,
    Int(i64),
    BigInt,
    Float,
    Str(Rc<str>),
    /// A string whose content was not kept (over budget).
    LongStr,
    Bytes,
    Seq(Rc<Seq>),
    Global(Rc<Global>),
    Instance(Rc<Instance>),
    /// A value whose provenance cannot be followed (persistent id, extension, disallowed call result).
    Opaque,
}

impl Value {
    /// Container depth (0 for scalars).
    pub fn depth(&self) -> u8 {
        match self {
            Value::Seq(s) => s.depth,
            _ => 0,
        }
    }

    /// Builds a container, flattening over-deep items to `Opaque` and keeping at most `MAX_ITEMS`.
    pub fn seq(kind: SeqKind, items: impl IntoIterator<Item = Value>) -> Value {
        let mut kept = Vec::new();
        let mut depth = 0u8;
        for item in items.into_iter().take(MAX_ITEMS) {
            let item = if item.depth() >= MAX_DEPTH {
                Value::Opaque
            } else {
                item
            };
            depth = depth.max(item.depth());
            kept.push(item);
        }
        Value::Seq(Rc::new(Seq {
            kind,
            items: kept,
            depth: depth + 1,
        }))
    }

    /// Adds items to a list/dict/set in place (copy-on-write); other targets are left unchanged.
    pub fn extend(&mut self, new_items: Vec<Value>) {
        if let Value::Seq(seq) = self {
            let seq = Rc::make_mut(seq);
            for item in new_items {
                if seq.items.len() >= MAX_ITEMS {
                    break;
                }
                let item = if item.depth() >= MAX_DEPTH {
                    Value::Opaque
                } else {
                    item
                };
                seq.depth = seq.depth.max(item.depth() + 1);
                seq.items.push(item);
            }
        }
    }

    /// The string content, if this is a kept string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Looks up a string key in a dict value.
    pub fn dict_get(&self, key: &str) -> Option<&Value> {
        let Value::Seq(seq) = self else { return None };
        if seq.kind != SeqKind::Dict {
            return None;
        }
        seq.items
            .chunks(2)
            .find(|kv| kv[0].as_str() == Some(key))
            .and_then(|kv| kv.get(1))
    }

    /// A short type name for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool => "bool",
            Value::Int(_) | Value::BigInt => "int",
            Value::Float => "float",
            Value::Str(_) | Value::LongStr => "str",
            Value::Bytes => "bytes",
            Value::Seq(s) => match s.kind {
                SeqKind::Tuple => "tuple",
                SeqKind::List => "list",
                SeqKind::Dict => "dict",
                SeqKind::Set => "set",
            },
            Value::Global(_) => "global",
            Value::Instance(_) => "object",
            Value::Opaque => "opaque value",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_flattened() {
        let mut v = Value::Int(1);
        for _ in 0..100 {
            v = Value::seq(SeqKind::Tuple, [v]);
        }
        assert!(v.depth() <= MAX_DEPTH);
    }

    #[test]
    fn dict_lookup_and_item_cap() {
        let mut d = Value::seq(SeqKind::Dict, []);
        d.extend(vec![Value::Str("shape".into()), Value::Int(3)]);
        assert!(matches!(d.dict_get("shape"), Some(Value::Int(3))));
        let mut l = Value::seq(SeqKind::List, []);
        l.extend((0..1000).map(Value::Int).collect());
        let Value::Seq(s) = l else {
            panic!("list expected")
        };
        assert_eq!(s.items.len(), MAX_ITEMS);
    }
}
