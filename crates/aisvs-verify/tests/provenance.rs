//! SLSA provenance vectors (slsa-verifier testdata): expected verdicts and the named failed check.

mod common;

use aisvs_verify::provenance::vsa::VsaPolicy;
use aisvs_verify::{
    verify_provenance, ArtifactDigest, ArtifactInput, ProvenancePolicy, ProvenanceRequest,
    PublicKey, Report,
};
use common::{vectors, GG};

const EXAMPLE: &str = "github.com/slsa-framework/example-package";

fn request(file: &str, artifact: ArtifactInput, policy: ProvenancePolicy) -> ProvenanceRequest {
    ProvenanceRequest {
        provenance: vectors().join(file),
        artifact: Some(artifact),
        policy,
        keys: Vec::new(),
        key_id: None,
        trusted_root: None,
        strict_timestamps: false,
    }
}

fn digest(text: &str) -> ArtifactInput {
    ArtifactInput::Digest(ArtifactDigest::parse(text).expect("valid digest"))
}

fn policy(source: &str) -> ProvenancePolicy {
    ProvenancePolicy {
        source_uri: Some(source.to_string()),
        ..ProvenancePolicy::default()
    }
}

fn run(request: &ProvenanceRequest) -> Report {
    verify_provenance(request).unwrap_or_else(|e| panic!("{}: {e}", request.provenance.display()))
}

fn assert_verified(report: &Report) {
    assert!(
        report.verified,
        "{} should verify: {:#?}",
        report.input, report.checks
    );
    assert_eq!(
        report.facts.get("slsa_build_level").map(String::as_str),
        Some("3")
    );
}

fn assert_failed(report: &Report, check: &str) {
    assert!(!report.verified, "{} must not verify", report.input);
    assert!(
        report.failed_checks.iter().any(|c| c == check),
        "{}: expected failed check {check:?}, got {:?}",
        report.input,
        report.failed_checks
    );
}

/// (folder, provenance suffix, artifact for a given run name)
fn generator_sets() -> Vec<(&'static str, &'static str)> {
    vec![
        ("gha_container-based-v2.1.0", ".intoto.build.slsa"),
        ("gha_delegator-v2.1.0", ".build.slsa"),
        ("gha_generic-v2.1.0", ".intoto.jsonl"),
    ]
}

fn artifact_for(folder: &str, run: &str) -> ArtifactInput {
    if folder == "gha_generic-v2.1.0" {
        digest("sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa")
    } else {
        ArtifactInput::File(
            vectors().join(format!("slsa-verifier/{folder}/binary-linux-amd64-{run}")),
        )
    }
}

#[test]
fn slsa_github_generator_v2_1_0_provenances_verify_at_l3() {
    for (folder, suffix) in generator_sets() {
        for run_name in [
            "workflow_dispatch",
            "push-v14",
            "push-v14.2",
            "push-v13.0.30",
        ] {
            let file = format!("slsa-verifier/{folder}/binary-linux-amd64-{run_name}{suffix}");
            let mut p = policy(EXAMPLE);
            if run_name == "push-v14" {
                p.source_ref = Some("refs/tags/v14".into());
            }
            assert_verified(&run(&request(&file, artifact_for(folder, run_name), p)));
        }
    }
}

#[test]
fn slsa_github_generator_mismatches_name_the_failed_condition() {
    for (folder, suffix) in generator_sets() {
        let file = |run: &str| format!("slsa-verifier/{folder}/binary-linux-amd64-{run}{suffix}");
        let wrong_source = policy("github.com/laurentsimon/slsa-verifier-test-gen");
        let report = run(&request(
            &file("push-v14"),
            artifact_for(folder, "push-v14"),
            wrong_source,
        ));
        assert_failed(&report, "source repository");

        let mut branch = policy(EXAMPLE);
        branch.source_ref = Some("refs/heads/master".into());
        let report = run(&request(
            &file("workflow_dispatch"),
            artifact_for(folder, "workflow_dispatch"),
            branch,
        ));
        assert_failed(&report, "source ref");

        let mut tag = policy(EXAMPLE);
        tag.source_ref = Some("refs/tags/v13.0.29".into());
        let report = run(&request(
            &file("push-v13.0.30"),
            artifact_for(folder, "push-v13.0.30"),
            tag,
        ));
        assert_failed(&report, "source ref");

        let mut builder = policy(EXAMPLE);
        builder.expected_builder_ids = vec![format!("{GG}not-trusted.yml")];
        let report = run(&request(
            &file("push-v14"),
            artifact_for(folder, "push-v14"),
            builder,
        ));
        let expected = if folder.contains("delegator") {
            "builder id"
        } else {
            "trusted builder (L3)"
        };
        assert_failed(&report, expected);

        let wrong_artifact = digest(&format!("sha256:{}", "0".repeat(64)));
        let report = run(&request(&file("push-v14"), wrong_artifact, policy(EXAMPLE)));
        assert!(!report.verified);
        assert!(
            report
                .failed_checks
                .iter()
                .any(|c| c == "artifact" || c == "subject digest"),
            "{:?}",
            report.failed_checks
        );
    }
}

#[test]
fn github_artifact_attestations_need_the_builder_to_be_named() {
    let module = "sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b";
    let rules = "github.com/aspect-build/rules_lint";
    let mut named = policy(rules);
    named.expected_builder_ids = vec![
        "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml".into(),
    ];
    assert_verified(&run(&request(
        "slsa-verifier/bcr/MODULE.bazel.intoto.jsonl",
        digest(module),
        named.clone(),
    )));

    let report = run(&request(
        "slsa-verifier/bcr/MODULE.bazel.intoto.jsonl",
        digest(module),
        policy(rules),
    ));
    assert_failed(&report, "trusted builder (L3)");

    let report = run(&request(
        "slsa-verifier/bcr/MODULE-wrong-signer.bazel.intoto.jsonl",
        digest(module),
        named,
    ));
    assert_failed(&report, "trusted builder (L3)");

    let mut ruleset = policy(rules);
    ruleset.expected_builder_ids = vec![
        "https://github.com/bazel-contrib/.github/.github/workflows/release_ruleset.yaml".into(),
    ];
    let tarball = "sha256:1636f443b01c9ee310ee5834956d0dce374c3d3bf8d4cebc9f6b86f8304b4982";
    assert_verified(&run(&request(
        "slsa-verifier/bcr/rules_lint-v1.3.1.tar.gz.intoto.jsonl",
        digest(tarball),
        ruleset,
    )));
}

fn gcb_keys() -> Vec<PublicKey> {
    [
        "global-pae-google-hosted-worker_1.key",
        "global-pae-provenanceSigner_1.key",
    ]
    .iter()
    .map(|k| PublicKey::load(&vectors().join("slsa-verifier/gcb-keys").join(k)).expect("key"))
    .collect()
}

#[test]
fn google_cloud_build_keyed_provenance() {
    let image = "sha256:7e9b6e7ba2842c91cf49f3e214d04a7a496f8214356f41d81a6e6dcad11f11e3";
    for (file, expect) in [
        ("v1.0-gcloud-container-github-single.json", true),
        ("v1.0-gcloud-container-github.json", true),
        ("v1.0-gcloud-container-github-v1.0-valid.json", true),
        (
            "v1.0-gcloud-container-github-single-invalid-sig.json",
            false,
        ),
        ("v1.0-gcloud-container-github-both-invalid-sig.json", false),
    ] {
        let mut req = request(
            &format!("slsa-verifier/gcb-v1.0/{file}"),
            digest(image),
            policy("github.com/khalkie/gcb-prod-prov"),
        );
        req.keys = gcb_keys();
        let report = run(&req);
        if expect {
            assert_verified(&report);
        } else {
            assert_failed(&report, "signature");
        }
    }
    // The derived bare envelope verifies the same way; without a key it is never verified.
    let mut req = request(
        "derived/gcb-v1.0-gcloud-container-github-single.dsse.json",
        digest(image),
        policy("github.com/khalkie/gcb-prod-prov"),
    );
    req.keys = gcb_keys();
    assert_verified(&run(&req));
    req.keys.clear();
    assert_failed(&run(&req), "signature");
}

#[test]
fn vsa_with_raw_p1363_signature() {
    let key = PublicKey::load(&vectors().join("slsa-verifier/vsa/vsa_signing_public_key.pem"))
        .expect("key");
    let vsa = VsaPolicy {
        verifier_ids: vec![
            "https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1".into(),
        ],
        resource_uri: Some(
            "gce_image://gke-node-images:gke-12615-gke1418000-cos-101-17162-463-29-c-cgpv1-pre"
                .into(),
        ),
        levels: vec!["BCID_L1".into(), "SLSA_BUILD_LEVEL_2".into()],
        subject: Some("gce_image_id:8970095005306000053".into()),
    };
    let mut req = ProvenanceRequest {
        provenance: vectors().join("slsa-verifier/vsa/gke-gce-pre.bcid-vsa.jsonl"),
        artifact: None,
        policy: ProvenancePolicy {
            vsa,
            ..ProvenancePolicy::default()
        },
        keys: vec![key],
        key_id: Some("keystore://76574:prod:vsa_signing_public_key".into()),
        trusted_root: None,
        strict_timestamps: false,
    };
    let report = run(&req);
    assert!(report.verified, "{:#?}", report.checks);
    assert!(report.checks.iter().any(|c| c.detail.contains("raw r||s")));
    for wrong in ["", "my_key_id"] {
        req.key_id = Some(wrong.into());
        assert_failed(&run(&req), "signature");
    }
}
