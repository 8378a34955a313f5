//! ci-build-provenance (4.2.2): CI jobs that push images produce signed provenance from an isolated builder, with
//! reproducibility inputs (SOURCE_DATE_EPOCH) set.

use crate::evidence::Severity;
use crate::model::iac::{CiKind, CiPipeline};
use crate::model::Model;
use crate::parse::{Node, Value};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::images::image_acts;

static META: RuleMeta = RuleMeta {
    id: "ci-build-provenance",
    title: "Image builds produce SLSA provenance from an isolated builder",
    requirements: &["4.2.2"],
    inputs: "GitHub Actions workflows, GitLab CI",
    severity: Severity::Medium,
    what: "For every job that pushes an image: passes when the workflow hands the image to a \
           slsa-framework/slsa-github-generator reusable workflow (an isolated, SLSA Build L3 builder) and the job \
           sets SOURCE_DATE_EPOCH. Partial when provenance comes from the build job itself — \
           actions/attest-build-provenance with id-token: write and attestations: write (Sigstore-signed, L2), or \
           BuildKit `provenance: mode=max` (unsigned, L1) — or when SOURCE_DATE_EPOCH is missing. Fails when \
           provenance is disabled or absent, or attest-build-provenance lacks its permissions.",
    why: "4.2.2: builds must be reproducible and produce SLSA L3 provenance. Provenance signed by the job that also \
          ran the build steps can be forged by those steps; a reusable-workflow builder cannot be influenced by them.",
    fail_example: "- uses: docker/build-push-action@v6\n  with:\n    push: true\n    provenance: false",
    pass_example: "provenance:\n  needs: [build]\n  uses: slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@v2.1.0",
    remediation: "Call slsa-github-generator's container generator (or another L3 builder) for every pushed image, \
                  set SOURCE_DATE_EPOCH (e.g. from `git log -1 --pretty=%ct`) and build with rewrite-timestamp=true.",
    inconclusive: "—",
    options: &[],
};

/// The rule.
pub struct BuildProvenance;

impl Rule for BuildProvenance {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for p in &model.iac.pipelines {
            let generator = slsa_generator_job(p);
            for job in &p.jobs {
                let acts = image_acts(job);
                let Some(push) = acts.pushes.first() else {
                    continue;
                };
                let subject = p.job_subject(job);
                let at = job.steps.get(push.step).map(|s| s.location());
                let disabled = acts
                    .buildkit_provenance
                    .iter()
                    .any(|(_, m)| m.eq_ignore_ascii_case("false"));
                let sde = if acts.source_date_epoch {
                    ""
                } else {
                    "; SOURCE_DATE_EPOCH is not set, so the build is not reproducible"
                };
                if let Some(gen) = generator
                    .as_ref()
                    .filter(|g| g.1.iter().any(|n| n == &job.name))
                {
                    let msg = format!(
                        "provenance from the isolated SLSA L3 builder in job `{}`{sde}",
                        gen.0
                    );
                    if acts.source_date_epoch {
                        out.pass(subject, at, msg);
                    } else {
                        out.partial(subject, at, msg);
                    }
                } else if let Some(att) = acts.attestations.first() {
                    let at = job.steps.get(att.step).map(|s| s.location());
                    if p.kind == CiKind::GithubWorkflow
                        && !(perm(p.root, job.node, "id-token")
                            && perm(p.root, job.node, "attestations"))
                    {
                        out.fail(subject, at, format!("job `{}` calls {} without `id-token: write` and `attestations: write`", job.name, att.what));
                    } else {
                        out.partial(subject, at, format!("provenance is signed by the build job itself ({}: SLSA Build L2, not an isolated L3 builder){sde}", att.what));
                    }
                } else if disabled {
                    out.fail(
                        subject,
                        at,
                        format!(
                            "job `{}` pushes an image with BuildKit provenance disabled",
                            job.name
                        ),
                    );
                } else if let Some((a, mode)) = acts
                    .buildkit_provenance
                    .iter()
                    .find(|(_, m)| m.contains("max"))
                {
                    let at = job.steps.get(a.step).map(|s| s.location());
                    out.partial(
                        subject,
                        at,
                        format!("only unsigned BuildKit provenance ({mode}): SLSA Build L1{sde}"),
                    );
                } else {
                    out.fail(
                        subject,
                        at,
                        format!(
                            "job `{}` pushes an image ({}) without signed provenance",
                            job.name, push.what
                        ),
                    );
                }
            }
        }
    }
}

/// The job that calls slsa-github-generator, with the jobs it `needs`.
fn slsa_generator_job(p: &CiPipeline<'_>) -> Option<(String, Vec<String>)> {
    p.jobs.iter().find_map(|j| {
        let uses = j.node.get("uses").and_then(Node::as_str)?;
        if !uses.starts_with("slsa-framework/slsa-github-generator/") {
            return None;
        }
        let needs = match j.node.get("needs").map(|n| &n.value) {
            Some(Value::Str(s)) => vec![s.to_string()],
            Some(Value::Seq(items)) => items.iter().filter_map(Node::scalar_text).collect(),
            _ => Vec::new(),
        };
        Some((j.name.clone(), needs))
    })
}

/// `<scope>: write` granted to the job (or to the workflow when the job sets no permissions).
pub fn perm(root: &Node, job: &Node, scope: &str) -> bool {
    let grants = |p: &Node| match &p.value {
        Value::Str(s) => s == "write-all",
        Value::Map(_) => p.get(scope).and_then(Node::as_str) == Some("write"),
        _ => false,
    };
    match job.get("permissions") {
        Some(p) => grants(p),
        None => root.get("permissions").is_some_and(grants),
    }
}
