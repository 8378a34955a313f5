//! Runs the 4.4.4 SSH checks for one node root: MFA per interactive user and root, Match
//! branches that lower authentication, and service accounts.

use super::accounts::{read_accounts, Account};
use super::mfa_444::{mfa_verdict, MfaPolicy};
use super::pam::{read_auth_stack, second_factor};
use super::service_accounts_444::service_account_verdict;
use super::sshd_config::{EffectiveConfig, SshdConfig};
use super::sshd_tool::{sshd_effective, SshdToolError};
use super::under_root;
use crate::assessment::{Assessment, Outcome};
use std::path::Path;

/// Check ids.
pub const MFA_CHECK: &str = "host-ssh-mfa";
pub const SERVICE_CHECK: &str = "host-ssh-service-accounts";

/// Options of the SSH evaluation.
#[derive(Debug, Clone, Default)]
pub struct SshOptions {
    /// Extra service-account names (beyond system UIDs), e.g. `jenkins`, `deploy`.
    pub service_accounts: Vec<String>,
    /// Break-glass users allowed a single factor (reported as partial, never pass).
    pub break_glass: Vec<String>,
    /// MFA policy switches.
    pub mfa: MfaPolicy,
    /// Use `sshd -T` when the root is `/` and OpenSSH is installed.
    pub use_sshd_t: bool,
}

/// Evaluates sshd, PAM and accounts under `root` (`/` for the live node).
pub fn evaluate_host_ssh(root: &Path, options: &SshOptions) -> Vec<Assessment> {
    let main = under_root(root, "/etc/ssh/sshd_config");
    let at_main = |a: Assessment| a.at(&main, None);
    let parsed = match SshdConfig::load(root, "/etc/ssh/sshd_config") {
        Ok(p) => p,
        Err(e) => {
            return vec![at_main(Assessment::new(
                "4.4.4",
                MFA_CHECK,
                "sshd",
                Outcome::Inconclusive,
                format!("no sshd configuration to check: {e}"),
            ))]
        }
    };
    let live = options.use_sshd_t && root == Path::new("/");
    let pam = read_auth_stack(root);
    let duo = std::fs::read_to_string(under_root(root, "/etc/duo/pam_duo.conf")).ok();
    let factor = pam
        .as_ref()
        .map(|stack| second_factor(stack, duo.as_deref()));
    let accounts = read_accounts(root).unwrap_or_default();
    // sshd -T is authoritative when it runs; if it cannot (not installed, no privileges for the
    // private /run, or it rejects the file), our reader answers and the source says why.
    let effective = |account: &Account| -> EffectiveConfig {
        let failure = match live.then(|| sshd_effective(None, &account.name)) {
            Some(Ok(cfg)) => return cfg,
            Some(Err(SshdToolError::Failed(msg))) => Some(msg),
            Some(Err(SshdToolError::NotInstalled)) | None => None,
        };
        let mut cfg = parsed.effective(&account.name, &account.groups);
        if let Some(msg) = failure {
            cfg.source = format!("parsed sshd_config; sshd -T failed: {msg}");
        }
        cfg
    };
    let mut out = Vec::new();
    let mut humans: Vec<&Account> = accounts
        .iter()
        .filter(|a| a.is_interactive() || a.uid == 0)
        .collect();
    let placeholder = Account {
        name: "(any user)".into(),
        uid: 1000,
        gid: 1000,
        home: "/nonexistent".into(),
        shell: "/bin/sh".into(),
        groups: vec![],
    };
    if humans.is_empty() {
        humans.push(&placeholder);
    }
    for account in humans {
        let subject = format!("ssh user {}", account.name);
        let cfg = effective(account);
        if account.uid == 0 && cfg.get("permitrootlogin").as_deref() == Some("no") {
            out.push(at_main(Assessment::new(
                "4.4.4",
                MFA_CHECK,
                subject,
                Outcome::Pass,
                format!("PermitRootLogin no ({})", cfg.source),
            )));
            continue;
        }
        let (mut outcome, mut message) = mfa_verdict(&cfg, factor.as_ref(), &options.mfa);
        if outcome == Outcome::Fail && options.break_glass.contains(&account.name) {
            outcome = Outcome::Partial;
            message = format!("allow-listed break-glass account; {message}");
        }
        out.push(at_main(Assessment::new(
            "4.4.4", MFA_CHECK, subject, outcome, message,
        )));
    }
    out.extend(match_branches(&parsed, factor.as_ref(), options));
    for account in accounts
        .iter()
        .filter(|a| a.uid != 0 && (a.is_system() || options.service_accounts.contains(&a.name)))
    {
        let subject = format!("ssh service account {} (uid {})", account.name, account.uid);
        let message = service_account_verdict(root, account, &effective(account));
        out.push(at_main(Assessment::new(
            "4.4.4",
            SERVICE_CHECK,
            subject,
            message.0,
            message.1,
        )));
    }
    for missing in options
        .service_accounts
        .iter()
        .filter(|n| !accounts.iter().any(|a| &a.name == *n))
    {
        out.push(at_main(Assessment::new(
            "4.4.4",
            SERVICE_CHECK,
            format!("ssh service account {missing}"),
            Outcome::Pass,
            "no such account in /etc/passwd",
        )));
    }
    out
}

/// Match blocks (for host, address or user criteria) that set a weaker AuthenticationMethods.
fn match_branches(
    parsed: &SshdConfig,
    factor: Option<&super::pam::SecondFactor>,
    options: &SshOptions,
) -> Vec<Assessment> {
    let base = parsed.effective("\u{0}no-such-user", &[]);
    let mut out = Vec::new();
    for block in &parsed.matches {
        if !block
            .directives
            .iter()
            .any(|d| d.keyword == "authenticationmethods")
        {
            continue;
        }
        let mut cfg = base.clone();
        for d in &block.directives {
            cfg.values.insert(d.keyword.clone(), vec![d.value.clone()]);
        }
        let (outcome, message) = mfa_verdict(&cfg, factor, &options.mfa);
        if outcome == Outcome::Pass {
            continue;
        }
        let allow_listed = block.conditions.iter().all(|(c, p)| {
            c == "user"
                && p.split(',')
                    .all(|u| options.break_glass.iter().any(|b| b == u))
        });
        let outcome = if allow_listed {
            Outcome::Partial
        } else {
            outcome
        };
        let subject = format!("sshd Match {}", block.criteria);
        out.push(
            Assessment::new(
                "4.4.4",
                MFA_CHECK,
                subject,
                outcome,
                format!("Match branch lowers authentication: {message}"),
            )
            .at(&block.file, Some(block.line)),
        );
    }
    out
}
