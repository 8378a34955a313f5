//! pre-commit as an IaC scanner runner: a pull-request step running `pre-commit` (or pre-commit/action) counts as a
//! scanner for each scanner hook it runs (named in its arguments, a matrix, or the repository's .pre-commit-config.yaml).

use crate::model::iac::{CiJob, CiPipeline, CiStep};
use crate::model::Model;
use crate::parse::Node;

use super::commands::{Coverage, SCANNERS};
use super::scanner_steps::ScannerStep;

/// Hook ids that run a scanner, mapped to the scanner name in [`SCANNERS`].
fn scanner_of_hook(hook: &str) -> Option<(&'static str, Coverage)> {
    let h = hook.to_ascii_lowercase();
    SCANNERS
        .iter()
        .find(|(name, _)| *name != "aisvs" && h.contains(name))
        .map(|(n, c)| (*n, *c))
}

/// Scanner steps contributed by a pre-commit step.
pub fn precommit_scanners(
    p: &CiPipeline<'_>,
    job: &CiJob<'_>,
    step: &CiStep<'_>,
    model: &Model<'_>,
) -> Vec<ScannerStep> {
    let is_action = step
        .action()
        .is_some_and(|a| a.eq_ignore_ascii_case("pre-commit/action"));
    let run = step.run.unwrap_or("");
    if !is_action && !run.contains("pre-commit run") {
        return Vec::new();
    }
    let args = if is_action {
        step.input("extra_args").unwrap_or_default()
    } else {
        run.to_string()
    };
    let mut hooks: Vec<String> = args
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !w.contains("${{"))
        .map(str::to_string)
        .collect();
    // `${{ matrix.hook }}`: every value of that matrix dimension is run by some instance of the job.
    if let Some(dim) = args.split("matrix.").nth(1).map(|r| {
        r.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .next()
            .unwrap_or("")
    }) {
        let values = job
            .node
            .at("strategy.matrix")
            .and_then(|m| m.get(dim))
            .map_or(&[][..], Node::items);
        hooks.extend(values.iter().filter_map(Node::scalar_text));
    }
    let named_any = hooks.iter().any(|h| scanner_of_hook(h).is_some());
    if !named_any {
        // No hook named: pre-commit runs the default-stage hooks of the repository's config.
        let root = p.path.split(".github/").next().unwrap_or("");
        let config = format!("{root}.pre-commit-config.yaml");
        if let Some(doc) = model
            .files
            .iter()
            .find(|f| f.source.path == config)
            .and_then(|f| f.docs.first())
        {
            for repo in doc.root.get("repos").map_or(&[][..], Node::items) {
                for hook in repo.get("hooks").map_or(&[][..], Node::items) {
                    let manual = hook
                        .get("stages")
                        .is_some_and(|s| s.items().iter().all(|x| x.as_str() == Some("manual")));
                    if let (Some(id), false) = (hook.get("id").and_then(Node::as_str), manual) {
                        hooks.push(id.to_string());
                    }
                }
            }
        }
    }
    let mut out: Vec<ScannerStep> = Vec::new();
    for h in hooks {
        let Some((tool, coverage)) = scanner_of_hook(&h) else {
            continue;
        };
        if out.iter().any(|s| s.tool.ends_with(&format!("`{h}`)"))) {
            continue;
        }
        out.push(ScannerStep {
            tool: format!("{tool} (pre-commit hook `{h}`)"),
            coverage,
            scopes: Some(vec![super::scanner_steps::repo_root(p)]),
            soft: None,
            location: step.location(),
            pipeline: String::new(),
        });
    }
    out
}
