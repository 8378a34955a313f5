//! Operational evidence: scanner reports, findings history, host hardening, secret rotation.
//!
//! The `aisvs scan` engine calls [`sniff`] on each input, the `parse_*` functions on
//! recognised files, [`History`] to record and read scans, and the `evaluate_*` functions,
//! which return neutral [`Assessment`]s per requirement and subject.
#![forbid(unsafe_code)]

pub mod assessment;
pub mod cli;
pub mod cvss;
pub mod error;
pub mod evidence_json;
pub mod from_history;
pub mod history;
pub mod host;
pub mod host_cli;
pub mod load;
pub mod mitigation;
pub mod parse;
pub mod render;
pub mod report;
pub mod rules;
pub mod secrets;
pub mod sniff;
pub mod timestamp;

pub use assessment::{Assessment, Diagnostic, Outcome};
pub use error::{EvidenceError, Result};
pub use evidence_json::parse_evidence_document;
pub use from_history::{evaluate_history, HistoryEvaluation};
pub use history::{default_history_path, History, IngestOutcome, ScanRecord, StoredFinding};
pub use mitigation::{parse_mitigations, Mitigation};
pub use parse::grype::parse_grype;
pub use parse::kube_bench::{parse_kube_bench_json, BenchCheck, BenchReport, BenchStatus};
pub use parse::kube_bench_text::parse_kube_bench_text;
pub use parse::trivy::parse_trivy;
pub use report::{Artifact, ArtifactKind, ScanReport, VulnFinding};
pub use rules::kube_bench_462::{evaluate_kube_bench, BenchPolicy, SeverityMap};
pub use rules::patch_sla_463::evaluate_patch_sla;
pub use rules::scan_cadence_461::{evaluate_scan_cadence, CadencePolicy};
pub use rules::scan_schedule_461::evaluate_scan_schedule;
pub use secrets::dumps::{parse_secret_metadata, SecretRecord};
pub use secrets::offboarding::{parse_offboarding, Departure};
pub use secrets::rotation_441::evaluate_secret_rotation;
pub use sniff::{sniff, ReportKind};
