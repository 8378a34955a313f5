//! Redaction of secrets that can ride along in names and command lines (provider URLs with
//! credentials, `--api-key VALUE`, `TOKEN=value`, well-known key prefixes) before they reach
//! the terminal or the decision record.

/// Placeholder that replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// Words that mark the next argument (or the value after `=`) as a secret.
const SECRET_WORDS: &[&str] = &[
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "credential",
    "auth",
];

/// Prefixes of well-known credential formats (OpenAI/Anthropic, GitHub, AWS access keys, Slack, HF).
const SECRET_PREFIXES: &[&str] = &[
    "sk-",
    "ghp_",
    "gho_",
    "github_pat_",
    "AKIA",
    "xoxb-",
    "xoxp-",
    "hf_",
];

/// Redacts a free-form value: URL credentials and well-known key formats.
pub fn redact_text(text: &str) -> String {
    let without_userinfo = redact_url_userinfo(text);
    without_userinfo
        .split(' ')
        .map(|word| if looks_like_key(word) { REDACTED } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Redacts a command line: values of secret-named flags and `NAME=value` pairs, plus
/// everything `redact_text` catches.
pub fn redact_command(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut hide_next = false;
    for arg in args {
        if hide_next {
            out.push(REDACTED.to_string());
            hide_next = false;
            continue;
        }
        if let Some((name, _value)) = arg.split_once('=') {
            if names_secret(name) {
                out.push(format!("{name}={REDACTED}"));
                continue;
            }
        } else if arg.starts_with('-') && names_secret(arg) {
            hide_next = true;
        }
        out.push(redact_text(arg));
    }
    out
}

fn names_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|word| lower.contains(word))
}

fn looks_like_key(word: &str) -> bool {
    SECRET_PREFIXES
        .iter()
        .any(|prefix| word.starts_with(prefix) && word.len() >= prefix.len() + 12)
}

fn redact_url_userinfo(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_string();
    };
    let rest = &text[scheme_end + 3..];
    let authority_end = rest.find(['/', ' ', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}://{REDACTED}@{}", &text[..scheme_end], &rest[at + 1..]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn hides_flag_values_and_assignments() {
        let args = strings(&[
            "garak",
            "--api-key",
            "abc123",
            "OPENAI_API_KEY=xyz",
            "--model",
            "m",
        ]);
        assert_eq!(
            redact_command(&args),
            strings(&[
                "garak",
                "--api-key",
                REDACTED,
                "OPENAI_API_KEY=[REDACTED]",
                "--model",
                "m"
            ])
        );
    }

    #[test]
    fn hides_url_credentials_and_known_key_formats() {
        assert_eq!(
            redact_text("http://u:p@host:8000/v1"),
            "http://[REDACTED]@host:8000/v1"
        );
        assert_eq!(redact_text("openai:gpt-4o"), "openai:gpt-4o");
        assert_eq!(
            redact_text("key sk-abcdefghijklmnop"),
            format!("key {REDACTED}")
        );
    }
}
