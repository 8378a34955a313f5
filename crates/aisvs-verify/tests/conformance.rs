//! All 70 sigstore-conformance `bundle-verify` cases: `_fail` cases must not verify, others must.

mod common;

use aisvs_verify::{verify_bundle, ArtifactInput, BundleRequest, PublicKey, Signer};
use common::{identity, vectors, GH};
use std::path::Path;

const DEFAULT_IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

fn read_trimmed(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// Runs one case; Ok(verified) or Err(input error text). Both Err and Ok(false) mean "rejected".
fn run_case(dir: &Path) -> Result<bool, String> {
    let artifact = if dir.join("artifact").exists() {
        dir.join("artifact")
    } else {
        dir.join("../a.txt")
    };
    let signer = if dir.join("key.pub").exists() {
        Signer::Key(PublicKey::load(&dir.join("key.pub")).map_err(|e| e.to_string())?)
    } else {
        let san = read_trimmed(&dir.join("identity")).unwrap_or_else(|| DEFAULT_IDENTITY.into());
        let issuer = read_trimmed(&dir.join("issuer")).unwrap_or_else(|| GH.into());
        identity(&san, &issuer)
    };
    let root = dir.join("trusted_root.json");
    let request = BundleRequest {
        bundle: dir.join("bundle.sigstore.json"),
        artifact: ArtifactInput::File(artifact),
        signer,
        trusted_root: root.exists().then_some(root),
        strict_timestamps: false,
    };
    verify_bundle(&request)
        .map(|r| r.verified)
        .map_err(|e| e.to_string())
}

#[test]
fn all_conformance_bundle_verify_cases_match_expected_verdicts() {
    let base = vectors().join("sigstore-conformance/bundle-verify");
    let mut cases: Vec<_> = std::fs::read_dir(&base)
        .expect("conformance vectors present")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("bundle.sigstore.json").exists())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 70, "expected the 70 stored conformance cases");
    let mut wrong = Vec::new();
    let (mut passes, mut fails) = (0, 0);
    for dir in &cases {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let expect_pass = !name.ends_with("_fail");
        let outcome = run_case(dir);
        let verified = matches!(outcome, Ok(true));
        if verified != expect_pass {
            wrong.push(format!("{name}: expected {expect_pass}, got {outcome:?}"));
        } else if expect_pass {
            passes += 1;
        } else {
            fails += 1;
        }
    }
    assert!(wrong.is_empty(), "disagreements:\n{}", wrong.join("\n"));
    assert_eq!((passes, fails), (cases.len() - fails, fails));
    eprintln!("conformance: {passes} positive and {fails} negative cases agree");
}
