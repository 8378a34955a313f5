//! Compose file rules.

pub mod capabilities;
pub mod isolation;
