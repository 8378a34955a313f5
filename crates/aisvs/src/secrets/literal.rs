//! Is a value a literal secret at all? Template references, placeholders and stop words are not; entropy
//! tells random strings from words.

/// Shannon entropy in bits per character (0 for the empty string).
pub fn shannon_entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let n = f64::from(total);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// A reference that is resolved elsewhere: Helm `{{ }}`, shell `$VAR`/`${VAR}`, Kubernetes `$(VAR)`,
/// Terraform `var.x`, GitHub `${{ secrets.X }}`.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.contains("{{")
        || v.contains("${")
        || v.contains("$(")
        || (v.starts_with('$')
            && v.len() > 1
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || v.starts_with("var.")
        || v.as_bytes()
            .windows(2)
            .any(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || w[1] == b'_'))
        || v.starts_with("secretRef:")
}

/// Words that mark a value as a placeholder or documentation, not a credential.
const STOP_WORDS: &[&str] = &[
    "example",
    "placeholder",
    "changeit",
    "replace",
    "your",
    "dummy",
    "redacted",
    "sample",
    "insert",
    "fixme",
    "todo",
    "notreal",
    "fake",
    "xxxx",
    "****",
    "....",
    "<",
    ">",
];

/// Values that are plainly not secrets: booleans, numbers, null-ish words, paths.
fn is_non_secret_shape(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "none"
            | "null"
            | "nil"
            | "~"
            | "empty"
            | "disabled"
            | "enabled"
    ) || v
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '_')
        || v.starts_with('/')
        || is_env_identifier(v)
        || v.starts_with("./")
        || v.starts_with("file:")
        || v.starts_with("http://")
        || v.starts_with("https://")
}

/// `OIDC_CLIENT_SECRET`, `AWS_SECRET_ACCESS_KEY`: the name of a variable, not its value.
fn is_env_identifier(v: &str) -> bool {
    v.contains('_')
        && v.starts_with(|c: char| c.is_ascii_uppercase())
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A placeholder: a stop word, a run of one repeated character, or an angle-bracket hint.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if STOP_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // `xxxxxxxx`, `00000000`, `AKIAXXXXXXXXXXXXXXXX`: at most two distinct characters after the prefix.
    let tail: Vec<char> = v.chars().skip(4).collect();
    if tail.len() >= 6 {
        let first = tail[0];
        if tail.iter().all(|&c| c == first) {
            return true;
        }
    }
    lower.ends_with("example") || lower.ends_with("_here")
}

/// Weak default passwords: still literal secrets, but named as such in findings.
pub fn is_weak_default(value: &str) -> bool {
    const WEAK: &[&str] = &[
        "changeme",
        "password",
        "passw0rd",
        "admin",
        "secret",
        "root",
        "default",
        "letmein",
        "123456",
        "12345678",
        "qwerty",
        "test",
        "guest",
        "minio123",
        "minioadmin",
    ];
    WEAK.contains(&value.trim().to_ascii_lowercase().as_str())
}

/// Whether `value` (under a secret-looking name) is a literal worth reporting.
pub fn is_literal_candidate(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !is_reference(v)
        && !is_non_secret_shape(v)
        && !is_placeholder(v)
        && v.len() >= 4
}

/// A random-looking token: long, no whitespace, mixed character classes and high entropy.
/// Hex-only strings are left out on purpose: digests and checksums look exactly like that.
pub fn looks_random(value: &str) -> bool {
    let v = value.trim();
    if v.len() < 32 || v.len() > 512 || v.chars().any(char::is_whitespace) {
        return false;
    }
    if v.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return false;
    }
    let upper = v.chars().any(|c| c.is_ascii_uppercase());
    let lower = v.chars().any(|c| c.is_ascii_lowercase());
    let digit = v.chars().any(|c| c.is_ascii_digit());
    upper && lower && digit && shannon_entropy(v) >= 4.5 && !is_placeholder(v) && !is_reference(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_uniform_and_repeated_strings() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn references_and_placeholders_are_not_literals() {
        for v in [
            "$(HF_TOKEN)",
            "${TOKEN}",
            "$TOKEN",
            "{{ .Values.key }}",
            "<your-key>",
            "xxxxxxxxxx",
            "AKIAIOSFODNN7EXAMPLE",
            "REPLACE_ME",
            "true",
            "8080",
            "/var/run/secrets/token",
        ] {
            assert!(!is_literal_candidate(v), "{v} should not be a literal");
        }
        for v in ["s3cr3t-Value", "changeme", "hunter22"] {
            assert!(is_literal_candidate(v), "{v} should be a literal");
        }
    }

    #[test]
    fn random_tokens_versus_digests_and_words() {
        assert!(looks_random("Zm9vYmFyQmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr"));
        assert!(!looks_random(
            "sha256e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"[6..].as_ref()
        ));
        assert!(!looks_random("this is a sentence and not a token at all"));
        assert!(!looks_random("short1A"));
    }
}
