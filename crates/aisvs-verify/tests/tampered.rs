//! Tampered variants of valid bundles must be rejected with a reason naming the failed check;
//! malformed input must be a clear error naming the file and the step (never a panic).

mod common;

use aisvs_verify::{verify_bundle, ArtifactInput, BundleRequest, Report, VerifyError};
use common::{identity, vectors, GH};
use serde_json::Value;
use std::path::{Path, PathBuf};

const BEACON: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

fn happy() -> PathBuf {
    vectors().join("sigstore-conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json")
}

fn a_txt() -> ArtifactInput {
    ArtifactInput::File(vectors().join("sigstore-conformance/bundle-verify/a.txt"))
}

fn run(
    bundle: &Path,
    artifact: ArtifactInput,
    san: &str,
    root: Option<PathBuf>,
) -> Result<Report, VerifyError> {
    verify_bundle(&BundleRequest {
        bundle: bundle.to_path_buf(),
        artifact,
        signer: identity(san, GH),
        trusted_root: root,
        strict_timestamps: false,
    })
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).expect("write");
    path
}

fn load(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn rejected_by(report: &Report, check: &str) {
    assert!(!report.verified);
    assert!(
        report.failed_checks.iter().any(|c| c == check),
        "expected {check:?} in {:?}",
        report.failed_checks
    );
}

#[test]
fn untampered_baseline_verifies() {
    assert!(run(&happy(), a_txt(), BEACON, None).expect("runs").verified);
}

#[test]
fn flipped_merkle_sibling_fails_the_inclusion_proof() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bundle = load(&happy());
    let hash = bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"][0]
        .as_str()
        .expect("hash")
        .to_string();
    let mut bytes = base64_decode(&hash);
    bytes[0] ^= 0x01;
    bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"][0] =
        Value::String(base64_encode(&bytes));
    let path = write_json(dir.path(), "b.json", &bundle);
    rejected_by(
        &run(&path, a_txt(), BEACON, None).expect("runs"),
        "inclusion proof",
    );
}

#[test]
fn wrong_identity_fails_the_identity_check() {
    let report = run(
        &happy(),
        a_txt(),
        "https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/main",
        None,
    )
    .expect("runs");
    rejected_by(&report, "identity");
    assert!(report
        .checks
        .iter()
        .any(|c| c.name == "signature" && format!("{:?}", c.status) == "Pass"));
}

#[test]
fn wrong_artifact_fails_the_artifact_check() {
    let report = run(
        &happy(),
        ArtifactInput::Bytes(b"something else".to_vec()),
        BEACON,
        None,
    )
    .expect("runs");
    rejected_by(&report, "artifact");
}

#[test]
fn expired_or_unknown_roots_fail_the_certificate_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Unknown root: the staging root does not know the production Fulcio CA or Rekor key.
    let staging = vectors().join("sigstore-python/trusted-roots/staging.trusted_root.json");
    let report = run(&happy(), a_txt(), BEACON, Some(staging)).expect("runs");
    assert!(!report.verified);
    // The first trust anchor it meets is unknown: the Rekor key (SET/checkpoint) or the CA.
    let anchors = [
        "certificate chain",
        "transparency log",
        "signed entry timestamp",
        "checkpoint",
    ];
    assert!(
        report
            .failed_checks
            .iter()
            .any(|c| anchors.contains(&c.as_str())),
        "{:?}",
        report.failed_checks
    );
    // Expired root: every Fulcio CA stopped being valid long before the signature.
    let mut root =
        load(&vectors().join("sigstore-python/trusted-roots/production.trusted_root.json"));
    for ca in root["certificateAuthorities"].as_array_mut().expect("cas") {
        ca["validFor"] =
            serde_json::json!({"start": "2000-01-01T00:00:00Z", "end": "2001-01-01T00:00:00Z"});
    }
    let expired = write_json(dir.path(), "expired.json", &root);
    rejected_by(
        &run(&happy(), a_txt(), BEACON, Some(expired)).expect("runs"),
        "certificate chain",
    );
}

fn input_error(result: Result<Report, VerifyError>) -> String {
    match result {
        Err(VerifyError::Input {
            path,
            step,
            message,
        }) => format!("{path}: {step}: {message}"),
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn malformed_bundles_are_clear_input_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(happy()).expect("read");
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 2]).expect("write");
    let message = input_error(run(&truncated, a_txt(), BEACON, None));
    assert!(
        message.contains("truncated.json: parse bundle JSON: invalid JSON at line"),
        "{message}"
    );

    let binary = dir.path().join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x01]).expect("write");
    assert!(input_error(run(&binary, a_txt(), BEACON, None)).contains("not UTF-8"));

    let mut unknown = load(&happy());
    unknown["mediaType"] =
        Value::String("application/vnd.dev.sigstore.bundle+json;version=99.9".into());
    let path = write_json(dir.path(), "unknown.json", &unknown);
    assert!(input_error(run(&path, a_txt(), BEACON, None)).contains("unknown bundle media type"));

    let mut bad_cert = load(&happy());
    bad_cert["verificationMaterial"]["certificate"]["rawBytes"] =
        Value::String(base64_encode(b"not a certificate"));
    let path = write_json(dir.path(), "badcert.json", &bad_cert);
    match run(&path, a_txt(), BEACON, None) {
        Ok(report) => assert!(!report.verified && !report.failed_checks.is_empty()),
        Err(e) => assert!(e.to_string().contains("badcert.json"), "{e}"),
    }

    let missing = dir.path().join("nope.json");
    assert!(input_error(run(&missing, a_txt(), BEACON, None)).contains("nope.json: read bundle"));
}

#[test]
fn huge_envelopes_are_refused_before_parsing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.intoto.jsonl");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(aisvs_verify::input::MAX_DOCUMENT_BYTES + 1)
        .expect("sparse file");
    let message = input_error(run(&path, a_txt(), BEACON, None));
    assert!(
        message.contains("huge.intoto.jsonl: read bundle") && message.contains("limit"),
        "{message}"
    );
}

#[test]
fn hostile_bytes_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = std::fs::read(happy()).expect("read");
    let path = dir.path().join("fuzz.json");
    // Deterministic byte flips over the whole bundle: each must give a report or an error.
    for i in (0..base.len()).step_by(97) {
        let mut bytes = base.clone();
        bytes[i] = bytes[i].wrapping_add(1);
        std::fs::write(&path, &bytes).expect("write");
        if let Ok(report) = run(&path, a_txt(), BEACON, None) {
            if report.verified {
                // Only a flip that leaves the parsed bundle identical (insignificant whitespace)
                // may still verify.
                let before: Option<Value> = serde_json::from_slice(&base).ok();
                let after: Option<Value> = serde_json::from_slice(&bytes).ok();
                assert_eq!(
                    before, after,
                    "byte {i} changed the bundle but it still verified"
                );
            }
        }
        let _ = aisvs_verify::sniff(&path, &bytes);
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn hostile_provenance_bytes_never_panic_or_verify() {
    use aisvs_verify::{
        verify_provenance, ArtifactDigest, ProvenancePolicy, ProvenanceRequest, PublicKey,
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let source = vectors().join("derived/gcb-v1.0-gcloud-container-github-single.dsse.json");
    let base = std::fs::read(&source).expect("read");
    let key = PublicKey::load(
        &vectors().join("slsa-verifier/gcb-keys/global-pae-google-hosted-worker_1.key"),
    )
    .expect("key");
    let path = dir.path().join("p.json");
    for i in (0..base.len()).step_by(61) {
        let mut bytes = base.clone();
        bytes[i] ^= 0x20;
        std::fs::write(&path, &bytes).expect("write");
        let request = ProvenanceRequest {
            provenance: path.clone(),
            artifact: Some(ArtifactInput::Digest(
                ArtifactDigest::parse(
                    "sha256:7e9b6e7ba2842c91cf49f3e214d04a7a496f8214356f41d81a6e6dcad11f11e3",
                )
                .expect("digest"),
            )),
            policy: ProvenancePolicy {
                source_uri: Some("github.com/khalkie/gcb-prod-prov".into()),
                ..ProvenancePolicy::default()
            },
            keys: vec![key.clone()],
            key_id: None,
            trusted_root: None,
            strict_timestamps: false,
        };
        if let Ok(report) = verify_provenance(&request) {
            if report.verified {
                let before: Option<Value> = serde_json::from_slice(&base).ok();
                let after: Option<Value> = serde_json::from_slice(&bytes).ok();
                // Only a change to the unsigned keyid field may leave the envelope verifying.
                let keyid_only = before.zip(after).is_some_and(|(b, a)| {
                    b["payload"] == a["payload"]
                        && b["signatures"][0]["sig"] == a["signatures"][0]["sig"]
                });
                assert!(
                    keyid_only,
                    "byte {i} changed the signed content but it still verified"
                );
            }
        }
    }
}
