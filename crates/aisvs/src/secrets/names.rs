//! Which variable, flag or key names announce a secret (`HF_TOKEN`, `--api-key`, `dbPassword`), and which
//! look similar but hold none (`MAX_NEW_TOKENS`, `TOKEN_PATH`, `SECRET_NAME`).

/// Splits `HF_TOKEN`, `hf-token`, `hfToken`, `--api.key` into upper-case words.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Last words that make the name about a secret, not the secret itself (a path, a reference, a switch).
const NOT_THE_VALUE: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "NAME",
    "REF",
    "ID",
    "ENABLED",
    "ENABLE",
    "DISABLED",
    "TTL",
    "EXPIRY",
    "EXPIRATION",
    "HEADER",
    "TYPE",
    "LENGTH",
    "LEN",
    "SIZE",
    "MODE",
    "URL",
    "URI",
    "ENDPOINT",
    "KIND",
    "FORMAT",
    "VERSION",
    "ARN",
    "LOCATION",
    "MOUNT",
    "KEY_REF",
    "SELECTOR",
    "PREFIX",
    "COUNT",
    "LIMIT",
    "NAMESPACE",
    "ANNOTATION",
    "AUDIENCE",
    "AUDIENCES",
    "LABEL",
    "UNIT",
    "NS",
    "ENV",
    "SOURCE",
    "KEYS",
    "MAX",
    "MIN",
    "SECONDS",
    "TIMEOUT",
    "PROVIDER",
    "STORE",
    "USER",
    "USERNAME",
    "REGION",
];

/// Why a name looks like it holds a secret (the matched words), or `None`.
pub fn secret_name_reason(name: &str) -> Option<&'static str> {
    let w = words(name);
    let last = w.last()?.as_str();
    if NOT_THE_VALUE.contains(&last) {
        return None;
    }
    let has = |x: &str| w.iter().any(|s| s == x);
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    if has("PASSWORD") || has("PASSWD") || has("PWD") || has("PASS") {
        Some("password")
    } else if has("APIKEY") || pair("API", "KEY") || has("APITOKEN") {
        Some("API key")
    } else if pair("PRIVATE", "KEY") || has("PRIVATEKEY") {
        Some("private key")
    } else if pair("ACCESS", "KEY") || pair("SECRET", "KEY") || has("SECRETKEY") || has("ACCESSKEY")
    {
        Some("access key")
    } else if has("TOKEN") || has("AUTHTOKEN") || has("BEARER") {
        Some("token")
    } else if has("SECRET") || has("CREDENTIAL") || has("CREDENTIALS") || has("CREDS") {
        Some("secret")
    } else if has("WANDB") && has("KEY") {
        Some("API key")
    } else {
        None
    }
}

/// A provider named in the variable, to make findings concrete (`WANDB_API_KEY` → W&B API key).
pub fn provider_kind(name: &str) -> Option<&'static str> {
    let w = words(name);
    let has = |x: &str| w.iter().any(|s| s == x);
    if has("WANDB") {
        Some("W&B API key")
    } else if has("COHERE") || (has("CO") && has("API")) {
        Some("Cohere API key")
    } else if has("HF") || has("HUGGINGFACE") || (has("HUGGING") && has("FACE")) {
        Some("Hugging Face token")
    } else if has("OPENAI") {
        Some("OpenAI API key")
    } else if has("ANTHROPIC") {
        Some("Anthropic API key")
    } else if has("NGC") || has("NVIDIA") {
        Some("NVIDIA NGC API key")
    } else if has("AWS") {
        Some("AWS secret")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "HF_TOKEN",
            "HUGGING_FACE_HUB_TOKEN",
            "OPENAI_API_KEY",
            "WANDB_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "VLLM_API_KEY",
            "MLFLOW_TRACKING_PASSWORD",
            "dbPassword",
            "--api-key",
            "RAY_AUTH_TOKEN",
            "client_secret",
        ] {
            assert!(secret_name_reason(n).is_some(), "{n}");
        }
    }

    #[test]
    fn look_alike_names() {
        for n in [
            "MAX_NEW_TOKENS",
            "HF_TOKEN_PATH",
            "SECRET_NAME",
            "TOKENIZER",
            "PASSWORD_FILE",
            "API_KEY_ENABLED",
            "AWS_REGION",
            "webhook-secret-namespace",
            "secretEnv",
            "storageSecretNameAnnotation",
            "queue-sidecar-token-audiences",
            "NUM_TOKENS",
            "",
        ] {
            assert!(secret_name_reason(n).is_none(), "{n}");
        }
    }

    #[test]
    fn providers() {
        assert_eq!(provider_kind("WANDB_API_KEY"), Some("W&B API key"));
        assert_eq!(provider_kind("CO_API_KEY"), Some("Cohere API key"));
        assert_eq!(provider_kind("PASSWORD"), None);
    }
}
