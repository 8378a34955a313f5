//! One step of the pickle machine: decodes an opcode of protocols 0–5 and applies its stack effect
//! symbolically. Unknown opcodes and malformed arguments halt the machine (fail closed).

use super::decode::{decimal, quoted_string, raw_unicode, utf8};
use super::value::{SeqKind, Value};
use super::vm::{Halt, Machine, MAX_KEPT_STR};
use crate::error::ParseError;
use crate::report::FindingKind;
use crate::stream::Stream;

/// What the driver does after a step.
pub enum Flow {
    Continue,
    Stop,
}

/// Longest protocol-0 text line whose content is kept (module names, numbers, short strings).
const LINE_KEEP: usize = MAX_KEPT_STR as usize;

impl Machine<'_> {
    fn line(&mut self, s: &mut Stream, at: u64, what: &'static str) -> Result<Vec<u8>, Halt> {
        s.line(LINE_KEEP, what)?.ok_or_else(|| Halt::Limit {
            detail: format!("{what} line longer than {LINE_KEEP} bytes"),
            offset: at,
        })
    }

    /// A length-prefixed string or bytes payload: kept when small, skipped (seek) when large.
    fn payload(&mut self, s: &mut Stream, n: u64, is_text: bool, at: u64) -> Result<Value, Halt> {
        if !is_text {
            s.skip(n, "bytes payload")?;
            return Ok(Value::Bytes);
        }
        if n > MAX_KEPT_STR {
            s.skip(n, "string payload")?;
            return Ok(Value::LongStr);
        }
        let raw = s.bytes(n, MAX_KEPT_STR, "string payload")?;
        let text =
            String::from_utf8(raw).map_err(|_| ParseError::invalid(at, "string is not UTF-8"))?;
        Ok(self.text(text))
    }

    pub(super) fn global_pair(
        &mut self,
        s: &mut Stream,
        at: u64,
    ) -> Result<(String, String), Halt> {
        let module = self.line(s, at, "module name")?;
        let name = self.line(s, at, "global name")?;
        Ok((
            utf8(module, at, "module name")?,
            utf8(name, at, "global name")?,
        ))
    }

    /// Executes one opcode symbolically.
    pub fn step(&mut self, s: &mut Stream) -> Result<Flow, Halt> {
        let at = s.pos();
        self.ops += 1;
        if self.ops > self.max_ops {
            return Err(Halt::Limit {
                detail: format!("more than {} opcodes", self.max_ops),
                offset: at,
            });
        }
        let op = s.u8("opcode")?;
        match op {
            b'(' => {
                if self.marks.len() >= 100_000 {
                    return Err(Halt::Limit {
                        detail: "MARK nesting over 100000".into(),
                        offset: at,
                    });
                }
                self.marks.push(self.stack.len());
            }
            b'.' => return Ok(Flow::Stop),
            b'0' => {
                // POP with nothing above the mark pops the mark itself (CPython's load_pop).
                let fence = self.marks.last().copied();
                if fence == Some(self.stack.len()) {
                    self.marks.pop();
                } else {
                    self.pop(at)?;
                }
            }
            b'1' => {
                self.pop_mark(at)?;
            }
            b'2' => {
                let v = self.top(at)?.clone();
                self.push(v, at)?;
            }
            b'F' => {
                self.line(s, at, "FLOAT")?;
                self.push(Value::Float, at)?;
            }
            b'I' => {
                let line = self.line(s, at, "INT")?;
                let v = match line.as_slice() {
                    b"00" | b"01" => Value::Bool,
                    other => decimal(other, at, "INT")?.map_or(Value::BigInt, Value::Int),
                };
                self.push(v, at)?;
            }
            b'L' => {
                let line = self.line(s, at, "LONG")?;
                let v = decimal(&line, at, "LONG")?.map_or(Value::BigInt, Value::Int);
                self.push(v, at)?;
            }
            b'J' => {
                let v = s.u32le("BININT")? as i32;
                self.push(Value::Int(i64::from(v)), at)?;
            }
            b'K' => {
                let v = s.u8("BININT1")?;
                self.push(Value::Int(i64::from(v)), at)?;
            }
            b'M' => {
                let v = s.u16le("BININT2")?;
                self.push(Value::Int(i64::from(v)), at)?;
            }
            0x8a => {
                let n = u64::from(s.u8("LONG1")?);
                s.skip(n, "LONG1")?;
                self.push(Value::BigInt, at)?;
            }
            0x8b => {
                let n = u64::from(s.u32le("LONG4")?);
                s.skip(n, "LONG4")?;
                self.push(Value::BigInt, at)?;
            }
            b'G' => {
                s.skip(8, "BINFLOAT")?;
                self.push(Value::Float, at)?;
            }
            b'N' => self.push(Value::None, at)?,
            0x88 | 0x89 => self.push(Value::Bool, at)?,
            b'S' => {
                let line = self.line(s, at, "STRING")?;
                let text = quoted_string(&line, at)?;
                let v = self.text(text);
                self.push(v, at)?;
            }
            b'V' => {
                let line = self.line(s, at, "UNICODE")?;
                let text = raw_unicode(&line, at)?;
                let v = self.text(text);
                self.push(v, at)?;
            }
            b'T' => {
                let n = u64::from(s.u32le("BINSTRING")?);
                let v = self.payload(s, n, false, at)?;
                self.push(v, at)?;
            }
            b'U' => {
                // SHORT_BINSTRING decodes to str under the default encoding; keep it as text.
                let n = u64::from(s.u8("SHORT_BINSTRING")?);
                let raw = s.bytes(n, 255, "SHORT_BINSTRING")?;
                let v = self.text(raw.iter().map(|&b| char::from(b)).collect());
                self.push(v, at)?;
            }
            b'X' => {
                let n = u64::from(s.u32le("BINUNICODE")?);
                let v = self.payload(s, n, true, at)?;
                self.push(v, at)?;
            }
            0x8c => {
                let n = u64::from(s.u8("SHORT_BINUNICODE")?);
                let v = self.payload(s, n, true, at)?;
                self.push(v, at)?;
            }
            0x8d => {
                let n = s.u64le("BINUNICODE8")?;
                let v = self.payload(s, n, true, at)?;
                self.push(v, at)?;
            }
            b'B' | b'C' | 0x8e | 0x96 => {
                let n = match op {
                    b'B' => u64::from(s.u32le("BINBYTES")?),
                    b'C' => u64::from(s.u8("SHORT_BINBYTES")?),
                    _ => s.u64le("BINBYTES8")?,
                };
                let v = self.payload(s, n, false, at)?;
                self.push(v, at)?;
            }
            0x97 => {
                self.report(
                    FindingKind::MalformedPickle,
                    "NEXT_BUFFER: out-of-band buffer not in the file".into(),
                    at,
                );
                self.push(Value::Opaque, at)?;
            }
            0x98 => {
                self.top(at)?;
            }
            b')' => self.push(Value::seq(SeqKind::Tuple, []), at)?,
            b']' => self.push(Value::seq(SeqKind::List, []), at)?,
            b'}' => self.push(Value::seq(SeqKind::Dict, []), at)?,
            0x8f => self.push(Value::seq(SeqKind::Set, []), at)?,
            b't' | b'l' | b'd' | 0x91 => {
                let items = self.pop_mark(at)?;
                let kind = match op {
                    b't' => SeqKind::Tuple,
                    b'l' => SeqKind::List,
                    b'd' => SeqKind::Dict,
                    _ => SeqKind::Set,
                };
                self.push(Value::seq(kind, items), at)?;
            }
            0x85..=0x87 => {
                let n = usize::from(op - 0x84);
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.pop(at)?);
                }
                items.reverse();
                self.push(Value::seq(SeqKind::Tuple, items), at)?;
            }
            b'a' => {
                let v = self.pop(at)?;
                self.top(at)?.extend(vec![v]);
            }
            b's' => {
                let v = self.pop(at)?;
                let k = self.pop(at)?;
                self.top(at)?.extend(vec![k, v]);
            }
            b'e' | b'u' | 0x90 => {
                let items = self.pop_mark(at)?;
                self.top(at)?.extend(items);
            }
            b'g' => {
                let line = self.line(s, at, "GET")?;
                let key = decimal(&line, at, "GET key")?.unwrap_or(-1);
                self.memo_get(key as u64, at)?;
            }
            b'h' => {
                let key = u64::from(s.u8("BINGET")?);
                self.memo_get(key, at)?;
            }
            b'j' => {
                let key = u64::from(s.u32le("LONG_BINGET")?);
                self.memo_get(key, at)?;
            }
            b'p' => {
                let line = self.line(s, at, "PUT")?;
                let key = decimal(&line, at, "PUT key")?.unwrap_or(-1);
                self.memo_put(key as u64, at)?;
            }
            b'q' => {
                let key = u64::from(s.u8("BINPUT")?);
                self.memo_put(key, at)?;
            }
            b'r' => {
                let key = u64::from(s.u32le("LONG_BINPUT")?);
                self.memo_put(key, at)?;
            }
            0x94 => {
                let key = self.memo.len() as u64;
                self.memo_put(key, at)?;
            }
            b'P' => {
                self.line(s, at, "PERSID")?;
                self.push(Value::Opaque, at)?;
            }
            b'Q' => {
                self.pop(at)?;
                self.push(Value::Opaque, at)?;
            }
            _ => return self.step_calls(op, s, at),
        }
        Ok(Flow::Continue)
    }
}
