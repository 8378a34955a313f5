//! Node evidence: an sshd_config among the inputs (4.4.4 SSH MFA and service accounts, with the PAM stack
//! and passwd of the same collected node root when present). `sshd -T` is never run here: the scan reads
//! files only. Results collected on the node itself (`aisvs host --output`) are read in `reports`.

use std::path::Path;

use aisvs_evidence::host::evaluate::{evaluate_host_ssh, SshOptions, MFA_CHECK, SERVICE_CHECK};
use aisvs_evidence::host::mfa_444::{mfa_verdict, MfaPolicy};
use aisvs_evidence::host::sshd_config::SshdConfig;

use crate::evidence::Outcome;

use super::classify::{Found, Recognised};
use super::item::{from_assessment, outcome_of, EvidenceItem, FileIndex};
use super::EvidenceContext;

/// Where a collected node keeps its sshd config, relative to the node root.
const NODE_SSHD: &str = "etc/ssh/sshd_config";

/// Evaluates every sshd_config.
pub fn evaluate(
    found: &[Found],
    ctx: &EvidenceContext,
    index: &FileIndex<'_>,
) -> Vec<EvidenceItem> {
    found
        .iter()
        .filter(|f| f.what == Recognised::SshdConfig)
        .flat_map(|f| sshd(f.file, &index.files()[f.file].source.abs, ctx, index))
        .collect()
}

fn sshd(
    file: usize,
    abs: &Path,
    ctx: &EvidenceContext,
    index: &FileIndex<'_>,
) -> Vec<EvidenceItem> {
    let text = abs.to_string_lossy();
    if let Some(root) = text.strip_suffix(NODE_SSHD) {
        let root = if root.is_empty() { "." } else { root };
        let options = SshOptions {
            service_accounts: ctx.config.service_accounts.clone(),
            break_glass: ctx.config.break_glass.clone(),
            mfa: MfaPolicy::default(),
            use_sshd_t: false,
        };
        return evaluate_host_ssh(Path::new(root), &options)
            .iter()
            .map(|a| from_assessment(a, "ssh", index, Some(file)))
            .collect();
    }
    loose_sshd(file, abs)
}

/// An sshd_config outside a node layout: MFA from the file alone (no PAM stack to confirm a second factor),
/// service accounts not checkable.
fn loose_sshd(file: usize, abs: &Path) -> Vec<EvidenceItem> {
    let item = |check, subject: &str, outcome, message: String| EvidenceItem {
        check,
        kind: "ssh",
        subject: subject.to_string(),
        outcome,
        message,
        file: Some(file),
        line: None,
    };
    let layout =
        format!("collect the node's /etc beside it (<node>/{NODE_SSHD}, etc/pam.d, etc/passwd)");
    let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Vec::new();
    };
    let main = format!("/{}", name.to_string_lossy());
    let mut out = Vec::new();
    match SshdConfig::load(dir, &main) {
        Ok(cfg) => {
            let (outcome, message) = mfa_verdict(
                &cfg.effective("(any user)", &[]),
                None,
                &MfaPolicy::default(),
            );
            let mut outcome = outcome_of(outcome);
            let mut message = format!("loose sshd_config: {message}");
            if outcome == Outcome::Pass {
                // Without the PAM stack a keyboard-interactive factor is not shown to be a real second factor.
                outcome = Outcome::Partial;
                message.push_str(&format!("; PAM stack not among the inputs: {layout}"));
            }
            out.push(item(MFA_CHECK, "ssh (any user)", outcome, message));
        }
        Err(e) => out.push(item(
            MFA_CHECK,
            "sshd",
            Outcome::Inconclusive,
            format!(
                "sshd_config not readable: {}",
                e.to_string().lines().next().unwrap_or("")
            ),
        )),
    }
    out.push(item(
        SERVICE_CHECK,
        "ssh service accounts",
        Outcome::Inconclusive,
        format!(
            "no passwd file for this sshd_config, so service accounts cannot be checked: {layout}"
        ),
    ));
    out
}
