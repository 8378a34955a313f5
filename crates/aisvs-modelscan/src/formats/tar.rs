//! tar archives (legacy PyTorch `tar` checkpoints and generic tars): links and escaping paths are
//! reported; `storages`/`tensors` are walked record by record (torch_tar.rs); every other regular
//! member is identified by content and scanned in place (no copy).

use super::torch_tar::walk_member;
use crate::dispatch::{scan_window, too_deep, Ctx};
use crate::error::ParseError;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;

/// Scans a tar archive.
pub fn scan(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    if too_deep(ctx, out) {
        return Format::PytorchTar;
    }
    if let Err(e) = walk(s, ctx, out) {
        out.push(Finding::new(
            FindingKind::MalformedContainer,
            format!("tar: {e}"),
            Some(e.offset()),
        ));
    }
    Format::PytorchTar
}

fn octal(field: &[u8], at: u64) -> Result<u64, ParseError> {
    let text: String = field
        .iter()
        .take_while(|&&b| b != 0 && b != b' ')
        .map(|&b| char::from(b))
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(text, 8).map_err(|_| ParseError::invalid(at, "tar size field"))
}

fn cstr(field: &[u8]) -> String {
    String::from_utf8_lossy(&field[..field.iter().position(|&b| b == 0).unwrap_or(field.len())])
        .into_owned()
}

fn walk(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Result<(), ParseError> {
    s.seek_to(0)?;
    let mut long_name: Option<String> = None;
    let mut members = 0u64;
    while s.remaining() >= 512 {
        let at = s.pos();
        let header = s.bytes(512, 512, "tar header")?;
        if header.iter().all(|&b| b == 0) {
            break;
        }
        members += 1;
        if members > ctx.opts.max_members {
            return Err(ParseError::TooLarge {
                offset: at,
                what: "tar member count",
                declared: members,
                limit: ctx.opts.max_members,
            });
        }
        let size = octal(&header[124..136], at)?;
        let kind = header[156];
        let prefix = cstr(&header[345..500]);
        let mut name = long_name.take().unwrap_or_else(|| cstr(&header[..100]));
        if !prefix.is_empty() && &header[257..262] == b"ustar" {
            name = format!("{prefix}/{name}");
        }
        let data = s.pos();
        let padded = size.div_ceil(512) * 512;
        let mut local = Vec::new();
        match kind {
            b'L' => {
                long_name = Some(
                    String::from_utf8_lossy(&s.bytes(size, 64 * 1024, "long name")?)
                        .trim_end_matches('\0')
                        .to_string(),
                )
            }
            b'1' | b'2' => local.push(Finding::new(
                FindingKind::ArchiveLink,
                format!(
                    "{} link to {:?}",
                    if kind == b'1' { "hard" } else { "symbolic" },
                    cstr(&header[157..257])
                ),
                Some(at),
            )),
            b'0' | 0 | b'7' => {
                let absolute = s.base() + data;
                let window = size.min(s.len() - data);
                let walked = match Stream::new(s.inner_source(), absolute, window) {
                    Ok(mut member) => {
                        walk_member(&name, &mut member, ctx.opts.max_pickle_ops, &mut local)
                    }
                    Err(e) => return Err(e),
                };
                if !walked {
                    let nested = ctx.nested();
                    let format =
                        scan_window(s.inner_source(), absolute, window, &nested, &mut local);
                    if format == Format::Text {
                        local.retain(|f| f.kind != FindingKind::UnknownFormat);
                    }
                }
            }
            _ => {}
        }
        let n = name.replace('\\', "/");
        if n.starts_with('/') || n.split('/').any(|seg| seg == "..") {
            local.push(Finding::new(
                FindingKind::PathTraversal,
                format!("member path {name:?} escapes the extraction directory"),
                Some(at),
            ));
        }
        for mut f in local {
            f.member = Some(
                f.member
                    .map_or_else(|| name.clone(), |m| format!("{name}!{m}")),
            );
            out.push(f);
        }
        s.seek_to(data.checked_add(padded).filter(|e| *e <= s.len()).ok_or(
            ParseError::Truncated {
                offset: data,
                what: "tar member data",
            },
        )?)?;
    }
    Ok(())
}
