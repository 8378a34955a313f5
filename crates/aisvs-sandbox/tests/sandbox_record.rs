//! Signing and verification of vetting records: round trip, tampering, wrong key, bad files.

use aisvs_sandbox::sandbox::keys;
use aisvs_sandbox::sandbox::record::*;
use base64::Engine as _;

fn sample_record() -> VettingRecord {
    VettingRecord {
        schema: RECORD_SCHEMA.to_string(),
        tool: ToolInfo {
            name: "aisvs".into(),
            version: "0.1.0".into(),
        },
        host: HostInfo {
            kernel_release: "6.1.0".into(),
            machine: "x86_64".into(),
        },
        command: vec!["python3".into(), "eval.py".into()],
        inputs: vec![InputFile {
            path: "/models/m.safetensors".into(),
            sha256: "ab".repeat(32),
            size: 42,
        }],
        isolation: vec![IsolationControl {
            control: "network_namespace".into(),
            status: ControlStatus::Applied,
            detail: "empty netns, loopback down".into(),
        }],
        limits: RequestedLimits {
            memory_bytes: 1 << 30,
            pids: 64,
            cpu_seconds: 60,
            timeout_seconds: 60,
        },
        started_at: "2026-01-01T00:00:00Z".into(),
        ended_at: "2026-01-01T00:00:01Z".into(),
        exit: ExitInfo {
            code: 0,
            signal: None,
            timed_out: false,
            killed_by_runner: None,
        },
        resources: ResourcePeaks {
            peak_memory_bytes: Some(1000),
            peak_pids: None,
            cpu_time_ms: Some(3),
            max_rss_bytes: Some(2000),
            source: "cgroup v1".into(),
        },
        model_scan: None,
    }
}

#[test]
fn signed_record_round_trips_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("sandbox.key");
    let pair = keys::generate_to(&key_path, false).unwrap();
    let signing = keys::load_signing_key(&pair.signing_key).unwrap();
    let public = keys::load_public_key(&pair.public_key).unwrap();
    let record = sample_record();
    let signed = sign_record(&record, &signing).unwrap();
    let path = dir.path().join("record.json");
    write_signed_record(&path, &signed).unwrap();
    let verified = verify_record_file(&path, &public).unwrap();
    assert_eq!(verified, record);
    assert!(verified.has_input_sha256(&"AB".repeat(32)));
    assert!(!verified.has_input_sha256(&"cd".repeat(32)));
    assert!(verified.exited_cleanly());
}

#[test]
fn tampered_payload_is_rejected() {
    let key = keys::generate();
    let mut signed = sign_record(&sample_record(), &key).unwrap();
    let mut tampered = sample_record();
    tampered.exit.code = 1;
    let forged = sign_record(&tampered, &keys::generate()).unwrap();
    signed.payload = forged.payload;
    let err = signed.verify(&key.verifying_key()).unwrap_err();
    assert!(matches!(err, RecordError::BadSignature(_)), "{err}");
}

#[test]
fn another_key_is_rejected_even_with_a_spoofed_keyid() {
    let key = keys::generate();
    let other = keys::generate();
    let mut signed = sign_record(&sample_record(), &other).unwrap();
    let err = signed.verify(&key.verifying_key()).unwrap_err();
    assert!(matches!(err, RecordError::NotSignedByKey(_)), "{err}");
    // Claiming the right key id does not help: the signature itself is checked.
    signed.signatures[0].keyid = keys::key_id(&key.verifying_key());
    let err = signed.verify(&key.verifying_key()).unwrap_err();
    assert!(matches!(err, RecordError::BadSignature(_)), "{err}");
}

#[test]
fn payload_type_is_bound_by_the_signature() {
    let key = keys::generate();
    let mut signed = sign_record(&sample_record(), &key).unwrap();
    signed.payload_type = "application/json".into();
    assert!(matches!(
        signed.verify(&key.verifying_key()),
        Err(RecordError::WrongPayloadType(_))
    ));
}

#[test]
fn signed_payload_with_a_foreign_schema_is_rejected() {
    let key = keys::generate();
    let mut record = sample_record();
    record.schema = "something-else/v9".into();
    let signed = sign_record(&record, &key).unwrap();
    assert!(matches!(
        signed.verify(&key.verifying_key()),
        Err(RecordError::BadPayload(_))
    ));
}

#[test]
fn garbage_and_missing_files_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = keys::generate();
    let path = dir.path().join("garbage.json");
    std::fs::write(&path, "{not json").unwrap();
    let err = verify_record_file(&path, &key.verifying_key()).unwrap_err();
    assert!(err.to_string().contains("garbage.json"), "{err}");
    let missing = dir.path().join("missing.json");
    let err = verify_record_file(&missing, &key.verifying_key()).unwrap_err();
    assert!(matches!(err, RecordError::Io { .. }));
    assert!(err.to_string().contains("missing.json"), "{err}");
    // Valid envelope, payload that is not base64.
    let bad = r#"{"payloadType":"application/vnd.aisvs.sandbox-vetting-record.v1+json","payload":"!!!","signatures":[]}"#;
    std::fs::write(&path, bad).unwrap();
    let err = verify_record_file(&path, &key.verifying_key()).unwrap_err();
    assert!(err.to_string().contains("no signature"), "{err}");
}

#[test]
fn payload_is_plain_json_readable_without_the_library() {
    let key = keys::generate();
    let signed = sign_record(&sample_record(), &key).unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(signed.payload)
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["schema"], RECORD_SCHEMA);
    assert_eq!(value["inputs"][0]["size"], 42);
}
