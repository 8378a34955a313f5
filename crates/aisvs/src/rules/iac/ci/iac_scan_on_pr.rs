//! ci-iac-scan-on-pr (4.2.1): every IaC path is scanned by a pull-request pipeline step that can fail the build.

use std::collections::BTreeMap;

use crate::evidence::{Location, Severity, Subject};
use crate::model::Model;
use crate::source::{FileId, FileKind};

use super::commands::Coverage;
use super::scanner_steps::{scanner_steps, ScannerStep};
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
            .flat_map(|p| scanner_steps(p, model))
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
