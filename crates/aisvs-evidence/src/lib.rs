//! Operational evidence: scanner reports, findings history, host hardening, secret rotation.
#![forbid(unsafe_code)]

pub mod cli;
pub mod host_cli;
