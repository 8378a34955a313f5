//! Decoding of protocol-0 text arguments: quoted `STRING` (Python escapes), `UNICODE`
//! (raw-unicode-escape), decimal `INT`/`LONG`/memo keys. Invalid text is an error, never a guess.

use crate::error::ParseError;

/// Decodes the argument of `STRING`: a quoted Python literal with backslash escapes.
pub fn quoted_string(line: &[u8], at: u64) -> Result<String, ParseError> {
    let quote = *line
        .first()
        .ok_or_else(|| ParseError::invalid(at, "empty STRING argument"))?;
    if line.len() < 2 || !(quote == b'\'' || quote == b'"') || line[line.len() - 1] != quote {
        return Err(ParseError::invalid(at, "STRING argument is not quoted"));
    }
    let body = &line[1..line.len() - 1];
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'\\' || i + 1 == body.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let e = body[i + 1];
        i += 2;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                let mut n = 1;
                while n < 3 && i < body.len() && (b'0'..=b'7').contains(&body[i]) {
                    v = v * 8 + u32::from(body[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = body
                    .get(i..i + 2)
                    .ok_or_else(|| ParseError::invalid(at, "bad \\x escape"))?;
                let s = std::str::from_utf8(hex)
                    .map_err(|_| ParseError::invalid(at, "bad \\x escape"))?;
                out.push(
                    u8::from_str_radix(s, 16)
                        .map_err(|_| ParseError::invalid(at, "bad \\x escape"))?,
                );
                i += 2;
            }
            b'\\' | b'\'' | b'"' => out.push(e),
            b'\n' => {}
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    // Python 3 decodes STRING payloads as ASCII by default; latin-1 keeps every byte visible.
    Ok(out.iter().map(|&b| char::from(b)).collect())
}

/// Decodes the argument of `UNICODE` (raw-unicode-escape: `\uXXXX`, `\UXXXXXXXX`, else latin-1).
pub fn raw_unicode(line: &[u8], at: u64) -> Result<String, ParseError> {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let width = match (line[i], line.get(i + 1)) {
            (b'\\', Some(b'u')) => 4,
            (b'\\', Some(b'U')) => 8,
            (b, _) => {
                out.push(char::from(b));
                i += 1;
                continue;
            }
        };
        let hex = line
            .get(i + 2..i + 2 + width)
            .ok_or_else(|| ParseError::invalid(at, "bad unicode escape"))?;
        let s =
            std::str::from_utf8(hex).map_err(|_| ParseError::invalid(at, "bad unicode escape"))?;
        let code = u32::from_str_radix(s, 16)
            .map_err(|_| ParseError::invalid(at, "bad unicode escape"))?;
        out.push(char::from_u32(code).ok_or_else(|| ParseError::invalid(at, "bad code point"))?);
        i += 2 + width;
    }
    Ok(out)
}

/// Parses a decimal integer argument (`INT`, `LONG`, `GET`, `PUT`); `None` means "valid but too big".
pub fn decimal(line: &[u8], at: u64, what: &str) -> Result<Option<i64>, ParseError> {
    let text = std::str::from_utf8(line).map_err(|_| ParseError::invalid(at, what))?;
    let text = text.trim_end_matches('L').trim();
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::invalid(at, what));
    }
    Ok(text.parse::<i64>().ok())
}

/// A UTF-8 line argument (GLOBAL / INST module and name).
pub fn utf8(line: Vec<u8>, at: u64, what: &str) -> Result<String, ParseError> {
    String::from_utf8(line).map_err(|_| ParseError::invalid(at, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_decode_escapes_and_require_quotes() {
        assert_eq!(quoted_string(b"'os'", 0).unwrap(), "os");
        assert_eq!(quoted_string(b"'\\x6fs\\n'", 0).unwrap(), "os\n");
        assert_eq!(quoted_string(b"\"a\\'b\"", 0).unwrap(), "a'b");
        assert!(quoted_string(b"'os", 0).is_err());
        assert!(quoted_string(b"os", 0).is_err());
    }

    #[test]
    fn raw_unicode_and_decimals() {
        assert_eq!(raw_unicode(b"p\\u006fsix", 0).unwrap(), "posix");
        assert!(raw_unicode(b"\\u12", 0).is_err());
        assert_eq!(decimal(b"01", 0, "int").unwrap(), Some(1));
        assert_eq!(decimal(b"123L", 0, "long").unwrap(), Some(123));
        assert_eq!(
            decimal(b"99999999999999999999999", 0, "long").unwrap(),
            None
        );
        assert!(decimal(b"1e5", 0, "int").is_err());
    }
}
