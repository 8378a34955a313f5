//! CI pipeline rules (GitHub Actions, GitLab CI) and their shared helpers.

pub mod actions_pinned;
pub mod build_provenance;
pub mod cloud_credentials;
pub mod commands;
pub mod iac_scan_on_pr;
pub mod images;
pub mod precommit;
pub mod sbom_signing;
pub mod scanner_steps;
pub mod text;
