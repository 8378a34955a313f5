//! The scan pipeline: discover → parse → model → rules → suppress → verdict, as seven calls.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::config::{Config, ConfigError};
use crate::diag::Diagnostic;
use crate::discover::{discover, DiscoverError};
use crate::evidence::Evidence;
use crate::model::scan_evidence::{EvidenceContext, HistoryChoice};
use crate::model::{Model, ParsedFile};
use crate::parse::yaml::parse_yaml_noting;
use crate::report::Report;
use crate::rules::{registry, EvidenceSink, Rule};
use crate::source::{FileKind, SourceFile};
use crate::{suppress, verdict};

/// What `aisvs scan` was asked to do.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Paths (files, directories, `-`).
    pub paths: Vec<PathBuf>,
    /// `--level`, when given (else the config's, else 3).
    pub level: Option<u8>,
    /// `--config`, when given (else `aisvs.toml` in the scan root if present).
    pub config: Option<PathBuf>,
    /// Evaluation date for waiver expiry (today unless overridden).
    pub today: time::Date,
}

/// How evidence files are evaluated: the evaluation time and where the findings history lives.
#[derive(Debug, Clone)]
pub struct EvidenceRun {
    /// "Now" for evidence (report times come from the reports): `--at`, else the wall clock.
    pub at: time::OffsetDateTime,
    /// The findings history (`--history`; `Default` lets `[evidence] history` or `<root>/.aisvs/` decide).
    pub history: HistoryChoice,
}

/// Errors that stop a scan (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A path could not be read.
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// The config is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The thread pool could not start.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// Runs a scan; evidence is evaluated at the start of `opts.today` (UTC) with an in-memory history.
pub fn scan(opts: &ScanOptions) -> Result<Report, RunError> {
    let run = EvidenceRun {
        at: opts.today.midnight().assume_utc(),
        history: HistoryChoice::InMemory,
    };
    scan_with(opts, &run)
}

/// Runs a scan with explicit evidence settings.
pub fn scan_with(opts: &ScanOptions, run: &EvidenceRun) -> Result<Report, RunError> {
    let mut found = discover(&opts.paths)?;
    let config = load_config(opts, &found.root)?;
    let evidence_ctx = evidence_context(&config, &found.root, run);
    add_evidence_dir(&mut found, &config, &evidence_ctx.base)?;
    let level = opts.level.or(config.level).unwrap_or(3);
    let rules = configured_rules(&config)?;
    let mut diags = std::mem::take(&mut found.diagnostics);
    exclude(&mut found.files, &config);
    let files = parse_all(found.files, &mut diags)?;
    let model = Model::build(&files, &evidence_ctx, &mut diags);
    let mut evidence = run_rules(&rules, &model);
    suppress::apply(&mut evidence, &model, &config, opts.today, &mut diags);
    let catalog = Catalog::load();
    let results = verdict::evaluate(&catalog, &rule_map(&rules), &evidence, level);
    drop(model);
    if files.is_empty() {
        diags.push(Diagnostic::warning(
            &found.root.display().to_string(),
            0,
            "no files to scan (YAML, JSON, Terraform, Dockerfiles)".into(),
        ));
    }
    diags.sort();
    diags.dedup();
    Ok(Report::new(
        found.root,
        level,
        files,
        evidence,
        results,
        diags,
        rules.iter().map(|r| r.meta()).collect(),
        catalog,
    ))
}

/// Reads `[evidence] dir` as extra inputs; files already found are not read twice.
fn add_evidence_dir(
    found: &mut crate::discover::Discovered,
    config: &Config,
    base: &std::path::Path,
) -> Result<(), RunError> {
    let Some(dir) = &config.evidence.dir else {
        return Ok(());
    };
    let abs = crate::model::scan_evidence::EvidenceConfig::resolve(base, dir);
    if !abs.is_dir() {
        return Err(config
            .error_at(
                "dir",
                Some("evidence"),
                format!("[evidence] dir `{}` is not a directory", dir.display()),
            )
            .into());
    }
    let extra = discover(&[abs])?;
    let known: std::collections::HashSet<PathBuf> = found
        .files
        .iter()
        .filter_map(|f| f.abs.canonicalize().ok())
        .collect();
    for mut f in extra.files {
        if f.abs.canonicalize().is_ok_and(|c| known.contains(&c)) {
            continue;
        }
        f.id = found.files.len();
        f.path = crate::discover::relative(&found.root, &f.abs);
        found.files.push(f);
    }
    found.diagnostics.extend(extra.diagnostics);
    Ok(())
}

/// `[evidence]` paths are relative to the config file; `--history` beats `[evidence] history`.
fn evidence_context(config: &Config, root: &std::path::Path, run: &EvidenceRun) -> EvidenceContext {
    let base = std::path::Path::new(&config.path)
        .parent()
        .filter(|p| !config.path.is_empty() && !p.as_os_str().is_empty())
        .map_or_else(|| root.to_path_buf(), std::path::Path::to_path_buf);
    let history = match (&run.history, &config.evidence.history) {
        (HistoryChoice::Default, Some(file)) => HistoryChoice::File(
            crate::model::scan_evidence::EvidenceConfig::resolve(&base, file),
        ),
        (choice, _) => choice.clone(),
    };
    EvidenceContext {
        config: config.evidence.clone(),
        base,
        root: root.to_path_buf(),
        at: run.at,
        history,
    }
}

fn load_config(opts: &ScanOptions, root: &std::path::Path) -> Result<Config, ConfigError> {
    match &opts.config {
        Some(p) => Config::load(p),
        None => {
            let default = root.join("aisvs.toml");
            if default.is_file() {
                Config::load(&default)
            } else {
                Ok(Config::default())
            }
        }
    }
}

/// The registry with config applied; disabled rules are left out. Unknown rule ids in the config are errors.
pub fn configured_rules(config: &Config) -> Result<Vec<Box<dyn Rule>>, ConfigError> {
    let mut rules = registry();
    for id in config.rules.keys() {
        if !rules.iter().any(|r| r.meta().id == id) {
            return Err(config
                .error_at(id, Some("rules"), format!("unknown rule `{id}` in [rules]"))
                .or_header(config, id));
        }
    }
    let mut enabled = Vec::new();
    for mut rule in rules.drain(..) {
        let id = rule.meta().id;
        let (on, _severity, options) = config.rule_settings(id)?;
        rule.configure(&options).map_err(|m| {
            let key = m.split('`').nth(1).unwrap_or("").to_string();
            config.error_at(
                &key,
                Some(&format!("rules.{id}")),
                format!("[rules.{id}]: {m}"),
            )
        })?;
        if on {
            enabled.push(rule);
        }
    }
    Ok(enabled)
}

trait OrHeader {
    fn or_header(self, config: &Config, id: &str) -> ConfigError;
}

impl OrHeader for ConfigError {
    /// Points an unknown-rule error at the `[rules.<id>]` header when the key search found nothing.
    fn or_header(self, config: &Config, id: &str) -> ConfigError {
        match self {
            ConfigError::Invalid {
                path,
                line: 0,
                message,
            } => {
                let line = config.table_header_line(&format!("[rules.{id}]"), 0);
                ConfigError::Invalid {
                    path,
                    line,
                    message,
                }
            }
            other => other,
        }
    }
}

fn exclude(files: &mut Vec<SourceFile>, config: &Config) {
    if config.scan.exclude.is_empty() {
        return;
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in &config.scan.exclude {
        if let Ok(g) = globset::Glob::new(g) {
            b.add(g);
        }
    }
    if let Ok(set) = b.build() {
        files.retain(|f| !set.is_match(&f.path));
        for (i, f) in files.iter_mut().enumerate() {
            f.id = i;
        }
    }
}

/// Parses YAML/JSON files in parallel. Threads get a large stack: deeply nested input is cut off by depth,
/// but the parser crate's own tree is recursive.
fn parse_all(
    files: Vec<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<ParsedFile>, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 * 1024 * 1024)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let parsed: Vec<(ParsedFile, Option<Diagnostic>)> = pool.install(|| {
        files
            .into_par_iter()
            .map(|source| match source.kind {
                FileKind::Yaml | FileKind::Json => match parse_yaml_noting(&source) {
                    Ok((docs, note)) => (ParsedFile { source, docs, parse_failed: false }, note),
                    Err(mut d) => {
                        if source.text.contains("{{") {
                            d.severity = crate::diag::DiagSeverity::Warning;
                            d.message = format!("{} (looks like a Helm/Go template: render it with `helm template … | aisvs scan -`)", d.message);
                        }
                        (ParsedFile { source, docs: Vec::new(), parse_failed: true }, Some(d))
                    }
                },
                _ => (ParsedFile { source, docs: Vec::new(), parse_failed: false }, None),
            })
            .collect()
    });
    let mut out = Vec::with_capacity(parsed.len());
    for (f, d) in parsed {
        diags.extend(d);
        out.push(f);
    }
    Ok(out)
}

fn run_rules(rules: &[Box<dyn Rule>], model: &Model<'_>) -> Vec<Box<Evidence>> {
    // Rules only read the model, so they run in parallel; the stable sort below (ties keep
    // registration order, which `collect` preserves) makes the output independent of scheduling.
    // Items are boxed: concatenating and sorting then move pointers, not 300-byte records (which
    // held every item twice for a moment and made the sort allocate half of them again).
    let per_rule: Vec<Vec<Box<Evidence>>> = rules
        .par_iter()
        .map(|r| {
            let mut sink = EvidenceSink::new(r.meta());
            r.check(model, &mut sink);
            sink.into_evidence()
        })
        .collect();
    let mut all = Vec::with_capacity(per_rule.iter().map(Vec::len).sum());
    for items in per_rule {
        all.extend(items);
    }
    all.sort_by(|a, b| {
        let ka = (
            a.location.as_ref().map(|l| (l.span.file(), l.span.start())),
            a.rule,
        );
        let kb = (
            b.location.as_ref().map(|l| (l.span.file(), l.span.start())),
            b.rule,
        );
        ka.cmp(&kb)
    });
    all
}

fn rule_map(rules: &[Box<dyn Rule>]) -> BTreeMap<String, Vec<&'static str>> {
    let mut map: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for r in rules {
        for req in r.meta().requirements {
            map.entry((*req).to_string()).or_default().push(r.meta().id);
        }
    }
    map
}
