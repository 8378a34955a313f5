//! compose-env-secrets (4.4.3): Compose services do not carry literal secrets in `environment` or in the `.env`
//! files they load.

use crate::evidence::{Location, Severity};
use crate::model::Model;
use crate::parse::{Node, Value};
use crate::rules::{EvidenceSink, Rule, RuleMeta};
use crate::secrets::{find_in_text, find_secret, with_article, Confidence};

static META: RuleMeta = RuleMeta {
    id: "compose-env-secrets",
    title: "Compose services take no literal secrets from environment or env files",
    requirements: &["4.4.3"],
    inputs: "Compose files, .env files",
    severity: Severity::High,
    what: "Checks each `environment` entry (map or `KEY=value` list) with the shared secret catalog, and each \
           `env_file` that is among the inputs with the same catalog. Interpolations (`${HF_TOKEN}`) are references, \
           not secrets. Secrets are redacted in every message.",
    why: "4.4.3: environment variables must be audited for sensitive data. Literal secrets in Compose files land in \
          Git, in `docker inspect` output and in every process's environment.",
    fail_example: "environment:\n  OPENAI_API_KEY: sk-proj-…",
    pass_example: "environment:\n  OPENAI_API_KEY: ${OPENAI_API_KEY}\nsecrets: [openai_key]",
    remediation: "Use Compose `secrets:` (files mounted under /run/secrets) or interpolate from the shell environment \
                  filled by a secret manager; rotate the exposed secret.",
    inconclusive: "—",
    options: &[],
};

/// The rule.
pub struct ComposeEnvSecrets;

impl Rule for ComposeEnvSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for c in &model.iac.compose {
            let dir = c.path.rsplit_once('/').map_or("", |(d, _)| d);
            for s in &c.services {
                let mut found = false;
                if let Some((env, _)) = s.field("environment") {
                    let route = s.route.key("environment");
                    let pairs: Vec<(String, String, &Node, crate::parse::Route)> = match &env.value
                    {
                        Value::Map(entries) => entries
                            .iter()
                            .filter_map(|e| {
                                e.value
                                    .scalar_text()
                                    .map(|v| (e.key.to_string(), v, &e.value, route.key(&e.key)))
                            })
                            .collect(),
                        Value::Seq(items) => items
                            .iter()
                            .enumerate()
                            .filter_map(|(i, n)| {
                                let (k, v) = n.as_str()?.split_once('=')?;
                                Some((k.to_string(), v.to_string(), n, route.index(i)))
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    for (k, v, node, r) in pairs {
                        if let Some(hit) =
                            find_secret(Some(&k), &v).filter(|h| h.confidence > Confidence::Low)
                        {
                            found = true;
                            out.fail(
                                s.subject(),
                                Some(Location::node(node, &r)),
                                format!(
                                    "service `{}`: environment {k} holds {} ({})",
                                    s.name,
                                    with_article(hit.kind),
                                    hit.redacted
                                ),
                            )
                            .sensitive = true;
                        }
                    }
                }
                let env_files: Vec<String> = match s.field("env_file").map(|(n, _)| &n.value) {
                    Some(Value::Str(f)) => vec![f.to_string()],
                    Some(Value::Seq(items)) => items
                        .iter()
                        .filter_map(|i| {
                            i.as_str()
                                .or_else(|| i.get("path").and_then(Node::as_str))
                                .map(str::to_string)
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                for f in env_files {
                    let want = crate::rules::iac::ci::commands::normalise_path(dir, &f);
                    let Some(file) = model
                        .iac
                        .env_files
                        .iter()
                        .map(|id| model.file(*id))
                        .find(|src| src.path == want)
                    else {
                        continue;
                    };
                    if let Some(h) = find_in_text(&file.text).first() {
                        found = true;
                        let at = Location::bytes(file.id, h.start, h.end, "");
                        out.fail(
                            s.subject(),
                            Some(at),
                            format!(
                                "service `{}` loads env file `{f}`, which holds {} ({})",
                                s.name,
                                with_article(h.hit.kind),
                                h.hit.redacted
                            ),
                        )
                        .sensitive = true;
                    }
                }
                if !found {
                    out.pass(
                        s.subject(),
                        Some(s.location()),
                        "no literal secret in environment or loaded env files",
                    );
                }
            }
        }
    }
}
