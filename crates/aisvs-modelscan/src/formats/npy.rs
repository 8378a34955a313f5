//! NumPy `.npy` (format versions 1–3): an object dtype means a pickle follows the header, and
//! `np.load(allow_pickle=True)` unpickles it; plain arrays are checked for size and skipped.

use crate::dispatch::Ctx;
use crate::pickle;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;

const MAX_HEADER: u64 = 1 << 20;

/// Scans an `.npy` stream positioned anywhere (it seeks to the start).
pub fn scan(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    if let Err(e) = scan_inner(s, ctx, out) {
        out.push(Finding::new(
            FindingKind::MalformedContainer,
            format!("npy: {e}"),
            Some(e.offset()),
        ));
    }
    Format::Npy
}

fn scan_inner(
    s: &mut Stream,
    ctx: &Ctx,
    out: &mut Vec<Finding>,
) -> Result<(), crate::error::ParseError> {
    s.seek_to(6)?;
    let major = s.u8("npy version")?;
    let _minor = s.u8("npy version")?;
    let header_len = match major {
        1 => u64::from(s.u16le("npy header length")?),
        2 | 3 => u64::from(s.u32le("npy header length")?),
        v => {
            return Err(crate::error::ParseError::invalid(
                6,
                format!("npy major version {v}"),
            ))
        }
    };
    let header = s.bytes(header_len, MAX_HEADER, "npy header")?;
    let header = String::from_utf8_lossy(&header);
    let quoted = quoted_strings(&header);
    let descr_pos = quoted.iter().position(|q| q == "descr");
    let descr = descr_pos
        .and_then(|i| quoted.get(i + 1))
        .cloned()
        .unwrap_or_default();
    let structured = header.contains("'descr': [") || header.contains("\"descr\": [");
    let has_object = quoted.iter().any(|q| is_object_code(q));
    if has_object {
        let note = "object dtype: a pickle follows the header (np.load with allow_pickle=True unpickles it)";
        out.push(Finding::new(FindingKind::Note, note, Some(0)));
        let data_start = s.pos();
        let summary = pickle::scan_stream(s, out, ctx.opts.max_pickle_ops);
        if summary.pickles == 0 && !out.iter().any(|f| f.kind != FindingKind::Note) {
            out.push(Finding::new(
                FindingKind::MalformedPickle,
                "object array without a pickle",
                Some(data_start),
            ));
        }
        return Ok(());
    }
    if structured {
        out.push(Finding::new(
            FindingKind::Note,
            "structured dtype without object fields: data size not checked",
            None,
        ));
        return Ok(());
    }
    let itemsize = item_size(&descr)
        .ok_or_else(|| crate::error::ParseError::invalid(10, format!("npy descr {descr:?}")))?;
    let count =
        shape_product(&header).ok_or_else(|| crate::error::ParseError::invalid(10, "npy shape"))?;
    let expected = count
        .checked_mul(itemsize)
        .ok_or_else(|| crate::error::ParseError::invalid(10, "npy size overflow"))?;
    if s.remaining() < expected {
        let detail = format!(
            "array data is {} bytes, the header promises {expected}",
            s.remaining()
        );
        out.push(Finding::new(
            FindingKind::MalformedContainer,
            detail,
            Some(s.pos()),
        ));
    }
    Ok(())
}

/// Every single- or double-quoted string in the header literal.
fn quoted_strings(header: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = header.chars();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' {
            out.push(chars.by_ref().take_while(|&d| d != c).collect());
        }
    }
    out
}

/// `O`, `|O`, `O8`: numpy's object type code.
fn is_object_code(code: &str) -> bool {
    let body = code.trim_start_matches(['<', '>', '|', '=']);
    body.strip_prefix('O')
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
}

/// Item size of a simple type string (`<f4`, `|u1`, `<U5` = 20, `<M8[ns]`).
fn item_size(descr: &str) -> Option<u64> {
    let body = descr.trim_start_matches(['<', '>', '|', '=']);
    let kind = body.chars().next()?;
    let digits: String = body[kind.len_utf8()..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let n: u64 = digits.parse().ok()?;
    match kind {
        'U' => n.checked_mul(4),
        'b' | 'i' | 'u' | 'f' | 'c' | 'S' | 'V' | 'M' | 'm' | 'a' => Some(n),
        _ => None,
    }
}

/// Product of the `shape` tuple (`()` = 1 element).
fn shape_product(header: &str) -> Option<u64> {
    let after = &header[header.find("shape")?..];
    let open = after.find('(')?;
    let close = after[open..].find(')')? + open;
    let mut product = 1u64;
    for dim in after[open + 1..close]
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        product = product.checked_mul(dim.trim_end_matches('L').parse().ok()?)?;
    }
    Some(product)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_helpers() {
        let h = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        assert_eq!(
            quoted_strings(h),
            vec!["descr", "<f4", "fortran_order", "shape"]
        );
        assert_eq!(shape_product(h), Some(12));
        assert_eq!(item_size("<f4"), Some(4));
        assert_eq!(item_size("<U5"), Some(20));
        assert!(is_object_code("|O"));
        assert!(!is_object_code("<f8"));
        assert_eq!(shape_product("{'shape': (), }"), Some(1));
    }
}
