//! ci-iac-scan-on-pr (4.2.1): every IaC path is scanned by a pull-request pipeline step that can fail the build.

use std::collections::BTreeMap;

use crate::evidence::{Location, Severity, Subject};
use crate::model::iac::{CiKind, CiPipeline, CiStep};
use crate::model::Model;
use crate::parse::Node;
use crate::source::{FileId, FileKind};

use super::commands::{
    commands, normalise_path, program, scanned_paths, swallows_failure, Coverage,
};
use super::commands::{SCANNERS, SCANNER_ACTIONS};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "ci-iac-scan-on-pr",
    title: "Every IaC path is scanned on pull requests by a step that can fail",
    requirements: &["4.2.1"],
    inputs: "Terraform, Kubernetes manifests, Helm charts, Dockerfiles; GitHub Actions workflows, GitLab CI",
    severity: Severity::Medium,
    what: "Groups the IaC files of the inputs by directory and kind (terraform, kubernetes, helm, docker). For each \
           group, looks for a step in a workflow triggered on pull_request / merge-request pipelines that runs an IaC \
           scanner (aisvs, Checkov, Trivy config, tfsec, KICS, Terrascan, kube-linter, kubescape, hadolint, Snyk IaC) \
           over a path that contains the group. A step that cannot fail the build (continue-on-error, soft_fail, \
           --soft-fail, `|| true`, Trivy without a non-zero exit code, GitLab allow_failure or the SAST-IaC template) \
           does not count. Unscanned paths are named.",
    why: "4.2.1: IaC must be scanned on every pull request, so that a misconfiguration is stopped before merge. A \
          scanner that never fails the check is a report nobody has to read.",
    fail_example: "on: push\njobs:\n  scan:\n    steps:\n      - run: checkov -d . --soft-fail",
    pass_example: "on: pull_request\njobs:\n  scan:\n    steps:\n      - uses: bridgecrewio/checkov-action@v12\n        with: { directory: . }",
    remediation: "Add a pull_request-triggered job that runs an IaC scanner over the repository (or each IaC \
                  directory) and let its findings fail the job; upload SARIF for review.",
    inconclusive: "No CI pipeline is in the inputs (scan the repository root), or the scanner's path is an expression.",
    options: &[],
};

/// The rule.
pub struct IacScanOnPr;

/// One scanner step found in a pull-request pipeline.
struct ScannerStep {
    tool: String,
    coverage: Coverage,
    /// Normalised scanned paths; `None` when a path is an expression.
    scopes: Option<Vec<String>>,
    /// Why the step cannot fail the build, if it cannot.
    soft: Option<String>,
    location: Location,
    pipeline: String,
}

impl Rule for IacScanOnPr {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        let groups = iac_groups(model);
        if groups.is_empty() {
            return;
        }
        let scanners: Vec<ScannerStep> = model
            .iac
            .pipelines
            .iter()
            .filter(|p| p.runs_on_pull_requests())
            .flat_map(scanner_steps)
            .collect();
        for ((dir, kind), file) in groups {
            let subject = Subject {
                kind: "iac_path".into(),
                namespace: None,
                name: if dir.is_empty() {
                    ".".into()
                } else {
                    dir.clone()
                },
                container: Some(kind.into()),
                display: format!("iac:{kind}:{}", if dir.is_empty() { "." } else { &dir }),
            };
            let at = Some(Location::bytes(file, 0, 0, ""));
            let relevant: Vec<&ScannerStep> = scanners
                .iter()
                .filter(|s| covers_kind(s.coverage, kind))
                .collect();
            let covering = |s: &&&ScannerStep| {
                s.scopes
                    .as_ref()
                    .is_some_and(|sc| sc.iter().any(|p| covers(p, &dir)))
            };
            if let Some(s) = relevant.iter().filter(covering).find(|s| s.soft.is_none()) {
                out.pass(
                    subject,
                    Some(s.location.clone()),
                    format!("scanned by {} on pull requests in {}", s.tool, s.pipeline),
                );
            } else if let Some(s) = relevant.iter().find(covering) {
                let why = s.soft.clone().unwrap_or_default();
                out.fail(subject, Some(s.location.clone()), format!("{kind} path `{}` is scanned by {} in {}, but the step cannot fail the build: {why}", display_dir(&dir), s.tool, s.pipeline));
            } else if let Some(s) = relevant.iter().find(|s| s.scopes.is_none()) {
                out.inconclusive(subject, Some(s.location.clone()), format!("{} in {} scans a path given by an expression; cannot tell whether `{}` is included", s.tool, s.pipeline, display_dir(&dir)));
            } else if model.iac.pipelines.is_empty() {
                out.inconclusive(subject, at, format!("no CI pipeline in the inputs; cannot tell whether {kind} path `{}` is scanned on pull requests (scan the repository root)", display_dir(&dir)));
            } else {
                out.fail(
                    subject,
                    at,
                    format!(
                        "{kind} path `{}` is not scanned by any pull-request pipeline step",
                        display_dir(&dir)
                    ),
                );
            }
        }
    }
}

fn display_dir(dir: &str) -> &str {
    if dir.is_empty() {
        "."
    } else {
        dir
    }
}

fn covers_kind(c: Coverage, kind: &str) -> bool {
    match kind {
        "terraform" => c.terraform,
        "docker" => c.docker,
        _ => c.kubernetes,
    }
}

/// A scope covers a directory when it is the root, the directory itself, a parent of it, or a file in it.
fn covers(scope: &str, dir: &str) -> bool {
    scope.is_empty()
        || scope == dir
        || dir.starts_with(&format!("{scope}/"))
        || scope
            .rsplit_once('/')
            .map_or(dir.is_empty(), |(parent, _)| parent == dir)
}

/// IaC files grouped by (directory, kind), with one file of each group for the location.
fn iac_groups(model: &Model<'_>) -> BTreeMap<(String, &'static str), FileId> {
    let mut groups = BTreeMap::new();
    let dir_of = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    let charts: Vec<String> = model
        .files
        .iter()
        .filter(|f| f.source.path.rsplit('/').next() == Some("Chart.yaml"))
        .map(|f| dir_of(&f.source.path))
        .collect();
    for f in model.files {
        let path = &f.source.path;
        if path == "-" {
            continue;
        }
        let kind = match f.source.kind {
            FileKind::Terraform => Some("terraform"),
            FileKind::Dockerfile => Some("docker"),
            _ => None,
        };
        if let Some(kind) = kind {
            groups.entry((dir_of(path), kind)).or_insert(f.source.id);
        } else if let Some(chart) = charts
            .iter()
            .find(|c| c.is_empty() || path.starts_with(&format!("{c}/")))
        {
            groups.entry((chart.clone(), "helm")).or_insert(f.source.id);
        }
    }
    for o in &model.objects {
        let path = &model.file(o.file).path;
        if path != "-"
            && !charts
                .iter()
                .any(|c| c.is_empty() || path.starts_with(&format!("{c}/")))
        {
            groups.entry((dir_of(path), "kubernetes")).or_insert(o.file);
        }
    }
    groups
}

fn scanner_steps(p: &CiPipeline<'_>) -> Vec<ScannerStep> {
    let mut out = Vec::new();
    if p.kind == CiKind::GitlabCi {
        let includes = p.root.get("include").map(|i| {
            if i.items().is_empty() {
                std::slice::from_ref(i)
            } else {
                i.items()
            }
        });
        for inc in includes.unwrap_or(&[]) {
            let t = inc
                .get("template")
                .and_then(Node::as_str)
                .or(inc.as_str())
                .unwrap_or("");
            if t.contains("SAST-IaC") {
                out.push(ScannerStep {
                    tool: "GitLab SAST-IaC (KICS)".into(),
                    coverage: Coverage {
                        terraform: true,
                        kubernetes: true,
                        docker: true,
                    },
                    scopes: Some(vec![String::new()]),
                    soft: Some(
                        "the SAST-IaC template jobs are allow_failure and never fail the pipeline"
                            .into(),
                    ),
                    location: Location::node(inc, &crate::parse::Route::root().key("include")),
                    pipeline: p.path.to_string(),
                });
            }
        }
    }
    for job in &p.jobs {
        let job_soft = job.node.get("continue-on-error").and_then(Node::as_bool) == Some(true)
            || job.node.get("allow_failure").and_then(Node::as_bool) == Some(true);
        let job_dir = job
            .node
            .at("defaults.run.working-directory")
            .and_then(Node::as_str)
            .unwrap_or("");
        for step in &job.steps {
            let step_soft =
                step.node.get("continue-on-error").and_then(Node::as_bool) == Some(true);
            let dir = step
                .node
                .get("working-directory")
                .and_then(Node::as_str)
                .unwrap_or(job_dir);
            for mut s in step_scanners(step, dir) {
                if job_soft || step_soft {
                    s.soft = Some(
                        if job_soft {
                            "the job is allowed to fail (continue-on-error / allow_failure)"
                        } else {
                            "the step has continue-on-error: true"
                        }
                        .into(),
                    );
                }
                s.pipeline = format!("{} job `{}`", p.path, job.name);
                out.push(s);
            }
        }
    }
    out
}

fn step_scanners(step: &CiStep<'_>, dir: &str) -> Vec<ScannerStep> {
    let mut out = Vec::new();
    let location = step.location();
    if let Some(action) = step.action() {
        let lower = action.to_ascii_lowercase();
        if let Some((name, coverage, inputs)) =
            SCANNER_ACTIONS.iter().find(|a| lower.starts_with(a.0))
        {
            if *name == "aquasecurity/trivy-action" {
                let scan_type = step.input("scan-type").unwrap_or_else(|| "image".into());
                let misconfig = scan_type == "config"
                    || (scan_type == "fs"
                        && step
                            .input("scanners")
                            .is_some_and(|s| s.contains("misconfig")));
                if !misconfig {
                    return out;
                }
            }
            let path = inputs
                .iter()
                .find_map(|k| step.input(k))
                .unwrap_or_else(|| ".".into());
            let soft = action_softness(name, step);
            out.push(ScannerStep {
                tool: (*name).into(),
                coverage: *coverage,
                scopes: scope_of(dir, &[path]),
                soft,
                location,
                pipeline: String::new(),
            });
        }
        return out;
    }
    for cmd in commands(step.run.unwrap_or("")) {
        let Some((at, prog)) = program(&cmd.words) else {
            continue;
        };
        let Some((tool, coverage)) = SCANNERS.iter().find(|s| prog == s.0) else {
            continue;
        };
        let args = &cmd.words[at + 1..];
        if *tool == "trivy"
            && !(args.iter().any(|a| a == "config") || args.iter().any(|a| a.contains("misconfig")))
        {
            continue;
        }
        if *tool == "aisvs" && !args.iter().any(|a| a == "scan") {
            continue;
        }
        let soft = if swallows_failure(&cmd.line) {
            Some("the command's failure is swallowed (`|| true` or similar)".to_string())
        } else if args
            .iter()
            .any(|a| a == "--soft-fail" || a == "--exit-zero" || a == "--soft-fail-on")
        {
            Some("the scanner runs with --soft-fail / --exit-zero".into())
        } else if *tool == "trivy" && !exit_code_set(args) {
            Some("trivy exits 0 on findings unless --exit-code is set to a non-zero value".into())
        } else {
            None
        };
        let paths = scanned_paths(args);
        let paths = if paths.is_empty() {
            vec![".".to_string()]
        } else {
            paths
        };
        out.push(ScannerStep {
            tool: (*tool).into(),
            coverage: *coverage,
            scopes: scope_of(dir, &paths),
            soft,
            location: location.clone(),
            pipeline: String::new(),
        });
    }
    out
}

fn exit_code_set(args: &[String]) -> bool {
    args.iter().enumerate().any(|(i, a)| {
        let v = a
            .strip_prefix("--exit-code=")
            .map(str::to_string)
            .or_else(|| (a == "--exit-code").then(|| args.get(i + 1).cloned().unwrap_or_default()));
        v.is_some_and(|v| v.trim() != "0" && !v.is_empty())
    })
}

fn action_softness(name: &str, step: &CiStep<'_>) -> Option<String> {
    let truthy = |k: &str| {
        step.input(k)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    };
    if truthy("soft_fail") || truthy("only_warn") {
        return Some("the action runs with soft_fail / only_warn".into());
    }
    if name == "aquasecurity/trivy-action"
        && step.input("exit-code").is_none_or(|v| v.trim() == "0")
    {
        return Some("trivy-action's exit-code defaults to 0; set exit-code: 1".into());
    }
    None
}

fn scope_of(dir: &str, paths: &[String]) -> Option<Vec<String>> {
    if paths.iter().any(|p| p.contains('$')) || dir.contains('$') {
        return None;
    }
    Some(
        paths
            .iter()
            .flat_map(|p| p.split(','))
            .map(|p| normalise_path(dir, p.trim()))
            .collect(),
    )
}
