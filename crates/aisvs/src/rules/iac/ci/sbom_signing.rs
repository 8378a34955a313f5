//! ci-sbom-and-signing (4.2.3): every CI job that pushes an image also produces an SBOM and signs with
//! cosign/Sigstore before any deploy or promotion step; keyless verification names identity and issuer.

use crate::evidence::Severity;
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::images::image_acts;

static META: RuleMeta = RuleMeta {
    id: "ci-sbom-and-signing",
    title: "Pushed images get an SBOM and a Sigstore signature before deployment",
    requirements: &["4.2.3"],
    inputs: "GitHub Actions workflows and composite actions, GitLab CI",
    severity: Severity::Medium,
    what: "For every job that pushes an image: an SBOM step (build-push-action `sbom: true`, buildx --sbom, syft, \
           trivy SBOM formats, anchore/sbom-action, actions/attest-sbom, `cosign attest --type cyclonedx|spdx`) and a \
           signing step (`cosign sign`, `cosign attest`, actions/attest-*) must be present, and signing must come \
           before the first deploy/promotion step of the job (kubectl apply/set, helm upgrade, gcloud … deploy, ECS \
           update-service, argocd sync). A keyless `cosign verify` without --certificate-identity and \
           --certificate-oidc-issuer fails: it accepts a signature from anyone.",
    why: "4.2.3: each image embeds an SBOM and is signed with Sigstore cosign before it is pushed to a registry or \
          promoted; an unsigned image cannot be admitted by signature policy, and an identity-less verify proves nothing.",
    fail_example: "- uses: docker/build-push-action@v6\n  with: { push: true, tags: ghcr.io/acme/api:1 }\n- run: kubectl set image deploy/api api=ghcr.io/acme/api:1",
    pass_example: "- uses: docker/build-push-action@v6\n  id: build\n  with: { push: true, sbom: true }\n- run: cosign sign --yes ghcr.io/acme/api@${{ steps.build.outputs.digest }}",
    remediation: "Generate an SBOM in the build (sbom: true or syft) and sign the pushed digest with cosign (keyless \
                  with id-token: write) before any deploy step; verify with --certificate-identity and \
                  --certificate-oidc-issuer.",
    inconclusive: "—",
    options: &[],
};

/// The rule.
pub struct SbomAndSigning;

impl Rule for SbomAndSigning {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for p in &model.iac.pipelines {
            for job in &p.jobs {
                let acts = image_acts(job);
                let loc = |i: usize| job.steps.get(i).map(|s| s.location());
                for v in &acts.loose_verifies {
                    out.fail(
                        p.job_subject(job),
                        loc(v.step),
                        format!("job `{}`: {}", job.name, v.what),
                    );
                }
                let Some(push) = acts.pushes.first() else {
                    continue;
                };
                let subject = p.job_subject(job);
                let mut problems = Vec::new();
                if acts.sboms.is_empty() {
                    problems.push("no SBOM is generated".to_string());
                }
                match (acts.signs.first(), acts.deploys.first()) {
                    (None, _) => {
                        problems.push("the image is not signed with cosign/Sigstore".into())
                    }
                    (Some(sign), Some(deploy)) if deploy.step < sign.step => {
                        problems.push(format!(
                            "{} (step {}) deploys before signing (step {})",
                            deploy.what,
                            deploy.step + 1,
                            sign.step + 1
                        ));
                    }
                    _ => {}
                }
                if problems.is_empty() {
                    let what = format!(
                        "SBOM via {}; signed via {}",
                        acts.sboms[0].what, acts.signs[0].what
                    );
                    out.pass(subject, loc(push.step), what);
                } else {
                    out.fail(
                        subject,
                        loc(push.step),
                        format!(
                            "job `{}` pushes an image ({}): {}",
                            job.name,
                            push.what,
                            problems.join("; ")
                        ),
                    );
                }
            }
        }
    }
}
