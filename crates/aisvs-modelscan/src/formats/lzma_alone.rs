//! The legacy `.lzma` ("alone") format as a `Read`: one stream after another, as Python's
//! `LZMAFile` reads them, with the dictionary bounded before it is allocated. Bytes after the last
//! stream that do not start another one are an error (Python would skip them silently; the scan
//! fails closed instead).

use lzma_rust2::LzmaReader;
use std::io::{self, Cursor, Read};

/// Concatenated LZMA-alone streams over an in-memory input.
pub struct AloneStreams<'a> {
    raw: &'a [u8],
    /// Where the next stream starts (valid while `current` is `None`).
    next: usize,
    current: Option<LzmaReader<Cursor<&'a [u8]>>>,
    mem_limit_kib: u32,
}

impl<'a> AloneStreams<'a> {
    /// Decodes `raw`, refusing dictionaries that need more than `mem_limit_kib` KiB.
    pub fn new(raw: &'a [u8], mem_limit_kib: u32) -> Self {
        AloneStreams {
            raw,
            next: 0,
            current: None,
            mem_limit_kib,
        }
    }

    /// Ends the current stream and records where the following one would start.
    fn finish_stream(&mut self) {
        if let Some(reader) = self.current.take() {
            let (cursor, unused) = reader.into_parts();
            let read_to = usize::try_from(cursor.position()).unwrap_or(usize::MAX);
            let end = self.next.saturating_add(read_to).min(self.raw.len());
            self.next = end.saturating_sub(unused.len());
        }
    }
}

impl Read for AloneStreams<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(reader) = self.current.as_mut() {
                let n = reader.read(buf)?;
                if n > 0 {
                    return Ok(n);
                }
                let start = self.next;
                self.finish_stream();
                if self.next <= start {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "LZMA stream consumed no input",
                    ));
                }
                continue;
            }
            let rest = self.raw.get(self.next..).unwrap_or_default();
            if rest.is_empty() {
                return Ok(0);
            }
            if self.next > 0 && !rest.starts_with(&[0x5d]) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} bytes after the end of the LZMA stream at byte {}",
                        rest.len(),
                        self.next
                    ),
                ));
            }
            let reader = LzmaReader::new_mem_limit(Cursor::new(rest), self.mem_limit_kib, None)?;
            self.current = Some(reader);
        }
    }
}
