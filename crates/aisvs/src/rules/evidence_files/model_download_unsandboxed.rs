//! model-download-unsandboxed (4.5.1): CI jobs and Kubernetes Jobs that fetch or load external models
//! (`huggingface-cli download`, `snapshot_download`, `from_pretrained`, `torch.load`, `trust_remote_code=True`)
//! must do it in a sandboxed stage with outbound network denied.

use crate::evidence::{Location, Severity};
use crate::model::iac::CiJob;
use crate::model::{Model, Workload};

use super::super::sink::{container_location, container_subject};
use super::super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "model-download-unsandboxed",
    title: "External models are fetched and loaded only in a sandboxed, egress-denied stage",
    requirements: &["4.5.1"],
    inputs: "GitHub Actions / GitLab CI jobs, Kubernetes Jobs and CronJobs",
    severity: Severity::High,
    what: "Finds CI steps and Job containers that fetch or load an external model: huggingface-cli/hf \
           download, snapshot_download, hf_hub_download, from_pretrained, torch.load, trust_remote_code=True, \
           curl/wget/git clone of huggingface.co. A CI step passes when it runs inside an egress-denied \
           sandbox (`aisvs sandbox run` without --allow-net, `docker run --network none`, `unshare -n`, \
           `bwrap --unshare-net`, `firejail --net=none`), or when it only downloads and a later step of the \
           same job vets the model in such a sandbox. A Kubernetes Job passes when a NetworkPolicy denies its \
           egress and it runs under a sandbox runtime class (gVisor, Kata); egress denied alone is partial.",
    why: "4.5.1: new or external models must be evaluated inside an isolated sandbox with no outbound \
          network until vetting completes. Loading a pickle checkpoint or remote code runs the model \
          author's code with the job's credentials and network.",
    fail_example: "- run: python -c \"from transformers import AutoModel; \
                   AutoModel.from_pretrained('org/m', trust_remote_code=True)\"",
    pass_example: "- run: huggingface-cli download org/m --local-dir m\n- run: aisvs sandbox run \
                   --read-only $PWD/m --record rec.json -- python vet.py m",
    remediation: "Download the model in one step, then load and evaluate it only inside `aisvs sandbox run` \
                  (no --allow-net) or a container started with --network none; in Kubernetes, run the vetting \
                  Job under a gVisor/Kata RuntimeClass with a NetworkPolicy that denies egress.",
    inconclusive: "Never: a command either names a model fetch/load or it does not.",
    options: &[],
};

/// Commands that fetch a model without running it.
const FETCH: &[&str] = &[
    "huggingface-cli download",
    "hf download ",
    "snapshot_download(",
    "hf_hub_download(",
    "git clone https://huggingface.co",
];
/// Commands that load (and may execute) model code.
const LOAD: &[&str] = &["from_pretrained(", "torch.load(", "trust_remote_code=True"];
/// Wrappers that run a command without outbound network.
const SANDBOX: &[&str] = &[
    "aisvs sandbox run",
    "--network none",
    "--network=none",
    "--net=none",
    "--net none",
    "unshare -n",
    "unshare --net",
    "--unshare-net",
    "--unshare-all",
];

/// The rule.
pub struct DownloadUnsandboxed;

/// The first model fetch/load pattern in a command, and whether it only fetches.
fn model_use(text: &str) -> Option<(&'static str, bool)> {
    if let Some(p) = LOAD.iter().find(|p| text.contains(**p)) {
        return Some((p, false));
    }
    let lower = text.to_ascii_lowercase();
    let fetch_url =
        (lower.contains("curl ") || lower.contains("wget ")) && lower.contains("huggingface.co/");
    FETCH
        .iter()
        .find(|p| text.contains(**p))
        .copied()
        .or(fetch_url.then_some("curl/wget huggingface.co"))
        .map(|p| (p, true))
}

/// Whether a command runs inside an egress-denied sandbox.
fn sandboxed(text: &str) -> bool {
    let allows_net = text.contains("--allow-net");
    SANDBOX.iter().any(|s| text.contains(s)) && !allows_net
}

impl Rule for DownloadUnsandboxed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for p in &model.iac.pipelines {
            for job in &p.jobs {
                check_job(p.job_subject(job), job, out);
            }
        }
        for (wi, w) in model.workloads.iter().enumerate() {
            if !matches!(w.kind, "Job" | "CronJob") {
                continue;
            }
            check_workload(model, wi, w, out);
        }
    }
}

fn check_job(subject: crate::evidence::Subject, job: &CiJob<'_>, out: &mut EvidenceSink) {
    // A GitHub job container started with `options: --network none` runs every step without network.
    let job_offline = job
        .node
        .at("container.options")
        .and_then(|o| o.as_str())
        .is_some_and(sandboxed);
    for (i, step) in job.steps.iter().enumerate() {
        let Some(run) = step.run else { continue };
        let Some((pattern, fetch_only)) = model_use(run) else {
            continue;
        };
        let loc = Some(step.location());
        if sandboxed(run) || job_offline {
            out.pass(
                subject.clone(),
                loc,
                format!("`{pattern}` runs inside an egress-denied sandbox"),
            );
            continue;
        }
        let later = job.steps[i + 1..].iter().any(|s| {
            s.run
                .is_some_and(|r| sandboxed(r) && r.contains("aisvs sandbox run"))
        });
        if fetch_only && later {
            out.pass(subject.clone(), loc, format!("`{pattern}` only downloads; a later step vets the model in `aisvs sandbox run` without network"));
        } else if fetch_only {
            out.fail(subject.clone(), loc, format!("job `{}` downloads an external model (`{pattern}`) and no later step vets it in an egress-denied sandbox", job.name));
        } else {
            out.fail(subject.clone(), loc, format!("job `{}` loads an external model (`{pattern}`) outside an egress-denied sandbox: the model's code runs with the job's network and credentials", job.name));
        }
    }
}

fn check_workload(model: &Model<'_>, wi: usize, w: &Workload<'_>, out: &mut EvidenceSink) {
    for c in &w.containers {
        let Some((pattern, _)) = model_use(&c.command_line()) else {
            continue;
        };
        let subject = container_subject(w, c);
        let loc: Option<Location> = Some(container_location(c));
        let egress_denied = egress_denied(model, wi);
        let runtime = w
            .pod_spec
            .get("runtimeClassName")
            .and_then(|n| n.as_str())
            .unwrap_or("");
        let handler = model
            .runtime_classes
            .get(runtime)
            .and_then(|r| r.handler.clone())
            .unwrap_or_default();
        let sandbox = ["gvisor", "runsc", "kata"]
            .iter()
            .any(|s| runtime.contains(s) || handler.contains(s));
        match (egress_denied, sandbox) {
            (true, true) => out.pass(subject, loc, format!("`{pattern}` runs under sandbox runtime `{runtime}` with egress denied")),
            (true, false) => out.partial(subject, loc, format!("`{pattern}` runs with egress denied but without a sandbox runtime class (gVisor/Kata)")),
            (false, _) => out.fail(subject, loc, format!("container `{}` fetches or loads an external model (`{pattern}`) and no NetworkPolicy denies its egress", c.name)),
        };
    }
}

/// A policy isolates the workload's egress and every allow rule of its policies stays off the internet.
fn egress_denied(model: &Model<'_>, wi: usize) -> bool {
    let Some(selecting) = model.network.selecting.get(wi) else {
        return false;
    };
    let policies: Vec<_> = selecting
        .iter()
        .filter_map(|i| model.network.policies.get(*i))
        .collect();
    policies.iter().any(|p| p.egress.isolates)
        && policies.iter().flat_map(|p| &p.egress.rules).all(|r| {
            r.dns_only() || (!r.all_peers && !r.peers.iter().any(|peer| peer.is_internet_wide()))
        })
}
