//! Attack-surface rules (4.3.x) and manifest secret/key rules (4.4.2, 4.4.3).

mod ai_exposure_report;
mod ai_listen_ports;
mod ai_server_auth;
mod ai_servers;
mod compose_ai_endpoint_exposure;
mod compose_ports;
mod k8s_ai_endpoint_exposure;
mod k8s_encryption_at_rest;
mod k8s_inference_egress;
mod k8s_inference_sa_token;
mod k8s_manifest_secrets;
mod k8s_metadata_egress;
mod k8s_netpol_allow_list;
mod k8s_netpol_default_deny;
mod k8s_nodeport_services;
mod util;

use super::Rule;

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(k8s_netpol_default_deny::DefaultDeny),
        Box::new(k8s_netpol_allow_list::AllowList),
        Box::new(k8s_ai_endpoint_exposure::AiEndpointExposure),
        Box::new(compose_ai_endpoint_exposure::ComposeAiEndpointExposure),
        Box::new(k8s_metadata_egress::MetadataEgress),
        Box::new(k8s_inference_egress::InferenceEgress::default()),
        Box::new(k8s_manifest_secrets::ManifestSecrets),
        Box::new(k8s_encryption_at_rest::EncryptionAtRest),
        Box::new(k8s_inference_sa_token::InferenceSaToken),
        Box::new(k8s_nodeport_services::NodePortServices::default()),
    ]
}
