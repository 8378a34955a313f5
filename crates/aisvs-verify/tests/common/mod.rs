//! Shared helpers for the integration tests: paths of the stored vectors and policy builders.
#![allow(dead_code)]

use aisvs_verify::{IdentityPolicy, Matcher, Signer};
use std::path::PathBuf;

/// `shared/vectors/supply-chain` beside the repository (CI clones it there).
pub fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/supply-chain")
}

/// Keyless signer policy with exact identity and issuer.
pub fn identity(san: &str, issuer: &str) -> Signer {
    Signer::Identity(IdentityPolicy {
        identity: Matcher::Exact(san.to_string()),
        issuer: Matcher::Exact(issuer.to_string()),
    })
}

/// GitHub Actions OIDC issuer.
pub const GH: &str = "https://token.actions.githubusercontent.com";
/// slsa-github-generator reusable workflows prefix.
pub const GG: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/";
pub mod oci;

/// `verify image` of the layout `dir` with the keyed signer `key` and the shipped root.
pub fn keyed(dir: &std::path::Path, key: &std::path::Path) -> aisvs_verify::ImageRequest {
    aisvs_verify::ImageRequest {
        layout: dir.to_path_buf(),
        image_digest: None,
        signer: Signer::Key(aisvs_verify::PublicKey::load(key).expect("key")),
        trusted_root: None,
        strict_timestamps: false,
    }
}

/// The statuses of the checks named `name`, joined ("Pass", "Fail,Pass", …).
pub fn status(report: &aisvs_verify::Report, name: &str) -> String {
    report
        .checks
        .iter()
        .filter(|c| c.name == name)
        .map(|c| format!("{:?}", c.status))
        .collect::<Vec<_>>()
        .join(",")
}
