//! Adversarial-evaluation promotion gate: result formats, importers, policy, comparison and decision records.
#![forbid(unsafe_code)]

pub mod gate_cli;
