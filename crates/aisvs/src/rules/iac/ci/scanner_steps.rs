//! Scanner steps of pull-request pipelines for ci-iac-scan-on-pr: which IaC scanner runs, over which paths, and
//! whether it can fail the build (actions, CLI calls, GitLab templates and pre-commit hooks).

use crate::evidence::Location;
use crate::model::iac::{CiKind, CiPipeline, CiStep};
use crate::model::Model;
use crate::parse::Node;

use super::commands::{
    commands, normalise_path, program, scanned_paths, swallows_failure, Coverage,
};
use super::commands::{SCANNERS, SCANNER_ACTIONS};
use super::precommit::precommit_scanners;

/// One scanner step found in a pull-request pipeline.
pub struct ScannerStep {
    pub tool: String,
    pub coverage: Coverage,
    /// Normalised scanned paths; `None` when a path is an expression.
    pub scopes: Option<Vec<String>>,
    /// Why the step cannot fail the build, if it cannot.
    pub soft: Option<String>,
    pub location: Location,
    pub pipeline: String,
}

pub fn scanner_steps(p: &CiPipeline<'_>, model: &Model<'_>) -> Vec<ScannerStep> {
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
                    scopes: Some(vec![repo_root(p)]),
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
            // Scanned paths are relative to the repository that holds the pipeline, which is not the scan root
            // when several repositories are scanned at once.
            let dir = normalise_path(&repo_root(p), dir);
            let found = step_scanners(step, &dir)
                .into_iter()
                .chain(precommit_scanners(p, job, step, model));
            for mut s in found {
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

/// The repository root of a pipeline file: the part of its path before `.github/`, or the GitLab file's directory.
pub fn repo_root(p: &CiPipeline<'_>) -> String {
    let root = match p.kind {
        CiKind::GitlabCi => p.path.rsplit_once('/').map_or("", |(d, _)| d),
        _ => p.path.split(".github/").next().unwrap_or(""),
    };
    normalise_path("", root)
}
