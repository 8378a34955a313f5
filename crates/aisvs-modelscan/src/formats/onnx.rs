//! ONNX: a minimal protobuf wire walk (no schema compiler) over ModelProto → graphs, nodes,
//! attributes (subgraphs), functions and tensors. Reported: `external_data` locations that are
//! absolute, climb out with `..`, or are symlinks leaving the model directory; operators from
//! custom domains (they need native plugin code). `raw_data` is skipped by seeking.

use crate::dispatch::Ctx;
use crate::error::ParseError;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;

const MAX_DEPTH: u32 = 32;
const MAX_STRING: u64 = 64 * 1024;
/// Operator domains served by the ONNX standard and ONNX Runtime's built-in kernels.
const STANDARD_DOMAINS: &[&str] = &[
    "",
    "ai.onnx",
    "ai.onnx.ml",
    "ai.onnx.training",
    "ai.onnx.preview.training",
    "com.microsoft",
    "com.microsoft.nchwc",
    "org.pytorch.aten",
];

#[derive(Clone, Copy, PartialEq)]
enum Msg {
    Model,
    Graph,
    Node,
    Attribute,
    Tensor,
    SparseTensor,
    Function,
    Entry,
}

/// Quick structural check of the first top-level fields against ModelProto's schema.
pub fn looks_like_onnx(s: &mut Stream) -> bool {
    let ok = (|| -> Result<bool, ParseError> {
        s.seek_to(0)?;
        for _ in 0..4 {
            if s.remaining() == 0 {
                break;
            }
            let key = varint(s)?;
            let (field, wire) = (key >> 3, key & 7);
            let known = matches!(
                (field, wire),
                (1 | 5, 0) | (2 | 3 | 4 | 6 | 7 | 8 | 14 | 20 | 25, 2)
            );
            if !known {
                return Ok(false);
            }
            skip_field(s, wire, s.len())?;
        }
        Ok(true)
    })();
    matches!(ok, Ok(true))
}

/// Scans an ONNX model.
pub fn scan(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    let len = s.len();
    let result = s
        .seek_to(0)
        .and_then(|_| walk(s, len, Msg::Model, 0, ctx, out));
    if let Err(e) = result {
        out.push(Finding::new(
            FindingKind::MalformedContainer,
            format!("onnx: {e}"),
            Some(e.offset()),
        ));
    }
    Format::Onnx
}

fn varint(s: &mut Stream) -> Result<u64, ParseError> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let b = s.u8("varint")?;
        if shift < 64 {
            v |= u64::from(b & 0x7f) << shift;
        }
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(ParseError::invalid(s.pos(), "varint longer than 10 bytes"))
}

fn skip_field(s: &mut Stream, wire: u64, end: u64) -> Result<(), ParseError> {
    let n = match wire {
        0 => return varint(s).map(|_| ()),
        1 => 8,
        5 => 4,
        2 => varint(s)?,
        w => {
            return Err(ParseError::invalid(
                s.pos(),
                format!("protobuf wire type {w}"),
            ))
        }
    };
    if s.pos().checked_add(n).is_none_or(|e| e > end) {
        return Err(ParseError::Truncated {
            offset: s.pos(),
            what: "protobuf field",
        });
    }
    s.skip(n, "protobuf field")
}

fn child(parent: Msg, field: u64) -> Option<Msg> {
    Some(match (parent, field) {
        (Msg::Model, 7) | (Msg::Attribute, 6 | 11) => Msg::Graph,
        (Msg::Model, 25) => Msg::Function,
        (Msg::Graph, 1) | (Msg::Function, 7) => Msg::Node,
        (Msg::Node, 5) => Msg::Attribute,
        (Msg::Graph, 5) | (Msg::Attribute, 5 | 10) | (Msg::SparseTensor, 1 | 2) => Msg::Tensor,
        (Msg::Graph, 15) | (Msg::Attribute, 22 | 23) => Msg::SparseTensor,
        (Msg::Tensor, 13) => Msg::Entry,
        _ => return None,
    })
}

/// Walks one message up to `end`, collecting what the checks need.
fn walk(
    s: &mut Stream,
    end: u64,
    msg: Msg,
    depth: u32,
    ctx: &Ctx,
    out: &mut Vec<Finding>,
) -> Result<Option<(String, String)>, ParseError> {
    if depth > MAX_DEPTH {
        return Err(ParseError::invalid(
            s.pos(),
            "messages nested deeper than 32",
        ));
    }
    let start = s.pos();
    let (mut domain, mut op_type, mut key, mut value) =
        (String::new(), String::new(), String::new(), String::new());
    while s.pos() < end {
        let k = varint(s)?;
        let (field, wire) = (k >> 3, k & 7);
        let wants_string = matches!((msg, field), (Msg::Node, 4 | 7) | (Msg::Entry, 1 | 2));
        if wire == 2 && (wants_string || child(msg, field).is_some()) {
            let n = varint(s)?;
            let sub_end =
                s.pos()
                    .checked_add(n)
                    .filter(|e| *e <= end)
                    .ok_or(ParseError::Truncated {
                        offset: s.pos(),
                        what: "protobuf message",
                    })?;
            if let Some(kind) = child(msg, field) {
                if let Some((k, v)) = walk(s, sub_end, kind, depth + 1, ctx, out)? {
                    if k == "location" {
                        check_location(&v, start, ctx, out);
                    }
                }
            } else {
                let text =
                    String::from_utf8_lossy(&s.bytes(n, MAX_STRING, "string field")?).into_owned();
                match (msg, field) {
                    (Msg::Node, 4) => op_type = text,
                    (Msg::Node, 7) => domain = text,
                    (Msg::Entry, 1) => key = text,
                    _ => value = text,
                }
            }
            if s.pos() != sub_end {
                return Err(ParseError::invalid(s.pos(), "protobuf field length"));
            }
        } else {
            skip_field(s, wire, end)?;
        }
    }
    if s.pos() != end {
        return Err(ParseError::invalid(
            s.pos(),
            "protobuf message overruns its parent",
        ));
    }
    if msg == Msg::Node && !STANDARD_DOMAINS.contains(&domain.as_str()) {
        let detail = format!("operator {op_type:?} from custom domain {domain:?} needs a native plugin that this scan cannot see");
        out.push(Finding::new(
            FindingKind::CustomOperatorDomain,
            detail,
            Some(start),
        ));
    }
    Ok((msg == Msg::Entry).then_some((key, value)))
}

/// An external-data location must stay inside the model's directory.
fn check_location(location: &str, at: u64, ctx: &Ctx, out: &mut Vec<Finding>) {
    let normalised = location.replace('\\', "/");
    let escapes = normalised.starts_with('/')
        || normalised.split('/').any(|seg| seg == "..")
        || normalised.get(1..2) == Some(":");
    if escapes {
        let detail =
            format!("external_data location {location:?} points outside the model directory");
        out.push(Finding::new(
            FindingKind::ExternalDataEscape,
            detail,
            Some(at),
        ));
        return;
    }
    let Some(dir) = ctx.model_dir else { return };
    let target = dir.join(&normalised);
    if target
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        let inside = match (target.canonicalize(), dir.canonicalize()) {
            (Ok(t), Ok(d)) => t.starts_with(d),
            _ => false,
        };
        if !inside {
            let detail = format!(
                "external_data location {location:?} is a symlink leaving the model directory"
            );
            out.push(Finding::new(
                FindingKind::ExternalDataEscape,
                detail,
                Some(at),
            ));
        }
    }
}
