//! docker-non-root-user (4.1.2): the image that is shipped (the last stage) runs as a non-root user.

use crate::evidence::Severity;
use crate::model::iac::{DockerStage, Dockerfile};
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "docker-non-root-user",
    title: "Dockerfiles switch to a non-root USER in the final stage",
    requirements: &["4.1.2"],
    inputs: "Dockerfiles",
    severity: Severity::Medium,
    what: "Follows the final stage (and the stages it builds FROM, by name) for the last USER instruction. No USER, \
           `USER root`, `USER 0` or `USER 0:0` fails unless the base image is a known non-root variant (a `nonroot` \
           tag). A USER given by an unknown build argument is inconclusive.",
    why: "4.1.2: a container should hold the minimal privilege set. Root in the container holds the runtime's default \
          capabilities on every file it can reach, and is root on the host after any escape without user namespaces.",
    fail_example: "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/serve.py\"]",
    pass_example: "FROM python:3.12-slim\nRUN useradd -u 10001 app\nUSER 10001\nCMD [\"python\", \"/app/serve.py\"]",
    remediation: "Create an unprivileged user and add `USER <uid>` (numeric, so Kubernetes runAsNonRoot can verify it) \
                  to the final stage.",
    inconclusive: "USER set from a build argument without a default.",
    options: &[],
};

/// The rule.
pub struct NonRootUser;

impl Rule for NonRootUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for d in &model.iac.dockerfiles {
            let Some(last) = d.final_stage() else {
                continue;
            };
            let subject = d.stage_subject(last);
            match effective_user(d, last, 0) {
                Some((idx, user)) => {
                    let at = d.location(idx);
                    let name = user.split(':').next().unwrap_or("").trim();
                    if name.contains('$') {
                        out.inconclusive(
                            subject,
                            at,
                            format!("USER is set from a build argument (`{user}`)"),
                        );
                    } else if name == "root" || name == "0" || name.is_empty() {
                        out.fail(
                            subject,
                            at,
                            format!("final stage runs as root (`USER {user}`)"),
                        );
                    } else {
                        out.pass(subject, at, format!("runs as `{user}`"));
                    }
                }
                None if base_is_nonroot(&last.image) => {
                    out.pass(
                        subject,
                        d.location(last.from),
                        format!("base image `{}` runs as non-root", last.image),
                    );
                }
                None => {
                    out.fail(
                        subject,
                        d.location(last.from),
                        "final stage has no USER instruction: the container runs as root",
                    );
                }
            }
        }
    }
}

/// The last USER of a stage, following `FROM <earlier stage>` chains (bounded).
fn effective_user(d: &Dockerfile, stage: &DockerStage, depth: usize) -> Option<(usize, String)> {
    let own = d
        .stage_instructions(stage)
        .filter(|(_, i)| i.keyword == "USER")
        .last()
        .map(|(idx, i)| (idx, i.args.trim().to_string()));
    if own.is_some() || depth > 16 {
        return own;
    }
    let parent = d.stages.iter().take(stage.index).rev().find(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(&stage.image))
    })?;
    effective_user(d, parent, depth + 1)
}

fn base_is_nonroot(image: &str) -> bool {
    let tag = image.rsplit_once(':').map_or("", |(_, t)| t);
    tag.contains("nonroot") || image.contains("-nonroot")
}
