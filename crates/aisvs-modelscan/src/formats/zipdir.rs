//! A tolerant zip directory reader: the central directory is authoritative (as in PyTorch's miniz
//! reader), CRC and flag bits never make it refuse, and every difference between the central
//! directory and the local headers is reported instead of trusted.

use crate::error::ParseError;
use crate::stream::Stream;

/// One member as listed by the central directory, completed from its local header.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub flags: u16,
    pub method: u16,
    pub crc: u32,
    pub compressed: u64,
    pub uncompressed: u64,
    pub local_offset: u64,
    pub external_attrs: u32,
    /// Start of the member data (after the local header).
    pub data_offset: u64,
    /// Name in the local header, when it differs from the central directory.
    pub local_name_mismatch: Option<String>,
}

impl Entry {
    /// True when the Unix mode bits mark the member as a symbolic link.
    pub fn is_symlink(&self) -> bool {
        (self.external_attrs >> 16) & 0o170000 == 0o120000
    }
}

/// The directory and its container-level anomalies.
pub struct Directory {
    pub entries: Vec<Entry>,
    /// Bytes before the first member (a prefix the archive offsets do not account for).
    pub prefix: u64,
}

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD64_LOCATOR_SIG: u32 = 0x0706_4b50;
const EOCD64_SIG: u32 = 0x0606_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;

/// Finds the end-of-central-directory record in the last 64 KiB + 22 bytes.
pub fn find_eocd(s: &mut Stream) -> Result<Option<u64>, ParseError> {
    let len = s.len();
    let tail_len = len.min(65_535 + 22);
    s.seek_to(len - tail_len)?;
    let tail = s.bytes(tail_len, tail_len, "zip tail")?;
    let hit = (0..tail.len().saturating_sub(21)).rev().find(|&i| {
        tail[i..i + 4] == EOCD_SIG.to_le_bytes()
            && usize::from(u16::from_le_bytes([tail[i + 20], tail[i + 21]])) == tail.len() - i - 22
    });
    Ok(hit.map(|i| len - tail_len + i as u64))
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes([
        b[at],
        b[at + 1],
        b[at + 2],
        b[at + 3],
        b[at + 4],
        b[at + 5],
        b[at + 6],
        b[at + 7],
    ])
}

/// Reads the central directory and each member's local header.
pub fn read_directory(
    s: &mut Stream,
    eocd: u64,
    max_members: u64,
) -> Result<Directory, ParseError> {
    s.seek_to(eocd)?;
    let rec = s.bytes(22, 22, "end of central directory")?;
    let (mut count, mut cd_size, mut cd_offset) = (
        u64::from(le16(&rec, 10)),
        u64::from(le32(&rec, 12)),
        u64::from(le32(&rec, 16)),
    );
    let mut cd_end = eocd;
    if (count == 0xffff || cd_offset == 0xffff_ffff || cd_size == 0xffff_ffff) && eocd >= 20 {
        s.seek_to(eocd - 20)?;
        let loc = s.bytes(20, 20, "zip64 locator")?;
        if le32(&loc, 0) == EOCD64_LOCATOR_SIG {
            let at = le64(&loc, 8);
            s.seek_to(at)?;
            let rec64 = s.bytes(56, 56, "zip64 end of central directory")?;
            if le32(&rec64, 0) != EOCD64_SIG {
                return Err(ParseError::invalid(at, "zip64 end-of-directory signature"));
            }
            (count, cd_size, cd_offset) = (le64(&rec64, 32), le64(&rec64, 40), le64(&rec64, 48));
            cd_end = at;
        }
    }
    if count > max_members {
        return Err(ParseError::TooLarge {
            offset: eocd,
            what: "zip member count",
            declared: count,
            limit: max_members,
        });
    }
    // Where the directory really is tells how many bytes were prepended to the archive.
    let actual_cd = cd_end
        .checked_sub(cd_size)
        .ok_or_else(|| ParseError::invalid(eocd, "central directory size"))?;
    let prefix = actual_cd
        .checked_sub(cd_offset)
        .ok_or_else(|| ParseError::invalid(eocd, "central directory offset"))?;
    s.seek_to(actual_cd)?;
    let cd = s.bytes(cd_size, 64 << 20, "central directory")?;
    let mut entries = Vec::new();
    let mut p = 0usize;
    for _ in 0..count {
        let fixed = cd.get(p..p + 46).ok_or(ParseError::Truncated {
            offset: actual_cd + p as u64,
            what: "central directory entry",
        })?;
        if le32(fixed, 0) != CENTRAL_SIG {
            return Err(ParseError::invalid(
                actual_cd + p as u64,
                "central directory signature",
            ));
        }
        let (n, e, c) = (
            usize::from(le16(fixed, 28)),
            usize::from(le16(fixed, 30)),
            usize::from(le16(fixed, 32)),
        );
        let name_raw = cd.get(p + 46..p + 46 + n).ok_or(ParseError::Truncated {
            offset: actual_cd,
            what: "member name",
        })?;
        let extra = cd
            .get(p + 46 + n..p + 46 + n + e)
            .ok_or(ParseError::Truncated {
                offset: actual_cd,
                what: "extra field",
            })?;
        let mut entry = Entry {
            name: String::from_utf8_lossy(name_raw).into_owned(),
            flags: le16(fixed, 8),
            method: le16(fixed, 10),
            crc: le32(fixed, 16),
            compressed: u64::from(le32(fixed, 20)),
            uncompressed: u64::from(le32(fixed, 24)),
            local_offset: u64::from(le32(fixed, 42)),
            external_attrs: le32(fixed, 38),
            data_offset: 0,
            local_name_mismatch: None,
        };
        apply_zip64_extra(&mut entry, extra);
        entry.local_offset = entry.local_offset.saturating_add(prefix);
        read_local_header(s, &mut entry, name_raw)?;
        entries.push(entry);
        p += 46 + n + e + c;
    }
    Ok(Directory { entries, prefix })
}

/// Zip64 extended information (header 0x0001): fields present only for saturated 32-bit values.
fn apply_zip64_extra(entry: &mut Entry, extra: &[u8]) {
    let mut i = 0;
    while i + 4 <= extra.len() {
        let (id, size) = (le16(extra, i), usize::from(le16(extra, i + 2)));
        let body = extra.get(i + 4..i + 4 + size).unwrap_or(&[]);
        if id == 1 {
            let mut at = 0;
            for field in [
                &mut entry.uncompressed,
                &mut entry.compressed,
                &mut entry.local_offset,
            ] {
                if *field == 0xffff_ffff && at + 8 <= body.len() {
                    *field = le64(body, at);
                    at += 8;
                }
            }
        }
        i += 4 + size;
    }
}

fn read_local_header(
    s: &mut Stream,
    entry: &mut Entry,
    central_name: &[u8],
) -> Result<(), ParseError> {
    s.seek_to(entry.local_offset)?;
    let fixed = s.bytes(30, 30, "local header")?;
    if le32(&fixed, 0) != LOCAL_SIG {
        return Err(ParseError::invalid(
            entry.local_offset,
            format!("local header signature of {}", entry.name),
        ));
    }
    let (n, e) = (u64::from(le16(&fixed, 26)), u64::from(le16(&fixed, 28)));
    let local_name = s.bytes(n, 65_535, "local member name")?;
    if local_name != central_name {
        entry.local_name_mismatch = Some(String::from_utf8_lossy(&local_name).into_owned());
    }
    entry.data_offset = entry.local_offset + 30 + n + e;
    if entry
        .data_offset
        .checked_add(entry.compressed)
        .is_none_or(|end| end > s.len())
    {
        return Err(ParseError::Truncated {
            offset: entry.data_offset,
            what: "member data",
        });
    }
    Ok(())
}
