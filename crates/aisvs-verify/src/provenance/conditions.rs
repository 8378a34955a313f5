//! The SLSA Build L3 conditions checked on an authenticated provenance: trusted builder,
//! builder id consistent with the signer, expected source repository and ref, and no
//! unexpected external parameters. Each is its own named check.

use super::builders::{find_keyless, is_release_tag, split_ref, BuilderKind, TrustedBuilder};
use super::slsa::{expected_external_parameters, normalise_repository, ProvenanceFacts};
use super::ProvenancePolicy;
use crate::report::Report;

/// Who signed the provenance, as established by the signature check.
#[derive(Debug, Clone)]
pub enum SignedBy {
    /// Fulcio certificate.
    Certificate {
        /// SAN.
        san: String,
        /// OIDC issuer.
        issuer: Option<String>,
        /// Source Repository URI claim.
        source_repository: Option<String>,
        /// Source Repository Ref claim.
        source_ref: Option<String>,
    },
    /// A configured public key.
    Key(String),
}

fn matches_expected(expected: &[String], id: &str, git_ref: Option<&str>) -> bool {
    expected.iter().any(|want| {
        let (want_id, want_ref) = split_ref(want);
        want_id == id && want_ref.is_none_or(|r| Some(r) == git_ref)
    })
}

/// "trusted builder (L3)" and "builder id".
pub fn check_builder(
    report: &mut Report,
    policy: &ProvenancePolicy,
    signer: &SignedBy,
    facts: &ProvenanceFacts,
) {
    const TRUSTED: &str = "trusted builder (L3)";
    const BUILDER_ID: &str = "builder id";
    let builder_id = facts.builder_id.as_deref().unwrap_or_default();
    let (prov_id, prov_ref) = split_ref(builder_id);
    let builders: Vec<TrustedBuilder> = policy.all_builders();
    match signer {
        SignedBy::Key(key) => {
            let rated = builders
                .iter()
                .any(|b| b.kind == BuilderKind::KeySigned && b.id == prov_id);
            let expected_ok = policy.expected_builder_ids.is_empty()
                || matches_expected(&policy.expected_builder_ids, prov_id, prov_ref);
            if builder_id.is_empty() {
                report.fail(TRUSTED, "provenance has no builder.id");
            } else if rated && expected_ok {
                report.pass(TRUSTED, format!("builder.id {builder_id} is a key-signed L3 builder; provenance signed by {key}"));
            } else if !expected_ok {
                report.fail(
                    TRUSTED,
                    format!(
                        "builder.id {builder_id} is not the expected builder {}",
                        policy.expected_builder_ids.join(", ")
                    ),
                );
            } else {
                report.fail(
                    TRUSTED,
                    format!("builder.id {builder_id} is not on the trusted-builder list"),
                );
            }
            report.skip(
                BUILDER_ID,
                "keyed signature: the configured key stands for the builder",
            );
        }
        SignedBy::Certificate { san, issuer, .. } => {
            let (signer_id, signer_ref) = split_ref(san);
            let entry = find_keyless(&builders, san, issuer.as_deref());
            let delegator = entry.is_some_and(|e| e.kind == BuilderKind::GithubDelegator);
            // BYOB: the expectation is about the TRW in builder.id; otherwise about the signer.
            let (check_id, check_ref) = if delegator {
                (prov_id, prov_ref)
            } else {
                (signer_id, signer_ref)
            };
            let expected_ok = policy.expected_builder_ids.is_empty()
                || matches_expected(&policy.expected_builder_ids, check_id, check_ref);
            match entry {
                None => report.fail(TRUSTED, format!(
                    "signer {san} (issuer {}) is not a trusted L3 builder (untrusted reusable workflow)",
                    issuer.as_deref().unwrap_or("<none>"))),
                Some(e) if e.require_release_tag && !signer_ref.is_some_and(is_release_tag) => report.fail(TRUSTED, format!(
                    "builder {} is pinned to {}, not a release tag", e.id, signer_ref.unwrap_or("<no ref>"))),
                Some(_) if !expected_ok && !delegator => report.fail(TRUSTED, format!(
                    "signer {san} is not the expected builder {}", policy.expected_builder_ids.join(", "))),
                Some(_) => report.pass(TRUSTED, format!("signed by trusted builder {san}")),
            }
            if builder_id.is_empty() {
                report.fail(BUILDER_ID, "provenance has no builder.id");
            } else if delegator && !expected_ok {
                report.fail(
                    BUILDER_ID,
                    format!(
                        "BYOB builder.id {builder_id} is not the expected {}",
                        policy.expected_builder_ids.join(", ")
                    ),
                );
            } else if delegator {
                report.pass(
                    BUILDER_ID,
                    format!(
                        "BYOB: delegator {signer_id} ran trusted reusable workflow {builder_id}"
                    ),
                );
            } else if prov_id == signer_id && prov_ref.is_none_or(|r| Some(r) == signer_ref) {
                report.pass(
                    BUILDER_ID,
                    format!("builder.id {builder_id} is the signing workflow"),
                );
            } else {
                report.fail(
                    BUILDER_ID,
                    format!("builder.id {builder_id} does not match the signing workflow {san}"),
                );
            }
        }
    }
}

/// "source repository" (required) and "source ref" (when an expectation is given).
pub fn check_source(
    report: &mut Report,
    policy: &ProvenancePolicy,
    signer: &SignedBy,
    facts: &ProvenanceFacts,
) {
    const REPO: &str = "source repository";
    const REF: &str = "source ref";
    let (cert_repo, cert_ref) = match signer {
        SignedBy::Certificate {
            source_repository,
            source_ref,
            ..
        } => (
            source_repository
                .as_deref()
                .map(|r| normalise_repository(r).0),
            source_ref.clone(),
        ),
        SignedBy::Key(_) => (None, None),
    };
    let prov_repo = facts.source_repository.clone();
    if let (Some(c), Some(p)) = (&cert_repo, &prov_repo) {
        if c != p {
            report.fail(
                REPO,
                format!(
                    "certificate names {c} but provenance ({}) names {p}",
                    facts.source_field.unwrap_or("?")
                ),
            );
            return;
        }
    }
    let actual = cert_repo.or(prov_repo);
    match (&policy.source_uri, &actual) {
        (None, _) => report.skip(
            REPO,
            format!(
                "no expected source given (--source-uri); built from {}",
                actual.as_deref().unwrap_or("<unknown>")
            ),
        ),
        (Some(_), None) => report.fail(REPO, "provenance names no source repository"),
        (Some(want), Some(got)) => {
            let want = normalise_repository(want).0;
            if &want == got {
                report.pass(REPO, format!("built from {got}"));
            } else {
                report.fail(REPO, format!("built from {got}, expected {want}"));
            }
        }
    }
    let actual_ref = cert_ref.or_else(|| facts.source_ref.clone());
    match (&policy.source_ref, &actual_ref) {
        (None, Some(got)) => report.skip(REF, format!("no expected ref given; built from {got}")),
        (None, None) => report.skip(REF, "no expected ref given and none recorded"),
        (Some(want), Some(got)) if want == got => report.pass(REF, format!("built from {got}")),
        (Some(want), Some(got)) => report.fail(REF, format!("built from {got}, expected {want}")),
        (Some(want), None) => report.fail(
            REF,
            format!("provenance records no source ref (expected {want})"),
        ),
    }
}

/// "external parameters": only keys the build type is known to use (plus `--allow-param`).
pub fn check_external_parameters(
    report: &mut Report,
    policy: &ProvenancePolicy,
    facts: &ProvenanceFacts,
) {
    const NAME: &str = "external parameters";
    let Some(build_type) = facts.build_type.as_deref() else {
        report.fail(NAME, "provenance has no buildType");
        return;
    };
    let known = expected_external_parameters(build_type);
    if known.is_none() && policy.allowed_parameters.is_empty() {
        report.fail(NAME, format!("buildType {build_type} is not known, so its externalParameters cannot be confirmed (name the expected ones with --allow-param)"));
        return;
    }
    let allowed = |key: &str| {
        known.is_some_and(|k| k.contains(&key))
            || policy.allowed_parameters.iter().any(|a| a == key)
    };
    let unexpected: Vec<&str> = facts
        .external_parameter_keys
        .iter()
        .map(String::as_str)
        .filter(|k| !allowed(k))
        .collect();
    if unexpected.is_empty() {
        report.pass(
            NAME,
            format!(
                "buildType {build_type}; parameters [{}] are all expected",
                facts.external_parameter_keys.join(", ")
            ),
        );
    } else {
        report.fail(
            NAME,
            format!(
                "unexpected externalParameters for {build_type}: {}",
                unexpected.join(", ")
            ),
        );
    }
}
