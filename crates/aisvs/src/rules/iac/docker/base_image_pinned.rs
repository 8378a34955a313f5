//! docker-base-image-pinned (4.2.2): every external base image of a Dockerfile is pinned by digest.

use crate::evidence::Severity;
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "docker-base-image-pinned",
    title: "Dockerfile base images are pinned by digest",
    requirements: &["4.2.2"],
    inputs: "Dockerfiles",
    severity: Severity::Low,
    what: "Every FROM that names an external image (not `scratch`, not an earlier stage) must carry @sha256:<digest> \
           after build arguments with defaults are expanded. A FROM whose image is still a `$VAR` is inconclusive.",
    why: "4.2.2: reproducible builds need fixed inputs; a tag such as `python:3.12` points at a different image every \
          week, so the same commit yields a different container (and provenance that names a moving target).",
    fail_example: "FROM python:3.12-slim",
    pass_example: "FROM python:3.12-slim@sha256:<64 hex digits>",
    remediation: "Pin each base image by digest (keep the tag for readability: `image:tag@sha256:…`) and let \
                  Dependabot/Renovate bump the digest.",
    inconclusive: "Base images given by build arguments without a default.",
    options: &[],
};

/// The rule.
pub struct BaseImagePinned;

impl Rule for BaseImagePinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for d in &model.iac.dockerfiles {
            let mut unpinned = Vec::new();
            let mut unknown = None;
            let mut external = 0;
            for stage in &d.stages {
                let image = stage.image.as_str();
                let earlier = d.stages[..stage.index].iter().any(|s| {
                    s.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(image))
                });
                if image.eq_ignore_ascii_case("scratch") || earlier {
                    continue;
                }
                external += 1;
                if image.contains('$') {
                    unknown.get_or_insert((stage.from, image.to_string()));
                } else if !image.contains("@sha256:") {
                    unpinned.push((stage.from, image.to_string()));
                }
            }
            if external == 0 {
                continue;
            }
            if let Some((idx, image)) = unpinned.first() {
                let more = if unpinned.len() > 1 {
                    format!(" (and {} more)", unpinned.len() - 1)
                } else {
                    String::new()
                };
                out.fail(
                    d.subject(),
                    d.location(*idx),
                    format!("base image `{image}` is not pinned by digest{more}"),
                );
            } else if let Some((idx, image)) = unknown {
                out.inconclusive(
                    d.subject(),
                    d.location(idx),
                    format!("base image `{image}` comes from a build argument without a default"),
                );
            } else {
                out.pass(
                    d.subject(),
                    d.stages.first().and_then(|s| d.location(s.from)),
                    "every base image pinned by digest",
                );
            }
        }
    }
}
