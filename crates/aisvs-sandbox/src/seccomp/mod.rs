//! Seccomp profiles: recording a workload-specific profile, reading OCI/Kubernetes profiles, and analysing them.
//!
//! - [`analysis`]: the 4.1.1 verdict on a profile (pure; used by `aisvs scan` and `aisvs seccomp check`).
//! - [`profile`], [`spo`]: the OCI/Docker JSON format and Security Profiles Operator objects.
//! - [`localhost`]: resolving a pod's `localhostProfile` against a profile root or SPO objects.
//! - [`dangerous`]: the documented dangerous-syscall list.
//! - [`recorder`], [`base_set`], [`merge`]: `aisvs seccomp record` (seccomp user notification).
//! - [`enforce`]: running a command under a profile (`aisvs seccomp run`).

pub mod action;
pub mod analysis;
pub mod base_set;
pub mod commands;
pub mod dangerous;
pub mod enforce;
pub mod error;
pub mod localhost;
pub mod merge;
pub mod names;
pub mod profile;
pub mod recorder;
pub mod spo;
mod supervisor;

pub use analysis::{analyse_profile_json, analyse_spo_object, AnalysisOptions, ProfileAnalysis};
pub use error::ProfileError;
