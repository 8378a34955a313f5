//! Dockerfile rules.

pub mod base_image_pinned;
pub mod build_secrets;
pub mod expose;
pub mod script_env_leak;
pub mod user;
