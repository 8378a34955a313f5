//! Every other stored Sigstore vector (SOURCES.md §2, §3, §4c, §5): expected verdicts.

mod common;

use aisvs_verify::{verify_bundle, ArtifactDigest, ArtifactInput, BundleRequest, Signer};
use common::{identity, vectors, GG, GH};
use std::path::PathBuf;

/// Verified? (input errors count as "not verified").
fn verified(bundle: &str, artifact: ArtifactInput, signer: Signer, root: Option<&str>) -> bool {
    let request = BundleRequest {
        bundle: vectors().join(bundle),
        artifact,
        signer,
        trusted_root: root.map(|r| vectors().join(r)),
        strict_timestamps: false,
    };
    matches!(verify_bundle(&request), Ok(r) if r.verified)
}

fn file(path: &str) -> ArtifactInput {
    ArtifactInput::File(vectors().join(path))
}

fn digest(text: &str) -> ArtifactInput {
    ArtifactInput::Digest(ArtifactDigest::parse(text).expect("digest"))
}

const STAGING: &str = "sigstore-python/trusted-roots/staging.trusted_root.json";
const OAUTH: &str = "https://github.com/login/oauth";

#[test]
fn sigstore_js_production_dsse_bundles() {
    let npm = "sha512:7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36";
    let dir: PathBuf = vectors().join("sigstore-js/bundles");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("vectors")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sigstore"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 9);
    for name in &names {
        let bundle = format!("sigstore-js/bundles/{name}");
        assert!(
            verified(
                &bundle,
                digest(npm),
                identity("brian@dehamer.com", OAUTH),
                None
            ),
            "{name} should verify"
        );
        assert!(
            !verified(
                &bundle,
                digest(npm),
                identity("someone@example.com", OAUTH),
                None
            ),
            "{name}: wrong identity must fail"
        );
    }
}

#[test]
fn sigstore_python_staging_assets() {
    let a = "sigstore-python/assets/";
    let tny = || identity("a@tny.town", OAUTH);
    assert!(verified(
        &format!("{a}bundle.txt.sigstore"),
        file(&format!("{a}bundle.txt")),
        tny(),
        Some(STAGING)
    ));
    assert!(
        !verified(
            &format!("{a}bundle.txt.sigstore"),
            file(&format!("{a}bundle.txt")),
            tny(),
            None
        ),
        "production root must reject staging"
    );
    assert!(!verified(
        &format!("{a}bundle.txt.sigstore"),
        file(&format!("{a}a.txt")),
        tny(),
        Some(STAGING)
    ));
    assert!(!verified(
        &format!("{a}bundle.txt.sigstore"),
        file(&format!("{a}bundle.txt")),
        identity("bad@ident.example.com", OAUTH),
        Some(STAGING)
    ));
    for (bundle, artifact, expect) in [
        ("bundle_v3.txt.sigstore", "bundle_v3.txt", true),
        ("bundle_v3_alt.txt.sigstore", "bundle_v3_alt.txt", true),
        (
            "staging-rekor-v2.txt.sigstore.json",
            "staging-rekor-v2.txt",
            true,
        ),
        (
            "a.dsse.staging-rekor-v2.txt.sigstore.json",
            "../../sigstore-conformance/a.txt",
            true,
        ),
        (
            "a.dsse.staging-rekor-v2.txt.sigstore.json",
            "a.dsse.staging-rekor-v2.txt",
            false,
        ),
        (
            "bundle_cve_2022_36056.txt.sigstore",
            "bundle_cve_2022_36056.txt",
            false,
        ),
        (
            "bundle_invalid_version.txt.sigstore",
            "bundle_invalid_version.txt",
            false,
        ),
        (
            "bundle_no_cert_v1.txt.sigstore",
            "bundle_no_cert_v1.txt",
            false,
        ),
        (
            "bundle_no_log_entry.txt.sigstore",
            "bundle_no_log_entry.txt",
            false,
        ),
        (
            "bundle_v3_no_signed_time.txt.sigstore.json",
            "bundle_v3_no_signed_time.txt",
            false,
        ),
    ] {
        let signer = aisvs_verify::Signer::Identity(aisvs_verify::IdentityPolicy {
            identity: aisvs_verify::Matcher::regex(".+").expect("regex"),
            issuer: aisvs_verify::Matcher::regex(".+").expect("regex"),
        });
        let got = verified(
            &format!("{a}{bundle}"),
            file(&format!("{a}{artifact}")),
            signer,
            Some(STAGING),
        );
        assert_eq!(got, expect, "{bundle} with {artifact}");
    }
    let wheel = "sha256:c4e92e9ecc828bef2aa7dba1de8ac983511f7532a0df11c770d39099a25cf201";
    let san =
        "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2";
    assert!(verified(
        &format!("{a}bundle_v3_github.whl.sigstore"),
        digest(wheel),
        identity(san, GH),
        None
    ));
}

/// Runs one bundle of the custom-TSA set and returns the report (input errors panic).
fn tsa_report(bundle: &str, strict: bool) -> aisvs_verify::Report {
    let t = "sigstore-python/assets/tsa/";
    let request = BundleRequest {
        bundle: vectors().join(format!("{t}{bundle}")),
        artifact: file(&format!("{t}bundle.txt")),
        signer: identity(
            "alexis.challande@trailofbits.com",
            "https://accounts.google.com",
        ),
        trusted_root: Some(vectors().join(format!("{t}trust_config.json"))),
        strict_timestamps: strict,
    };
    verify_bundle(&request).expect("readable vector")
}

#[test]
fn sigstore_python_custom_tsa_bundle_verifies_from_its_rekor_time() {
    // Both RFC 3161 tokens are signed by a TSA that trust_config.json does not list (the
    // ECDSA chain of tsa/ca.json); the Rekor SET still gives a verified signing time, so the
    // reference clients accept the bundle and so does aisvs by default, saying what it set aside.
    let report = tsa_report("bundle.txt.sigstore", false);
    assert!(report.verified, "{report:?}");
    let aside = report
        .checks
        .iter()
        .find(|c| c.name == "unauthenticated timestamps")
        .expect("the set-aside timestamps are reported");
    assert!(aside.detail.starts_with("2 RFC 3161"), "{}", aside.detail);
    assert!(
        aside.detail.contains("does not match any trusted TSA"),
        "{}",
        aside.detail
    );
    // The strict policy rejects it, naming the timestamps.
    let strict = tsa_report("bundle.txt.sigstore", true);
    assert!(!strict.verified);
    assert!(strict.has_failed("timestamps"), "{strict:?}");
}

#[test]
fn sigstore_python_custom_tsa_negative_bundles_fail_for_their_reason() {
    for (bad, check, says) in [
        ("bundle.duplicate.sigstore", "timestamps", "duplicate"),
        ("bundle.many_timestamp.sigstore", "timestamps", "33 > 32"),
        (
            "bundle.txt.late_timestamp.sigstore",
            "certificate chain",
            "",
        ),
    ] {
        for strict in [false, true] {
            let report = tsa_report(bad, strict);
            assert!(!report.verified, "{bad} strict={strict}");
            if !strict {
                let failed = report
                    .checks
                    .iter()
                    .find(|c| c.name == check)
                    .unwrap_or_else(|| panic!("{bad}: no {check} check in {report:?}"));
                assert!(failed.detail.contains(says), "{bad}: {}", failed.detail);
            }
        }
    }
}

#[test]
fn slsa_verifier_gha_bundle_unit_cases() {
    let u = "slsa-verifier/gha-bundle-unit/";
    let delegator = "https://github.com/laurentsimon/slsa-delegator/.github/workflows/delegator_generic_slsa3.yml@refs/heads/main";
    let cases = [
        (
            "valid.intoto.sigstore",
            "975a0582b8c9607f3f20a6b8cfef01b25823e68c5c3658e6e1ccaaced2a3255d",
            format!("{GG}builder_docker-based_slsa3.yml@refs/heads/main"),
            true,
        ),
        (
            "valid-v0.3.intoto.sigstore",
            "2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd",
            format!("{GG}generator_generic_slsa3.yml@refs/heads/main"),
            true,
        ),
        (
            "attestation.intoto.sigstore",
            "2e38b952523576057f5ca8cf6d179ad6b66f6d0221b9a0eb621caf3507773c71",
            delegator.to_string(),
            true,
        ),
        (
            "invalid-set.intoto.sigstore",
            "092b220688ee737c66882a74ae8bfe3e2b35df60b92404b552ebe905a2d633ce",
            delegator.to_string(),
            false,
        ),
        (
            "invalid-dsse-sig.intoto.sigstore",
            "092b220688ee737c66882a74ae8bfe3e2b35df60b92404b552ebe905a2d633ce",
            delegator.to_string(),
            false,
        ),
        (
            "mismatch-tlog.intoto.sigstore",
            "2e38b952523576057f5ca8cf6d179ad6b66f6d0221b9a0eb621caf3507773c71",
            delegator.to_string(),
            false,
        ),
    ];
    for (name, hex, san, expect) in cases {
        let got = verified(
            &format!("{u}{name}"),
            digest(&format!("sha256:{hex}")),
            identity(&san, GH),
            None,
        );
        assert_eq!(got, expect, "{name}");
    }
}

#[test]
fn cosign_oci_attestation_bundle() {
    let subject = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
    let bundle = "cosign/oci-attestation.sigstore.json";
    assert!(verified(
        bundle,
        digest(subject),
        identity("cody@soyland.com", OAUTH),
        None
    ));
    assert!(verified(
        bundle,
        digest(subject),
        identity("cody@soyland.com", OAUTH),
        Some("cosign/trusted_root_pgi.json")
    ));
    assert!(!verified(
        bundle,
        digest(subject),
        identity("someone@example.com", OAUTH),
        None
    ));
}

#[test]
fn sigstore_python_trusted_root_assets() {
    let ok = aisvs_verify::trust::load_trusted_root(Some(
        &vectors().join("sigstore-python/assets/trusted_root/trustedroot.v1.json"),
    ));
    assert!(ok.is_ok());
    let bad = aisvs_verify::trust::load_trusted_root(Some(
        &vectors().join("sigstore-python/assets/trusted_root/trustedroot.badtype.json"),
    ));
    assert!(bad.is_err(), "bad media type must be rejected");
}
