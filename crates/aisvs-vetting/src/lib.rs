//! Adversarial-evaluation promotion gate (AISVS 4.5.2): result formats, importers, policy,
//! comparison, sandbox evidence and decision records.
#![forbid(unsafe_code)]

pub mod compare;
pub mod decision;
pub mod digest;
pub mod error;
pub mod eval;
pub mod gate;
pub mod gate_cli;
pub mod import;
pub mod limits;
pub mod policy;
pub mod redact;
pub mod report;
pub mod sandbox_check;
pub mod signing;
pub mod verify_decision;

pub use decision::{DecisionRecord, Outcome};
pub use error::{GateError, Result};
pub use gate::{decide, GateRequest};
pub use verify_decision::{sniff_decision, verify_decision_file, Decision, SignatureStatus};
