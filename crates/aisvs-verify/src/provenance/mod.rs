//! `aisvs verify provenance`: SLSA provenance (v1, legacy v0.2) in DSSE / in-toto, checked
//! against the SLSA Build L3 conditions; the verdict names the condition that failed.

pub mod builders;
pub mod conditions;
pub mod load;
pub mod slsa;
pub mod vsa;

use crate::artifact::ArtifactInput;
use crate::bundle::verify_loaded_bundle;
use crate::dsse::Envelope;
use crate::error::VerifyError;
use crate::keyed::PublicKey;
use crate::report::{Report, Requirement};
use crate::sigstore_check::Signer;
use crate::statement::{Statement, STATEMENT_V01, STATEMENT_V1};
use crate::trust::load_trusted_root;
use builders::{default_trusted_builders, TrustedBuilder};
use conditions::SignedBy;
use load::{load_provenance, ProvenanceDocument};
use std::path::PathBuf;

/// What a provenance must satisfy besides being authentic.
#[derive(Debug, Clone)]
pub struct ProvenancePolicy {
    /// The trusted-builder map (defaults: [`default_trusted_builders`]).
    pub builders: Vec<TrustedBuilder>,
    /// `--builder-id`: the builder must be one of these (`id` or `id@ref`); also trusted.
    pub expected_builder_ids: Vec<String>,
    /// Expected source repository (`github.com/o/r`). Without it the provenance is not verified.
    pub source_uri: Option<String>,
    /// Expected full source ref (`refs/tags/v1`, `refs/heads/main`).
    pub source_ref: Option<String>,
    /// External parameters allowed beyond those known for the build type.
    pub allowed_parameters: Vec<String>,
    /// VSA expectations (only used for `verification_summary` predicates).
    pub vsa: vsa::VsaPolicy,
}

impl Default for ProvenancePolicy {
    fn default() -> Self {
        ProvenancePolicy {
            builders: default_trusted_builders(),
            expected_builder_ids: Vec::new(),
            source_uri: None,
            source_ref: None,
            allowed_parameters: Vec::new(),
            vsa: vsa::VsaPolicy::default(),
        }
    }
}

impl ProvenancePolicy {
    /// The configured map plus the builders named with `--builder-id`.
    pub fn all_builders(&self) -> Vec<TrustedBuilder> {
        let mut all = self.builders.clone();
        all.extend(
            self.expected_builder_ids
                .iter()
                .map(|id| TrustedBuilder::from_user(id)),
        );
        all
    }
}

/// Input of [`verify_provenance`].
#[derive(Debug, Clone)]
pub struct ProvenanceRequest {
    /// The provenance file.
    pub provenance: PathBuf,
    /// The artifact the provenance must be about (optional only for VSAs, whose subject is
    /// checked with [`vsa::VsaPolicy::subject`]).
    pub artifact: Option<ArtifactInput>,
    /// Builder / source / parameter expectations.
    pub policy: ProvenancePolicy,
    /// Keys for keyed DSSE signatures (Cloud Build, VSA) or managed-key bundles.
    pub keys: Vec<PublicKey>,
    /// Required DSSE `keyid` for keyed signatures.
    pub key_id: Option<String>,
    /// `None` = the shipped production root.
    pub trusted_root: Option<PathBuf>,
    /// Fail on any RFC 3161 timestamp that does not authenticate (see `timestamps.rs`).
    pub strict_timestamps: bool,
}

const SLSA_REQUIRED: [&str; 8] = [
    "signature",
    "statement type",
    "subject digest",
    "predicate type",
    "trusted builder (L3)",
    "builder id",
    "source repository",
    "external parameters",
];

/// Verifies a provenance file against an artifact and a policy.
pub fn verify_provenance(request: &ProvenanceRequest) -> Result<Report, VerifyError> {
    let document = load_provenance(&request.provenance)?;
    let mut report = Report::new(
        "provenance",
        request.provenance.display().to_string(),
        vec![Requirement::Provenance],
    );
    let known = match &request.artifact {
        Some(artifact) => Some(artifact.digests()?),
        None => None,
    };
    let Some((signer, envelope)) = authenticate(request, document, &mut report)? else {
        report.fact(
            "slsa_build_level",
            "none established: provenance not authenticated",
        );
        return Ok(report.finish(&SLSA_REQUIRED));
    };
    let statement = match Statement::parse(&request.provenance, &envelope.payload) {
        Ok(s) if envelope.payload_type == "application/vnd.in-toto+json" => s,
        Ok(_) => {
            report.fail(
                "statement type",
                format!("payloadType {} is not in-toto", envelope.payload_type),
            );
            return Ok(report.finish(&SLSA_REQUIRED));
        }
        Err(e) => {
            report.fail("statement type", e.to_string());
            return Ok(report.finish(&SLSA_REQUIRED));
        }
    };
    match statement.statement_type.as_str() {
        STATEMENT_V1 => report.pass("statement type", "in-toto Statement v1"),
        STATEMENT_V01 => report.pass("statement type", "in-toto Statement v0.1 (legacy)"),
        other => report.fail("statement type", format!("unknown statement _type {other}")),
    }
    if statement.predicate_type == vsa::VSA_V1 {
        vsa::check_vsa(&mut report, &request.policy.vsa, &statement, known.as_ref());
        return Ok(report.finish(&vsa::VSA_REQUIRED));
    }
    match known.as_ref().map(|k| (k, statement.matching_subject(k))) {
        Some((k, Some(subject))) => report.pass(
            "subject digest",
            format!("subject {:?} matches {}", subject.name, k.describe()),
        ),
        Some((k, None)) => report.fail(
            "subject digest",
            format!(
                "no subject matches {} (subjects: {})",
                k.describe(),
                statement.describe_subjects()
            ),
        ),
        None => report.fail(
            "subject digest",
            "no artifact given (--artifact or --digest)",
        ),
    }
    let Some(facts) = slsa::read_predicate(&statement.predicate_type, &statement.predicate) else {
        report.fail(
            "predicate type",
            format!(
                "{} is not SLSA provenance v1 or v0.2",
                statement.predicate_type
            ),
        );
        return Ok(report.finish(&SLSA_REQUIRED));
    };
    if statement.predicate_type == slsa::PROVENANCE_V1 {
        report.pass("predicate type", "SLSA provenance v1");
    } else {
        report.pass(
            "predicate type",
            "SLSA provenance v0.2 (provenance format pre-1.0)",
        );
    }
    if let Some(id) = &facts.builder_id {
        report.fact("builder.id", id.clone());
    }
    conditions::check_builder(&mut report, &request.policy, &signer, &facts);
    conditions::check_source(&mut report, &request.policy, &signer, &facts);
    conditions::check_external_parameters(&mut report, &request.policy, &facts);
    // With a keyed signature the configured key stands for the builder: there is no signer
    // identity to compare builder.id with, so that condition is not required.
    let required: Vec<&str> = SLSA_REQUIRED
        .iter()
        .copied()
        .filter(|c| !(matches!(signer, SignedBy::Key(_)) && *c == "builder id"))
        .collect();
    let report = report.finish(&required);
    let level = if report.verified {
        "3".to_string()
    } else {
        format!(
            "at most 2: authentic provenance, but L3 condition(s) failed: {}",
            report.failed_checks.join(", ")
        )
    };
    let mut report = report;
    report.fact("slsa_build_level", level);
    Ok(report)
}

/// Checks the signature; returns the signer and the authenticated envelope.
fn authenticate(
    request: &ProvenanceRequest,
    document: ProvenanceDocument,
    report: &mut Report,
) -> Result<Option<(SignedBy, Envelope)>, VerifyError> {
    match document {
        ProvenanceDocument::Bundle { bundle, envelope } => {
            let trust = load_trusted_root(request.trusted_root.as_deref())?
                .with_strict_timestamps(request.strict_timestamps);
            let signer = match request.keys.first() {
                Some(key) => Signer::Key(key.clone()),
                None => Signer::CallerDecides,
            };
            let artifact = request.artifact.as_ref().ok_or_else(|| {
                VerifyError::usage("a provenance in a Sigstore bundle needs --artifact or --digest")
            })?;
            let facts = verify_loaded_bundle(&bundle, artifact, &signer, &trust, report)?;
            Ok(facts.map(|f| {
                let signed_by = match signer {
                    Signer::Key(key) => SignedBy::Key(key.describe()),
                    _ => SignedBy::Certificate {
                        san: f.identity,
                        issuer: f.issuer,
                        source_repository: f.source_repository,
                        source_ref: f.source_ref,
                    },
                };
                (signed_by, envelope)
            }))
        }
        ProvenanceDocument::Envelopes(envelopes) => {
            if request.keys.is_empty() {
                report.fail(
                    "signature",
                    "keyed DSSE envelope: give the builder's public key with --key",
                );
                return Ok(None);
            }
            let mut reasons = Vec::new();
            for (index, envelope) in envelopes.into_iter().enumerate() {
                match envelope.verify_with_keys(&request.keys, request.key_id.as_deref()) {
                    Ok(detail) => {
                        report.pass("signature", format!("envelope {index}: {detail}"));
                        report.skip("transparency log", "keyed DSSE envelope carries no Rekor entry; trust rests on the configured key");
                        let key = request
                            .keys
                            .iter()
                            .map(PublicKey::describe)
                            .collect::<Vec<_>>()
                            .join(", ");
                        return Ok(Some((SignedBy::Key(key), envelope)));
                    }
                    Err(reason) => reasons.push(format!("envelope {index}: {reason}")),
                }
            }
            report.fail("signature", reasons.join("; "));
            Ok(None)
        }
    }
}
