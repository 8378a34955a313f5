//! Signer identity policy: certificate SAN and OIDC issuer, each by exact value or regex.

use crate::error::VerifyError;
use regex::Regex;

/// Matches one string either exactly or against a fully anchored regular expression.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// The value must equal this string.
    Exact(String),
    /// The whole value must match this expression.
    Regex(Regex),
}

/// Compiled regex size cap: user patterns are small; this bounds memory and build time.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl Matcher {
    /// Compiles `pattern` anchored at both ends (so `foo` does not match `evil-foo-bar`).
    pub fn regex(pattern: &str) -> Result<Self, VerifyError> {
        regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map(Matcher::Regex)
            .map_err(|e| VerifyError::usage(format!("invalid regular expression {pattern:?}: {e}")))
    }

    /// Whether `value` satisfies this matcher.
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Exact(expected) => expected == value,
            Matcher::Regex(re) => re.is_match(value),
        }
    }

    /// Human-readable form for check details.
    pub fn describe(&self) -> String {
        match self {
            Matcher::Exact(expected) => format!("{expected:?}"),
            Matcher::Regex(re) => format!("regex {}", re.as_str()),
        }
    }

    /// Builds a matcher from an exact value or a regex (exactly one must be given).
    pub fn from_options(
        what: &str,
        exact: Option<&str>,
        regex: Option<&str>,
    ) -> Result<Self, VerifyError> {
        match (exact, regex) {
            (Some(value), None) => Ok(Matcher::Exact(value.to_string())),
            (None, Some(pattern)) => Matcher::regex(pattern),
            (Some(_), Some(_)) => Err(VerifyError::usage(format!(
                "give either --{what} or --{what}-regex, not both"
            ))),
            (None, None) => Err(VerifyError::usage(format!(
                "--{what} or --{what}-regex is required (or --key for a keyed signature)"
            ))),
        }
    }
}

/// Who must have signed: certificate identity (SAN) and OIDC issuer.
#[derive(Debug, Clone)]
pub struct IdentityPolicy {
    /// Certificate SAN (email or URI).
    pub identity: Matcher,
    /// OIDC issuer extension of the certificate.
    pub issuer: Matcher,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_is_anchored() {
        let m = Matcher::regex("https://github\\.com/org/.*").expect("valid");
        assert!(m.matches("https://github.com/org/repo/.github/workflows/x.yml@refs/tags/v1"));
        assert!(!m.matches("evil https://github.com/org/repo"));
    }

    #[test]
    fn exact_matches_only_itself() {
        let m = Matcher::Exact("a@b.c".into());
        assert!(m.matches("a@b.c"));
        assert!(!m.matches("a@b.cc"));
    }

    #[test]
    fn both_or_neither_is_a_usage_error() {
        assert!(Matcher::from_options("identity", Some("a"), Some("b")).is_err());
        assert!(Matcher::from_options("identity", None, None).is_err());
        assert!(Matcher::regex("(").is_err());
    }
}
