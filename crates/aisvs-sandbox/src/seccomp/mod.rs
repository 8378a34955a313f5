//! Seccomp profiles: recording a workload-specific profile, reading OCI/Kubernetes profiles, and analysing them.
//!
//! - [`analysis`]: the 4.1.1 verdict on a profile (pure; used by `aisvs scan` and `aisvs seccomp check`).
//! - [`profile`], [`spo`]: the OCI/Docker JSON format and Security Profiles Operator objects.
//! - [`localhost`]: resolving a pod's `localhostProfile` against a profile root or SPO objects.
//! - [`dangerous`]: the documented dangerous-syscall list.

pub mod action;
pub mod analysis;
pub mod dangerous;
pub mod error;
pub mod localhost;
pub mod names;
pub mod profile;
pub mod spo;

pub use analysis::{analyse_profile_json, analyse_spo_object, AnalysisOptions, ProfileAnalysis};
pub use error::ProfileError;
