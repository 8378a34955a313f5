//! `verify image` over OCI layouts: generated positive fixtures, the stored `cosign save`
//! layout (signed provenance, no SBOM), OCI referrers and broken layouts.

mod common;

use aisvs_verify::{verify_image, ArtifactDigest, ImageRequest};
use common::oci::Fixture;
use common::{identity, keyed, status, vectors, GG, GH};
use serde_json::json;

#[test]
fn signed_image_with_signed_sbom_attestation_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fx = Fixture::new(dir.path());
    let image = fx.image_digest.clone();
    fx.sign_image(&image);
    fx.attest_sbom(&fx.image_hex());
    fx.finish();
    let report = verify_image(&keyed(dir.path(), &fx.public_key_file())).expect("runs");
    assert!(report.verified, "{:#?}", report);
    for check in [
        "signature",
        "sbom attached",
        "sbom signed",
        "sbom describes image",
    ] {
        assert_eq!(status(&report, check), "Pass", "{check}");
    }
    assert_eq!(report.evidence.len(), 2);
}

#[test]
fn wrong_key_rejects_signature_and_sbom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fx = Fixture::new(dir.path());
    let image = fx.image_digest.clone();
    fx.sign_image(&image);
    fx.attest_sbom(&fx.image_hex());
    fx.finish();
    let other = Fixture::new(&dir.path().join("other"));
    let report = verify_image(&keyed(dir.path(), &other.public_key_file())).expect("runs");
    assert!(!report.verified);
    assert_eq!(status(&report, "signature"), "Fail");
    assert_eq!(status(&report, "sbom signed"), "Fail");
    assert!(report.failed_checks.contains(&"signature".to_string()));
}

#[test]
fn signature_for_another_digest_and_sbom_about_another_image_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fx = Fixture::new(dir.path());
    fx.sign_image(&format!("sha256:{}", "1".repeat(64)));
    fx.attest_sbom(&"2".repeat(64));
    fx.finish();
    let report = verify_image(&keyed(dir.path(), &fx.public_key_file())).expect("runs");
    assert!(!report.verified);
    let signature = report
        .checks
        .iter()
        .find(|c| c.name == "signature")
        .expect("check");
    assert!(
        signature.detail.contains("payload binding"),
        "{}",
        signature.detail
    );
    assert!(
        signature.detail.contains("subject is not the image"),
        "{}",
        signature.detail
    );
}

#[test]
fn unsigned_sbom_referrer_is_attached_but_not_signed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fx = Fixture::new(dir.path());
    let image = fx.image_digest.clone();
    fx.sign_image(&image);
    let sbom = json!({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
        "packages": [{"name": "app", "SPDXID": "SPDXRef-app", "versionInfo": image}]})
    .to_string();
    let blob = fx.blob(sbom.as_bytes());
    fx.manifest(
        vec![json!({"mediaType": "application/spdx+json", "digest": blob, "size": sbom.len()})],
        json!({"artifactType": "application/spdx+json", "subject": {"mediaType": common::oci::MANIFEST, "digest": image, "size": 1}}),
        json!({}),
    );
    fx.finish();
    let report = verify_image(&keyed(dir.path(), &fx.public_key_file())).expect("runs");
    assert!(!report.verified);
    assert_eq!(status(&report, "signature"), "Pass");
    assert_eq!(status(&report, "sbom attached"), "Pass");
    assert_eq!(status(&report, "sbom signed"), "Fail");
    assert_eq!(status(&report, "sbom describes image"), "Pass");
}

#[test]
fn missing_blob_is_an_input_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fx = Fixture::new(dir.path());
    let image = fx.image_digest.clone();
    fx.sign_image(&image);
    fx.finish();
    // Remove the signature payload blob.
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("index.json")).expect("read"),
    )
    .expect("json");
    let sig_manifest = index["manifests"][1]["digest"]
        .as_str()
        .expect("digest")
        .to_string();
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            dir.path()
                .join("blobs/sha256")
                .join(sig_manifest.trim_start_matches("sha256:")),
        )
        .expect("read"),
    )
    .expect("json");
    let payload = manifest["layers"][0]["digest"]
        .as_str()
        .expect("digest")
        .trim_start_matches("sha256:")
        .to_string();
    std::fs::remove_file(dir.path().join("blobs/sha256").join(&payload)).expect("rm");
    let err = verify_image(&keyed(dir.path(), &fx.public_key_file())).expect_err("missing blob");
    let text = err.to_string();
    assert!(
        text.contains(&payload) && text.contains("read blob") && text.contains("missing"),
        "{text}"
    );
}

#[test]
fn not_a_layout_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fx = Fixture::new(&dir.path().join("k"));
    std::fs::write(dir.path().join("oci-layout"), "garbage").expect("write");
    let err = verify_image(&keyed(dir.path(), &fx.public_key_file())).expect_err("bad layout");
    assert!(err.to_string().contains("oci-layout"), "{err}");
}

fn stored_layout() -> std::path::PathBuf {
    vectors().join("slsa-verifier/cosign-oci-layout-v2.1.0/container_workflow_dispatch")
}

#[test]
fn stored_cosign_save_layout_is_signed_but_has_no_sbom() {
    let request = ImageRequest {
        layout: stored_layout(),
        image_digest: None,
        signer: identity(
            &format!("{GG}generator_container_slsa3.yml@refs/tags/v2.1.0"),
            GH,
        ),
        trusted_root: None,
        strict_timestamps: false,
    };
    let report = verify_image(&request).expect("runs");
    assert!(!report.verified, "no SBOM ⇒ 4.2.3 not met");
    assert_eq!(
        report.facts.get("image").map(String::as_str),
        Some("sha256:234e2c830c2fb31ac5671789d22adfe44d30c3ee831d01beae5e237841a13122")
    );
    assert_eq!(status(&report, "signature"), "Pass", "{:#?}", report.checks);
    assert_eq!(status(&report, "sbom attached"), "Fail");
    assert!(report
        .facts
        .get("provenance")
        .is_some_and(|p| p.contains("signed SLSA provenance")));

    let wrong = ImageRequest {
        signer: identity(
            "https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main",
            GH,
        ),
        ..request
    };
    let report = verify_image(&wrong).expect("runs");
    let signature = report
        .checks
        .iter()
        .find(|c| c.name == "signature")
        .expect("check");
    assert_eq!(format!("{:?}", signature.status), "Fail");
    assert!(
        signature.detail.contains("identity"),
        "{}",
        signature.detail
    );
}

#[test]
fn oci_referrer_with_sigstore_bundle_verifies_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fx = Fixture::new(dir.path());
    fx.index.clear(); // only the referrer; the image manifest itself is not in the layout
    let bundle =
        std::fs::read(vectors().join("cosign/oci-attestation.sigstore.json")).expect("bundle");
    let blob = fx.blob(&bundle);
    let subject = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
    let bundle_type = "application/vnd.dev.sigstore.bundle.v0.3+json";
    fx.manifest(
        vec![json!({"mediaType": bundle_type, "digest": blob, "size": bundle.len()})],
        json!({"artifactType": bundle_type, "subject": {"mediaType": common::oci::MANIFEST, "digest": subject, "size": 1}}),
        json!({"dev.sigstore.bundle.content": "dsse-envelope"}),
    );
    fx.finish();
    let request = ImageRequest {
        layout: dir.path().to_path_buf(),
        image_digest: Some(ArtifactDigest::parse(subject).expect("digest")),
        signer: identity("cody@soyland.com", "https://github.com/login/oauth"),
        trusted_root: None,
        strict_timestamps: false,
    };
    let report = verify_image(&request).expect("runs");
    assert_eq!(status(&report, "signature"), "Pass", "{:#?}", report.checks);
    assert_eq!(status(&report, "sbom attached"), "Fail");
}

#[test]
fn malformed_attestation_layer_is_a_failed_item_not_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut fx = Fixture::new(dir.path());
    let image = fx.image_digest.clone();
    fx.sign_image(&image);
    let garbage = fx.blob(b"{\"payloadType\": 42");
    let tag = format!("sha256-{}.att", fx.image_hex());
    fx.manifest(
        vec![json!({"mediaType": common::oci::DSSE, "digest": garbage, "size": 18})],
        json!({}),
        json!({"org.opencontainers.image.ref.name": tag}),
    );
    fx.finish();
    let report = verify_image(&keyed(dir.path(), &fx.public_key_file())).expect("runs");
    assert_eq!(status(&report, "signature"), "Pass");
    assert_eq!(status(&report, "sbom attached"), "Fail");
    assert!(
        report
            .evidence
            .iter()
            .any(|e| e.detail.contains("malformed layer")),
        "{:#?}",
        report.evidence
    );
}
