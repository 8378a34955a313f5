//! The one catalog of secret formats (cloud, Git hosts, AI providers) plus entropy, and redaction for output.
//!
//! Shared by every rule that looks for literal credentials (Kubernetes env/args/ConfigMaps/annotations,
//! Dockerfile ENV/ARG, Compose environment, CI scripts). Callers never print a value they got a hit
//! for: they print [`SecretHit::redacted`] and mark the evidence `sensitive`.
//!
//! ```
//! use aisvs::secrets::{find_secret, Confidence};
//! let hit = find_secret(Some("HF_TOKEN"), "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh").unwrap();
//! assert_eq!(hit.kind, "Hugging Face token");
//! assert_eq!(hit.confidence, Confidence::High);
//! assert!(!hit.redacted.contains("KlMnOp"));
//! ```

mod catalog;
mod literal;
mod names;
mod text;

pub use literal::{is_placeholder, is_reference, shannon_entropy};
pub use names::secret_name_reason;
pub use text::{find_in_args, find_in_text, TextHit};

/// How sure a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A random-looking literal with nothing else to go on: report as "possible secret" (inconclusive).
    Low,
    /// A literal under a secret-looking name, or a loosely matched provider format.
    Medium,
    /// A known provider format.
    High,
}

impl Confidence {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// What made the value a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// A known credential format.
    Pattern,
    /// Credentials embedded in a URL (`scheme://user:password@host`).
    UrlCredentials,
    /// A literal value under a secret-looking name.
    Name,
    /// High entropy alone.
    Entropy,
}

/// One secret found in a value. It never holds the secret itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretHit {
    /// What it is (`Hugging Face token`, `literal password`, `high-entropy string`).
    pub kind: &'static str,
    /// How sure.
    pub confidence: Confidence,
    /// Safe to print: a short prefix, `…` and the length.
    pub redacted: String,
    /// What made it a hit.
    pub detector: Detector,
}

/// Values longer than this are only scanned in their first part (bounded work on hostile input).
const MAX_VALUE_BYTES: usize = 256 * 1024;

/// Checks one value, optionally with the name it is stored under (env var, flag, key).
///
/// Order: known formats (High/Medium), credentials in URLs, then a literal under a secret-looking name
/// (Medium; weak defaults such as `changeme` included), then high entropy alone (Low).
/// References (`$(VAR)`, `${VAR}`, `{{ … }}`) and placeholders are never hits.
pub fn find_secret(name: Option<&str>, value: &str) -> Option<SecretHit> {
    classify(name, value, true)
}

/// Like [`find_secret`] but without the entropy-only fallback (for free text, where random-looking
/// words such as digests and ids are common).
pub(crate) fn classify(name: Option<&str>, value: &str, allow_entropy: bool) -> Option<SecretHit> {
    let value = bounded(value);
    if value.trim().is_empty() || literal::is_reference(value) {
        return None;
    }
    if let Some(hit) = match_pattern(value) {
        return Some(hit);
    }
    if let Some(re) = catalog::URL_CREDENTIALS.as_ref() {
        if let Some(pw) = re.captures(value).and_then(|c| c.get(1)) {
            let pw = pw.as_str();
            if literal::is_literal_candidate(pw) {
                return Some(hit(
                    "password in URL",
                    Confidence::High,
                    pw,
                    Detector::UrlCredentials,
                ));
            }
        }
    }
    if let Some(reason) = name.and_then(secret_name_reason) {
        let v = value.trim();
        if literal::is_weak_default(v) {
            return Some(hit(
                "weak default password",
                Confidence::Medium,
                v,
                Detector::Name,
            ));
        }
        if literal::is_literal_candidate(v) {
            let kind = name.and_then(names::provider_kind).unwrap_or(match reason {
                "password" => "literal password",
                "API key" => "literal API key",
                "private key" => "literal private key",
                "access key" => "literal access key",
                "token" => "literal token",
                _ => "literal secret",
            });
            return Some(hit(kind, Confidence::Medium, v, Detector::Name));
        }
        return None;
    }
    if allow_entropy && literal::looks_random(value) {
        return Some(hit(
            "high-entropy string",
            Confidence::Low,
            value.trim(),
            Detector::Entropy,
        ));
    }
    None
}

/// The first known credential format inside `value`.
fn match_pattern(value: &str) -> Option<SecretHit> {
    for p in catalog::PATTERNS.iter() {
        if !p.keywords.iter().any(|k| value.contains(k)) {
            continue;
        }
        for m in p.regex.find_iter(value) {
            let found = m
                .as_str()
                .trim_start_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
            if literal::is_placeholder(found) || shannon_entropy(found) < p.min_entropy {
                continue;
            }
            return Some(hit(p.kind, p.confidence, found, Detector::Pattern));
        }
    }
    None
}

fn hit(kind: &'static str, confidence: Confidence, secret: &str, detector: Detector) -> SecretHit {
    SecretHit {
        kind,
        confidence,
        redacted: redact(secret),
        detector,
    }
}

/// Cuts a value to [`MAX_VALUE_BYTES`] on a character boundary.
fn bounded(value: &str) -> &str {
    if value.len() <= MAX_VALUE_BYTES {
        return value;
    }
    let mut end = MAX_VALUE_BYTES;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

/// A printable stand-in for a secret: at most 4 leading characters (none for short values), `…`,
/// and the length. Never the full value, whatever its length.
pub fn redact(value: &str) -> String {
    let v = value.trim();
    let len = v.chars().count();
    let shown = match len {
        0..=9 => 0,
        10..=15 => 2,
        _ => 4,
    };
    let prefix: String = v.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
}

/// A finding kind with its indefinite article: `an AWS access key id`, `a literal password`.
pub fn with_article(kind: &str) -> String {
    // Initialisms read letter by letter that start with a vowel sound.
    const SPOKEN_VOWEL: &[&str] = &["NVIDIA", "SSH", "RSA", "SSL", "NGC", "MSAL"];
    let vowel = kind.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U'])
        || SPOKEN_VOWEL.iter().any(|w| kind.starts_with(w));
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests;
