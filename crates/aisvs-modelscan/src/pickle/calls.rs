//! The opcodes that can run code in a real unpickler: imports (GLOBAL, STACK_GLOBAL, INST),
//! calls (REDUCE, OBJ, NEWOBJ, NEWOBJ_EX, EXT1/2/4), BUILD, and the PROTO/FRAME bookkeeping.

use super::ops::Flow;
use super::value::Value;
use super::vm::{Halt, Machine};
use crate::error::ParseError;
use crate::report::FindingKind;
use crate::stream::Stream;

impl Machine<'_> {
    /// Opcodes that import, call or build: the ones that can run code in a real unpickler.
    pub(super) fn step_calls(&mut self, op: u8, s: &mut Stream, at: u64) -> Result<Flow, Halt> {
        match op {
            b'c' => {
                let (module, name) = self.global_pair(s, at)?;
                let g = self.import(&module, &name, at, "GLOBAL")?;
                self.push(g, at)?;
            }
            0x93 => {
                let name = self.pop(at)?;
                let module = self.pop(at)?;
                let (Some(m), Some(n)) = (module.as_str(), name.as_str()) else {
                    return Err(Halt::Anomaly {
                        kind: FindingKind::TypeConfusion,
                        detail: format!(
                            "STACK_GLOBAL operands are {} and {}, not strings (loader raises after earlier opcodes ran)",
                            module.type_name(),
                            name.type_name()
                        ),
                        offset: at,
                    });
                };
                let g = self.import(m, n, at, "STACK_GLOBAL")?;
                self.push(g, at)?;
            }
            b'i' => {
                let (module, name) = self.global_pair(s, at)?;
                let args = self.pop_mark(at)?;
                let g = self.import(&module, &name, at, "INST")?;
                let v = self.call(g, &args, at, "INST");
                self.push(v, at)?;
            }
            b'o' => {
                let mut items = self.pop_mark(at)?;
                if items.is_empty() {
                    return Err(ParseError::invalid(at, "OBJ without a class").into());
                }
                let callee = items.remove(0);
                let v = self.call(callee, &items, at, "OBJ");
                self.push(v, at)?;
            }
            b'R' => {
                let args = self.pop(at)?;
                let callee = self.pop(at)?;
                let v = self.call(callee, &Machine::tuple_items(&args), at, "REDUCE");
                self.push(v, at)?;
            }
            0x81 => {
                let args = self.pop(at)?;
                let cls = self.pop(at)?;
                let v = self.call(cls, &Machine::tuple_items(&args), at, "NEWOBJ");
                self.push(v, at)?;
            }
            0x92 => {
                self.pop(at)?;
                let args = self.pop(at)?;
                let cls = self.pop(at)?;
                let v = self.call(cls, &Machine::tuple_items(&args), at, "NEWOBJ_EX");
                self.push(v, at)?;
            }
            0x82..=0x84 => {
                let code = match op {
                    0x82 => u64::from(s.u8("EXT1")?),
                    0x83 => u64::from(s.u16le("EXT2")?),
                    _ => u64::from(s.u32le("EXT4")?),
                };
                let detail = format!(
                    "EXT code {code} resolves through copyreg's extension registry to a callable that never appears in the file"
                );
                self.report(FindingKind::ExtensionCode, detail, at);
                self.push(Value::Opaque, at)?;
            }
            b'b' => {
                let state = self.pop(at)?;
                self.build(state, s, at)?;
            }
            0x80 => {
                let proto = s.u8("PROTO")?;
                if proto > 5 {
                    return Err(
                        ParseError::invalid(at, format!("unsupported protocol {proto}")).into(),
                    );
                }
                self.protocol = proto;
            }
            0x95 => {
                let n = s.u64le("FRAME")?;
                if let Some(end) = self.frame_end {
                    if at != end {
                        return Err(Halt::Anomaly {
                            kind: FindingKind::FrameViolation,
                            detail: format!(
                                "FRAME opened inside an unfinished frame that ends at byte {end}"
                            ),
                            offset: at,
                        });
                    }
                }
                if n > s.remaining() {
                    return Err(ParseError::Truncated {
                        offset: at,
                        what: "FRAME",
                    }
                    .into());
                }
                self.frame_end = Some(s.pos() + n);
                return Ok(Flow::Continue);
            }
            other => {
                return Err(ParseError::invalid(at, format!("opcode 0x{other:02x}")).into());
            }
        }
        Ok(Flow::Continue)
    }
}
