//! Dockerfile rules.

pub mod base_image_pinned;
pub mod build_secrets;
#[cfg(test)]
mod ci_gate_tests;
pub mod expose;
pub mod script_env_leak;
pub mod user;
