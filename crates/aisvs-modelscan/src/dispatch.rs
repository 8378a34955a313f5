//! Format identification by content (magic bytes and structure, never the file name) and routing
//! to the format scanner. Used for files and, recursively, for archive members.

use crate::formats::codec::Codec;
use crate::formats::{compressed, gguf, hdf5, keras, npy, onnx, safetensors, tar, zip};
use crate::options::ScanOptions;
use crate::pickle;
use crate::report::{Effect, Finding, FindingKind, Format};
use crate::stream::{Source, Stream};
use std::path::Path;

/// Shared state of one scan: options, archive nesting and the directory of the top-level file
/// (ONNX external data is resolved against it).
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub opts: &'a ScanOptions,
    pub depth: u32,
    pub model_dir: Option<&'a Path>,
}

impl Ctx<'_> {
    /// The context for a member one archive level deeper.
    pub fn nested(&self) -> Self {
        Ctx {
            depth: self.depth + 1,
            ..*self
        }
    }
}

/// Checked before an archive is opened, so nesting depth (and recursion) is bounded up front.
pub fn too_deep(ctx: &Ctx, out: &mut Vec<Finding>) -> bool {
    if ctx.depth < ctx.opts.max_nesting {
        return false;
    }
    let detail = format!(
        "archive nested more than {} levels deep: not opened",
        ctx.opts.max_nesting
    );
    out.push(Finding::new(FindingKind::NestedArchive, detail, None));
    true
}

const HDF5_MAGIC: &[u8] = b"\x89HDF\r\n\x1a\n";

/// Identifies and scans `[base, base + len)` of `src`, appending findings; returns the format.
pub fn scan_window(
    src: &mut dyn Source,
    base: u64,
    len: u64,
    ctx: &Ctx,
    out: &mut Vec<Finding>,
) -> Format {
    let mut s = match Stream::new(src, base, len) {
        Ok(s) => s,
        Err(e) => {
            out.push(Finding::new(FindingKind::ReadError, e.to_string(), None));
            return Format::Unknown;
        }
    };
    let head = match s.peek(512) {
        Ok(h) => h,
        Err(e) => {
            out.push(Finding::new(FindingKind::ReadError, e.to_string(), None));
            return Format::Unknown;
        }
    };
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        return zip::scan(&mut s, ctx, out);
    }
    if starts(b"\x93NUMPY") {
        return npy::scan(&mut s, ctx, out);
    }
    if starts(b"GGUF") {
        return gguf::scan(&mut s, out);
    }
    if starts(HDF5_MAGIC) {
        return hdf5::scan(&mut s, ctx, out);
    }
    if head.len() >= 262 && &head[257..262] == b"ustar" {
        return tar::scan(&mut s, ctx, out);
    }
    if let Some(codec) = Codec::sniff_magic(&head) {
        return compressed::scan(&mut s, codec, ctx, out);
    }
    if let Some(name) = unsupported_container(&head) {
        let detail = format!("{name} data: decompression not supported, content not scanned");
        out.push(Finding::new(
            FindingKind::UnsupportedEncoding,
            detail,
            Some(0),
        ));
        return Format::Unknown;
    }
    if looks_like_safetensors(&head, len) {
        return safetensors::scan(&mut s, ctx, out);
    }
    // Text can begin like a zlib header (`x^`); it is taken for one only when something decompresses,
    // so a file that really is compressed is always scanned as such.
    let weak = Codec::sniff_weak(&head)
        .filter(|c| !looks_like_text(&head) || compressed::yields_output(*c, &head));
    if let Some(codec) = weak {
        return compressed::scan(&mut s, codec, ctx, out);
    }
    if starts(b"\x80") {
        return scan_pickle(&mut s, ctx, out, true).unwrap_or(Format::Pickle);
    }
    if head.first() == Some(&0x08) && onnx::looks_like_onnx(&mut s) {
        return onnx::scan(&mut s, ctx, out);
    }
    // A zip whose start was replaced by a prefix is still opened by end-of-directory readers.
    if matches!(crate::formats::zipdir::find_eocd(&mut s), Ok(Some(_))) {
        return zip::scan(&mut s, ctx, out);
    }
    if let Some(format) = scan_pickle(&mut s, ctx, out, false) {
        return format;
    }
    classify_text(&mut s, &head, ctx, out)
}

/// Runs the pickle VM. For data without the protocol-2+ magic, the result counts as a pickle only
/// if a pickle completed or code-relevant opcodes were seen; otherwise findings are discarded.
fn scan_pickle(
    s: &mut Stream,
    ctx: &Ctx,
    out: &mut Vec<Finding>,
    has_magic: bool,
) -> Option<Format> {
    let mut findings = Vec::new();
    if s.seek_to(0).is_err() {
        return None;
    }
    let summary = pickle::scan_stream(s, &mut findings, ctx.opts.max_pickle_ops);
    let code_seen = findings.iter().any(|f| {
        f.effect == Effect::Unsafe
            && !matches!(
                f.kind,
                FindingKind::MemoMiss | FindingKind::TypeConfusion | FindingKind::FrameViolation
            )
    });
    if !has_magic && summary.pickles == 0 && !code_seen {
        return None;
    }
    if summary.not_a_pickle && !code_seen && has_magic {
        out.push(Finding::new(
            FindingKind::UnknownFormat,
            "starts like a pickle but is not one",
            Some(0),
        ));
        return Some(Format::Unknown);
    }
    out.extend(findings);
    Some(if summary.torch_legacy {
        Format::PytorchLegacy
    } else if summary.joblib {
        Format::Joblib
    } else {
        Format::Pickle
    })
}

/// `{` after an 8-byte length. Text that happens to have `{` at byte 8 (`locals {`) is told apart
/// by its length bytes: a real length is small (high bytes zero) or at least not printable ASCII.
fn looks_like_safetensors(head: &[u8], len: u64) -> bool {
    let Some(prefix) = head.get(..8) else {
        return false;
    };
    if head.get(8) != Some(&b'{') {
        return false;
    }
    let mut n = [0u8; 8];
    n.copy_from_slice(prefix);
    let declared = u64::from_le_bytes(n);
    declared <= len.saturating_sub(8)
        || !prefix
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
}

fn unsupported_container(head: &[u8]) -> Option<&'static str> {
    let table: [(&[u8], &str); 2] = [(b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar")];
    table
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, name)| *name)
}

/// UTF-8 without NUL bytes (a multi-byte character cut at the end of `head` allowed).
fn looks_like_text(head: &[u8]) -> bool {
    !head.contains(&0)
        && std::str::from_utf8(head).map_or_else(|e| e.valid_up_to() + 4 >= head.len(), |_| true)
}

/// Text that is not a pickle: a Keras JSON config, Python source, other text, or unknown binary.
fn classify_text(s: &mut Stream, head: &[u8], ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    if !looks_like_text(head) {
        out.push(Finding::new(
            FindingKind::UnknownFormat,
            "content matches no supported model format",
            Some(0),
        ));
        return Format::Unknown;
    }
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        if let Some(format) = keras::scan_json_config(s, ctx, out) {
            return format;
        }
    }
    let python = trimmed.starts_with("#!")
        && text.lines().next().is_some_and(|l| l.contains("python"))
        || text.lines().any(|l| {
            l.starts_with("import ")
                || l.starts_with("from ") && l.contains(" import ")
                || l.starts_with("def ")
                || l.starts_with("class ")
        });
    if python {
        let detail =
            "Python source: loaders run such files with trust_remote_code; review it manually";
        out.push(Finding::new(FindingKind::PythonSource, detail, Some(0)));
        return Format::PythonSource;
    }
    Format::Text
}

#[cfg(test)]
mod tests {
    use super::looks_like_safetensors;

    #[test]
    fn text_with_a_brace_at_byte_8_is_not_safetensors() {
        let hcl = b"\nlocals {\n  a = 1\n}\n";
        assert!(!looks_like_safetensors(hcl, hcl.len() as u64));
        let mut real = 2u64.to_le_bytes().to_vec();
        real.extend_from_slice(b"{}");
        assert!(looks_like_safetensors(&real, real.len() as u64));
        let mut bomb = (1u64 << 62).to_le_bytes().to_vec();
        bomb.extend_from_slice(b"{}");
        assert!(looks_like_safetensors(&bomb, bomb.len() as u64));
    }
}
