//! CI pipeline rules (GitHub Actions, GitLab CI) and their shared helpers.

pub mod cloud_credentials;
pub mod commands;
pub mod iac_scan_on_pr;
pub mod text;
