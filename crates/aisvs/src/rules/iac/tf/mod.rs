//! Terraform rules.

pub mod durations;
pub mod ecs;
pub mod gke_metadata;
pub mod imds;
pub mod key_rotation_period;
pub mod kms_keys;
pub mod open_admin_ports;
pub mod secret_rotation;
