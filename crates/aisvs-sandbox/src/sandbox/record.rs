//! The vetting record: what ran in the sandbox, on which inputs, under which isolation, with
//! what result — signed with Ed25519 inside a DSSE envelope so other tools can verify it later.
//!
//! Envelope (DSSE v1, <https://github.com/secure-systems-lab/dsse>):
//! `{"payloadType": PAYLOAD_TYPE, "payload": base64(record JSON), "signatures": [{"keyid", "sig"}]}`.
//! The signature covers the DSSE pre-authentication encoding of the payload bytes, so no JSON
//! canonicalisation is needed: the verifier checks the exact bytes it then parses.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::keys::key_id;

/// DSSE payload type of a vetting record.
pub const PAYLOAD_TYPE: &str = "application/vnd.aisvs.sandbox-vetting-record.v1+json";
/// `schema` field value of a version-1 record.
pub const RECORD_SCHEMA: &str = "aisvs.sandbox.vetting-record/v1";
/// Upper bound on a record file; real records are a few KiB plus one line per input file.
pub const MAX_RECORD_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Everything the record asserts about one sandboxed run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VettingRecord {
    pub schema: String,
    pub tool: ToolInfo,
    pub host: HostInfo,
    /// The command and its arguments as given after `--`.
    pub command: Vec<String>,
    /// Every regular file under the `--read-only` input paths, with its SHA-256.
    pub inputs: Vec<InputFile>,
    /// Each isolation control: applied, applied through a fallback, or not applied (with why).
    pub isolation: Vec<IsolationControl>,
    pub limits: RequestedLimits,
    /// RFC 3339 UTC timestamps.
    pub started_at: String,
    pub ended_at: String,
    pub exit: ExitInfo,
    pub resources: ResourcePeaks,
    /// Present when the model scanner ran over the inputs before the command.
    pub model_scan: Option<ModelScanSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostInfo {
    pub kernel_release: String,
    pub machine: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// Host path as given (joined with the file's place under a given directory).
    pub path: String,
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    Applied,
    /// A weaker mechanism stood in (e.g. rlimits instead of a cgroup); `detail` says which.
    Fallback,
    NotApplied,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsolationControl {
    /// Short stable name: `user_namespace`, `landlock`, `seccomp_denylist`, `memory_limit`, …
    pub control: String,
    pub status: ControlStatus,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedLimits {
    pub memory_bytes: u64,
    pub pids: u64,
    pub cpu_seconds: u64,
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitInfo {
    /// The status `aisvs sandbox run` exits with (128 + signal when killed).
    pub code: i32,
    pub signal: Option<i32>,
    pub timed_out: bool,
    /// Set when the runner killed the command for exceeding a limit (`timeout`, `cpu_time`).
    pub killed_by_runner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcePeaks {
    pub peak_memory_bytes: Option<u64>,
    pub peak_pids: Option<u64>,
    pub cpu_time_ms: Option<u64>,
    pub max_rss_bytes: Option<u64>,
    /// Where the numbers come from (`cgroup v1`, `cgroup v2`, `rusage`).
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelScanSummary {
    pub tool: String,
    pub version: String,
    /// `safe` only if every file was understood and clean; otherwise `unsafe` or `unknown`.
    pub overall: String,
    pub files: Vec<ScannedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannedFile {
    pub path: String,
    pub verdict: String,
    pub findings: Vec<String>,
}

impl VettingRecord {
    /// True when one of the inputs has this SHA-256 (lowercase or uppercase hex).
    pub fn has_input_sha256(&self, sha256: &str) -> bool {
        self.inputs
            .iter()
            .any(|input| input.sha256.eq_ignore_ascii_case(sha256))
    }

    /// The command exited 0 on its own (not killed, not timed out).
    pub fn exited_cleanly(&self) -> bool {
        self.exit.code == 0 && self.exit.signal.is_none() && !self.exit.timed_out
    }

    /// Controls that were requested but could not be applied.
    pub fn missing_controls(&self) -> impl Iterator<Item = &IsolationControl> {
        self.isolation
            .iter()
            .filter(|c| c.status == ControlStatus::NotApplied)
    }
}

/// A DSSE envelope carrying a vetting record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedRecord {
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Base64 (standard alphabet, padded) of the record's JSON bytes.
    pub payload: String,
    pub signatures: Vec<RecordSignature>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSignature {
    /// `keys::key_id` of the signing key's public half.
    pub keyid: String,
    /// Base64 of the 64-byte Ed25519 signature over the DSSE PAE.
    pub sig: String,
}

/// Errors while signing, reading or verifying a record.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: larger than {MAX_RECORD_FILE_BYTES} bytes, not a vetting record")]
    TooLarge { path: PathBuf },
    #[error("not a DSSE envelope: {0}")]
    Malformed(String),
    #[error("payload type is `{0}`, expected `{PAYLOAD_TYPE}`")]
    WrongPayloadType(String),
    #[error("no signature by key {0}")]
    NotSignedByKey(String),
    #[error("signature by key {0} does not verify")]
    BadSignature(String),
    #[error("signed payload is not a version-1 vetting record: {0}")]
    BadPayload(String),
    #[error("cannot encode record: {0}")]
    Encode(String),
    #[error("{path}: {source}")]
    InFile {
        path: PathBuf,
        #[source]
        source: Box<RecordError>,
    },
}

/// DSSE v1 pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
fn pre_authentication_encoding(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut pae = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    pae.extend_from_slice(payload);
    pae
}

/// Serialises and signs a record.
pub fn sign_record(record: &VettingRecord, key: &SigningKey) -> Result<SignedRecord, RecordError> {
    let payload =
        serde_json::to_vec_pretty(record).map_err(|e| RecordError::Encode(e.to_string()))?;
    let signature = key.sign(&pre_authentication_encoding(PAYLOAD_TYPE, &payload));
    Ok(SignedRecord {
        payload_type: PAYLOAD_TYPE.to_string(),
        payload: BASE64.encode(&payload),
        signatures: vec![RecordSignature {
            keyid: key_id(&key.verifying_key()),
            sig: BASE64.encode(signature.to_bytes()),
        }],
    })
}

impl SignedRecord {
    /// Verifies the signature made by `public_key` and returns the record it covers.
    /// Signatures by other keys are ignored; at least one must be by `public_key`.
    pub fn verify(&self, public_key: &VerifyingKey) -> Result<VettingRecord, RecordError> {
        if self.payload_type != PAYLOAD_TYPE {
            return Err(RecordError::WrongPayloadType(self.payload_type.clone()));
        }
        let wanted = key_id(public_key);
        let entry = self
            .signatures
            .iter()
            .find(|s| s.keyid == wanted)
            .ok_or_else(|| RecordError::NotSignedByKey(wanted.clone()))?;
        let payload = BASE64
            .decode(self.payload.as_bytes())
            .map_err(|e| RecordError::Malformed(format!("payload is not base64: {e}")))?;
        let sig_bytes = BASE64
            .decode(entry.sig.as_bytes())
            .map_err(|_| RecordError::BadSignature(wanted.clone()))?;
        let signature = Signature::from_slice(&sig_bytes)
            .map_err(|_| RecordError::BadSignature(wanted.clone()))?;
        public_key
            .verify_strict(
                &pre_authentication_encoding(&self.payload_type, &payload),
                &signature,
            )
            .map_err(|_| RecordError::BadSignature(wanted))?;
        let record: VettingRecord =
            serde_json::from_slice(&payload).map_err(|e| RecordError::BadPayload(e.to_string()))?;
        if record.schema != RECORD_SCHEMA {
            return Err(RecordError::BadPayload(format!(
                "schema `{}`, expected `{RECORD_SCHEMA}`",
                record.schema
            )));
        }
        Ok(record)
    }

    /// Pretty JSON text of the envelope.
    pub fn to_json(&self) -> Result<String, RecordError> {
        serde_json::to_string_pretty(self).map_err(|e| RecordError::Encode(e.to_string()))
    }
}

/// Writes a signed record to `path` (the envelope as JSON, newline-terminated).
pub fn write_signed_record(path: &Path, signed: &SignedRecord) -> Result<(), RecordError> {
    let mut text = signed.to_json()?;
    text.push('\n');
    fs::write(path, text).map_err(|source| RecordError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads an envelope from a file (bounded size), without verifying it.
pub fn read_signed_record(path: &Path) -> Result<SignedRecord, RecordError> {
    let io_err = |source| RecordError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = fs::File::open(path).map_err(io_err)?;
    let mut bytes = Vec::new();
    file.take(MAX_RECORD_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_RECORD_FILE_BYTES {
        return Err(RecordError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| RecordError::InFile {
        path: path.to_path_buf(),
        source: Box::new(RecordError::Malformed(e.to_string())),
    })
}

/// Reads and verifies a signed record file; the entry point for `aisvs scan` and the gate.
pub fn verify_record_file(
    path: &Path,
    public_key: &VerifyingKey,
) -> Result<VettingRecord, RecordError> {
    let signed = read_signed_record(path)?;
    signed
        .verify(public_key)
        .map_err(|source| RecordError::InFile {
            path: path.to_path_buf(),
            source: Box::new(source),
        })
}
