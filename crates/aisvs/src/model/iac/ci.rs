//! CI view: GitHub Actions workflows and composite actions, GitLab CI pipelines; each as jobs made of steps.

use crate::evidence::{Location, Subject};
use crate::parse::{Document, Node, Route, Value};
use crate::source::{FileId, SourceFile};

/// GitLab CI top-level keys that are settings, not jobs.
const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "spec",
];

/// Which CI system a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiKind {
    /// `.github/workflows/*.yml`.
    GithubWorkflow,
    /// `action.yml` with `runs.using: composite`.
    GithubComposite,
    /// `.gitlab-ci.yml` and included GitLab files.
    GitlabCi,
}

/// One pipeline definition.
#[derive(Debug)]
pub struct CiPipeline<'a> {
    /// The file.
    pub file: FileId,
    /// Its path.
    pub path: &'a str,
    /// Which system.
    pub kind: CiKind,
    /// The document root.
    pub root: &'a Node,
    /// Events that start it (`pull_request`, `push`, `merge_request_event` …).
    pub triggers: Vec<String>,
    /// Jobs.
    pub jobs: Vec<CiJob<'a>>,
}

/// One job.
#[derive(Debug)]
pub struct CiJob<'a> {
    /// Job id.
    pub name: String,
    /// The job mapping.
    pub node: &'a Node,
    /// `jobs.<id>` (GitHub) or `<id>` (GitLab).
    pub route: Route,
    /// Steps (GitHub `steps`, GitLab `before_script`/`script`/`after_script` lines).
    pub steps: Vec<CiStep<'a>>,
}

/// One step.
#[derive(Debug)]
pub struct CiStep<'a> {
    /// The step node.
    pub node: &'a Node,
    /// Its route.
    pub route: Route,
    /// `uses:` (GitHub).
    pub uses: Option<&'a str>,
    /// `run:` (GitHub) or the script line (GitLab).
    pub run: Option<&'a str>,
    /// `with:` (GitHub).
    pub with: Option<&'a Node>,
}

impl<'a> CiPipeline<'a> {
    /// Recognises a pipeline by its path and shape.
    pub fn classify(src: &'a SourceFile, doc: &'a Document) -> Option<Self> {
        let path: &'a str = &src.path;
        let name = path.rsplit('/').next().unwrap_or(path);
        let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
        let root = &doc.root;
        let kind = if yaml && path.contains(".github/workflows/") && root.get("jobs").is_some() {
            CiKind::GithubWorkflow
        } else if (name == "action.yml" || name == "action.yaml")
            && root.at("runs.using").and_then(Node::as_str) == Some("composite")
        {
            CiKind::GithubComposite
        } else if yaml && (name.ends_with("gitlab-ci.yml") || name.ends_with("gitlab-ci.yaml")) {
            CiKind::GitlabCi
        } else {
            return None;
        };
        let mut p = CiPipeline {
            file: src.id,
            path,
            kind,
            root,
            triggers: Vec::new(),
            jobs: Vec::new(),
        };
        match kind {
            CiKind::GithubWorkflow => {
                let on = root.get("on").or_else(|| root.get("true"));
                p.triggers = match on.map(|n| &n.value) {
                    Some(Value::Str(s)) => vec![s.to_string()],
                    Some(Value::Seq(items)) => items.iter().filter_map(Node::scalar_text).collect(),
                    Some(Value::Map(entries)) => {
                        entries.iter().map(|e| e.key.to_string()).collect()
                    }
                    _ => Vec::new(),
                };
                for e in root.get("jobs").map_or(&[][..], Node::entries) {
                    let route = Route::root().key("jobs").key(&e.key);
                    let steps = github_steps(&e.value, &route);
                    p.jobs.push(CiJob {
                        name: e.key.to_string(),
                        node: &e.value,
                        route,
                        steps,
                    });
                }
            }
            CiKind::GithubComposite => {
                let route = Route::root().key("runs");
                if let Some(runs) = root.get("runs") {
                    let steps = github_steps(runs, &route);
                    p.jobs.push(CiJob {
                        name: "composite".into(),
                        node: runs,
                        route,
                        steps,
                    });
                }
            }
            CiKind::GitlabCi => {
                p.triggers = gitlab_triggers(root);
                for e in root.entries() {
                    if GITLAB_RESERVED.contains(&e.key.as_str()) || !e.value.is_map() {
                        continue;
                    }
                    let route = Route::root().key(&e.key);
                    let steps = gitlab_steps(&e.value, &route);
                    p.jobs.push(CiJob {
                        name: e.key.to_string(),
                        node: &e.value,
                        route,
                        steps,
                    });
                }
            }
        }
        Some(p)
    }

    /// Whether the pipeline runs on pull / merge requests.
    pub fn runs_on_pull_requests(&self) -> bool {
        self.triggers.iter().any(|t| {
            matches!(
                t.as_str(),
                "pull_request" | "pull_request_target" | "merge_request_event" | "merge_group"
            )
        })
    }

    /// The subject for the whole pipeline.
    pub fn subject(&self) -> Subject {
        Subject {
            kind: "workflow".into(),
            namespace: None,
            name: self.path.to_string(),
            container: None,
            display: format!("workflow:{}", self.path),
        }
    }

    /// The subject for one job.
    pub fn job_subject(&self, job: &CiJob<'_>) -> Subject {
        Subject {
            kind: "workflow".into(),
            namespace: None,
            name: self.path.to_string(),
            container: Some(job.name.clone()),
            display: format!("workflow:{}/job:{}", self.path, job.name),
        }
    }

    /// Location of the document root.
    pub fn location(&self) -> Location {
        Location::node(self.root, &Route::root())
    }
}

impl CiJob<'_> {
    /// Location of the job.
    pub fn location(&self) -> Location {
        Location::node(self.node, &self.route)
    }
}

impl CiStep<'_> {
    /// Location of the step.
    pub fn location(&self) -> Location {
        Location::node(self.node, &self.route)
    }
    /// The action name without its ref (`actions/checkout`).
    pub fn action(&self) -> Option<&str> {
        self.uses.map(|u| u.split('@').next().unwrap_or(u))
    }
    /// A `with:` input as text.
    pub fn input(&self, key: &str) -> Option<String> {
        self.with
            .and_then(|w| w.get(key))
            .and_then(Node::scalar_text)
    }
}

fn github_steps<'a>(job: &'a Node, route: &Route) -> Vec<CiStep<'a>> {
    let steps = job.get("steps").map_or(&[][..], Node::items);
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| CiStep {
            node: s,
            route: route.key("steps").index(i),
            uses: s.get("uses").and_then(Node::as_str),
            run: s.get("run").and_then(Node::as_str),
            with: s.get("with"),
        })
        .collect()
}

fn gitlab_steps<'a>(job: &'a Node, route: &Route) -> Vec<CiStep<'a>> {
    let mut out = Vec::new();
    for key in ["before_script", "script", "after_script"] {
        let Some(script) = job.get(key) else { continue };
        match &script.value {
            Value::Str(s) => out.push(CiStep {
                node: script,
                route: route.key(key),
                uses: None,
                run: Some(s),
                with: None,
            }),
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    out.push(CiStep {
                        node: item,
                        route: route.key(key).index(i),
                        uses: None,
                        run: item.as_str(),
                        with: None,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// GitLab: merge-request pipelines when `workflow:rules` or any job's `rules`/`only` mention merge requests.
fn gitlab_triggers(root: &Node) -> Vec<String> {
    let text_mentions_mr = |n: &Node| -> bool { mentions(n, 0) };
    let mut triggers = vec!["push".to_string()];
    let any_job_mr = root.entries().iter().any(|e| {
        e.value.get("rules").is_some_and(text_mentions_mr)
            || e.value.get("only").is_some_and(text_mentions_mr)
    });
    if root.get("workflow").is_some_and(text_mentions_mr) || any_job_mr {
        triggers.push("merge_request_event".into());
    }
    triggers
}

fn mentions(n: &Node, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match &n.value {
        Value::Str(s) => {
            s.contains("merge_request_event")
                || s == "merge_requests"
                || s.contains("CI_MERGE_REQUEST")
        }
        Value::Seq(items) => items.iter().any(|x| mentions(x, depth + 1)),
        Value::Map(entries) => entries.iter().any(|e| mentions(&e.value, depth + 1)),
        _ => false,
    }
}
