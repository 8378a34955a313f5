//! The gate itself: load both result files and the policy, compare per category, check the
//! sandbox evidence, and decide. Input errors are `Err` (exit 2); every other problem is a
//! reason in a `block` decision (exit 1). Nothing promotes by default.

use std::path::{Path, PathBuf};

use crate::compare::{compare, CategoryStatus};
use crate::decision::{
    now_rfc3339, DeciderInfo, DecisionRecord, InputRef, Outcome, PolicyRef, DECISION_FORMAT,
    DECISION_VERSION, REQUIREMENT_ID,
};
use crate::digest::{normalize_model_digest, sha256_of_file};
use crate::error::{GateError, Result};
use crate::eval::{EvalResults, SourceFormat};
use crate::import;
use crate::limits::{MAX_RESULT_BYTES, MAX_SMALL_FILE_BYTES};
use crate::policy::Policy;
use crate::sandbox_check;

/// Everything the gate needs; built by the CLI or by a caller embedding the gate.
#[derive(Debug, Clone, Default)]
pub struct GateRequest {
    pub baseline: PathBuf,
    pub candidate: PathBuf,
    /// Forced formats; `None` detects from content.
    pub baseline_format: Option<SourceFormat>,
    pub candidate_format: Option<SourceFormat>,
    /// Model digests given on the command line (for tool formats that cannot carry one).
    pub baseline_digest: Option<String>,
    pub candidate_digest: Option<String>,
    pub policy: Option<PathBuf>,
    pub sandbox_record: Option<PathBuf>,
    pub public_key: Option<PathBuf>,
}

/// Runs the gate and returns the decision record (not yet written anywhere).
pub fn decide(request: &GateRequest) -> Result<DecisionRecord> {
    let (policy, policy_ref) = load_policy(request.policy.as_deref())?;
    let mut baseline = import::load(&request.baseline, request.baseline_format)?;
    let mut candidate = import::load(&request.candidate, request.candidate_format)?;
    let baseline_ref = input_ref(
        &request.baseline,
        &mut baseline,
        request.baseline_digest.as_deref(),
    )?;
    let candidate_ref = input_ref(
        &request.candidate,
        &mut candidate,
        request.candidate_digest.as_deref(),
    )?;

    let categories = compare(&baseline, &candidate, &policy);
    let sandbox = sandbox_check::check(
        request.sandbox_record.as_deref(),
        request.public_key.as_deref(),
        candidate.model.digest.as_deref(),
    );

    let mut reasons = Vec::new();
    for row in categories.iter().filter(|row| row.status.blocks()) {
        reasons.push(format!("category `{}`: {}", row.category, row.reason));
    }
    if categories
        .iter()
        .all(|row| row.status == CategoryStatus::New)
    {
        reasons.push("no category could be compared with the baseline".to_string());
    }
    if baseline.tool.name != candidate.tool.name {
        // Different tools score differently; a category match across them is not a like-for-like comparison.
        reasons.push(format!(
            "baseline was produced by {} and candidate by {}; compare results of the same tool",
            baseline.tool.name, candidate.tool.name
        ));
    }
    reasons.extend(sandbox.problems.iter().map(|p| format!("sandbox: {p}")));

    let mut warnings = Vec::new();
    warnings.extend(baseline.warnings.iter().map(|w| format!("baseline: {w}")));
    warnings.extend(candidate.warnings.iter().map(|w| format!("candidate: {w}")));
    warnings.extend(sandbox.warnings.iter().map(|w| format!("sandbox: {w}")));
    for row in categories
        .iter()
        .filter(|row| row.status == CategoryStatus::New)
    {
        warnings.push(format!(
            "category `{}` is only in the candidate and was not compared",
            row.category
        ));
    }
    if baseline.model.digest.is_some() && baseline.model.digest == candidate.model.digest {
        warnings.push("baseline and candidate have the same model digest".to_string());
    }

    let decision = if reasons.is_empty() && sandbox.accepted() {
        Outcome::Promote
    } else {
        Outcome::Block
    };
    if decision == Outcome::Block && reasons.is_empty() {
        // Defensive: `accepted()` is stricter than the problem list; never block without a reason.
        reasons.push("sandbox: the record was not accepted".to_string());
    }
    Ok(DecisionRecord {
        format: DECISION_FORMAT.to_string(),
        version: DECISION_VERSION,
        requirement: REQUIREMENT_ID.to_string(),
        decision,
        reasons,
        decided_at: now_rfc3339(),
        tool: DeciderInfo {
            name: "aisvs".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        policy: policy_ref,
        baseline: baseline_ref,
        candidate: candidate_ref,
        sandbox_record: sandbox,
        categories,
        warnings,
    })
}

fn load_policy(path: Option<&Path>) -> Result<(Policy, PolicyRef)> {
    let Some(path) = path else {
        let policy = Policy::default();
        return Ok((
            policy.clone(),
            PolicyRef {
                path: None,
                sha256: None,
                effective: policy,
            },
        ));
    };
    let policy = Policy::load(path)?;
    let sha256 = sha256_of_file(path, MAX_SMALL_FILE_BYTES)?;
    let reference = PolicyRef {
        path: Some(path.display().to_string()),
        sha256: Some(sha256),
        effective: policy.clone(),
    };
    Ok((policy, reference))
}

/// Settles the model digest (file vs command line) and describes the file for the record.
fn input_ref(path: &Path, results: &mut EvalResults, flag: Option<&str>) -> Result<InputRef> {
    let mut source = results.model.digest.as_ref().map(|_| "file".to_string());
    if let Some(raw) = flag {
        let given = normalize_model_digest(raw).ok_or_else(|| {
            GateError::invalid(
                path,
                format!("model digest {raw:?} given for this file is not sha256:<64 hex>"),
            )
        })?;
        match &results.model.digest {
            Some(in_file) if *in_file != given => {
                return Err(GateError::invalid(
                    path,
                    format!("the file says model digest {in_file}, the command line says {given}"),
                ))
            }
            Some(_) => {}
            None => {
                results.model.digest = Some(given);
                source = Some("command line".to_string());
            }
        }
    } else if let Some(raw) = results.model.digest.clone() {
        let normalized = normalize_model_digest(&raw).ok_or_else(|| {
            GateError::invalid(path, format!("model digest {raw:?} is not sha256:<64 hex>"))
        })?;
        results.model.digest = Some(normalized);
    }
    Ok(InputRef {
        path: path.display().to_string(),
        sha256: sha256_of_file(path, MAX_RESULT_BYTES)?,
        format: results.format.name().to_string(),
        tool: results.tool.name.clone(),
        tool_version: results.tool.version.clone(),
        run_id: results.run_id.clone(),
        model_name: results
            .model
            .name
            .as_deref()
            .map(crate::redact::redact_text),
        model_digest: results.model.digest.clone(),
        model_digest_source: source,
    })
}
