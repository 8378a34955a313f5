//! BUILD, including joblib's inline arrays: after a `NumpyArrayWrapper` is rebuilt, joblib reads the
//! array's raw bytes straight from the file (or a nested pickle for object arrays). We compute the
//! byte count from the wrapper state and skip it, exactly as `NumpyArrayWrapper.read_array` reads it.

use super::value::{Instance, SeqKind, Value};
use super::vm::{Halt, Machine};
use crate::report::FindingKind;
use crate::stream::Stream;
use std::rc::Rc;

const WRAPPER: &str = "joblib.numpy_pickle.NumpyArrayWrapper";
/// Nested pickles (object arrays inside joblib) deeper than this are not followed.
const MAX_NESTED_PICKLES: u32 = 4;

impl Machine<'_> {
    /// BUILD: sets state on the object at the top of the stack.
    pub fn build(&mut self, state: Value, s: &mut Stream, at: u64) -> Result<(), Halt> {
        let target = self.top(at)?.clone();
        match target {
            Value::Global(g) => {
                // setattr on a class or function object: how payloads patch interpreter globals.
                let detail = format!("BUILD sets attributes on the global {} itself", g.dotted);
                self.report(FindingKind::BuildOnGlobal, detail, at);
            }
            Value::Instance(inst) if inst.class.ends_with(".dtype") => {
                let elsize = match &state {
                    Value::Seq(seq) if seq.kind == SeqKind::Tuple => match seq.items.get(5) {
                        Some(Value::Int(n)) if *n > 0 => Some(*n),
                        _ => None,
                    },
                    _ => None,
                };
                let rebuilt = Instance {
                    elsize,
                    ..(*inst).clone()
                };
                *self.top(at)? = Value::Instance(Rc::new(rebuilt));
            }
            Value::Instance(inst) if inst.class == WRAPPER => {
                self.saw_joblib = true;
                self.skip_inline_array(&state, s, at)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn skip_inline_array(&mut self, state: &Value, s: &mut Stream, at: u64) -> Result<(), Halt> {
        let unknown = |why: &str| Halt::Anomaly {
            kind: FindingKind::MalformedPickle,
            detail: format!("joblib array wrapper: {why}; its inline bytes cannot be located"),
            offset: at,
        };
        // joblib commits the current frame before writing raw bytes; anything else is a desync.
        if let Some(end) = self.frame_end {
            if s.pos() != end {
                return Err(Halt::Anomaly {
                    kind: FindingKind::FrameViolation,
                    detail: format!(
                        "joblib inline array starts inside a frame that ends at byte {end}"
                    ),
                    offset: s.pos(),
                });
            }
            self.frame_end = None;
        }
        let Some(Value::Instance(dtype)) = state.dict_get("dtype") else {
            return Err(unknown("no dtype in state"));
        };
        let spec = dtype.arg0.as_deref().unwrap_or("");
        let body = spec.trim_start_matches(['<', '>', '|', '=']);
        let (kind, digits) = body.split_at(
            body.find(|c: char| c.is_ascii_digit())
                .unwrap_or(body.len()),
        );
        if kind == "O" {
            return self.nested_object_pickle(s, at);
        }
        let itemsize = match (dtype.elsize, digits.parse::<u64>()) {
            (Some(n), _) => n as u64,
            (None, Ok(n)) if n > 0 && !matches!(kind, "U" | "S" | "V") => n,
            _ => return Err(unknown(&format!("dtype '{spec}' has no fixed item size"))),
        };
        let mut count: u64 = 1;
        match state.dict_get("shape") {
            Some(Value::Seq(shape)) if shape.kind == SeqKind::Tuple => {
                for dim in &shape.items {
                    let Value::Int(d) = dim else {
                        return Err(unknown("non-integer shape"));
                    };
                    let d = u64::try_from(*d).map_err(|_| unknown("negative dimension"))?;
                    count = count
                        .checked_mul(d)
                        .ok_or_else(|| unknown("shape overflows"))?;
                }
            }
            _ => return Err(unknown("no shape tuple in state")),
        }
        if state.dict_get("numpy_array_alignment_bytes").is_some() {
            let pad = u64::from(s.u8("joblib padding length")?);
            s.skip(pad, "joblib padding")?;
        }
        let nbytes = count
            .checked_mul(itemsize)
            .ok_or_else(|| unknown("byte size overflows"))?;
        s.skip(nbytes, "joblib inline array data")?;
        Ok(())
    }

    /// Object-dtype arrays are written by joblib as a separate, complete pickle that `pickle.load`
    /// reads next: scan it with a fresh machine, on the same stream.
    fn nested_object_pickle(&mut self, s: &mut Stream, at: u64) -> Result<(), Halt> {
        if self.depth >= MAX_NESTED_PICKLES {
            return Err(Halt::Limit {
                detail: "nested pickles deeper than 4".into(),
                offset: at,
            });
        }
        let mut nested = Machine::new(self.findings, self.max_ops, self.depth + 1);
        loop {
            match nested.step(s)? {
                super::ops::Flow::Continue => nested.check_frame(s)?,
                super::ops::Flow::Stop => return Ok(()),
            }
        }
    }

    /// Frame bookkeeping after each opcode: an opcode may not straddle the end of its frame.
    pub fn check_frame(&mut self, s: &Stream) -> Result<(), Halt> {
        if let Some(end) = self.frame_end {
            if s.pos() > end {
                return Err(Halt::Anomaly {
                    kind: FindingKind::FrameViolation,
                    detail: format!(
                        "opcode crosses the end of its FRAME at byte {end}; a file-reading unpickler and a \
                         buffer-reading scanner see different opcodes from here"
                    ),
                    offset: end,
                });
            }
            if s.pos() == end {
                self.frame_end = None;
            }
        }
        Ok(())
    }
}
