//! ci-cloud-credentials (4.2.4): CI jobs reach clouds and Vault through OIDC federation, not long-lived secrets.

use crate::evidence::{Location, Severity};
use crate::model::iac::{CiJob, CiKind, CiPipeline};
use crate::model::Model;
use crate::parse::{Node, Route, Value};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::text::{github_secret_refs, is_long_lived_cloud_credential, strings_in, variable_refs};

static META: RuleMeta = RuleMeta {
    id: "ci-cloud-credentials",
    title: "CI jobs use short-lived federated cloud credentials, not long-lived secrets",
    requirements: &["4.2.4"],
    inputs: "GitHub Actions workflows and composite actions, GitLab CI",
    severity: Severity::High,
    what: "For every job that authenticates to AWS, GCP, Azure or Vault: long-lived credentials passed from CI \
           secrets or variables (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, service-account JSON keys, \
           AZURE_CREDENTIALS / client secrets, static VAULT_TOKEN) fail; OIDC federation passes \
           (configure-aws-credentials with role-to-assume, google-github-actions/auth with \
           workload_identity_provider, azure/login with client-id and no secret, vault-action method jwt, GitLab \
           id_tokens). A GitHub federated login also needs `id-token: write`. Workflow-wide `permissions: write-all` \
           fails on its own.",
    why: "4.2.4: pipeline secrets must come from a secrets backend as short-lived tokens. A static cloud key in CI \
          secrets is valid until someone rotates it and leaks through logs, forks and compromised actions.",
    fail_example: "- uses: aws-actions/configure-aws-credentials@v4\n  with:\n    aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n    aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}",
    pass_example: "permissions: { id-token: write, contents: read }\n...\n- uses: aws-actions/configure-aws-credentials@v4\n  with:\n    role-to-assume: arn:aws:iam::123456789012:role/ci",
    remediation: "Configure an OIDC trust (AWS IAM role, GCP Workload Identity Federation, Azure federated \
                  credential, Vault JWT auth) for the repository, grant `id-token: write` to the job, delete the \
                  static keys from CI secrets and revoke them.",
    inconclusive: "GitLab jobs that use the deprecated CI_JOB_JWT tokens (reported as partial).",
    options: &[],
};

/// The rule.
pub struct CloudCredentials;

impl Rule for CloudCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for p in &model.iac.pipelines {
            if let Some(perm) = p
                .root
                .get("permissions")
                .filter(|n| n.as_str() == Some("write-all"))
            {
                out.fail(
                    p.subject(),
                    Some(Location::node(perm, &Route::root().key("permissions"))),
                    "workflow-wide `permissions: write-all` gives every job every token scope",
                );
            }
            let workflow_env = p.root.get("env").or_else(|| p.root.get("variables"));
            for job in &p.jobs {
                check_job(p, job, workflow_env, out);
            }
        }
    }
}

/// What one job does about cloud credentials.
#[derive(Default)]
struct Findings {
    long_lived: Vec<(String, Location)>,
    federated: Vec<(String, Location)>,
    deprecated_jwt: Option<Location>,
}

fn check_job(
    p: &CiPipeline<'_>,
    job: &CiJob<'_>,
    workflow_env: Option<&Node>,
    out: &mut EvidenceSink,
) {
    let mut f = Findings::default();
    let gitlab = p.kind == CiKind::GitlabCi;
    let mut texts = strings_in(job.node, &job.route);
    if let Some(env) = workflow_env {
        let key = if gitlab { "variables" } else { "env" };
        texts.extend(strings_in(env, &Route::root().key(key)));
    }
    for (node, route) in &texts {
        let s = node.as_str().unwrap_or("");
        let names: Vec<&str> = if gitlab {
            variable_refs(s)
        } else {
            github_secret_refs(s)
        };
        for name in names {
            if is_long_lived_cloud_credential(name) {
                f.long_lived.push((
                    format!("long-lived credential `{name}`"),
                    Location::node(node, route),
                ));
            }
            if gitlab && (name == "CI_JOB_JWT" || name == "CI_JOB_JWT_V2") {
                f.deprecated_jwt = Some(Location::node(node, route));
            }
        }
    }
    if gitlab {
        if let Some(ids) = job.node.get("id_tokens") {
            f.federated.push((
                "GitLab id_tokens".into(),
                Location::node(ids, &job.route.key("id_tokens")),
            ));
        }
    }
    for step in &job.steps {
        let Some(action) = step.action().map(str::to_ascii_lowercase) else {
            continue;
        };
        let has = |k: &str| step.input(k).is_some_and(|v| !v.trim().is_empty());
        let at = step.location();
        match action.as_str() {
            "aws-actions/configure-aws-credentials" => {
                if has("aws-secret-access-key") || has("aws-access-key-id") {
                    f.long_lived.push((
                        "configure-aws-credentials with static access keys".into(),
                        at,
                    ));
                } else if has("role-to-assume") {
                    f.federated
                        .push(("configure-aws-credentials role-to-assume".into(), at));
                }
            }
            "google-github-actions/auth" => {
                if has("credentials_json") {
                    f.long_lived.push((
                        "google-github-actions/auth with credentials_json (service-account key)"
                            .into(),
                        at,
                    ));
                } else if has("workload_identity_provider") {
                    f.federated
                        .push(("Workload Identity Federation".into(), at));
                }
            }
            "azure/login" => {
                let secret_in_creds = step
                    .input("creds")
                    .is_some_and(|c| c.contains("clientSecret") || c.contains("secrets."));
                if secret_in_creds || has("client-secret") {
                    f.long_lived
                        .push(("azure/login with a service-principal secret".into(), at));
                } else if has("client-id") {
                    f.federated
                        .push(("azure/login federated credential".into(), at));
                }
            }
            "hashicorp/vault-action" => {
                let method = step
                    .input("method")
                    .unwrap_or_else(|| "token".into())
                    .to_ascii_lowercase();
                if method == "jwt" {
                    f.federated.push(("vault-action JWT auth".into(), at));
                } else if method == "token" || method == "approle" {
                    f.long_lived
                        .push((format!("vault-action with static {method} auth"), at));
                }
            }
            _ => {}
        }
    }
    let subject = p.job_subject(job);
    f.long_lived.sort_by(|a, b| a.1.cmp(&b.1));
    f.long_lived.dedup_by(|a, b| a.1 == b.1);
    if let Some((what, at)) = f.long_lived.first() {
        let others = f.long_lived.len() - 1;
        let more = if others > 0 {
            format!(" (and {others} more)")
        } else {
            String::new()
        };
        out.fail(
            subject,
            Some(at.clone()),
            format!(
                "job `{}` uses {what}{more}; use OIDC federation instead",
                job.name
            ),
        );
        return;
    }
    if let Some((what, at)) = f.federated.first() {
        if p.kind == CiKind::GithubWorkflow && !id_token_write(p.root, job.node) {
            out.fail(subject, Some(at.clone()), format!("job `{}` uses {what} but does not grant `id-token: write`, so the OIDC token cannot be minted", job.name));
        } else {
            out.pass(
                subject,
                Some(at.clone()),
                format!("short-lived credentials via {what}"),
            );
        }
    } else if let Some(at) = f.deprecated_jwt {
        out.partial(
            subject,
            Some(at),
            "uses the deprecated CI_JOB_JWT token (removed in GitLab 17); move to id_tokens",
        );
    }
}

/// `id-token: write` on the job, or on the workflow when the job sets no permissions of its own.
fn id_token_write(root: &Node, job: &Node) -> bool {
    let grants = |perm: &Node| match &perm.value {
        Value::Str(s) => s == "write-all",
        Value::Map(_) => perm.get("id-token").and_then(Node::as_str) == Some("write"),
        _ => false,
    };
    match job.get("permissions") {
        Some(p) => grants(p),
        None => root.get("permissions").is_some_and(grants),
    }
}
