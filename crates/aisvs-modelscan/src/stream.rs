//! A bounded, seekable byte stream over a window of a file or buffer.
//!
//! Every read is checked against the window's end before any allocation, so a declared length of 10⁹
//! becomes a `Truncated` error instead of a 1 GB allocation; large payloads are skipped with `seek`
//! so tensor data is never read.

use crate::error::ParseError;
use std::io::{Read, Seek, SeekFrom};

/// Anything that can be read and seeked (a buffered file, an in-memory cursor).
pub trait Source: Read + Seek {}
impl<T: Read + Seek> Source for T {}

/// A window `[base, base + len)` of a source, with a relative cursor.
pub struct Stream<'a> {
    inner: &'a mut dyn Source,
    base: u64,
    pos: u64,
    len: u64,
}

/// Skips smaller than this are read and discarded (keeps the BufReader buffer warm).
const READ_TO_SKIP: u64 = 16 * 1024;

impl<'a> Stream<'a> {
    /// Opens a window over `inner`; the cursor starts at `base`.
    pub fn new(inner: &'a mut dyn Source, base: u64, len: u64) -> Result<Self, ParseError> {
        inner
            .seek(SeekFrom::Start(base))
            .map_err(|e| ParseError::Io {
                offset: 0,
                reason: e.to_string(),
            })?;
        Ok(Stream {
            inner,
            base,
            pos: 0,
            len,
        })
    }

    /// The underlying source (for scanning a sub-window in place); the cursor must be restored after.
    pub fn inner_source(&mut self) -> &mut dyn Source {
        &mut *self.inner
    }

    /// Absolute offset of the window start in the underlying source.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Current position relative to the window start.
    pub fn pos(&self) -> u64 {
        self.pos
    }

    /// Window length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when the window is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes left before the window end.
    pub fn remaining(&self) -> u64 {
        self.len - self.pos
    }

    fn need(&self, n: u64, what: &'static str) -> Result<(), ParseError> {
        if n > self.remaining() {
            return Err(ParseError::Truncated {
                offset: self.pos,
                what,
            });
        }
        Ok(())
    }

    fn io_err(&self, e: std::io::Error) -> ParseError {
        ParseError::Io {
            offset: self.pos,
            reason: e.to_string(),
        }
    }

    /// Reads exactly `buf.len()` bytes.
    pub fn read_into(&mut self, buf: &mut [u8], what: &'static str) -> Result<(), ParseError> {
        self.need(buf.len() as u64, what)?;
        self.inner.read_exact(buf).map_err(|e| self.io_err(e))?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    /// Reads one byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, ParseError> {
        let mut b = [0u8; 1];
        self.read_into(&mut b, what)?;
        Ok(b[0])
    }

    /// Reads a little-endian u16.
    pub fn u16le(&mut self, what: &'static str) -> Result<u16, ParseError> {
        let mut b = [0u8; 2];
        self.read_into(&mut b, what)?;
        Ok(u16::from_le_bytes(b))
    }

    /// Reads a little-endian u32.
    pub fn u32le(&mut self, what: &'static str) -> Result<u32, ParseError> {
        let mut b = [0u8; 4];
        self.read_into(&mut b, what)?;
        Ok(u32::from_le_bytes(b))
    }

    /// Reads a little-endian u64.
    pub fn u64le(&mut self, what: &'static str) -> Result<u64, ParseError> {
        let mut b = [0u8; 8];
        self.read_into(&mut b, what)?;
        Ok(u64::from_le_bytes(b))
    }

    /// Reads `n` bytes into a new vector; `n` must fit the window and `limit`.
    pub fn bytes(&mut self, n: u64, limit: u64, what: &'static str) -> Result<Vec<u8>, ParseError> {
        if n > limit {
            return Err(ParseError::TooLarge {
                offset: self.pos,
                what,
                declared: n,
                limit,
            });
        }
        self.need(n, what)?;
        let mut buf = vec![0u8; n as usize];
        self.read_into(&mut buf, what)?;
        Ok(buf)
    }

    /// Skips `n` bytes without reading them (a seek for large skips).
    pub fn skip(&mut self, n: u64, what: &'static str) -> Result<(), ParseError> {
        self.need(n, what)?;
        if n <= READ_TO_SKIP {
            let mut scratch = [0u8; READ_TO_SKIP as usize];
            self.inner
                .read_exact(&mut scratch[..n as usize])
                .map_err(|e| self.io_err(e))?;
        } else {
            self.inner
                .seek(SeekFrom::Start(self.base + self.pos + n))
                .map_err(|e| self.io_err(e))?;
        }
        self.pos += n;
        Ok(())
    }

    /// Moves the cursor to an absolute position inside the window.
    pub fn seek_to(&mut self, pos: u64) -> Result<(), ParseError> {
        if pos > self.len {
            return Err(ParseError::Truncated {
                offset: pos,
                what: "seek target",
            });
        }
        self.inner
            .seek(SeekFrom::Start(self.base + pos))
            .map_err(|e| self.io_err(e))?;
        self.pos = pos;
        Ok(())
    }

    /// Reads a `\n`-terminated line (newline excluded). Lines longer than `keep` are consumed but
    /// returned as `None`, so hostile protocol-0 text cannot grow memory.
    pub fn line(&mut self, keep: usize, what: &'static str) -> Result<Option<Vec<u8>>, ParseError> {
        let mut out = Vec::new();
        let mut kept = true;
        loop {
            let b = self.u8(what)?;
            if b == b'\n' {
                return Ok(kept.then_some(out));
            }
            if kept && out.len() < keep {
                out.push(b);
            } else {
                kept = false;
                out.clear();
            }
        }
    }

    /// Peeks at up to `n` bytes at the cursor without consuming them.
    pub fn peek(&mut self, n: usize) -> Result<Vec<u8>, ParseError> {
        let take = (n as u64).min(self.remaining()) as usize;
        let start = self.pos;
        let mut buf = vec![0u8; take];
        self.read_into(&mut buf, "peek")?;
        self.seek_to(start)?;
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn declared_lengths_beyond_the_window_fail_without_allocating() {
        let mut src = Cursor::new(vec![1u8, 2, 3, 4, 5]);
        let mut s = Stream::new(&mut src, 1, 3).unwrap();
        assert_eq!(s.u8("x").unwrap(), 2);
        assert!(matches!(
            s.bytes(1_000_000_000, u64::MAX, "x"),
            Err(ParseError::Truncated { .. })
        ));
        assert!(matches!(
            s.bytes(10, 4, "x"),
            Err(ParseError::TooLarge { .. })
        ));
        s.skip(2, "x").unwrap();
        assert!(s.u8("x").is_err());
    }

    #[test]
    fn long_lines_are_consumed_but_not_kept() {
        let mut src = Cursor::new(b"abcdef\nxy\n".to_vec());
        let mut s = Stream::new(&mut src, 0, 10).unwrap();
        assert_eq!(s.line(3, "l").unwrap(), None);
        assert_eq!(s.line(3, "l").unwrap(), Some(b"xy".to_vec()));
    }
}
