//! gha-actions-pinned (4.2.2): third-party GitHub Actions and reusable workflows are pinned to a full commit SHA.

use crate::evidence::{Location, Severity};
use crate::model::iac::CiKind;
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "gha-actions-pinned",
    title: "GitHub Actions are pinned to a full commit SHA",
    requirements: &["4.2.2"],
    inputs: "GitHub Actions workflows and composite actions",
    severity: Severity::Medium,
    what: "Every `uses:` of a step or of a job (reusable workflow) must reference a 40-hex commit SHA. Local actions \
           (`./…`) are exempt; `docker://` images must carry an @sha256 digest. Reusable workflows of \
           slsa-github-generator are exempt: they must be referenced by tag for their provenance to verify.",
    why: "4.2.2: reproducible builds need fixed build inputs. A tag or branch can be moved to malicious code after \
          review (tj-actions/changed-files, 2025), changing what every later build runs.",
    fail_example: "- uses: actions/checkout@v4",
    pass_example: "- uses: actions/checkout@692973e3d937129bcbf40652eb9f2f61becf3332 # v4.1.7",
    remediation: "Pin each action to the commit SHA of the release you reviewed (keep the tag as a comment) and let \
                  Dependabot or Renovate propose updates.",
    inconclusive: "—",
    options: &[],
};

/// The rule.
pub struct ActionsPinned;

fn is_sha(r: &str) -> bool {
    r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit())
}

impl Rule for ActionsPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for p in model
            .iac
            .pipelines
            .iter()
            .filter(|p| p.kind != CiKind::GitlabCi)
        {
            for job in &p.jobs {
                let mut uses: Vec<(&str, Location)> = Vec::new();
                if let Some(u) = job
                    .node
                    .get("uses")
                    .filter(|_| p.kind == CiKind::GithubWorkflow)
                {
                    if let Some(s) = u.as_str() {
                        uses.push((s, Location::node(u, &job.route.key("uses"))));
                    }
                }
                for s in &job.steps {
                    if let (Some(u), Some(n)) = (s.uses, s.node.get("uses")) {
                        uses.push((u, Location::node(n, &s.route.key("uses"))));
                    }
                }
                if uses.is_empty() {
                    continue;
                }
                let unpinned: Vec<&(&str, Location)> = uses
                    .iter()
                    .filter(|(u, _)| {
                        if u.starts_with("./")
                            || u.starts_with("slsa-framework/slsa-github-generator/")
                        {
                            return false;
                        }
                        if let Some(img) = u.strip_prefix("docker://") {
                            return !img.contains("@sha256:");
                        }
                        !u.rsplit_once('@').is_some_and(|(_, r)| is_sha(r))
                    })
                    .collect();
                let subject = p.job_subject(job);
                match unpinned.first() {
                    Some((u, at)) => {
                        let more = if unpinned.len() > 1 {
                            format!(" (and {} more)", unpinned.len() - 1)
                        } else {
                            String::new()
                        };
                        out.fail(
                            subject,
                            Some(at.clone()),
                            format!("`{u}` is not pinned to a commit SHA{more}"),
                        );
                    }
                    None => {
                        out.pass(
                            subject,
                            uses.first().map(|u| u.1.clone()),
                            format!("all {} action references pinned", uses.len()),
                        );
                    }
                }
            }
        }
    }
}
