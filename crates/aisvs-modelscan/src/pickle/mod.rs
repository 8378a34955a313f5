//! Pickle analysis: a fail-closed symbolic VM over every opcode of protocols 0–5, run over every
//! pickle in a stream (legacy torch files and some loaders read several in a row).

pub mod allowlist;
mod calls;
mod decode;
mod joblib;
pub mod names;
mod ops;
pub(crate) mod value;
mod vm;

use crate::report::{Finding, FindingKind};
use crate::stream::Stream;
use ops::Flow;
use value::Value;
use vm::{Halt, Machine};

/// The first pickle of a legacy (`_use_new_zipfile_serialization=False`) torch file: protocol 2,
/// LONG1 of the magic number 0x1950a86a20f9469cfc6c, STOP.
pub const TORCH_LEGACY_MAGIC: &[u8] =
    b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e";
/// Legacy torch files hold five pickles, then raw storage bytes that are never unpickled.
const TORCH_LEGACY_PICKLES: u32 = 5;

/// What a pickle-stream scan established.
#[derive(Debug, Default, Clone, Copy)]
pub struct PickleSummary {
    /// Complete pickles (ended by STOP).
    pub pickles: u32,
    /// The stream starts with the legacy torch magic pickle.
    pub torch_legacy: bool,
    /// A joblib `NumpyArrayWrapper` was rebuilt.
    pub joblib: bool,
    /// The first opcode was already invalid: this is not a pickle at all.
    pub not_a_pickle: bool,
}

/// Scans every pickle in `s` from its current position to the end, appending findings.
pub fn scan_stream(s: &mut Stream, findings: &mut Vec<Finding>, max_ops: u64) -> PickleSummary {
    let mut summary = PickleSummary {
        torch_legacy: s
            .peek(TORCH_LEGACY_MAGIC.len())
            .is_ok_and(|h| h == TORCH_LEGACY_MAGIC),
        ..Default::default()
    };
    while s.remaining() > 0 {
        if summary.torch_legacy && summary.pickles == TORCH_LEGACY_PICKLES {
            let detail = format!(
                "{} bytes of legacy storage data after the pickles: skipped, not unpickled",
                s.remaining()
            );
            findings.push(Finding::new(FindingKind::Note, detail, Some(s.pos())));
            break;
        }
        let start = s.pos();
        let mut machine = Machine::new(findings, max_ops, 0);
        let outcome = run_one(&mut machine, s);
        summary.joblib |= machine.saw_joblib;
        match outcome {
            Ok(_) => summary.pickles += 1,
            Err(halt) => {
                let first_op_failed = matches!(&halt, Halt::Parse(e) if e.offset() == start);
                if first_op_failed && summary.pickles == 0 {
                    summary.not_a_pickle = true;
                }
                report_halt(halt, findings, summary.pickles, start, first_op_failed);
                break;
            }
        }
    }
    summary
}

/// Runs one `pickle.load` to its STOP.
fn run_one(machine: &mut Machine, s: &mut Stream) -> Result<Value, Halt> {
    loop {
        match machine.step(s)? {
            Flow::Continue => machine.check_frame(s)?,
            Flow::Stop => {
                machine.check_frame(s)?;
                let at = s.pos();
                return machine.pop(at);
            }
        }
    }
}

/// Runs exactly one `pickle.load` from the current position and returns its symbolic result, for
/// formats that interleave pickles with raw records (legacy torch tar). `None` after a halt (the
/// reason is already in `findings`).
pub fn load_one(s: &mut Stream, findings: &mut Vec<Finding>, max_ops: u64) -> Option<Value> {
    let start = s.pos();
    let mut machine = Machine::new(findings, max_ops, 0);
    match run_one(&mut machine, s) {
        Ok(v) => Some(v),
        Err(halt) => {
            report_halt(halt, findings, 0, start, false);
            None
        }
    }
}

fn report_halt(
    halt: Halt,
    findings: &mut Vec<Finding>,
    complete: u32,
    start: u64,
    first_op_failed: bool,
) {
    let finding = match halt {
        Halt::Anomaly {
            kind,
            detail,
            offset,
        } => Finding::new(kind, detail, Some(offset)),
        Halt::Limit { detail, offset } => {
            Finding::new(FindingKind::ResourceLimit, detail, Some(offset))
        }
        Halt::Parse(e) if first_op_failed && complete > 0 => Finding::new(
            FindingKind::TrailingData,
            format!("data after pickle #{complete} (from byte {start}) is not a pickle: {e}"),
            Some(start),
        ),
        Halt::Parse(e) => Finding::new(
            FindingKind::MalformedPickle,
            format!(
                "pickle #{} is malformed: {e} (opcodes before this point were still scanned)",
                complete + 1
            ),
            Some(e.offset()),
        ),
    };
    findings.push(finding);
}
