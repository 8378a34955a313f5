//! zstd as a `Read`: every frame of the input in turn (skippable frames are skipped, as the zstd
//! tool does), the window bounded by the member limit, and each frame's content checksum verified.
//! Scanning all frames is a superset of what any loader reads (some stop after the first frame).

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use std::io::{self, Cursor, Read};

/// Concatenated zstd frames over an in-memory input.
pub struct ZstdFrames<'a> {
    input: Cursor<&'a [u8]>,
    decoder: FrameDecoder,
    in_frame: bool,
}

fn invalid(detail: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, detail.to_string())
}

impl<'a> ZstdFrames<'a> {
    /// Decodes `raw`, refusing frames whose window exceeds `max_window` bytes.
    pub fn new(raw: &'a [u8], max_window: u64) -> Self {
        let mut decoder = FrameDecoder::new();
        decoder.set_max_window_size(max_window.max(1 << 20));
        ZstdFrames {
            input: Cursor::new(raw),
            decoder,
            in_frame: false,
        }
    }

    fn remaining(&self) -> u64 {
        (self.input.get_ref().len() as u64).saturating_sub(self.input.position())
    }

    /// Starts the next frame; false at the end of the input.
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.remaining() == 0 {
                return Ok(false);
            }
            let at = self.input.position();
            match self.decoder.reset(&mut self.input) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    if u64::from(length) > self.remaining() {
                        return Err(invalid(format!(
                            "skippable frame at byte {at} declares {length} bytes, more than remain"
                        )));
                    }
                    self.input
                        .set_position(self.input.position() + u64::from(length));
                }
                Err(e) => return Err(invalid(format!("frame at byte {at}: {e}"))),
            }
        }
    }

    /// Compares the frame's stored content checksum (if any) with the decoded content's.
    fn check_frame_end(&self) -> io::Result<()> {
        match (
            self.decoder.get_checksum_from_data(),
            self.decoder.get_calculated_checksum(),
        ) {
            (Some(stored), Some(computed)) if stored != computed => Err(invalid(format!(
                "content checksum mismatch (stored {stored:08x}, computed {computed:08x})"
            ))),
            _ => Ok(()),
        }
    }
}

impl Read for ZstdFrames<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if !self.next_frame()? {
                    return Ok(0);
                }
                self.in_frame = true;
            }
            while self.decoder.can_collect() == 0 && !self.decoder.is_finished() {
                self.decoder
                    .decode_blocks(&mut self.input, BlockDecodingStrategy::UptoBlocks(1))
                    .map_err(invalid)?;
            }
            let n = self.decoder.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.decoder.is_finished() && self.decoder.can_collect() == 0 {
                self.check_frame_end()?;
                self.in_frame = false;
            }
        }
    }
}
