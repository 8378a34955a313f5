//! Model vetting evidence: signed sandbox vetting records (4.5.1: the model ran isolated with no network,
//! the run succeeded, the record covers the expected model digests) and promotion-gate decision records
//! (4.5.2: adversarial evaluation in the sandbox decided promotion). Signatures are checked against
//! `[evidence] vetting_keys`; without a key the result is inconclusive, never pass.

use std::path::{Path, PathBuf};

use aisvs_sandbox::sandbox::keys::load_public_key;
use aisvs_sandbox::sandbox::record::{verify_record_file, ControlStatus, VettingRecord};
use aisvs_vetting::sandbox_check::NETWORK_CONTROLS;
use aisvs_vetting::{verify_decision_file, Decision, Outcome as GateOutcome, SignatureStatus};

use crate::evidence::Outcome;

use super::classify::{Found, Recognised};
use super::config::EvidenceConfig;
use super::item::{EvidenceItem, FileIndex};
use super::EvidenceContext;

/// Rule id for vetting records (4.5.1).
pub const RECORD: &str = "model-vetting-record";
/// Rule id for gate decisions (4.5.2).
pub const DECISION: &str = "model-gate-decision";

/// Evaluates every vetting record and decision record.
pub fn evaluate(
    found: &[Found],
    ctx: &EvidenceContext,
    index: &FileIndex<'_>,
) -> Vec<EvidenceItem> {
    let keys: Vec<PathBuf> = ctx
        .config
        .vetting_keys
        .iter()
        .map(|k| EvidenceConfig::resolve(&ctx.base, k))
        .collect();
    let mut items = Vec::new();
    let mut covered: Vec<String> = Vec::new();
    let mut any_record = false;
    for f in found {
        let src = &index.files()[f.file].source;
        let (check, (outcome, message)) = match f.what {
            Recognised::VettingRecord => {
                any_record = true;
                (
                    RECORD,
                    record_verdict(&src.abs, &keys, &ctx.config.model_digests, &mut covered),
                )
            }
            Recognised::GateDecision => (DECISION, decision_verdict(&src.abs, &keys)),
            _ => continue,
        };
        items.push(EvidenceItem {
            check,
            kind: "record",
            subject: src.path.clone(),
            outcome,
            message: message.replace(&src.abs.display().to_string(), &src.path),
            file: Some(f.file),
            line: None,
        });
    }
    if any_record {
        let first = found
            .iter()
            .find(|f| f.what == Recognised::VettingRecord)
            .map(|f| f.file);
        for digest in ctx
            .config
            .model_digests
            .iter()
            .filter(|d| !covered.contains(d))
        {
            items.push(EvidenceItem {
                check: RECORD,
                kind: "model",
                subject: format!("model {digest}"),
                outcome: Outcome::Fail,
                message: format!(
                    "no verified vetting record among the inputs covers model {digest}"
                ),
                file: first,
                line: None,
            });
        }
    }
    items
}

/// Verifies a record with the first key that verifies it, then judges isolation, exit and digests.
fn record_verdict(
    path: &Path,
    keys: &[PathBuf],
    digests: &[String],
    covered: &mut Vec<String>,
) -> (Outcome, String) {
    if keys.is_empty() {
        return (Outcome::Inconclusive, "signed vetting record, but no key to verify it: set [evidence] vetting_keys in aisvs.toml".into());
    }
    let mut errors = Vec::new();
    let mut record: Option<VettingRecord> = None;
    for key_path in keys {
        match load_public_key(key_path) {
            Ok(key) => match verify_record_file(path, &key) {
                Ok(r) => {
                    record = Some(r);
                    break;
                }
                Err(e) => errors.push(one_line(&e.to_string())),
            },
            Err(e) => {
                return (
                    Outcome::Inconclusive,
                    format!("[evidence] vetting_keys: {}", one_line(&e.to_string())),
                )
            }
        }
    }
    let Some(record) = record else {
        return (
            Outcome::Fail,
            format!("signature check failed: {}", errors.join("; ")),
        );
    };
    let mut problems = Vec::new();
    let network: Vec<_> = record
        .isolation
        .iter()
        .filter(|c| NETWORK_CONTROLS.contains(&c.control.as_str()))
        .collect();
    if network.is_empty() || network.iter().any(|c| c.status != ControlStatus::Applied) {
        problems.push(
            "no-network check failed: the run was not shown to be without network".to_string(),
        );
    }
    if !record.exited_cleanly() {
        problems.push(format!(
            "exit check failed: the vetting run did not succeed (exit {}, timed out {})",
            record.exit.code, record.exit.timed_out
        ));
    }
    let matched: Vec<&String> = digests
        .iter()
        .filter(|d| record.has_input_sha256(d.strip_prefix("sha256:").unwrap_or(d)))
        .collect();
    if problems.is_empty() {
        covered.extend(matched.iter().map(|d| (*d).clone()));
    }
    let inputs = record.inputs.len();
    if !problems.is_empty() {
        return (Outcome::Fail, problems.join("; "));
    }
    if digests.is_empty() {
        return (Outcome::Partial, format!("signature verified, no network, clean exit over {inputs} input(s); model digests not pinned: set [evidence] model_digests to tie the record to the deployed model"));
    }
    if matched.is_empty() {
        return (Outcome::Fail, format!("model digest check failed: none of the {inputs} input(s) has an expected [evidence] model_digests value"));
    }
    (
        Outcome::Pass,
        format!(
            "signature verified, no network, clean exit; covers {}",
            matched
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// Verifies a decision record (signature, self-consistency) and reads what the gate decided.
fn decision_verdict(path: &Path, keys: &[PathBuf]) -> (Outcome, String) {
    if keys.is_empty() {
        return match verify_decision_file(path, None) {
            Ok(d) if d.signature == SignatureStatus::Unsigned => (Outcome::Fail, "unsigned decision record: anyone could have written it; sign it with `aisvs gate --sign-key`".into()),
            Ok(_) => (Outcome::Inconclusive, "signed decision record, but no key to verify it: set [evidence] vetting_keys in aisvs.toml".into()),
            Err(e) => (Outcome::Fail, format!("decision record rejected: {}", one_line(&e.to_string()))),
        };
    }
    let mut errors = Vec::new();
    for key in keys {
        match verify_decision_file(path, Some(key)) {
            Ok(d) => return judge_decision(&d),
            Err(e) => errors.push(one_line(&e.to_string())),
        }
    }
    (
        Outcome::Fail,
        format!("decision record rejected: {}", errors.join("; ")),
    )
}

fn judge_decision(d: &Decision) -> (Outcome, String) {
    let r = &d.record;
    let model = r
        .candidate
        .model_name
        .clone()
        .or_else(|| r.candidate.model_digest.clone())
        .unwrap_or_else(|| "candidate".into());
    let sandboxed = r.sandbox_record.accepted();
    match (r.decision, sandboxed) {
        (GateOutcome::Promote, _) => (Outcome::Pass, format!("signed gate decision: {model} promoted after sandboxed adversarial evaluation ({} categories compared)", r.categories.len())),
        (GateOutcome::Block, true) => (Outcome::Pass, format!("signed gate decision: promotion of {model} blocked on regression ({})", r.reasons.join("; "))),
        (GateOutcome::Block, false) => (Outcome::Partial, format!("signed gate decision blocked {model}, but the evaluation is not shown to have run in the sandbox: {}", r.sandbox_record.problems.join("; "))),
    }
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}
