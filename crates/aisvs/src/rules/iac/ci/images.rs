//! What a CI job does with container images: which steps push, build with provenance/SBOM, sign, attest, deploy.

use crate::model::iac::{CiJob, CiStep};

use super::commands::{commands, program};

/// One notable step of a job, by position.
#[derive(Debug, Clone)]
pub struct Act {
    /// Index of the step in the job.
    pub step: usize,
    /// What it is, for messages.
    pub what: String,
}

/// Everything image-related in one job.
#[derive(Debug, Default)]
pub struct ImageActs {
    /// Steps that push an image.
    pub pushes: Vec<Act>,
    /// Steps that produce an SBOM.
    pub sboms: Vec<Act>,
    /// Steps that sign with cosign / Sigstore.
    pub signs: Vec<Act>,
    /// Steps that deploy or promote.
    pub deploys: Vec<Act>,
    /// `cosign verify` calls without an identity policy (keyless verification that trusts any signer).
    pub loose_verifies: Vec<Act>,
    /// BuildKit provenance mode set on a build step (`max`, `min`, `false`), with the step.
    pub buildkit_provenance: Vec<(Act, String)>,
    /// `actions/attest-build-provenance` steps.
    pub attestations: Vec<Act>,
    /// Whether SOURCE_DATE_EPOCH is set anywhere in the job (env or build args).
    pub source_date_epoch: bool,
}

/// Reads a job's steps.
pub fn image_acts(job: &CiJob<'_>) -> ImageActs {
    let mut a = ImageActs::default();
    let job_text_has_sde = |n: &crate::parse::Node| {
        format!("{:?}", n.get("env").map(|e| &e.value)).contains("SOURCE_DATE_EPOCH")
    };
    a.source_date_epoch = job_text_has_sde(job.node);
    for (i, step) in job.steps.iter().enumerate() {
        let act = |what: &str| Act {
            step: i,
            what: what.to_string(),
        };
        a.source_date_epoch |= job_text_has_sde(step.node)
            || step
                .input("build-args")
                .is_some_and(|b| b.contains("SOURCE_DATE_EPOCH"))
            || step.run.is_some_and(|r| r.contains("SOURCE_DATE_EPOCH"));
        if let Some(action) = step.action().map(str::to_ascii_lowercase) {
            uses_step(&action, step, &act, &mut a);
        }
        for cmd in commands(step.run.unwrap_or("")) {
            let Some((at, prog)) = program(&cmd.words) else {
                continue;
            };
            let args: Vec<&str> = cmd.words[at + 1..].iter().map(String::as_str).collect();
            let has = |w: &str| args.contains(&w);
            let line = cmd.line.chars().take(60).collect::<String>();
            match prog {
                "docker" | "podman" | "buildah" | "nerdctl"
                    if has("push")
                        || (has("build")
                            && (has("--push")
                                || args
                                    .iter()
                                    .any(|x| x.starts_with("--output=type=registry")))) =>
                {
                    a.pushes.push(act(&format!("`{line}`")));
                    if args
                        .iter()
                        .any(|x| x.starts_with("--sbom=true") || *x == "--sbom")
                    {
                        a.sboms.push(act("buildx --sbom"));
                    }
                    if let Some(p) = args.iter().find_map(|x| x.strip_prefix("--provenance=")) {
                        a.buildkit_provenance
                            .push((act("buildx --provenance"), p.to_string()));
                    }
                }
                "ko" if has("build") || has("publish") || has("resolve") => {
                    a.pushes.push(act("ko build"))
                }
                "crane" if has("push") || has("copy") || has("cp") => {
                    a.pushes.push(act(&format!("`{line}`")))
                }
                "executor" | "kaniko" if args.iter().any(|x| x.starts_with("--destination")) => {
                    a.pushes.push(act("kaniko --destination"))
                }
                "syft" => a.sboms.push(act("syft")),
                "trivy"
                    if has("sbom")
                        || args
                            .iter()
                            .any(|x| x.contains("cyclonedx") || x.contains("spdx")) =>
                {
                    a.sboms.push(act("trivy SBOM"))
                }
                "cosign"
                    if has("attest")
                        && args
                            .iter()
                            .any(|x| x.contains("cyclonedx") || x.contains("spdx")) =>
                {
                    a.sboms.push(act("cosign attest SBOM"));
                    a.signs.push(act("cosign attest"));
                }
                "cosign" if has("sign") => a.signs.push(act("cosign sign")),
                "cosign" if has("verify") || has("verify-attestation") => {
                    let keyless = !args.iter().any(|x| x.starts_with("--key"));
                    let identity = args.iter().any(|x| x.starts_with("--certificate-identity"));
                    let issuer = args
                        .iter()
                        .any(|x| x.starts_with("--certificate-oidc-issuer"));
                    if keyless && !(identity && issuer) {
                        a.loose_verifies.push(act("cosign verify without --certificate-identity and --certificate-oidc-issuer"));
                    }
                }
                "kubectl" if has("apply") || has("set") || has("rollout") => {
                    a.deploys.push(act(&format!("`{line}`")))
                }
                "helm" if has("upgrade") || has("install") => {
                    a.deploys.push(act(&format!("`{line}`")))
                }
                "gcloud" if has("deploy") => a.deploys.push(act(&format!("`{line}`"))),
                "aws" if has("update-service") || has("update-function-code") => {
                    a.deploys.push(act(&format!("`{line}`")))
                }
                "argocd" if has("sync") => a.deploys.push(act(&format!("`{line}`"))),
                _ => {}
            }
        }
    }
    a
}

fn uses_step(action: &str, step: &CiStep<'_>, act: &dyn Fn(&str) -> Act, a: &mut ImageActs) {
    let truthy = |k: &str| {
        step.input(k)
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v.contains("${{"))
    };
    match action {
        "docker/build-push-action" => {
            if truthy("push")
                || step
                    .input("outputs")
                    .is_some_and(|o| o.contains("registry"))
            {
                a.pushes.push(act("docker/build-push-action (push)"));
            }
            if step
                .input("sbom")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            {
                a.sboms.push(act("docker/build-push-action sbom: true"));
            }
            let mode = step.input("provenance").unwrap_or_else(|| "default".into());
            a.buildkit_provenance
                .push((act("docker/build-push-action"), mode));
        }
        "anchore/sbom-action" | "actions/attest-sbom" => a.sboms.push(act(action)),
        "aquasecurity/trivy-action"
            if step
                .input("format")
                .is_some_and(|f| f.contains("cyclonedx") || f.contains("spdx")) =>
        {
            a.sboms.push(act("trivy-action SBOM"));
        }
        "actions/attest-build-provenance" | "actions/attest" => a.attestations.push(act(action)),
        "azure/k8s-deploy"
        | "google-github-actions/deploy-cloudrun"
        | "aws-actions/amazon-ecs-deploy-task-definition" => {
            a.deploys.push(act(action));
        }
        "sigstore/cosign-installer" => {}
        _ => {}
    }
    if action == "actions/attest-sbom" {
        a.signs.push(act("actions/attest-sbom (Sigstore)"));
    }
    if action == "actions/attest-build-provenance" {
        a.signs
            .push(act("actions/attest-build-provenance (Sigstore)"));
    }
}
