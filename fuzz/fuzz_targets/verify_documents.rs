//! Fuzzes `aisvs verify bundle` and `aisvs verify provenance` on arbitrary documents against the
//! shipped trusted root: malformed bundles, envelopes and statements must be errors or failed
//! checks, never a panic and never a verified result.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aisvs_verify::{
    verify_bundle, verify_provenance, ArtifactInput, BundleRequest, IdentityPolicy, Matcher,
    ProvenancePolicy, ProvenanceRequest, Signer,
};
use libfuzzer_sys::fuzz_target;

fn document_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        PathBuf::from(format!(
            "/dev/shm/aisvs-fuzz-doc-{}.json",
            std::process::id()
        ))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = document_path();
    std::fs::write(path, data).expect("write fuzz document");
    let signer = Signer::Identity(IdentityPolicy {
        identity: Matcher::Exact("fuzz@example.com".into()),
        issuer: Matcher::Exact("https://accounts.example.com".into()),
    });
    let bundle = BundleRequest {
        bundle: path.to_path_buf(),
        artifact: ArtifactInput::Bytes(b"artifact".to_vec()),
        signer,
        trusted_root: None,
        strict_timestamps: false,
    };
    if let Ok(report) = verify_bundle(&bundle) {
        // No input made of fuzz bytes can carry a valid production signature for this identity.
        assert!(!report.verified, "fuzz input verified as a bundle");
    }
    let provenance = ProvenanceRequest {
        provenance: path.to_path_buf(),
        artifact: Some(ArtifactInput::Bytes(b"artifact".to_vec())),
        policy: ProvenancePolicy::default(),
        keys: Vec::new(),
        key_id: None,
        trusted_root: None,
        strict_timestamps: false,
    };
    if let Ok(report) = verify_provenance(&provenance) {
        assert!(!report.verified, "fuzz input verified as provenance");
    }
});
