//! Runs `sigstore-verify` on a parsed bundle and turns its outcome into named checks.
//!
//! The crate performs the whole offline algorithm (certificate chain at the signing time, SCT,
//! Rekor inclusion proof + checkpoint or SET, RFC 3161 timestamps, signature, log-entry
//! consistency, DSSE subject). It is called with `any_identity()` so that the identity and
//! issuer policy (exact or regex) is evaluated here and reported as its own check.

use crate::artifact::ArtifactInput;
use crate::error::VerifyError;
use crate::identity::IdentityPolicy;
use crate::keyed::PublicKey;
use crate::report::Report;
use crate::sigstore_errors::classify;
use crate::timestamps::{triage, Triage};
use crate::trust::TrustRoot;
use sigstore_verify::crypto::parse_certificate_info;
use sigstore_verify::types::{Artifact, ArtifactDigest, Bundle, DigestBytes, HashAlgorithm};
use sigstore_verify::{
    Error, PublicKeyVerificationPolicy, VerificationPolicy, VerificationResult, Verifier,
};

/// Who is trusted to have signed.
#[derive(Debug, Clone)]
pub enum Signer {
    /// Keyless (Fulcio certificate): SAN and OIDC issuer policy.
    Identity(IdentityPolicy),
    /// Managed key supplied out of band.
    Key(PublicKey),
    /// Keyless, but the caller authorises the signer itself (the provenance trusted-builder
    /// map): no identity/issuer check is recorded here, the facts are returned for the caller.
    CallerDecides,
}

/// What a successful verification established about the signer.
#[derive(Debug, Clone, Default)]
pub struct SignerFacts {
    /// Certificate SAN (keyless) or key fingerprint (keyed).
    pub identity: String,
    /// OIDC issuer (keyless only).
    pub issuer: Option<String>,
    /// Fulcio Source Repository URI claim (OID .1.12), e.g. `https://github.com/o/r`.
    pub source_repository: Option<String>,
    /// Fulcio Source Repository Ref claim (OID .1.14), e.g. `refs/tags/v1`.
    pub source_ref: Option<String>,
}

/// Verifies `bundle` for `artifact`, appending checks to `report`.
///
/// Returns the signer facts when every cryptographic check and the signer policy passed.
pub fn verify_bundle_checks(
    bundle: &Bundle,
    artifact: &ArtifactInput,
    signer: &Signer,
    trust: &TrustRoot,
    report: &mut Report,
) -> Result<Option<SignerFacts>, VerifyError> {
    let verifier = match Verifier::new(&trust.root) {
        Ok(v) => v,
        Err(e) => {
            report.fail("trusted root", format!("{}: {e}", trust.label));
            return Ok(None);
        }
    };
    // Timestamps that do not authenticate are set aside unless the policy is strict; the
    // verifier then sees only authenticated ones (see timestamps.rs for why this is safe).
    let triaged;
    let bundle = if trust.strict_timestamps {
        bundle
    } else {
        match triage(bundle, trust) {
            Triage::Unchanged => bundle,
            Triage::Rejected(reason) => {
                report.fail("timestamps", reason);
                return Ok(None);
            }
            Triage::Dropped {
                bundle: trimmed,
                reasons,
            } => {
                report.skip(
                    "unauthenticated timestamps",
                    format!(
                        "{} RFC 3161 timestamp(s) set aside, not used as signing time ({}); \
                         --strict-timestamps rejects the bundle instead",
                        reasons.len(),
                        reasons.join("; ")
                    ),
                );
                triaged = trimmed;
                &*triaged
            }
        }
    };
    let outcome = match signer {
        Signer::Identity(_) | Signer::CallerDecides => run(
            &verifier,
            bundle,
            artifact,
            &VerificationPolicy::any_identity(),
        ),
        Signer::Key(key) => run(
            &verifier,
            bundle,
            artifact,
            &PublicKeyVerificationPolicy::new(key.der.clone()),
        ),
    }?;
    match outcome {
        Ok(result) => {
            record_success(&result, bundle, trust, report);
            Ok(check_signer(&result, signer, report))
        }
        Err(error) => {
            report.fail(classify(&error), error.to_string());
            if let Signer::Identity(policy) = signer {
                explain_identity_of_unverified(bundle, policy, report);
            }
            Ok(None)
        }
    }
}

type Outcome = Result<VerificationResult, Error>;

fn run(
    verifier: &Verifier,
    bundle: &Bundle,
    artifact: &ArtifactInput,
    policy: &(impl sigstore_verify::Policy + ?Sized),
) -> Result<Outcome, VerifyError> {
    Ok(match artifact {
        ArtifactInput::File(path) => {
            if !path.is_file() {
                return Err(VerifyError::input(
                    path,
                    "read artifact",
                    "not a regular file",
                ));
            }
            // Streamed in constant memory; large artifacts are never loaded whole.
            let file = std::fs::File::open(path)
                .map_err(|e| VerifyError::input(path, "read artifact", e))?;
            verifier.verify_reader(file, bundle, policy)
        }
        ArtifactInput::Bytes(bytes) => verifier.verify(bytes.as_slice(), bundle, policy),
        ArtifactInput::Digest(digest) => {
            let algorithm = if digest.algorithm == "sha512" {
                HashAlgorithm::Sha2512
            } else {
                HashAlgorithm::Sha2256
            };
            let bytes = hex::decode(&digest.hex)
                .map_err(|e| VerifyError::usage(format!("digest {}: {e}", digest.display())))?;
            let typed = ArtifactDigest::new(algorithm, DigestBytes::new(bytes))
                .map_err(|e| VerifyError::usage(format!("digest {}: {e}", digest.display())))?;
            verifier.verify(Artifact::Digest(typed), bundle, policy)
        }
    })
}

fn record_success(
    result: &VerificationResult,
    bundle: &Bundle,
    trust: &TrustRoot,
    report: &mut Report,
) {
    if result.certificate_verified() {
        let window = result
            .certificate()
            .map(|c| format!(" (valid {} – {})", c.not_before, c.not_after))
            .unwrap_or_default();
        report.pass(
            "certificate chain",
            format!("chains to {}{window}", trust.label),
        );
    } else {
        report.skip("certificate chain", "keyed signature: no certificate");
    }
    if result.sct_verified() {
        report.pass(
            "SCT",
            "embedded signed certificate timestamp verified with a trusted CT log key",
        );
    } else {
        report.skip("SCT", "no certificate, so no SCT to verify");
    }
    if result.tlog_verified() {
        let mut how = Vec::new();
        if bundle.has_inclusion_proof() {
            how.push("inclusion proof + signed checkpoint");
        }
        if bundle.has_inclusion_promise() {
            how.push("signed entry timestamp (SET)");
        }
        report.pass(
            "transparency log",
            format!("Rekor entry verified: {}", how.join(", ")),
        );
    } else {
        report.skip("transparency log", "no transparency-log entry verified");
    }
    let times: Vec<String> = result
        .verified_timestamps()
        .iter()
        .map(|t| t.to_string())
        .collect();
    if times.is_empty() {
        report.skip("signing time", "no verified timestamp (keyed signature)");
    } else {
        report.pass(
            "signing time",
            format!("verified time(s): {}", times.join(", ")),
        );
    }
    report.pass(
        "signature",
        "signature verifies over the artifact / DSSE envelope",
    );
    report.pass(
        "artifact",
        "bundle describes the given artifact (digest / in-toto subject)",
    );
}

fn check_signer(
    result: &VerificationResult,
    signer: &Signer,
    report: &mut Report,
) -> Option<SignerFacts> {
    match signer {
        Signer::Key(key) => {
            report.pass("key", format!("signed by the given key {}", key.describe()));
            Some(SignerFacts {
                identity: key.describe(),
                ..SignerFacts::default()
            })
        }
        Signer::CallerDecides => Some(facts_of(result)),
        Signer::Identity(policy) => {
            let identity = result
                .identity()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default();
            let issuer = result.issuer().map(str::to_string);
            let identity_ok = policy.identity.matches(&identity);
            let issuer_ok = issuer.as_deref().is_some_and(|i| policy.issuer.matches(i));
            let want = policy.identity.describe();
            if identity_ok {
                report.pass(
                    "identity",
                    format!("certificate SAN {identity:?} matches {want}"),
                );
            } else {
                report.fail(
                    "identity",
                    format!("certificate SAN {identity:?} does not match {want}"),
                );
            }
            let want_issuer = policy.issuer.describe();
            let shown = issuer.as_deref().unwrap_or("<none>");
            if issuer_ok {
                report.pass(
                    "issuer",
                    format!("OIDC issuer {shown:?} matches {want_issuer}"),
                );
            } else {
                report.fail(
                    "issuer",
                    format!("OIDC issuer {shown:?} does not match {want_issuer}"),
                );
            }
            (identity_ok && issuer_ok).then(|| facts_of(result))
        }
    }
}

fn facts_of(result: &VerificationResult) -> SignerFacts {
    let claims = result
        .certificate()
        .map(|c| c.ci_claims.clone())
        .unwrap_or_default();
    SignerFacts {
        identity: result
            .identity()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default(),
        issuer: result.issuer().map(str::to_string),
        source_repository: claims.source_repository_uri,
        source_ref: claims.source_repository_ref,
    }
}

/// When the cryptography failed, still say whether the (unverified) identity would match, so a
/// wrong-signer bundle is reported as such even if it is also broken.
fn explain_identity_of_unverified(bundle: &Bundle, policy: &IdentityPolicy, report: &mut Report) {
    let Some(info) = bundle
        .signing_certificate()
        .and_then(|c| parse_certificate_info(c).ok())
    else {
        return;
    };
    let identity = info
        .identity
        .map(|i| i.as_str().to_string())
        .unwrap_or_default();
    if !policy.identity.matches(&identity) {
        report.fail(
            "identity",
            format!(
                "certificate SAN {identity:?} does not match {} (certificate itself unverified)",
                policy.identity.describe()
            ),
        );
    }
}
