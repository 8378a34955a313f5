//! Bounded reading of gate inputs: hostile or runaway files must not exhaust memory.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{GateError, Result};

/// Largest result file the gate reads (promptfoo exports embed every prompt and response).
pub const MAX_RESULT_BYTES: u64 = 512 * 1024 * 1024;
/// Largest policy, sandbox record or decision record the gate reads.
pub const MAX_SMALL_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Longest single JSONL line accepted (a garak attempt line carries all generations of one prompt).
pub const MAX_LINE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a whole file as UTF-8 text, refusing files above `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|_| GateError::parse(path, None, "file is not valid UTF-8"))
}

/// Reads a whole file, refusing files above `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| GateError::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| GateError::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    Ok(bytes)
}

/// Calls `visit(line_number, line)` for every line of a JSONL file, with per-line and total limits.
pub fn for_each_line(path: &Path, mut visit: impl FnMut(usize, &str) -> Result<()>) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| GateError::io(path, e))?;
    let mut reader = BufReader::new(file.take(MAX_RESULT_BYTES + 1));
    let mut buffer = Vec::new();
    let mut total: u64 = 0;
    let mut line_number = 0usize;
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buffer)
            .map_err(|e| GateError::io(path, e))?;
        if read == 0 {
            return Ok(());
        }
        line_number += 1;
        total += read as u64;
        if total > MAX_RESULT_BYTES {
            return Err(too_large(path, MAX_RESULT_BYTES));
        }
        if read as u64 > MAX_LINE_BYTES {
            return Err(GateError::parse(
                path,
                Some(line_number),
                format!("line is longer than {} MiB", MAX_LINE_BYTES >> 20),
            ));
        }
        let text = std::str::from_utf8(&buffer)
            .map_err(|_| GateError::parse(path, Some(line_number), "line is not valid UTF-8"))?;
        visit(line_number, text)?;
    }
}

fn too_large(path: &Path, limit: u64) -> GateError {
    GateError::TooLarge {
        path: path.to_path_buf(),
        limit_mib: limit >> 20,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn refuses_files_over_the_limit() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&[b'a'; 20]).unwrap();
        let err = read_bytes(file.path(), 10).unwrap_err();
        assert!(matches!(err, GateError::TooLarge { .. }));
        assert_eq!(read_bytes(file.path(), 20).unwrap().len(), 20);
    }

    #[test]
    fn numbers_lines_from_one() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"a\nb\n\nc").unwrap();
        let mut seen = Vec::new();
        for_each_line(file.path(), |n, l| {
            seen.push((n, l.trim_end().to_string()));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 4);
        assert_eq!(seen[3], (4, "c".to_string()));
    }
}
