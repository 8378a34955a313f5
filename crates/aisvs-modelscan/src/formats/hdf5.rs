//! Legacy Keras HDF5 (`.h5`): without an HDF5 library, the file is searched for the JSON
//! `model_config` / `training_config` attribute text (stored uncompressed in attribute messages),
//! which is then checked like a `.keras` config. No config found means `unknown`, never `safe`.

use super::keras::check_config;
use crate::dispatch::Ctx;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;

/// Both Keras 2 (`{"class_name": …`) and Keras 3 (`{"module": …, "class_name": …`) configs contain it.
const NEEDLE: &[u8] = b"\"class_name\"";
/// How far before the needle the object's opening brace may be.
const LOOKBEHIND: u64 = 512;
const CHUNK: u64 = 1 << 20;
const MAX_CONFIG: u64 = 16 << 20;

/// Scans an HDF5 file for Keras configs.
pub fn scan(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Format {
    let mut found = 0u32;
    let mut pos = 0u64;
    while pos < s.len() {
        let take = CHUNK.min(s.len() - pos);
        let Ok(chunk) = s
            .seek_to(pos)
            .and_then(|_| s.bytes(take, CHUNK, "hdf5 chunk"))
        else {
            break;
        };
        let hit = chunk.windows(NEEDLE.len()).position(|w| w == NEEDLE);
        match hit {
            Some(i) => {
                let hit = pos + i as u64;
                let end =
                    opening_brace(s, hit).and_then(|at| parse_config_at(s, at, hit, ctx, out));
                found += u32::from(end.is_some());
                // An object always ends after the needle it holds, so the search only moves forward.
                pos = end.unwrap_or(hit + 1);
            }
            // Overlap so a needle straddling two chunks is still seen.
            None if take == CHUNK => pos += CHUNK - NEEDLE.len() as u64,
            None => break,
        }
    }
    if found == 0 {
        let detail = "HDF5 file without a Keras model_config: its other content is not analysed";
        out.push(Finding::new(FindingKind::UnknownFormat, detail, None));
    }
    Format::Hdf5
}

/// The last `{` shortly before `hit`: the start of the object that holds the first `"class_name"`.
fn opening_brace(s: &mut Stream, hit: u64) -> Option<u64> {
    let from = hit.saturating_sub(LOOKBEHIND);
    let window = s
        .seek_to(from)
        .and_then(|_| s.bytes(hit - from, LOOKBEHIND, "hdf5 lookbehind"))
        .ok()?;
    window
        .iter()
        .rposition(|&b| b == b'{')
        .map(|i| from + i as u64)
}

/// Parses the balanced JSON object starting at `at`; returns its end offset when it parsed and
/// holds the needle at `hit` (an object closed before `hit`, as in `{}, "class_name"`, is not the
/// config, and accepting it would send the search back to before the needle, forever).
fn parse_config_at(
    s: &mut Stream,
    at: u64,
    hit: u64,
    _ctx: &Ctx,
    out: &mut Vec<Finding>,
) -> Option<u64> {
    let take = MAX_CONFIG.min(s.len() - at);
    let bytes = s
        .seek_to(at)
        .and_then(|_| s.bytes(take, MAX_CONFIG, "hdf5 config"))
        .ok()?;
    let mut depth = 0i64;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (false, _, b'"') => in_string = true,
            (false, _, b'{') => depth += 1,
            (false, _, b'}') => {
                depth -= 1;
                if depth == 0 {
                    if at + (i as u64) < hit {
                        return None;
                    }
                    let value: serde_json::Value = serde_json::from_slice(&bytes[..=i]).ok()?;
                    check_config(&value, Some(at), out);
                    return Some(at + i as u64 + 1);
                }
            }
            _ => {}
        }
    }
    None
}
