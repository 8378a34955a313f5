//! The symbolic pickle machine: stack, mark stack, memo, protocol and frame state, and the
//! bookkeeping every opcode shares (imports, calls, findings, limits). Nothing is ever executed:
//! imports become `Global` values checked against the allow-list, calls become findings.

use super::allowlist::{is_allowed, why_rejected};
use super::names::resolve;
use super::value::{Global, Instance, SeqKind, Value};
use crate::error::ParseError;
use crate::report::{Finding, FindingKind};
use std::collections::HashMap;
use std::rc::Rc;

/// Most values on the stack or in the memo.
const MAX_STACK: usize = 1_000_000;
const MAX_MEMO: usize = 1_000_000;
/// Total bytes of string content kept per pickle (beyond: strings are tracked without content).
const STRING_BUDGET: u64 = 32 << 20;
/// Longest single string whose content is kept.
pub const MAX_KEPT_STR: u64 = 64 * 1024;
/// Findings per file before further ones are summarised.
pub const MAX_FINDINGS: usize = 500;

/// Why interpretation stopped before a clean STOP.
#[derive(Debug)]
pub enum Halt {
    /// Bytes that are not a valid pickle (truncated, bad opcode, stack underflow).
    Parse(ParseError),
    /// A structural trick aimed at scanners (frame desync, memo miss, type confusion).
    Anomaly {
        kind: FindingKind,
        detail: String,
        offset: u64,
    },
    /// A resource limit was hit.
    Limit { detail: String, offset: u64 },
}

impl From<ParseError> for Halt {
    fn from(e: ParseError) -> Self {
        Halt::Parse(e)
    }
}

/// Interpreter state for one `pickle.load` call.
pub struct Machine<'f> {
    pub findings: &'f mut Vec<Finding>,
    pub stack: Vec<Value>,
    pub marks: Vec<usize>,
    pub memo: HashMap<u64, Value>,
    pub protocol: u8,
    /// End offset of the active FRAME, if one is open.
    pub frame_end: Option<u64>,
    pub string_budget: u64,
    pub ops: u64,
    pub max_ops: u64,
    /// Nesting of pickles loaded from inside this one (joblib object arrays).
    pub depth: u32,
    /// Set when a joblib `NumpyArrayWrapper` was rebuilt (the stream is joblib-format).
    pub saw_joblib: bool,
}

impl<'f> Machine<'f> {
    /// A fresh machine, as `pickle.Unpickler(file)` starts.
    pub fn new(findings: &'f mut Vec<Finding>, max_ops: u64, depth: u32) -> Self {
        Machine {
            findings,
            stack: Vec::new(),
            marks: Vec::new(),
            memo: HashMap::new(),
            protocol: 0,
            frame_end: None,
            string_budget: STRING_BUDGET,
            ops: 0,
            max_ops,
            depth,
            saw_joblib: false,
        }
    }

    /// Records a finding, capped per file.
    pub fn report(&mut self, kind: FindingKind, detail: String, offset: u64) {
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(Finding::new(kind, detail, Some(offset)));
        } else if self.findings.len() == MAX_FINDINGS {
            self.findings.push(Finding::new(
                FindingKind::ResourceLimit,
                format!("more than {MAX_FINDINGS} findings; the rest are not listed"),
                Some(offset),
            ));
        }
    }

    /// Pushes a value, enforcing the stack limit.
    pub fn push(&mut self, v: Value, at: u64) -> Result<(), Halt> {
        if self.stack.len() >= MAX_STACK {
            return Err(Halt::Limit {
                detail: format!("stack exceeds {MAX_STACK} values"),
                offset: at,
            });
        }
        self.stack.push(v);
        Ok(())
    }

    /// Pops one value; popping below the last MARK is an underflow, as in CPython.
    pub fn pop(&mut self, at: u64) -> Result<Value, Halt> {
        let fence = self.marks.last().copied().unwrap_or(0);
        if self.stack.len() <= fence {
            return Err(ParseError::invalid(at, "stack underflow").into());
        }
        self.stack
            .pop()
            .ok_or_else(|| ParseError::invalid(at, "stack underflow").into())
    }

    /// The top value, mutable.
    pub fn top(&mut self, at: u64) -> Result<&mut Value, Halt> {
        let fence = self.marks.last().copied().unwrap_or(0);
        if self.stack.len() <= fence {
            return Err(ParseError::invalid(at, "stack underflow").into());
        }
        self.stack
            .last_mut()
            .ok_or_else(|| ParseError::invalid(at, "stack underflow").into())
    }

    /// Pops everything above the last MARK, and the mark itself.
    pub fn pop_mark(&mut self, at: u64) -> Result<Vec<Value>, Halt> {
        let mark = self
            .marks
            .pop()
            .ok_or_else(|| ParseError::invalid(at, "MARK not found"))?;
        Ok(self.stack.split_off(mark.min(self.stack.len())))
    }

    /// Stores the top of the stack in the memo.
    pub fn memo_put(&mut self, key: u64, at: u64) -> Result<(), Halt> {
        let v = self.top(at)?.clone();
        if self.memo.len() >= MAX_MEMO && !self.memo.contains_key(&key) {
            return Err(Halt::Limit {
                detail: format!("memo exceeds {MAX_MEMO} entries"),
                offset: at,
            });
        }
        self.memo.insert(key, v);
        Ok(())
    }

    /// Pushes a memo entry; a key that was never stored is a scanner-evasion anomaly.
    pub fn memo_get(&mut self, key: u64, at: u64) -> Result<(), Halt> {
        match self.memo.get(&key) {
            Some(v) => {
                let v = v.clone();
                self.push(v, at)
            }
            None => Err(Halt::Anomaly {
                kind: FindingKind::MemoMiss,
                detail: format!(
                    "memo key {key} read but never stored (loader raises here; scanners desync)"
                ),
                offset: at,
            }),
        }
    }

    /// Makes a string value, charging the string budget.
    pub fn text(&mut self, s: String) -> Value {
        let n = s.len() as u64;
        if n <= MAX_KEPT_STR && n <= self.string_budget {
            self.string_budget -= n;
            Value::Str(s.into())
        } else {
            Value::LongStr
        }
    }

    /// Imports `module.name` (GLOBAL, INST, STACK_GLOBAL): checked against the allow-list now,
    /// because importing a module can itself run code.
    pub fn import(&mut self, module: &str, name: &str, at: u64, how: &str) -> Result<Value, Halt> {
        // A name that is not a dotted Python identifier cannot be imported: the loader raises.
        if !is_dotted_identifier(module) || !is_dotted_identifier(name) {
            let detail = format!("{how} name {module:?} {name:?} is not a Python identifier");
            return Err(ParseError::invalid(at, detail).into());
        }
        let resolved = resolve(module, name, self.protocol);
        let allowed = is_allowed(&resolved);
        if !allowed {
            let detail = format!(
                "{how} imports {}: {}",
                resolved.describe(),
                why_rejected(&resolved)
            );
            self.report(FindingKind::DisallowedImport, detail, at);
        }
        Ok(Value::Global(Rc::new(Global {
            dotted: resolved.dotted(),
            allowed,
        })))
    }

    /// Emulates a call (REDUCE, NEWOBJ, OBJ, INST): allowed classes yield an inert instance; any
    /// other callee is a finding and yields an opaque value.
    pub fn call(&mut self, callee: Value, args: &[Value], at: u64, how: &str) -> Value {
        match callee {
            Value::Global(g) if g.allowed => {
                let arg0 = args.first().and_then(|a| a.as_str()).map(Rc::from);
                Value::Instance(Rc::new(Instance {
                    class: g.dotted.clone(),
                    arg0,
                    elsize: None,
                }))
            }
            Value::Global(g) => {
                self.report(
                    FindingKind::DisallowedCall,
                    format!("{how} calls {}", g.dotted),
                    at,
                );
                Value::Opaque
            }
            other => {
                let detail = format!(
                    "{how} calls a {} (not an imported global): the callee is computed at load time",
                    other.type_name()
                );
                self.report(FindingKind::ComputedCall, detail, at);
                Value::Opaque
            }
        }
    }

    /// Items of a tuple value (empty for anything else).
    pub fn tuple_items(v: &Value) -> Vec<Value> {
        match v {
            Value::Seq(s) if s.kind == SeqKind::Tuple => s.items.clone(),
            _ => Vec::new(),
        }
    }
}

/// `a.b_c.D` with identifier segments (Unicode letters allowed, as in Python).
fn is_dotted_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            let mut chars = seg.chars();
            matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
                && chars.all(|c| c == '_' || c.is_alphanumeric())
        })
}
