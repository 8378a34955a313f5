//! Terraform rules.

pub mod durations;
pub mod ecs;
pub mod gke_metadata;
pub mod imds;
pub mod key_rotation_period;
pub mod kms_keys;
pub mod node_ssh;
pub mod open_admin_ports;
pub mod sandboxed_isolation;
pub mod secret_rotation;
