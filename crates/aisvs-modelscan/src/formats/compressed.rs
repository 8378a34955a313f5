//! gzip (joblib `compress=True`, `.gz` checkpoints) and joblib's legacy `ZF` zlib files: inflated
//! into memory up to the member limit (a bomb stops there) and scanned as the inner format.

use crate::dispatch::{scan_window, too_deep, Ctx};
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;
use flate2::read::{GzDecoder, ZlibDecoder};
use std::io::{Cursor, Read};

/// Scans a compressed stream by inflating it and scanning the result.
pub fn scan(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    let limit = ctx.opts.max_member_bytes;
    if too_deep(ctx, out) {
        return Format::Gzip;
    }
    let raw = match s
        .seek_to(0)
        .and_then(|_| s.bytes(s.len(), limit, "compressed stream"))
    {
        Ok(raw) => raw,
        Err(e) => {
            out.push(Finding::new(
                FindingKind::ResourceLimit,
                format!("compressed file: {e}"),
                Some(0),
            ));
            return Format::Gzip;
        }
    };
    let mut inflated = Vec::new();
    let result = if raw.starts_with(b"\x1f\x8b") {
        GzDecoder::new(raw.as_slice())
            .take(limit + 1)
            .read_to_end(&mut inflated)
    } else {
        // joblib "ZF" files: a short text prefix, then a zlib stream (0x78 header byte).
        let start = raw
            .iter()
            .take(64)
            .position(|&b| b == 0x78)
            .unwrap_or(raw.len());
        ZlibDecoder::new(&raw[start..])
            .take(limit + 1)
            .read_to_end(&mut inflated)
    };
    if let Err(e) = result {
        out.push(Finding::new(
            FindingKind::MalformedContainer,
            format!("decompression failed: {e}"),
            Some(0),
        ));
        return Format::Gzip;
    }
    if inflated.len() as u64 > limit {
        let detail =
            format!("inflates beyond the {limit}-byte limit (compression bomb?): not scanned");
        out.push(Finding::new(FindingKind::ResourceLimit, detail, Some(0)));
        return Format::Gzip;
    }
    let len = inflated.len() as u64;
    let mut inner = Vec::new();
    let format = scan_window(
        &mut Cursor::new(inflated),
        0,
        len,
        &ctx.nested(),
        &mut inner,
    );
    for mut f in inner {
        f.member = Some(f.member.map_or_else(
            || "(decompressed)".to_string(),
            |m| format!("(decompressed)!{m}"),
        ));
        out.push(f);
    }
    if format == Format::Text {
        out.push(Finding::new(
            FindingKind::UnknownFormat,
            "decompressed content is not a model format",
            None,
        ));
    }
    format
}
