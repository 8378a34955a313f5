//! A complete vetting run: digest the inputs, optionally scan them, run the command in the
//! sandbox, and assemble the record (signed by the caller with `record::sign_record`).

use super::config::{self, SandboxConfig};
use super::error::SandboxError;
use super::record::{HostInfo, ToolInfo, VettingRecord, RECORD_SCHEMA};
use super::runner::{self, RunOutcome};
use super::{inputs, model_scan, sys_parent};

/// A finished run and its (unsigned) record.
#[derive(Debug, Clone)]
pub struct VettingRun {
    pub outcome: RunOutcome,
    pub record: VettingRecord,
}

/// Digests inputs, scans them when `scan_models`, runs the command and builds the record.
/// `on_scan` sees the scan summary before the command starts (the CLI prints it).
pub fn run_vetting(
    config: SandboxConfig,
    scan_models: bool,
    on_scan: impl FnOnce(&super::record::ModelScanSummary),
) -> Result<VettingRun, SandboxError> {
    let read_only = config::check_read_only(&config.read_only)?;
    let digests = inputs::digest_inputs(&read_only)?;
    let model_scan = if scan_models {
        let summary = model_scan::scan_inputs(&read_only)?;
        on_scan(&summary);
        Some(summary)
    } else {
        None
    };
    let command = config.command.clone();
    let limits = config.limits.clone();
    let outcome = runner::run(config)?;
    let (kernel_release, machine) = sys_parent::uname();
    let record = VettingRecord {
        schema: RECORD_SCHEMA.into(),
        tool: ToolInfo {
            name: "aisvs".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        host: HostInfo {
            kernel_release,
            machine,
        },
        command,
        inputs: digests,
        isolation: outcome.isolation.clone(),
        limits,
        started_at: outcome.started_at.clone(),
        ended_at: outcome.ended_at.clone(),
        exit: outcome.exit.clone(),
        resources: outcome.resources.clone(),
        model_scan,
    };
    Ok(VettingRun { outcome, record })
}
