//! Rules that turn evidence files (reports, signatures, provenance, vetting records) into verdicts.
//!
//! The evaluations run once, in `model::scan_evidence`; each rule here reports the items of its own check,
//! so a rule can be disabled or re-levelled in aisvs.toml like any other.

mod host_os_hardening;
mod host_ssh_mfa;
mod host_ssh_service_accounts;
mod model_download_unsandboxed;
mod model_gate_decision;
mod model_vetting_record;
mod report_benchmark_pass_rate;
mod report_patch_sla;
mod report_scan_cadence;
mod report_secret_rotation_age;
mod supply_provenance;
mod supply_signature_sbom;

use crate::evidence::Subject;
use crate::model::scan_evidence::item::location_of;
use crate::model::Model;

use super::{EvidenceSink, Rule};

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(report_scan_cadence::ScanCadence),
        Box::new(report_patch_sla::PatchSla),
        Box::new(report_benchmark_pass_rate::BenchmarkPassRate),
        Box::new(host_os_hardening::OsHardening),
        Box::new(report_secret_rotation_age::SecretRotationAge),
        Box::new(host_ssh_mfa::SshMfa),
        Box::new(host_ssh_service_accounts::SshServiceAccounts),
        Box::new(supply_provenance::Provenance),
        Box::new(supply_signature_sbom::SignatureSbom),
        Box::new(model_vetting_record::VettingRecord),
        Box::new(model_gate_decision::GateDecision),
        Box::new(model_download_unsandboxed::DownloadUnsandboxed),
    ]
}

/// Reports every evaluated evidence item of the sink's rule, one subject each.
pub fn report_items(model: &Model<'_>, out: &mut EvidenceSink) {
    let id = out.meta().id;
    for item in model.evidence.items_for(id) {
        let subject = Subject {
            kind: item.kind.to_string(),
            namespace: None,
            name: item.subject.clone(),
            container: None,
            display: item.subject.clone(),
        };
        let location = item
            .file
            .and_then(|f| location_of(model.files, f, item.line));
        out.push(item.outcome, subject, location, item.message.clone());
    }
}
