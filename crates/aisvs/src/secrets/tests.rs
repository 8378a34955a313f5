//! Catalog tests: one synthetic sample per format (built at run time, so the repository holds no
//! key-shaped literals), look-alikes that must not match, and redaction.

use super::*;

/// A deterministic pseudo-random string over `alphabet` (xorshift; no real key material).
fn filler(len: usize, alphabet: &str, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chars[(x % chars.len() as u64) as usize]
        })
        .collect()
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const UPPER_B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn samples() -> Vec<(String, &'static str)> {
    vec![
        (
            format!("AKIA{}", filler(16, UPPER_B32, 1)),
            "AWS access key id",
        ),
        (format!("AIza{}", filler(35, ALNUM, 2)), "GCP API key"),
        (format!("ghp_{}", filler(36, ALNUM, 3)), "GitHub token"),
        (
            format!("github_pat_{}", filler(82, ALNUM, 4)),
            "GitHub fine-grained token",
        ),
        (format!("glpat-{}", filler(20, ALNUM, 5)), "GitLab token"),
        (
            format!("xoxb-1234567890-1234567890123-{}", filler(24, ALNUM, 6)),
            "Slack token",
        ),
        (
            format!("sk-ant-api03-{}AA", filler(93, ALNUM, 7)),
            "Anthropic API key",
        ),
        (
            format!(
                "sk-proj-{}T3BlbkFJ{}",
                filler(58, ALNUM, 8),
                filler(58, ALNUM, 9)
            ),
            "OpenAI API key",
        ),
        (
            format!(
                "sk-{}T3BlbkFJ{}",
                filler(20, ALNUM, 10),
                filler(20, ALNUM, 11)
            ),
            "OpenAI API key",
        ),
        (
            format!("hf_{}", filler(34, LETTERS, 12)),
            "Hugging Face token",
        ),
        (
            format!("r8_{}", filler(37, ALNUM, 13)),
            "Replicate API token",
        ),
        (
            format!("nvapi-{}", filler(64, ALNUM, 14)),
            "NVIDIA NGC API key",
        ),
        (
            format!("abc1Q~{}", filler(32, ALNUM, 15)),
            "Azure AD client secret",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=".to_string(),
            "private key (PEM)",
        ),
    ]
}

#[test]
fn every_format_is_recognised_without_a_name() {
    for (value, kind) in samples() {
        let hit = find_secret(None, &value).unwrap_or_else(|| panic!("no hit for {kind}"));
        assert_eq!(hit.kind, kind, "{value}");
        assert!(hit.confidence >= Confidence::Medium);
        assert_eq!(hit.detector, Detector::Pattern);
    }
}

#[test]
fn redaction_never_shows_the_whole_value() {
    for (value, _) in samples() {
        let hit = find_secret(None, &value).unwrap_or_else(|| panic!("no hit for {value}"));
        assert!(hit.redacted.chars().filter(|&c| c != '…').count() < value.len());
        assert!(
            !hit.redacted.contains(&value[value.len() - 8..]),
            "{}",
            hit.redacted
        );
    }
    assert_eq!(redact("hunter2"), "…(7 chars)");
    assert_eq!(redact("hf_abcdefghijklmnop"), "hf_a…(19 chars)");
}

#[test]
fn documented_example_keys_and_fillers_are_not_hits() {
    for v in [
        "AKIAIOSFODNN7EXAMPLE",
        "AKIAXXXXXXXXXXXXXXXX",
        "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "glpat-XXXXXXXXXXXXXXXXXXXX",
        "sk-proj-your-key-here",
        "ghp_<your-token>",
    ] {
        assert_eq!(find_secret(None, v), None, "{v}");
        assert_eq!(find_secret(Some("API_KEY"), v), None, "{v}");
    }
}

#[test]
fn name_based_detection() {
    let hit = find_secret(Some("MLFLOW_TRACKING_PASSWORD"), "s3cr3tPa55").expect("hit");
    assert_eq!(hit.kind, "literal password");
    assert_eq!(hit.confidence, Confidence::Medium);
    assert_eq!(hit.detector, Detector::Name);
    let hit = find_secret(Some("WANDB_API_KEY"), &filler(40, "0123456789abcdef", 20)).expect("hit");
    assert_eq!(hit.kind, "W&B API key");
    let hit = find_secret(Some("POSTGRES_PASSWORD"), "changeme").expect("hit");
    assert_eq!(hit.kind, "weak default password");
    for (n, v) in [
        ("HF_TOKEN", "$(HF_TOKEN)"),
        ("HF_TOKEN", "{{ .Values.hfToken }}"),
        ("MAX_NEW_TOKENS", "512"),
        ("HF_TOKEN_PATH", "/var/run/secrets/hf/token"),
        ("API_KEY", ""),
        ("ENABLE_API_KEY", "true"),
        ("SECRET_NAME", "hf-token"),
    ] {
        assert_eq!(find_secret(Some(n), v), None, "{n}={v}");
    }
}

#[test]
fn url_credentials_and_entropy() {
    let hit = find_secret(
        Some("DATABASE_URL"),
        "postgres://app:Sup3rS3cret@db:5432/app",
    )
    .expect("hit");
    assert_eq!(hit.detector, Detector::UrlCredentials);
    assert!(!hit.redacted.contains("S3cret"));
    assert_eq!(
        find_secret(Some("DATABASE_URL"), "postgres://app:$(DB_PASSWORD)@db/app"),
        None
    );
    let random = filler(40, ALNUM, 30);
    let hit = find_secret(Some("SOME_SETTING"), &random).expect("hit");
    assert_eq!(hit.confidence, Confidence::Low);
    assert_eq!(
        find_secret(Some("CHECKSUM"), &filler(64, "0123456789abcdef", 31)),
        None
    );
}

#[test]
fn hostile_input_is_bounded() {
    let huge = "A".repeat(2 * 1024 * 1024) + "é";
    assert_eq!(find_secret(None, &huge), None);
    assert!(find_in_text(&huge).is_empty());
}

#[test]
fn prose_in_comments_is_not_a_secret() {
    let text = "# the secret name reference annotation: serving.kserve.io/storage-secret\n\"storageSpecSecretName\": \"storage-config\",\n";
    assert!(find_in_text(text).is_empty(), "{:?}", find_in_text(text));
    let with_key = format!("# token: ghp_{}\n", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6");
    assert_eq!(find_in_text(&with_key).len(), 1);
}

#[test]
fn an_empty_value_or_the_next_key_is_not_a_secret() {
    // KServe's storage config: an empty credential setting followed by another key.
    let json = "\"s3UseAnonymousCredential\": \"\",\n\"s3CABundleConfigMap\": \"\",\n";
    assert!(find_in_text(json).is_empty(), "{:?}", find_in_text(json));
    // Istio's injector template: a projected token volume, its next key on the following line.
    let yaml = "- serviceAccountToken:\n    path: istio-token\n    expirationSeconds: 43200\n";
    assert!(find_in_text(yaml).is_empty(), "{:?}", find_in_text(yaml));
    // A real value after the same names is still found.
    let real = "\"s3UseAnonymousCredential\": \"\",\n\"secretAccessKey\": \"Xk29vLq8PzR4mT7wB2nD5fH8jK1pS6uY\",\n";
    assert_eq!(find_in_text(real).len(), 1, "{:?}", find_in_text(real));
}

#[test]
fn kinds_take_the_article_they_are_read_with() {
    assert_eq!(
        with_article("Azure storage account key"),
        "an Azure storage account key"
    );
    assert_eq!(with_article("NVIDIA NGC API key"), "an NVIDIA NGC API key");
    assert_eq!(with_article("literal password"), "a literal password");
    assert_eq!(with_article("Hugging Face token"), "a Hugging Face token");
}
