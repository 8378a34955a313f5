//! Dockerfile rules.

pub mod expose;
pub mod user;
