//! GGUF (versions 2 and 3): a bounded header parse. Every count and length is checked against the
//! bytes that remain before it is used; chat templates are checked for Jinja SSTI; tensor infos
//! must point inside the data section at aligned offsets. Tensor data itself is never read.

use super::jinja::template_issues;
use crate::error::ParseError;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;

const MAX_KEY: u64 = 64 * 1024;
const MAX_TEMPLATE: u64 = 4 << 20;
const MAX_DIMS: u32 = 8;
const STRING_TYPE: u32 = 8;
const ARRAY_TYPE: u32 = 9;

/// Scans a GGUF file.
pub fn scan(s: &mut Stream, out: &mut Vec<Finding>) -> Format {
    if let Err(e) = parse(s, out) {
        out.push(Finding::new(
            FindingKind::MalformedHeader,
            format!("gguf: {e}"),
            Some(e.offset()),
        ));
    }
    Format::Gguf
}

/// Fixed size of a scalar value type, `None` for string/array/unknown.
fn scalar_size(ty: u32) -> Option<u64> {
    match ty {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

fn string(s: &mut Stream, keep: u64, what: &'static str) -> Result<Option<String>, ParseError> {
    let n = s.u64le(what)?;
    if n > keep {
        s.skip(n, what)?;
        return Ok(None);
    }
    let raw = s.bytes(n, keep, what)?;
    Ok(Some(String::from_utf8_lossy(&raw).into_owned()))
}

fn parse(s: &mut Stream, out: &mut Vec<Finding>) -> Result<(), ParseError> {
    s.seek_to(4)?;
    let version = s.u32le("version")?;
    if !(2..=3).contains(&version) {
        return Err(ParseError::invalid(
            4,
            format!("GGUF version {version} (2 and 3 are supported)"),
        ));
    }
    let tensors = s.u64le("tensor count")?;
    let kvs = s.u64le("metadata count")?;
    // Each metadata entry takes at least 13 bytes and each tensor info at least 24.
    if kvs > s.remaining() / 13 || tensors > s.remaining() / 24 {
        return Err(ParseError::invalid(
            8,
            format!("counts ({tensors} tensors, {kvs} metadata) exceed the file size"),
        ));
    }
    let mut alignment = 32u64;
    for _ in 0..kvs {
        let at = s.pos();
        let key = string(s, MAX_KEY, "metadata key")?
            .ok_or_else(|| ParseError::invalid(at, "metadata key too long"))?;
        let ty = s.u32le("value type")?;
        if key == "tokenizer.chat_template" || key.starts_with("tokenizer.chat_template.") {
            if ty != STRING_TYPE {
                return Err(ParseError::invalid(at, format!("{key} is not a string")));
            }
            match string(s, MAX_TEMPLATE, "chat template")? {
                Some(template) => {
                    for issue in template_issues(&template) {
                        out.push(Finding::new(
                            FindingKind::TemplateInjection,
                            format!("{key}: {issue}"),
                            Some(at),
                        ));
                    }
                }
                None => out.push(Finding::new(
                    FindingKind::ResourceLimit,
                    format!("{key} longer than {MAX_TEMPLATE} bytes: not checked"),
                    Some(at),
                )),
            }
        } else if key == "general.alignment" && ty == 4 {
            alignment = u64::from(s.u32le("alignment")?);
            if alignment == 0 || !alignment.is_power_of_two() {
                return Err(ParseError::invalid(
                    at,
                    format!("general.alignment {alignment} is not a power of two"),
                ));
            }
        } else {
            skip_value(s, ty, 0)?;
        }
    }
    let mut infos = Vec::new();
    for _ in 0..tensors {
        let at = s.pos();
        string(s, MAX_KEY, "tensor name")?
            .ok_or_else(|| ParseError::invalid(at, "tensor name too long"))?;
        let dims = s.u32le("dimension count")?;
        if dims > MAX_DIMS {
            return Err(ParseError::invalid(at, format!("{dims} dimensions")));
        }
        let mut count = 1u64;
        for _ in 0..dims {
            count = count
                .checked_mul(s.u64le("dimension")?)
                .ok_or_else(|| ParseError::invalid(at, "element count overflows"))?;
        }
        let ty = s.u32le("tensor type")?;
        let offset = s.u64le("tensor offset")?;
        infos.push((at, ty, count, offset));
    }
    let data_start = s.pos().div_ceil(alignment) * alignment;
    let data_len = s.len().saturating_sub(data_start);
    for (at, ty, count, offset) in infos {
        if offset % alignment != 0 || offset > data_len {
            return Err(ParseError::invalid(at, format!("tensor offset {offset} unaligned or beyond the data section ({data_len} bytes)")));
        }
        if let Some(size) = tensor_bytes(ty, count) {
            if offset.checked_add(size).is_none_or(|end| end > data_len) {
                return Err(ParseError::invalid(
                    at,
                    format!("tensor at {offset} with {size} bytes ends beyond the data section"),
                ));
            }
        }
    }
    Ok(())
}

/// Byte size for the ggml types whose block layout is fixed and well known; `None` = not checked.
fn tensor_bytes(ty: u32, count: u64) -> Option<u64> {
    let (block_bytes, block_elems) = match ty {
        0 => (4, 1),
        1 | 30 => (2, 1),
        2 => (18, 32),
        8 => (34, 32),
        24 => (1, 1),
        25 => (2, 1),
        26 => (4, 1),
        27 | 28 => (8, 1),
        _ => return None,
    };
    count.div_ceil(block_elems).checked_mul(block_bytes)
}

fn skip_value(s: &mut Stream, ty: u32, depth: u32) -> Result<(), ParseError> {
    if let Some(n) = scalar_size(ty) {
        return s.skip(n, "metadata value");
    }
    match ty {
        STRING_TYPE => {
            let n = s.u64le("string length")?;
            s.skip(n, "string value")
        }
        ARRAY_TYPE if depth < 2 => {
            let at = s.pos();
            let elem = s.u32le("array type")?;
            let n = s.u64le("array length")?;
            if let Some(size) = scalar_size(elem) {
                let total = n
                    .checked_mul(size)
                    .ok_or_else(|| ParseError::invalid(at, "array size overflows"))?;
                return s.skip(total, "array values");
            }
            // Each string or nested array takes at least 8 bytes: reject impossible counts up front.
            if n > s.remaining() / 8 {
                return Err(ParseError::invalid(
                    at,
                    format!("array of {n} elements exceeds the file size"),
                ));
            }
            for _ in 0..n {
                skip_value(s, elem, depth + 1)?;
            }
            Ok(())
        }
        other => Err(ParseError::invalid(
            s.pos(),
            format!("metadata value type {other}"),
        )),
    }
}
