//! Terraform, Dockerfile, Compose and CI pipeline rules.

mod ci;
mod compose;
mod docker;
mod tf;
mod vault_seal;

use super::Rule;

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(ci::iac_scan_on_pr::IacScanOnPr),
        Box::new(ci::cloud_credentials::CloudCredentials),
        Box::new(ci::build_provenance::BuildProvenance),
        Box::new(ci::sbom_signing::SbomAndSigning),
        Box::new(ci::actions_pinned::ActionsPinned),
        Box::new(docker::base_image_pinned::BaseImagePinned),
        Box::new(tf::imds::ImdsV2),
        Box::new(tf::ecs::EcsContainerHardening),
        Box::new(tf::gke_metadata::GkeMetadataServer),
        Box::new(tf::kms_keys::KmsRotationAudit),
        Box::new(tf::secret_rotation::SecretRotation),
        Box::new(tf::key_rotation_period::KeyRotationPeriod),
        Box::new(tf::sandboxed_isolation::SandboxedIsolation::default()),
        Box::new(tf::node_ssh::NodeSshAccess),
        Box::new(docker::user::NonRootUser),
        Box::new(compose::capabilities::ComposeCapabilities::default()),
        Box::new(compose::isolation::ComposeIsolation),
        Box::new(compose::env_secrets::ComposeEnvSecrets),
        Box::new(docker::expose::ExposeDebugPorts::default()),
        Box::new(docker::build_secrets::BuildSecrets),
        Box::new(docker::script_env_leak::ScriptEnvLeak),
        Box::new(tf::open_admin_ports::OpenAdminPorts::default()),
        Box::new(vault_seal::VaultSealKms),
    ]
}
