//! Engine API: sniff stored files, then verify them with one policy.

mod common;

use aisvs_verify::{
    sniff, verify_evidence, ArtifactDigest, ArtifactInput, EvidenceKind, EvidencePolicy,
    IdentityPolicy, Matcher, PublicKey, Requirement,
};
use common::{vectors, GG, GH};

fn kind_of(path: &str) -> Option<EvidenceKind> {
    let p = vectors().join(path);
    let bytes = if p.is_dir() {
        Vec::new()
    } else {
        std::fs::read(&p).expect("read")
    };
    sniff(&p, &bytes)
}

#[test]
fn stored_files_are_sniffed_correctly() {
    assert_eq!(
        kind_of("slsa-verifier/bcr/MODULE.bazel.intoto.jsonl"),
        Some(EvidenceKind::SigstoreBundle)
    );
    assert_eq!(
        kind_of("slsa-verifier/vsa/gke-gce-pre.bcid-vsa.jsonl"),
        Some(EvidenceKind::DsseEnvelope)
    );
    assert_eq!(
        kind_of("slsa-verifier/gcb-v1.0/v1.0-gcloud-container-github.json"),
        Some(EvidenceKind::ProvenanceDump)
    );
    assert_eq!(
        kind_of("cosign/bom-go-mod.cyclonedx.json"),
        Some(EvidenceKind::SbomCycloneDx)
    );
    assert_eq!(
        kind_of("cosign/bom-go-mod.spdx.json"),
        Some(EvidenceKind::SbomSpdx)
    );
    assert_eq!(
        kind_of("slsa-verifier/cosign-oci-layout-v2.1.0/container_workflow_dispatch"),
        Some(EvidenceKind::OciLayout)
    );
    assert_eq!(
        kind_of("sigstore-python/trusted-roots/production.trusted_root.json"),
        None
    );
    assert_eq!(kind_of("cosign/vuln-predicate.json"), None);
}

#[test]
fn provenance_bundle_goes_to_the_slsa_checks() {
    let mut policy = EvidencePolicy::default();
    policy.provenance.source_uri = Some("github.com/slsa-framework/example-package".into());
    let path =
        vectors().join("slsa-verifier/gha_generic-v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl");
    let digest = ArtifactDigest::parse(
        "sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa",
    )
    .expect("digest");
    let report = verify_evidence(
        &path,
        EvidenceKind::SigstoreBundle,
        Some(ArtifactInput::Digest(digest)),
        &policy,
    )
    .expect("runs");
    assert!(report.verified, "{:#?}", report.checks);
    assert_eq!(report.supports, vec![Requirement::Provenance]);
    let json = serde_json::to_value(&report).expect("serialisable");
    assert_eq!(json["supports"][0], "4.2.2");
}

#[test]
fn layout_and_keyed_dump_through_the_engine_api() {
    let policy = EvidencePolicy {
        identity: Some(IdentityPolicy {
            identity: Matcher::Exact(format!(
                "{GG}generator_container_slsa3.yml@refs/tags/v2.1.0"
            )),
            issuer: Matcher::Exact(GH.into()),
        }),
        ..EvidencePolicy::default()
    };
    let layout =
        vectors().join("slsa-verifier/cosign-oci-layout-v2.1.0/container_workflow_dispatch");
    let report = verify_evidence(&layout, EvidenceKind::OciLayout, None, &policy).expect("runs");
    assert!(!report.verified);
    assert_eq!(
        report.failed_checks.first().map(String::as_str),
        Some("sbom attached")
    );

    let key = PublicKey::load(
        &vectors().join("slsa-verifier/gcb-keys/global-pae-google-hosted-worker_1.key"),
    )
    .expect("key");
    let mut keyed = EvidencePolicy {
        keys: vec![key],
        ..EvidencePolicy::default()
    };
    keyed.provenance.source_uri = Some("github.com/khalkie/gcb-prod-prov".into());
    let dump = vectors().join("slsa-verifier/gcb-v1.0/v1.0-gcloud-container-github-single.json");
    let digest = ArtifactDigest::parse(
        "sha256:7e9b6e7ba2842c91cf49f3e214d04a7a496f8214356f41d81a6e6dcad11f11e3",
    )
    .expect("digest");
    let report = verify_evidence(
        &dump,
        EvidenceKind::ProvenanceDump,
        Some(ArtifactInput::Digest(digest)),
        &keyed,
    )
    .expect("runs");
    assert!(report.verified, "{:#?}", report.checks);
}
