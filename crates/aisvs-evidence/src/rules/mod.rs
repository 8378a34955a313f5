//! Evaluations: each turns evidence into per-subject [`crate::Assessment`]s for one requirement.

pub mod kube_bench_462;
pub mod patch_sla_463;
pub mod scan_cadence_461;
pub mod scan_schedule_461;
