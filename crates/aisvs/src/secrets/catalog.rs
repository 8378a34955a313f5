//! Value patterns of real credential formats, each checked against a primary source (gitleaks / trufflehog rules).
//!
//! Every pattern carries literal keywords: a value is only run through a regex when it contains one of
//! them, which keeps scanning linear and cheap on large inputs.

use std::sync::LazyLock;

use regex::Regex;

use super::Confidence;

/// One credential format.
pub(crate) struct Pattern {
    /// Human name used in findings (`Hugging Face access token`).
    pub kind: &'static str,
    /// Substrings of which at least one must occur before the regex runs.
    pub keywords: &'static [&'static str],
    /// The format.
    pub regex: Regex,
    /// How sure a match is.
    pub confidence: Confidence,
    /// Minimum Shannon entropy (bits per char) of the match, to drop `AKIAXXXXXXXXXXXXXXXX`-style fillers.
    pub min_entropy: f64,
}

/// `(kind, keywords, regex, confidence, min_entropy)`; regexes are unanchored and use `\b` where the
/// source rule does, so they work on whole values and on command lines alike.
type Spec = (
    &'static str,
    &'static [&'static str],
    &'static str,
    Confidence,
    f64,
);

const SPECS: &[Spec] = &[
    // AWS access key ids (gitleaks aws-access-token: A3T/AKIA/ASIA/ABIA/ACCA + 16 upper-case base32).
    (
        "AWS access key id",
        &["A3T", "AKIA", "ASIA", "ABIA", "ACCA"],
        r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b",
        Confidence::High,
        3.0,
    ),
    // GCP API key (gitleaks gcp-api-key: AIza + 35 word chars).
    (
        "GCP API key",
        &["AIza"],
        r"\bAIza[\w-]{35}\b",
        Confidence::High,
        3.5,
    ),
    // PEM private keys of any algorithm (RSA, EC, OPENSSH, PKCS#8, encrypted).
    (
        "private key (PEM)",
        &["PRIVATE KEY"],
        r"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----",
        Confidence::High,
        0.0,
    ),
    // Azure AD client secret (gitleaks azure-ad-client-secret: 3 chars, a digit, `Q~`, 31–34 chars).
    (
        "Azure AD client secret",
        &["Q~"],
        r"(?:^|[\s'\x22=:(,])[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}",
        Confidence::High,
        3.0,
    ),
    // Azure storage connection string key.
    (
        "Azure storage account key",
        &["AccountKey="],
        r"AccountKey=[A-Za-z0-9+/]{86}==",
        Confidence::High,
        3.5,
    ),
    // GitHub tokens (gitleaks github-pat/oauth/app/refresh; fine-grained github_pat_ + 82 word chars).
    (
        "GitHub token",
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        r"\bgh[pousr]_[0-9a-zA-Z]{36}\b",
        Confidence::High,
        3.0,
    ),
    (
        "GitHub fine-grained token",
        &["github_pat_"],
        r"\bgithub_pat_\w{82}\b",
        Confidence::High,
        3.0,
    ),
    // GitLab tokens (gitleaks gitlab-pat, deploy, runner, pipeline trigger).
    (
        "GitLab token",
        &["glpat-", "gldt-", "glrt-", "glptt-"],
        r"\b(?:glpat|gldt|glrt)-[\w-]{20,}|\bglptt-[0-9a-f]{40}",
        Confidence::High,
        3.0,
    ),
    // Slack bot / user / legacy tokens (gitleaks slack-bot-token, slack-user-token, slack-legacy-bot-token).
    (
        "Slack token",
        &["xoxb-", "xoxp-", "xoxe-", "xoxa-", "xoxr-"],
        r"\bxox[baper]-(?:[0-9]{8,13}-)+[a-zA-Z0-9-]{10,}",
        Confidence::High,
        2.5,
    ),
    (
        "Slack webhook URL",
        &["hooks.slack.com"],
        r"hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9+/]{20,}",
        Confidence::High,
        3.0,
    ),
    // Anthropic (gitleaks anthropic-api-key/admin: 93 chars + AA; OAuth tokens: 40+).
    (
        "Anthropic API key",
        &["sk-ant-"],
        r"\bsk-ant-(?:api03|admin01)-[a-zA-Z0-9_-]{93}AA|\bsk-ant-(?:oat01|ort01)-[a-zA-Z0-9_-]{40,}",
        Confidence::High,
        3.0,
    ),
    (
        "Anthropic API key (unrecognised version)",
        &["sk-ant-"],
        r"\bsk-ant-[a-z]+[0-9]{2}-[a-zA-Z0-9_-]{32,}",
        Confidence::Medium,
        3.0,
    ),
    // OpenAI (gitleaks openai-api-key: the T3BlbkFJ marker inside project, service-account, admin and legacy keys).
    (
        "OpenAI API key",
        &["T3BlbkFJ"],
        r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{58,74}T3BlbkFJ[A-Za-z0-9_-]{58,74}|\bsk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20}",
        Confidence::High,
        3.0,
    ),
    (
        "OpenAI API key (unrecognised layout)",
        &["sk-proj-", "sk-svcacct-", "sk-admin-"],
        r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}",
        Confidence::Medium,
        3.5,
    ),
    // Hugging Face (gitleaks huggingface-access-token: hf_ + 34 letters; organisation tokens api_org_).
    (
        "Hugging Face token",
        &["hf_", "api_org_"],
        r"\b(?:hf|api_org)_[a-zA-Z]{34}\b",
        Confidence::High,
        2.5,
    ),
    // Replicate (trufflehog replicate: r8_ + 37).
    (
        "Replicate API token",
        &["r8_"],
        r"\br8_[0-9A-Za-z_-]{37}\b",
        Confidence::High,
        3.0,
    ),
    // NVIDIA NGC / build.nvidia.com API keys: nvapi- + 64.
    (
        "NVIDIA NGC API key",
        &["nvapi-"],
        r"\bnvapi-[A-Za-z0-9_-]{64}\b",
        Confidence::High,
        3.0,
    ),
    // Stripe live secret keys and npm tokens: common in the same deployments.
    (
        "Stripe live secret key",
        &["sk_live_", "rk_live_"],
        r"\b[sr]k_live_[0-9a-zA-Z]{24,}\b",
        Confidence::High,
        3.0,
    ),
    (
        "npm token",
        &["npm_"],
        r"\bnpm_[A-Za-z0-9]{36}\b",
        Confidence::High,
        3.0,
    ),
    // JSON Web Tokens: header and payload both start with base64url `{"`.
    (
        "JSON Web Token",
        &["eyJ"],
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
        Confidence::Medium,
        3.0,
    ),
];

/// The compiled catalog (built once; a pattern that fails to compile is dropped, never a panic).
pub(crate) static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    SPECS
        .iter()
        .filter_map(|(kind, keywords, re, confidence, min_entropy)| {
            Regex::new(re).ok().map(|regex| Pattern {
                kind,
                keywords,
                regex,
                confidence: *confidence,
                min_entropy: *min_entropy,
            })
        })
        .collect()
});

/// Credentials inside URLs: `scheme://user:password@host`.
pub(crate) static URL_CREDENTIALS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^/\s:@]{1,128}:([^/\s@]{3,256})@[A-Za-z0-9.\-\[\]]",
    )
    .ok()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(PATTERNS.len(), SPECS.len());
        assert!(URL_CREDENTIALS.is_some());
    }
}
