//! Zip containers (PyTorch `.pt`, Keras `.keras`, NumPy `.npz`, plain zips): every member is
//! identified by content and scanned, except PyTorch tensor storages, which are skipped unread.
//! Container tricks (CRC, encryption flag, local/central name mismatch, traversal, duplicates,
//! links, nesting, bombs) are findings, never reasons to stop looking.

use super::zipdir::{find_eocd, read_directory, Entry};
use crate::dispatch::{scan_window, too_deep, Ctx};
use crate::report::{Effect, Finding, FindingKind, Format};
use crate::stream::Stream;
use flate2::read::DeflateDecoder;
use std::collections::BTreeSet;
use std::io::{Cursor, Read};

/// Scans a zip archive.
pub fn scan(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    if too_deep(ctx, out) {
        return Format::Zip;
    }
    let dir = match find_eocd(s).and_then(|eocd| match eocd {
        Some(at) => read_directory(s, at, ctx.opts.max_members),
        None => Err(crate::error::ParseError::invalid(
            0,
            "zip without end-of-central-directory record",
        )),
    }) {
        Ok(dir) => dir,
        Err(e) => {
            out.push(Finding::new(
                FindingKind::MalformedContainer,
                format!("zip: {e}"),
                Some(e.offset()),
            ));
            return Format::Zip;
        }
    };
    if dir.prefix > 0 {
        let detail = format!(
            "{} bytes precede the archive (prepended data is invisible to zip-aware scanners)",
            dir.prefix
        );
        out.push(Finding::new(
            FindingKind::MalformedContainer,
            detail,
            Some(0),
        ));
    }
    let format = archive_kind(&dir.entries);
    let torch_prefix = torch_prefix(&dir.entries);
    let mut seen = BTreeSet::new();
    let mut skipped_tensors = 0u64;
    for entry in &dir.entries {
        let mut local = Vec::new();
        container_checks(entry, &mut seen, &mut local);
        // Tensor storages (torch) and Keras weight files are raw data their loaders never unpickle.
        let is_tensor = torch_prefix
            .as_ref()
            .is_some_and(|p| is_torch_storage(&entry.name, p))
            || (format == Format::Keras && entry.name.ends_with(".weights.h5"));
        if entry.name.ends_with('/') || entry.is_symlink() {
            // directories carry no data; links were reported by container_checks
        } else if is_tensor {
            skipped_tensors += entry.compressed;
        } else {
            scan_member(s, entry, ctx, &mut local);
        }
        for mut f in local {
            f.member = Some(match f.member.take() {
                Some(inner) => format!("{}!{inner}", entry.name),
                None => entry.name.clone(),
            });
            out.push(f);
        }
    }
    if skipped_tensors > 0 {
        let detail = format!(
            "{skipped_tensors} bytes of tensor/weight members skipped (raw data, never unpickled)"
        );
        out.push(Finding::new(FindingKind::Note, detail, None));
    }
    format
}

fn archive_kind(entries: &[Entry]) -> Format {
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    if names.iter().any(|n| n.ends_with("data.pkl")) {
        Format::PytorchZip
    } else if names.contains(&"config.json")
        && names
            .iter()
            .any(|n| *n == "metadata.json" || n.ends_with(".weights.h5"))
    {
        Format::Keras
    } else if !names.is_empty() && names.iter().all(|n| n.ends_with(".npy")) {
        Format::Npz
    } else {
        Format::Zip
    }
}

/// `archive/` for `archive/data.pkl`: the directory torch.load reads storages from.
fn torch_prefix(entries: &[Entry]) -> Option<String> {
    let pkl = entries
        .iter()
        .find(|e| e.name == "data.pkl" || e.name.ends_with("/data.pkl"))?;
    Some(pkl.name.trim_end_matches("data.pkl").to_string())
}

fn is_torch_storage(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix("data/"))
        .is_some_and(|key| !key.is_empty() && !key.contains('/'))
}

fn container_checks(entry: &Entry, seen: &mut BTreeSet<String>, out: &mut Vec<Finding>) {
    let at = Some(entry.local_offset);
    if entry.flags & 1 != 0 {
        let detail = "general-purpose flag bit 0 (encrypted) is set; torch ignores it, so scanners that skip encrypted members are bypassed";
        out.push(Finding::new(FindingKind::ZipEncryptedFlag, detail, at));
    }
    if let Some(local) = &entry.local_name_mismatch {
        let detail = format!(
            "local header names the member {local:?}; the central directory says {:?}",
            entry.name
        );
        out.push(Finding::new(FindingKind::ZipNameMismatch, detail, at));
    }
    if !seen.insert(entry.name.clone()) {
        out.push(Finding::new(
            FindingKind::ZipDuplicateName,
            "member name appears twice; readers disagree on which wins",
            at,
        ));
    }
    let n = entry.name.replace('\\', "/");
    if n.starts_with('/') || n.split('/').any(|seg| seg == "..") || n.get(1..3) == Some(":/") {
        out.push(Finding::new(
            FindingKind::PathTraversal,
            format!(
                "member path {:?} escapes the extraction directory",
                entry.name
            ),
            at,
        ));
    }
    if entry.is_symlink() {
        out.push(Finding::new(
            FindingKind::ArchiveLink,
            "member is a symbolic link",
            at,
        ));
    }
}

/// Reads (inflating if needed, bounded) and scans one member.
fn scan_member(s: &mut Stream, entry: &Entry, ctx: &Ctx, out: &mut Vec<Finding>) {
    let limit = ctx.opts.max_member_bytes;
    let data = match entry.method {
        0 if entry.compressed > limit => {
            // Large stored member: scan it in place (header parsers skip tensor data by seeking).
            let mut inner = Vec::new();
            let format = nested_scan(s, entry.data_offset, entry.compressed, ctx, &mut inner);
            out.extend(inner);
            out.push(Finding::new(
                FindingKind::Note,
                format!("{format:?} member too large for a CRC check; scanned in place"),
                None,
            ));
            return;
        }
        0 => s
            .seek_to(entry.data_offset)
            .and_then(|_| s.bytes(entry.compressed, limit, "stored member")),
        8 => inflate(s, entry, limit),
        m => {
            out.push(Finding::new(
                FindingKind::UnsupportedEncoding,
                format!("compression method {m} not supported; member not scanned"),
                None,
            ));
            return;
        }
    };
    let data = match data {
        Ok(d) => d,
        Err(e) => {
            let kind = if matches!(e, crate::error::ParseError::TooLarge { .. }) {
                FindingKind::ResourceLimit
            } else {
                FindingKind::MalformedContainer
            };
            out.push(Finding::new(
                kind,
                format!("member unreadable: {e}"),
                Some(e.offset()),
            ));
            return;
        }
    };
    if crc32fast::hash(&data) != entry.crc {
        let detail = format!("CRC-32 mismatch (stored {:08x}); torch's reader ignores CRCs, Python's zipfile refuses", entry.crc);
        out.push(Finding::new(
            FindingKind::ZipCrcMismatch,
            detail,
            Some(entry.local_offset),
        ));
    }
    let mut cursor = Cursor::new(data);
    let len = cursor.get_ref().len() as u64;
    let mut inner = Vec::new();
    let format = scan_window(&mut cursor, 0, len, &ctx.nested(), &mut inner);
    finish_member(format, inner, out);
}

fn nested_scan(s: &mut Stream, base: u64, len: u64, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    let start = s.pos();
    let mut sub = Vec::new();
    let absolute = s.base() + base;
    let format = scan_window(s.inner_source(), absolute, len, &ctx.nested(), &mut sub);
    let _ = s.seek_to(start);
    finish_member(format, sub, out);
    format
}

/// Notes nested archives and keeps a member's findings (plain text members add nothing).
fn finish_member(format: Format, inner: Vec<Finding>, out: &mut Vec<Finding>) {
    if matches!(
        format,
        Format::Zip
            | Format::PytorchZip
            | Format::Keras
            | Format::Npz
            | Format::PytorchTar
            | Format::Gzip
            | Format::Zlib
            | Format::Bzip2
            | Format::Xz
            | Format::Lzma
            | Format::Lz4
            | Format::Zstd
    ) {
        out.push(Finding::new(
            FindingKind::Note,
            format!("nested {format:?} archive scanned"),
            None,
        ));
    }
    if format == Format::Text && !inner.iter().any(|f| f.effect != Effect::Note) {
        return;
    }
    out.extend(inner);
}

fn inflate(s: &mut Stream, entry: &Entry, limit: u64) -> Result<Vec<u8>, crate::error::ParseError> {
    let compressed = s
        .seek_to(entry.data_offset)
        .and_then(|_| s.bytes(entry.compressed, limit, "deflated member"))?;
    let mut out = Vec::new();
    // Read at most limit + 1 bytes: a bomb is detected without inflating it further.
    DeflateDecoder::new(compressed.as_slice())
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            crate::error::ParseError::invalid(entry.data_offset, format!("deflate stream: {e}"))
        })?;
    if out.len() as u64 > limit {
        return Err(crate::error::ParseError::TooLarge {
            offset: entry.data_offset,
            what: "inflated member (zip bomb?)",
            declared: entry.uncompressed,
            limit,
        });
    }
    Ok(out)
}
