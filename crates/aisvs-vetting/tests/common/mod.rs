//! Shared helpers of the integration tests: fixture paths and signed sandbox records.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use aisvs_sandbox::sandbox::keys;
use aisvs_sandbox::sandbox::record::{
    sign_record, write_signed_record, ControlStatus, ExitInfo, HostInfo, InputFile,
    IsolationControl, RequestedLimits, ResourcePeaks, ToolInfo, VettingRecord, RECORD_SCHEMA,
};
use aisvs_vetting::GateRequest;

pub const BASELINE_HEX: &str = "4384dcfa0826109c38336c5e7f8dd5102376d9a4ae2da1d237665a3db5f6971d";
pub const CANDIDATE_HEX: &str = "764158c3d946a5abb628cb0098d2c01e2b212d17cbd732b16244fbed0fa212f3";

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// A vetting record of a successful, offline run whose inputs include the candidate model.
pub fn good_record() -> VettingRecord {
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
        command: vec![
            "garak".into(),
            "--config".into(),
            "gate.yaml".into(),
            "--api-key".into(),
            "sk-do-not-print-this-0123".into(),
        ],
        inputs: vec![InputFile {
            path: "/models/support-7b-v2/model.safetensors".into(),
            sha256: CANDIDATE_HEX.into(),
            size: 23,
        }],
        isolation: vec![
            control("user_namespace", ControlStatus::Applied),
            control("network_namespace", ControlStatus::Applied),
            control("landlock", ControlStatus::Applied),
            control("memory_limit", ControlStatus::Fallback),
        ],
        limits: RequestedLimits {
            memory_bytes: 8 << 30,
            pids: 256,
            cpu_seconds: 3600,
            timeout_seconds: 3600,
        },
        started_at: "2026-11-20T09:12:40Z".into(),
        ended_at: "2026-11-20T09:58:05Z".into(),
        exit: ExitInfo {
            code: 0,
            signal: None,
            timed_out: false,
            killed_by_runner: None,
        },
        resources: ResourcePeaks {
            peak_memory_bytes: None,
            peak_pids: None,
            cpu_time_ms: Some(1000),
            max_rss_bytes: None,
            source: "rusage".into(),
        },
        model_scan: None,
    }
}

pub fn control(name: &str, status: ControlStatus) -> IsolationControl {
    IsolationControl {
        control: name.into(),
        status,
        detail: String::new(),
    }
}

/// Writes a key pair and a record signed by it into `dir`; returns (record path, public key path).
pub fn write_record(dir: &Path, record: &VettingRecord) -> (PathBuf, PathBuf) {
    let key_path = dir.join("sandbox.key");
    let pair = if key_path.exists() {
        keys::KeyPairPaths {
            signing_key: key_path.clone(),
            public_key: keys::public_key_path_for(&key_path),
        }
    } else {
        keys::generate_to(&key_path, false).unwrap()
    };
    let key = keys::load_signing_key(&pair.signing_key).unwrap();
    let signed = sign_record(record, &key).unwrap();
    let record_path = dir.join("vetting-record.json");
    write_signed_record(&record_path, &signed).unwrap();
    (record_path, pair.public_key)
}

/// A gate request over two fixtures with the given sandbox evidence.
pub fn request(baseline: &str, candidate: &str, record: Option<(PathBuf, PathBuf)>) -> GateRequest {
    let (sandbox_record, public_key) = match record {
        Some((r, k)) => (Some(r), Some(k)),
        None => (None, None),
    };
    GateRequest {
        baseline: fixture(baseline),
        candidate: fixture(candidate),
        sandbox_record,
        public_key,
        ..GateRequest::default()
    }
}
