//! Node evidence: an sshd_config among the inputs (4.4.4 SSH MFA and service accounts, with the PAM stack
//! and passwd of the same collected node root when present) and `aisvs host --output` evidence files.
//! `sshd -T` is never run here: the scan reads files only.

use std::path::Path;

use aisvs_evidence::host::evaluate::{evaluate_host_ssh, SshOptions, MFA_CHECK, SERVICE_CHECK};
use aisvs_evidence::host::mfa_444::{mfa_verdict, MfaPolicy};
use aisvs_evidence::host::os_basics::CHECK as OS_CHECK;
use aisvs_evidence::host::sshd_config::SshdConfig;

use crate::diag::Diagnostic;
use crate::evidence::Outcome;

use super::classify::{Found, Recognised};
use super::item::{from_assessment, outcome_of, EvidenceItem, FileIndex};
use super::EvidenceContext;

/// Where a collected node keeps its sshd config, relative to the node root.
const NODE_SSHD: &str = "etc/ssh/sshd_config";

/// Evaluates every sshd_config and host evidence file.
pub fn evaluate(
    found: &[Found],
    ctx: &EvidenceContext,
    index: &FileIndex<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<EvidenceItem> {
    let mut items = Vec::new();
    for f in found {
        let src = &index.files()[f.file].source;
        match f.what {
            Recognised::SshdConfig => items.extend(sshd(f.file, &src.abs, ctx, index)),
            Recognised::HostEvidence => match host_file(f.file, &src.text) {
                Ok(more) => items.extend(more),
                Err(e) => diags.push(Diagnostic::error(&src.path, 0, e)),
            },
            _ => {}
        }
    }
    items
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

/// Reads `{"evidence_schema": 1, "kind": "host", "assessments": […]}` written by `aisvs host --output`.
fn host_file(file: usize, text: &str) -> Result<Vec<EvidenceItem>, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("host evidence is not JSON: line {}: {e}", e.line()))?;
    if value.get("evidence_schema").and_then(|v| v.as_u64()) != Some(1) {
        return Err("host evidence: unsupported evidence_schema (expected 1)".into());
    }
    let list = value
        .get("assessments")
        .and_then(|a| a.as_array())
        .ok_or("host evidence: no `assessments` array")?;
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let field = |k: &str| a.get(k).and_then(|v| v.as_str()).unwrap_or("");
        let check = match field("check") {
            c if c == MFA_CHECK => MFA_CHECK,
            c if c == SERVICE_CHECK => SERVICE_CHECK,
            c if c == OS_CHECK => OS_CHECK,
            _ => continue,
        };
        let outcome = match field("outcome") {
            "pass" => Outcome::Pass,
            "fail" => Outcome::Fail,
            "partial" => Outcome::Partial,
            "inconclusive" => Outcome::Inconclusive,
            other => {
                return Err(format!(
                    "host evidence: assessments[{i}]: unknown outcome `{other}`"
                ))
            }
        };
        out.push(EvidenceItem {
            check,
            kind: "host",
            subject: field("subject").to_string(),
            outcome,
            message: format!("{} (from `aisvs host` evidence)", field("message")),
            file: Some(file),
            line: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_evidence_keeps_known_checks_and_rejects_bad_outcomes() {
        let text = r#"{"evidence_schema":1,"kind":"host","assessments":[
            {"requirement":"4.4.4","check":"host-ssh-mfa","subject":"ssh user root","outcome":"fail","message":"m"},
            {"requirement":"4.6.1","check":"other","subject":"x","outcome":"pass","message":"m"}]}"#;
        let items = host_file(0, text).expect("valid");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].outcome, Outcome::Fail);
        let bad = text.replace("\"fail\"", "\"great\"");
        assert!(host_file(0, &bad).unwrap_err().contains("unknown outcome"));
        assert!(host_file(0, "{\"evidence_schema\":2}").is_err());
    }
}
