//! Compression formats recognised by their magic bytes, and a bounded decoder for each (all pure
//! Rust): gzip, zlib (raw and joblib's legacy `ZF` files), bzip2, xz, LZMA "alone", LZ4 frame and
//! zstd. Concatenated streams are decoded as Python's readers decode them.

use crate::formats::{lz4_frames::Lz4Frames, lzma_alone::AloneStreams, zstd_frames::ZstdFrames};
use crate::report::Format;
use flate2::read::{MultiGzDecoder, ZlibDecoder};
use std::io::Read;

/// A compression format (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Gzip,
    /// joblib < 0.10 `ZF` files: a short text prefix, then a zlib stream.
    ZlibZf,
    /// A bare zlib stream: joblib's default (`compress=True` or a level) and `compress="zlib"`.
    Zlib,
    Bzip2,
    Xz,
    /// The legacy `.lzma` "alone" format (joblib `compress="lzma"` writes it).
    Lzma,
    Lz4,
    Zstd,
}

impl Codec {
    /// Formats with an unambiguous magic; checked early in identification.
    pub fn sniff_magic(head: &[u8]) -> Option<Codec> {
        let table: [(&[u8], Codec); 6] = [
            (b"\x1f\x8b", Codec::Gzip),
            (b"ZF0x", Codec::ZlibZf),
            (b"BZh", Codec::Bzip2),
            (b"\xfd7zXZ\x00", Codec::Xz),
            (b"\x04\x22\x4d\x18", Codec::Lz4),
            (b"\x28\xb5\x2f\xfd", Codec::Zstd),
        ];
        // A skippable frame (shared by zstd and LZ4) first: the zstd reader skips it; an LZ4 frame
        // behind it fails to decode and is reported, never passed.
        if let [0x50..=0x5f, 0x2a, 0x4d, 0x18, ..] = head {
            return Some(Codec::Zstd);
        }
        table
            .iter()
            .find(|(magic, _)| head.starts_with(magic))
            .map(|(_, codec)| *codec)
    }

    /// Formats with a weak two-byte signature, checked after safetensors so that a header length
    /// of 93 or 120 bytes is not mistaken for one. Neither signature starts a valid pickle (`\0` is
    /// no opcode; `x` is none either), so pickles are never taken for them.
    pub fn sniff_weak(head: &[u8]) -> Option<Codec> {
        match head {
            // joblib's own test: properties byte 0x5d (lc=3, lp=0, pb=2), dictionary size low byte 0.
            [0x5d, 0x00, ..] => Some(Codec::Lzma),
            // CMF 0x78 (deflate, 32 KiB window) and a valid FCHECK without a preset dictionary.
            [0x78, flg, ..] if (0x7800 | u16::from(*flg)) % 31 == 0 && flg & 0x20 == 0 => {
                Some(Codec::Zlib)
            }
            _ => None,
        }
    }

    /// The name used in findings.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::ZlibZf | Codec::Zlib => "zlib",
            Codec::Bzip2 => "bzip2",
            Codec::Xz => "xz",
            Codec::Lzma => "lzma",
            Codec::Lz4 => "lz4",
            Codec::Zstd => "zstd",
        }
    }

    /// The format reported for the file when its content could not be (fully) decompressed.
    pub fn format(self) -> Format {
        match self {
            Codec::Gzip => Format::Gzip,
            Codec::ZlibZf | Codec::Zlib => Format::Zlib,
            Codec::Bzip2 => Format::Bzip2,
            Codec::Xz => Format::Xz,
            Codec::Lzma => Format::Lzma,
            Codec::Lz4 => Format::Lz4,
            Codec::Zstd => Format::Zstd,
        }
    }

    /// A decoder over the whole compressed input. `limit` (the member limit) also bounds the
    /// memory a decoder may reserve for its dictionary or window before producing any output.
    pub fn decoder<'a>(self, raw: &'a [u8], limit: u64) -> Box<dyn Read + 'a> {
        match self {
            Codec::Gzip => Box::new(MultiGzDecoder::new(raw)),
            Codec::ZlibZf => {
                let start = raw
                    .iter()
                    .take(64)
                    .position(|&b| b == 0x78)
                    .unwrap_or(raw.len());
                Box::new(ZlibDecoder::new(&raw[start..]))
            }
            Codec::Zlib => Box::new(ZlibDecoder::new(raw)),
            Codec::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(raw)),
            Codec::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
                raw,
                true,
                dictionary_limit_kib(limit),
            )),
            Codec::Lzma => Box::new(AloneStreams::new(raw, dictionary_limit_kib(limit))),
            Codec::Lz4 => Box::new(Lz4Frames::new(raw)),
            Codec::Zstd => Box::new(ZstdFrames::new(raw, limit)),
        }
    }
}

/// LZMA decoders allocate the declared dictionary up front: it may not exceed the member limit
/// (plus 1 MiB of decoder state), so a 4 GiB declaration is refused before anything is allocated.
pub fn dictionary_limit_kib(limit: u64) -> u32 {
    u32::try_from(limit / 1024 + 1024).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::Codec;

    #[test]
    fn weak_signatures_match_joblib_and_standard_zlib_headers_only() {
        assert_eq!(Codec::sniff_weak(b"]\x00\x00@\x00"), Some(Codec::Lzma));
        for head in [&b"x\x01"[..], b"x^", b"x\x9c", b"x\xda"] {
            assert_eq!(Codec::sniff_weak(head), Some(Codec::Zlib), "{head:?}");
        }
        // Text that starts with `x` and a preset-dictionary or invalid header is not zlib.
        for head in [&b"x = 1\n"[..], b"x?", b"x}", b"xyz", b"]q\x00("] {
            assert_eq!(Codec::sniff_weak(head), None, "{head:?}");
        }
    }
}
