//! SLSA Verification Summary Attestations (VSA v1): a verifier's signed verdict about a resource.

use crate::artifact::KnownDigests;
use crate::report::Report;
use crate::statement::Statement;
use serde_json::Value;

/// VSA v1 predicate type.
pub const VSA_V1: &str = "https://slsa.dev/verification_summary/v1";

/// Checks required for a VSA to count as verified.
pub const VSA_REQUIRED: [&str; 6] = [
    "signature",
    "statement type",
    "subject digest",
    "verification result",
    "verifier",
    "resource uri",
];

/// What a VSA must say.
#[derive(Debug, Clone, Default)]
pub struct VsaPolicy {
    /// Accepted `verifier.id` values (required).
    pub verifier_ids: Vec<String>,
    /// Expected `resourceUri` (required).
    pub resource_uri: Option<String>,
    /// Levels that must all be in `verifiedLevels`.
    pub levels: Vec<String>,
    /// Expected subject digest `alg:value` (VSA subjects are often not file digests,
    /// e.g. `gce_image_id:8970095005306000053`).
    pub subject: Option<String>,
}

/// Records the VSA checks. The subject check was done by the caller; for VSAs the subject is
/// often not a file digest (e.g. `gce_image_id`), in which case it is reported, not required.
pub fn check_vsa(
    report: &mut Report,
    policy: &VsaPolicy,
    statement: &Statement,
    known: Option<&KnownDigests>,
) {
    check_subject(report, policy, statement, known);
    let predicate = &statement.predicate;
    let result = predicate
        .get("verificationResult")
        .and_then(Value::as_str)
        .unwrap_or("");
    if result == "PASSED" {
        report.pass("verification result", "verificationResult is PASSED");
    } else {
        report.fail(
            "verification result",
            format!("verificationResult is {result:?}, not PASSED"),
        );
    }
    let verifier = predicate
        .get("verifier")
        .and_then(|v| v.get("id"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if policy.verifier_ids.is_empty() {
        report.fail(
            "verifier",
            format!("verifier {verifier:?} cannot be trusted: no --vsa-verifier-id given"),
        );
    } else if policy.verifier_ids.iter().any(|v| v == verifier) {
        report.pass("verifier", format!("verifier {verifier} is trusted"));
    } else {
        report.fail(
            "verifier",
            format!(
                "verifier {verifier:?} is not one of {}",
                policy.verifier_ids.join(", ")
            ),
        );
    }
    let resource = predicate
        .get("resourceUri")
        .and_then(Value::as_str)
        .unwrap_or("");
    match &policy.resource_uri {
        Some(want) if want == resource => {
            report.pass("resource uri", format!("resourceUri {resource}"))
        }
        Some(want) => report.fail(
            "resource uri",
            format!("resourceUri {resource:?}, expected {want}"),
        ),
        None => report.fail(
            "resource uri",
            format!("resourceUri {resource:?} not checked: no --resource-uri given"),
        ),
    }
    let levels: Vec<&str> = predicate
        .get("verifiedLevels")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let missing: Vec<&String> = policy
        .levels
        .iter()
        .filter(|l| !levels.contains(&l.as_str()))
        .collect();
    if missing.is_empty() {
        report.pass(
            "verified levels",
            format!("verifiedLevels [{}]", levels.join(", ")),
        );
    } else {
        report.fail(
            "verified levels",
            format!(
                "verifiedLevels [{}] lack {}",
                levels.join(", "),
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

fn check_subject(
    report: &mut Report,
    policy: &VsaPolicy,
    statement: &Statement,
    known: Option<&KnownDigests>,
) {
    const NAME: &str = "subject digest";
    if let Some(want) = &policy.subject {
        let Some((algorithm, value)) = want.split_once(':') else {
            report.fail(NAME, format!("--vsa-subject {want:?} must be alg:value"));
            return;
        };
        let hit = statement.subjects.iter().any(|s| {
            s.digest
                .get(&algorithm.to_ascii_lowercase())
                .is_some_and(|v| v.eq_ignore_ascii_case(value))
        });
        if hit {
            report.pass(NAME, format!("a subject has digest {want}"));
        } else {
            report.fail(
                NAME,
                format!(
                    "no subject has digest {want} (subjects: {})",
                    statement.describe_subjects()
                ),
            );
        }
        return;
    }
    match known.map(|k| (k, statement.matching_subject(k))) {
        Some((k, Some(_))) => report.pass(NAME, format!("a subject matches {}", k.describe())),
        Some((k, None)) => report.fail(
            NAME,
            format!(
                "no subject matches {} (subjects: {})",
                k.describe(),
                statement.describe_subjects()
            ),
        ),
        None => report.fail(
            NAME,
            "no subject expectation given (--vsa-subject, --artifact or --digest)",
        ),
    }
}
