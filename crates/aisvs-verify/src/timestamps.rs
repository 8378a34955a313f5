//! RFC 3161 timestamp triage, run before the full Sigstore verification.
//!
//! `sigstore-verify` treats any timestamp that does not authenticate as fatal, even when the
//! Rekor SET already gives a verified signing time. The reference clients (sigstore-go's
//! observer-timestamp threshold, sigstore-python's `VERIFIED_TIME_THRESHOLD = 1`) instead
//! discard timestamps they cannot authenticate and require a threshold of verified times.
//! aisvs follows the reference clients by default and keeps the strict behaviour behind
//! `--strict-timestamps`. Dropping an unauthenticated timestamp never weakens the result: it
//! was never going to be used as a signing time, and every authenticated time (including one
//! that falls outside its authority's window) is still handed to the verifier.

use crate::trust::TrustRoot;
use sigstore_verify::tsa::{verify_timestamp_for_authority, Error as TsaError};
use sigstore_verify::types::bundle::SignatureContent;
use sigstore_verify::types::{Bundle, SignatureBytes};

/// More timestamps than this is rejected outright (the limit the reference clients apply,
/// so a bundle cannot make the verifier try thousands of CMS signatures).
pub const MAX_TIMESTAMPS: usize = 32;

/// What the triage decided for a bundle.
#[derive(Debug)]
pub enum Triage {
    /// Every timestamp authenticated (or the bundle has none): verify the bundle as it is.
    Unchanged,
    /// Some timestamps did not authenticate and were removed; verify `bundle` instead.
    Dropped {
        /// The bundle without the unauthenticated timestamps.
        bundle: Box<Bundle>,
        /// One line per dropped timestamp: its 1-based position and why it was dropped.
        reasons: Vec<String>,
    },
    /// The timestamp list itself is malformed (too many, or duplicated): the bundle fails.
    Rejected(String),
}

/// Sorts the bundle's RFC 3161 timestamps into usable and unauthenticated ones.
pub fn triage(bundle: &Bundle, trust: &TrustRoot) -> Triage {
    let stamps = &bundle
        .verification_material
        .timestamp_verification_data
        .rfc3161_timestamps;
    if stamps.len() > MAX_TIMESTAMPS {
        return Triage::Rejected(format!(
            "too many RFC 3161 timestamps: {} > {MAX_TIMESTAMPS}",
            stamps.len()
        ));
    }
    for (i, a) in stamps.iter().enumerate() {
        if let Some(j) = stamps[i + 1..].iter().position(|b| b == a) {
            return Triage::Rejected(format!(
                "duplicate RFC 3161 timestamp: #{} and #{} are identical",
                i + 1,
                i + j + 2
            ));
        }
    }
    let Some(signature) = signature_of(bundle) else {
        return Triage::Unchanged;
    };
    let authorities = trust.root.tsa_authorities();
    let mut keep = Vec::with_capacity(stamps.len());
    let mut reasons = Vec::new();
    for (i, stamp) in stamps.iter().enumerate() {
        let mut last_error = None;
        let authenticated = authorities.iter().any(|authority| {
            match verify_timestamp_for_authority(&stamp.signed_timestamp, &signature, authority) {
                // Outside the authority's window is still authenticated: the verifier must
                // see it and reject the bundle, so it is kept.
                Ok(_) | Err(TsaError::TimestampOutsideValidity { .. }) => true,
                Err(e) => {
                    last_error = Some(e.to_string());
                    false
                }
            }
        });
        if authenticated {
            keep.push(stamp.clone());
        } else {
            let why = last_error
                .unwrap_or_else(|| "the trusted root has no timestamp authority".to_string());
            reasons.push(format!("#{}: {why}", i + 1));
        }
    }
    if reasons.is_empty() {
        return Triage::Unchanged;
    }
    let mut trimmed = bundle.clone();
    trimmed
        .verification_material
        .timestamp_verification_data
        .rfc3161_timestamps = keep;
    Triage::Dropped {
        bundle: Box::new(trimmed),
        reasons,
    }
}

/// The signature bytes a timestamp's message imprint covers.
fn signature_of(bundle: &Bundle) -> Option<SignatureBytes> {
    match &bundle.content {
        SignatureContent::MessageSignature(m) => Some(m.signature.clone()),
        SignatureContent::DsseEnvelope(e) => Some(e.signature.sig.clone()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}
