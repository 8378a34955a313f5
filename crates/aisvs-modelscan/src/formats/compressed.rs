//! Compressed files (gzip, zlib, bzip2, xz, LZMA alone, LZ4 frame, zstd: joblib `compress=…`,
//! `.pkl.xz`/`.pkl.zst` on model hubs): decompressed into memory up to the member limit (a bomb
//! stops there) and scanned as the format they contain. Whatever was decompressed before a
//! failure or the limit is scanned too, because a loader would already have read it; the failure
//! or the limit is reported and keeps the file from being `safe`.

use crate::dispatch::{scan_window, too_deep, Ctx};
use crate::formats::codec::Codec;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;
use std::io::{Cursor, Read};

/// The member path given to findings inside the decompressed content.
const MEMBER: &str = "(decompressed)";

/// How decompression ended.
enum End {
    Complete,
    /// More than the limit would come out; the output holds exactly `limit` bytes.
    LimitHit,
    Failed(String),
}

/// Scans a compressed stream by decompressing it and scanning the result.
pub fn scan(s: &mut Stream, codec: Codec, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    let limit = ctx.opts.max_member_bytes;
    if too_deep(ctx, out) {
        return codec.format();
    }
    let raw = match s
        .seek_to(0)
        .and_then(|_| s.bytes(s.len(), limit, "compressed stream"))
    {
        Ok(raw) => raw,
        Err(e) => {
            out.push(Finding::new(
                FindingKind::ResourceLimit,
                format!("{} file: {e}", codec.name()),
                Some(0),
            ));
            return codec.format();
        }
    };
    let (data, end) = decompress(codec, &raw, limit);
    drop(raw);
    match &end {
        End::Complete => {}
        End::LimitHit => {
            let detail = format!(
                "{} stream decompresses beyond the {limit}-byte limit (compression bomb?): \
                 only the first {limit} bytes were scanned",
                codec.name()
            );
            out.push(Finding::new(FindingKind::ResourceLimit, detail, Some(0)));
        }
        End::Failed(reason) => {
            let detail = format!(
                "{} decompression failed after {} bytes of output: {reason}",
                codec.name(),
                data.len()
            );
            out.push(Finding::new(
                FindingKind::MalformedContainer,
                detail,
                Some(0),
            ));
        }
    }
    if data.is_empty() && !matches!(end, End::Complete) {
        return codec.format();
    }
    let inner_format = scan_content(data, ctx, out);
    match end {
        End::Complete => inner_format,
        End::LimitHit | End::Failed(_) => codec.format(),
    }
}

/// Whether the first bytes of a file decompress to anything at all (telling text that starts like
/// a weak signature from a real stream).
pub fn yields_output(codec: Codec, head: &[u8]) -> bool {
    !decompress(codec, head, 1).0.is_empty()
}

/// Decompresses at most `limit` bytes; a decoder panic on hostile input is caught and reported as
/// a failure (never a crash).
fn decompress(codec: Codec, raw: &[u8], limit: u64) -> (Vec<u8>, End) {
    let mut data = Vec::new();
    let result = crate::guard::guarded(|| {
        // Read at most limit + 1 bytes: a bomb is detected without decompressing it further.
        codec
            .decoder(raw, limit)
            .take(limit.saturating_add(1))
            .read_to_end(&mut data)
    });
    let end = match result {
        Some(Ok(_)) if data.len() as u64 > limit => {
            data.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            End::LimitHit
        }
        Some(Ok(_)) => End::Complete,
        Some(Err(e)) => End::Failed(e.to_string()),
        None => End::Failed("the decoder gave up on malformed input".to_string()),
    };
    (data, end)
}

/// Identifies and scans the decompressed bytes; findings are placed in the `(decompressed)`
/// member, offsets relative to the decompressed content.
fn scan_content(data: Vec<u8>, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    let len = data.len() as u64;
    let mut inner = Vec::new();
    let format = scan_window(&mut Cursor::new(data), 0, len, &ctx.nested(), &mut inner);
    for mut f in inner {
        f.member = Some(
            f.member
                .map_or_else(|| MEMBER.to_string(), |m| format!("{MEMBER}!{m}")),
        );
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
