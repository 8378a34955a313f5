//! LZ4 frames as a `Read` that notices truncation. `lz4_flex` ends quietly when the input stops
//! at a block boundary (no end mark); the frame structure is therefore walked up front (header,
//! block sizes, end mark, checksums, following frames) and an incomplete walk is reported as an
//! error once the decoder has delivered what it could.

use lz4_flex::frame::FrameDecoder;
use std::io::{self, Read};

/// Concatenated LZ4 frames over an in-memory input.
pub struct Lz4Frames<'a> {
    decoder: FrameDecoder<&'a [u8]>,
    structure: Result<(), String>,
}

impl<'a> Lz4Frames<'a> {
    /// Decodes `raw`; its frame structure is checked before the first byte is decoded.
    pub fn new(raw: &'a [u8]) -> Self {
        Lz4Frames {
            decoder: FrameDecoder::new(raw),
            structure: walk(raw),
        }
    }
}

impl Read for Lz4Frames<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.decoder.read(buf)?;
        if n == 0 && !buf.is_empty() {
            if let Err(e) = &self.structure {
                return Err(io::Error::new(io::ErrorKind::InvalidData, e.clone()));
            }
        }
        Ok(n)
    }
}

fn u32_at(raw: &[u8], at: usize) -> Option<u32> {
    let bytes = raw.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// Walks every frame to the end of the input; an error names the byte where the structure stops.
fn walk(raw: &[u8]) -> Result<(), String> {
    let mut at = 0usize;
    while at < raw.len() {
        let magic = u32_at(raw, at).ok_or(format!("truncated frame magic at byte {at}"))?;
        if (0x184D_2A50..=0x184D_2A5F).contains(&magic) {
            let len =
                u32_at(raw, at + 4).ok_or(format!("truncated skippable frame at byte {at}"))?;
            at = advance(raw, at + 8, u64::from(len), at)?;
            continue;
        }
        if magic != 0x184D_2204 {
            return Err(format!("no LZ4 frame at byte {at}"));
        }
        let flg = *raw
            .get(at + 4)
            .ok_or(format!("truncated frame header at byte {at}"))?;
        let header = 7 + if flg & 0x08 != 0 { 8 } else { 0 } + if flg & 0x01 != 0 { 4 } else { 0 };
        let block_checksum = if flg & 0x10 != 0 { 4 } else { 0 };
        let mut pos = advance(raw, at, header, at)?;
        loop {
            let size =
                u32_at(raw, pos).ok_or(format!("frame at byte {at} ends without its end mark"))?;
            if size == 0 {
                pos += 4;
                break;
            }
            pos = advance(
                raw,
                pos + 4,
                u64::from(size & 0x7FFF_FFFF) + block_checksum,
                at,
            )?;
        }
        let content_checksum = if flg & 0x04 != 0 { 4 } else { 0 };
        at = advance(raw, pos, content_checksum, at)?;
    }
    Ok(())
}

/// `from + n`, if that many bytes remain.
fn advance(raw: &[u8], from: usize, n: u64, frame: usize) -> Result<usize, String> {
    usize::try_from(n)
        .ok()
        .and_then(|n| from.checked_add(n))
        .filter(|&end| end <= raw.len())
        .ok_or(format!("frame at byte {frame} is truncated"))
}
