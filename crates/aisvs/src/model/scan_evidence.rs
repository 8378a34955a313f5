//! Evidence files among the scan inputs (scanner reports, kube-bench output, secret metadata, sshd
//! configs, Sigstore bundles, provenance, SBOMs, OCI layouts, vetting records, gate decisions): each is
//! recognised by content, evaluated once here, and kept as [`EvidenceItem`]s the `evidence_files` rules report.
//!
//! With no evidence file among the inputs nothing is produced, so manual requirements stay manual_review.

mod classify;
pub mod config;
mod host;
pub mod item;
mod reports;
mod supply;
#[cfg(test)]
mod tests;
mod vetting;

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::diag::Diagnostic;

use super::ParsedFile;

pub use classify::Recognised;
pub use config::EvidenceConfig;
pub use item::EvidenceItem;

/// Where the findings history lives for this scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryChoice {
    /// A throw-away in-memory history: only the reports among the inputs count (library use, tests).
    InMemory,
    /// `<root>/.aisvs/history.sqlite`, or the user's data directory when the root is not writable.
    Default,
    /// An explicit file (`--history` or `[evidence] history`).
    File(PathBuf),
}

/// What the evidence evaluations need beyond the files.
#[derive(Debug, Clone)]
pub struct EvidenceContext {
    /// `[evidence]` from the config.
    pub config: EvidenceConfig,
    /// Directory configured paths are relative to (the config file's, else the scan root).
    pub base: PathBuf,
    /// The scan root (for the default history location).
    pub root: PathBuf,
    /// The evaluation time ("now", or `--at`); report times come from the reports.
    pub at: OffsetDateTime,
    /// The findings history.
    pub history: HistoryChoice,
}

impl EvidenceContext {
    /// A context with no expectations, an in-memory history and the given time.
    pub fn at(at: OffsetDateTime) -> Self {
        EvidenceContext {
            config: EvidenceConfig::default(),
            base: PathBuf::from("."),
            root: PathBuf::from("."),
            at,
            history: HistoryChoice::InMemory,
        }
    }
}

/// Evidence recognised among the inputs, already evaluated.
#[derive(Debug, Default)]
pub struct EvidenceModel {
    /// Every evaluated subject, in input order.
    pub items: Vec<EvidenceItem>,
    /// The history file written, when reports were ingested into one.
    pub history_path: Option<PathBuf>,
}

impl EvidenceModel {
    /// Recognises evidence files by content and evaluates them. The image references of the workloads in
    /// `model` are the 4.6.1 inventory, beside the hosts in the config.
    pub fn build(
        files: &[ParsedFile],
        model: &super::Model<'_>,
        ctx: &EvidenceContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let found = classify::classify_all(files);
        if found.is_empty() {
            return EvidenceModel::default();
        }
        let index = item::FileIndex::new(files);
        let images = workload_images(model);
        let mut model = EvidenceModel::default();
        let (items, history_path) = reports::evaluate(&found, &images, ctx, &index, diags);
        model.items.extend(items);
        model.history_path = history_path;
        model.items.extend(host::evaluate(&found, ctx, &index));
        model.items.extend(supply::evaluate(&found, ctx, &index));
        model.items.extend(vetting::evaluate(&found, ctx, &index));
        // Library messages name files by the path they were read from; output paths are relative to the root.
        // A relative root (`.`) already gives relative paths, and replacing `./` would mangle `../`.
        let root = format!("{}/", ctx.root.display().to_string().trim_end_matches('/'));
        if root != "/" && root != "./" {
            for item in &mut model.items {
                if item.message.contains(&root) {
                    item.message = item.message.replace(&root, "");
                }
            }
        }
        model
    }

    /// The items one rule reports.
    pub fn items_for<'s>(&'s self, check: &'s str) -> impl Iterator<Item = &'s EvidenceItem> + 's {
        self.items.iter().filter(move |i| i.check == check)
    }
}

/// Distinct, rendered image references of every container of every workload, each with the first place
/// that names it.
fn workload_images(model: &super::Model<'_>) -> Vec<reports::WorkloadImage> {
    let mut images: Vec<reports::WorkloadImage> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in &model.workloads {
        for c in &w.containers {
            let Some(node) = c.node.get("image") else {
                continue;
            };
            let Some(reference) = node.as_str() else {
                continue;
            };
            if reference.is_empty() || node.is_templated() || !seen.insert(reference) {
                continue;
            }
            let (line, _) = model.file(node.span.file()).line_col(node.span.start());
            images.push(reports::WorkloadImage {
                reference: reference.to_string(),
                file: node.span.file(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
            });
        }
    }
    images
}
