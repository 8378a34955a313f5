//! The `storages` and `tensors` members of a legacy PyTorch tar checkpoint, walked record by record
//! as `torch.serialization.legacy_load` reads them: pickles interleaved with raw records whose
//! sizes come from those pickles. Every pickle goes through the VM; raw bytes are skipped by size.
//!
//! storages: count pickle; per storage an `(key, location, storage_type)` pickle, an int64 element
//! count and `count × element size` bytes; then a storage-views pickle.
//! tensors: count pickle; per tensor an `(key, storage_id, type)` pickle, an int32 ndim, 4 bytes,
//! `ndim` int64 sizes, `ndim` int64 strides and an int64 storage offset.

use crate::error::ParseError;
use crate::pickle::load_one;
use crate::pickle::value::Value;
use crate::report::{Finding, FindingKind};
use crate::stream::Stream;

/// Element size of the legacy typed storage classes.
fn element_size(storage_class: &str) -> Option<u64> {
    let name = storage_class.strip_prefix("torch.")?;
    Some(match name {
        "ByteStorage" | "CharStorage" | "BoolStorage" | "QUInt8Storage" | "QInt8Storage" => 1,
        "ShortStorage" | "HalfStorage" | "BFloat16Storage" => 2,
        "IntStorage" | "FloatStorage" | "QInt32Storage" => 4,
        "LongStorage" | "DoubleStorage" | "ComplexFloatStorage" => 8,
        "ComplexDoubleStorage" => 16,
        _ => return None,
    })
}

fn count(v: Option<Value>, at: u64, what: &str) -> Result<u64, ParseError> {
    match v {
        Some(Value::Int(n)) if n >= 0 => Ok(n as u64),
        _ => Err(ParseError::invalid(
            at,
            format!("{what} is not a non-negative integer"),
        )),
    }
}

fn tuple_item(v: &Option<Value>, i: usize) -> Option<Value> {
    match v {
        Some(Value::Seq(seq)) => seq.items.get(i).cloned(),
        _ => None,
    }
}

/// Walks a `storages` or `tensors` member; returns false if the member is neither.
pub fn walk_member(name: &str, s: &mut Stream, max_ops: u64, out: &mut Vec<Finding>) -> bool {
    let result = match name {
        "storages" => storages(s, max_ops, out),
        "tensors" => tensors(s, max_ops, out),
        _ => return false,
    };
    match result {
        Ok(()) if s.remaining() > 0 => {
            let detail = format!("{} bytes after the last record", s.remaining());
            out.push(Finding::new(
                FindingKind::TrailingData,
                detail,
                Some(s.pos()),
            ));
        }
        Ok(()) => {}
        Err(e) => {
            let detail = format!("legacy torch {name}: {e}");
            out.push(Finding::new(
                FindingKind::MalformedContainer,
                detail,
                Some(e.offset()),
            ));
        }
    }
    true
}

fn pickle_or_halt(
    s: &mut Stream,
    max_ops: u64,
    out: &mut Vec<Finding>,
) -> Result<Option<Value>, ParseError> {
    let at = s.pos();
    let before = out.len();
    let v = load_one(s, out, max_ops);
    if v.is_none() {
        // The VM already reported why; stop walking (offsets after it are meaningless).
        return Err(ParseError::invalid(
            at,
            format!(
                "record pickle unreadable ({} finding(s))",
                out.len() - before
            ),
        ));
    }
    Ok(v)
}

fn storages(s: &mut Stream, max_ops: u64, out: &mut Vec<Finding>) -> Result<(), ParseError> {
    let at = s.pos();
    let n = count(pickle_or_halt(s, max_ops, out)?, at, "storage count")?;
    for _ in 0..n {
        let at = s.pos();
        let args = pickle_or_halt(s, max_ops, out)?;
        let size = match tuple_item(&args, 2) {
            Some(Value::Global(g)) => element_size(&g.dotted),
            _ => None,
        }
        .ok_or_else(|| ParseError::invalid(at, "storage record without a known storage type"))?;
        let elements = s.u64le("storage element count")?;
        let bytes = elements
            .checked_mul(size)
            .ok_or_else(|| ParseError::invalid(at, "storage size overflows"))?;
        s.skip(bytes, "storage data")?;
    }
    pickle_or_halt(s, max_ops, out)?;
    Ok(())
}

fn tensors(s: &mut Stream, max_ops: u64, out: &mut Vec<Finding>) -> Result<(), ParseError> {
    let at = s.pos();
    let n = count(pickle_or_halt(s, max_ops, out)?, at, "tensor count")?;
    for _ in 0..n {
        pickle_or_halt(s, max_ops, out)?;
        let at = s.pos();
        let ndim = s.u32le("tensor ndim")? as i32;
        let ndim = u64::try_from(ndim)
            .ok()
            .filter(|d| *d <= 64)
            .ok_or_else(|| ParseError::invalid(at, "tensor ndim"))?;
        s.skip(4 + 16 * ndim + 8, "tensor record")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::element_size;

    #[test]
    fn storage_element_sizes() {
        assert_eq!(element_size("torch.FloatStorage"), Some(4));
        assert_eq!(element_size("torch.ComplexDoubleStorage"), Some(16));
        assert_eq!(element_size("os.system"), None);
    }
}
