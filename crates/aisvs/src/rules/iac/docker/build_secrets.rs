//! docker-build-secrets (4.4.3): Dockerfiles do not bake secrets into images — no secret values in ENV/ARG, no
//! secret-named build arguments, no COPY/ADD of credential files.

use crate::evidence::Severity;
use crate::model::Model;
use crate::parse::dockerfile::{key_values, split_words};
use crate::rules::{EvidenceSink, Rule, RuleMeta};
use crate::secrets::{find_secret, secret_name_reason, with_article, Confidence};

static META: RuleMeta = RuleMeta {
    id: "docker-build-secrets",
    title: "Dockerfiles do not put secrets into image layers or history",
    requirements: &["4.4.3"],
    inputs: "Dockerfiles",
    severity: Severity::High,
    what: "Every ENV and ARG value is checked against the shared secret catalog (provider formats, credentials in \
           URLs, literals under secret-looking names). ARG and ENV names that look like secrets (TOKEN, PASSWORD, \
           API_KEY …) fail even without a value: build arguments are recorded in the image history. COPY/ADD of \
           credential files (.env, id_rsa, *.pem, *.key, credentials.json, .npmrc, .netrc, .pypirc, kubeconfig, \
           .aws/credentials, service-account JSON) fails. Secrets are redacted in every message.",
    why: "4.4.3: images and start-up scripts must be audited for secrets in environment variables and the build must \
          block on leakage. Anything in ENV, ARG or a copied file is readable by everyone who can pull the image.",
    fail_example: "ARG HF_TOKEN\nENV OPENAI_API_KEY=sk-proj-…\nCOPY .env /app/.env",
    pass_example: "RUN --mount=type=secret,id=hf_token HF_TOKEN=$(cat /run/secrets/hf_token) python download.py",
    remediation: "Use BuildKit secret mounts (RUN --mount=type=secret) for build-time credentials and inject runtime \
                  secrets from a secret manager; rotate any secret that was ever in an image.",
    inconclusive: "—",
    options: &[],
};

/// Credential file names (lower case; a trailing `*` matches a prefix, a leading `*` a suffix).
const CREDENTIAL_FILES: &[&str] = &[
    ".env",
    "id_rsa",
    "id_ed25519",
    "id_ecdsa",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "credentials.json",
    "credentials",
    ".npmrc",
    ".netrc",
    ".pypirc",
    ".git-credentials",
    "kubeconfig",
    "service-account*",
    "*-sa.json",
    ".dockercfg",
];

/// The rule.
pub struct BuildSecrets;

fn credential_file(path: &str) -> bool {
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    if name.starts_with(".env.") && !name.ends_with(".example") && !name.ends_with(".sample") {
        return true;
    }
    CREDENTIAL_FILES.iter().any(|p| {
        if let Some(suffix) = p.strip_prefix('*') {
            name.ends_with(suffix)
        } else if let Some(prefix) = p.strip_suffix('*') {
            name.starts_with(prefix) && name.ends_with(".json")
        } else {
            name == *p
        }
    })
}

impl Rule for BuildSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for d in &model.iac.dockerfiles {
            let mut found = 0;
            for (idx, ins) in d.instructions.iter().enumerate() {
                let problem = match ins.keyword.as_str() {
                    "ENV" | "ARG" => key_values(&ins.keyword, &ins.args).into_iter().find_map(|(k, v)| {
                        if let Some(hit) = v.as_deref().and_then(|v| find_secret(Some(&k), v)) {
                            // A random-looking value alone (no format, no secret-like name) is too weak to fail a build.
                            if hit.confidence > Confidence::Low {
                                return Some((format!("{} {k} holds {} ({})", ins.keyword, with_article(hit.kind), hit.redacted), true));
                            }
                        }
                        secret_name_reason(&k).map(|why| {
                            (format!("{} `{k}` looks like a {why}: its value is recorded in the image {}", ins.keyword,
                                if ins.keyword == "ARG" { "history" } else { "config" }), false)
                        })
                    }),
                    "COPY" | "ADD" => {
                        let words: Vec<String> = split_words(&ins.args).into_iter().filter(|w| !w.starts_with("--")).collect();
                        let sources = words.split_last().map_or(&[][..], |(_, s)| s);
                        sources.iter().find(|s| credential_file(s)).map(|s| (format!("{} copies credential file `{s}` into the image", ins.keyword), false))
                    }
                    _ => None,
                };
                if let Some((msg, sensitive)) = problem {
                    found += 1;
                    out.fail(d.subject(), d.location(idx), msg).sensitive = sensitive;
                }
            }
            if found == 0 && !d.instructions.is_empty() {
                out.pass(
                    d.subject(),
                    d.stages.first().and_then(|s| d.location(s.from)),
                    "no secret in ENV/ARG and no credential file copied",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn credential_files() {
        assert!(super::credential_file("./.env"));
        assert!(super::credential_file("keys/id_rsa"));
        assert!(super::credential_file("gcp/service-account-prod.json"));
        assert!(!super::credential_file(".env.example"));
        assert!(!super::credential_file("src/"));
    }
}
