//! safetensors: an 8-byte header length, a JSON header, then tensor bytes. Only the header is read.
//! Checked: header bounds, JSON shape, known dtypes, `shape × dtype size == end − start` with
//! overflow checks, and offsets that are sorted, contiguous, non-overlapping and cover the data.

use crate::dispatch::Ctx;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;
use serde_json::Value;

/// Scans a safetensors file.
pub fn scan(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    let bad =
        |detail: String, at: u64| Finding::new(FindingKind::MalformedHeader, detail, Some(at));
    let n = match s.seek_to(0).and_then(|_| s.u64le("header length")) {
        Ok(n) => n,
        Err(e) => {
            out.push(bad(e.to_string(), 0));
            return Format::Safetensors;
        }
    };
    let limit = ctx.opts.max_header_bytes;
    if n > limit || n > s.remaining() {
        out.push(bad(
            format!(
                "header length {n} exceeds the file ({} bytes after it) or the {limit}-byte cap",
                s.remaining()
            ),
            0,
        ));
        return Format::Safetensors;
    }
    let header = match s.bytes(n, limit, "header") {
        Ok(h) => h,
        Err(e) => {
            out.push(bad(e.to_string(), 8));
            return Format::Safetensors;
        }
    };
    let data_len = s.remaining();
    match serde_json::from_slice::<Value>(&header) {
        Ok(Value::Object(map)) => check_entries(&map, data_len, out),
        Ok(_) => out.push(bad("header is JSON but not an object".into(), 8)),
        Err(e) => out.push(bad(format!("header is not valid JSON: {e}"), 8)),
    }
    Format::Safetensors
}

fn dtype_size(dtype: &str) -> Option<u64> {
    Some(match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" => 1,
        "I16" | "U16" | "F16" | "BF16" => 2,
        "I32" | "U32" | "F32" => 4,
        "I64" | "U64" | "F64" | "C64" => 8,
        _ => return None,
    })
}

fn check_entries(map: &serde_json::Map<String, Value>, data_len: u64, out: &mut Vec<Finding>) {
    let bad = |detail: String| Finding::new(FindingKind::MalformedHeader, detail, Some(8));
    let mut ranges: Vec<(u64, u64, &str)> = Vec::new();
    for (name, entry) in map {
        if name == "__metadata__" {
            let ok = entry
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string));
            if !ok {
                out.push(bad("__metadata__ must map strings to strings".into()));
            }
            continue;
        }
        let Some(obj) = entry.as_object() else {
            out.push(bad(format!("tensor {name:?} is not an object")));
            continue;
        };
        if let Some(extra) = obj
            .keys()
            .find(|k| !matches!(k.as_str(), "dtype" | "shape" | "data_offsets"))
        {
            out.push(bad(format!("tensor {name:?} has unexpected key {extra:?}")));
        }
        let dtype = obj.get("dtype").and_then(Value::as_str).unwrap_or("");
        // A dtype newer than this table is "not understood", not an attack: its size check is
        // skipped (unknown), but its offsets still take part in the coverage checks below.
        let size = dtype_size(dtype);
        if size.is_none() {
            let detail = format!("tensor {name:?} has dtype {dtype:?}, unknown to this scanner");
            out.push(Finding::new(FindingKind::UnknownFormat, detail, Some(8)));
        }
        let shape: Option<Vec<u64>> = obj
            .get("shape")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(Value::as_u64).collect());
        let offsets: Option<Vec<u64>> = obj
            .get("data_offsets")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(Value::as_u64).collect());
        let (Some(shape), Some(offsets)) = (shape, offsets) else {
            out.push(bad(format!(
                "tensor {name:?} lacks a valid shape or data_offsets"
            )));
            continue;
        };
        let [start, end] = offsets[..] else {
            out.push(bad(format!(
                "tensor {name:?} data_offsets must have two values"
            )));
            continue;
        };
        let nbytes =
            size.and_then(|size| shape.iter().try_fold(size, |acc, &d| acc.checked_mul(d)));
        if end < start || (size.is_some() && nbytes != Some(end - start)) {
            out.push(bad(format!(
                "tensor {name:?}: shape × dtype size does not equal end − start ({start}..{end})"
            )));
            continue;
        }
        ranges.push((start, end, name));
    }
    ranges.sort_unstable();
    let mut cursor = 0u64;
    for (start, end, name) in &ranges {
        if *start != cursor {
            let what = if *start < cursor {
                "overlaps the previous tensor"
            } else {
                "leaves a gap before it"
            };
            out.push(bad(format!("tensor {name:?} at {start}..{end} {what}")));
        }
        cursor = cursor.max(*end);
    }
    if cursor != data_len {
        out.push(bad(format!("tensors cover {cursor} bytes but the data section has {data_len} (out of bounds or hidden trailing data)")));
    }
}
