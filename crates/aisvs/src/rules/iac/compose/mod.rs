//! Compose file rules.

pub mod capabilities;
pub mod env_secrets;
pub mod isolation;
