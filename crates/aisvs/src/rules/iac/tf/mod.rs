//! Terraform rules.

pub mod ecs;
pub mod gke_metadata;
pub mod imds;
pub mod kms_keys;
pub mod open_admin_ports;
