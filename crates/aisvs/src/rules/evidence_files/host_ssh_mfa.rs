//! host-ssh-mfa (4.4.4): SSH logins to nodes require two distinct factors.
//!
//! A node root is any directory whose `etc/ssh/sshd_config` is among the inputs (for example a copy of
//! the node's /etc made with `tar -C / -czf node.tgz etc/ssh etc/pam.d etc/passwd`); its PAM stack and passwd
//! are read from the same root, clamped to it.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "host-ssh-mfa",
    title: "SSH access to nodes requires multi-factor authentication",
    requirements: &["4.4.4"],
    inputs: "a collected node root (<node>/etc/ssh/sshd_config with etc/pam.d and etc/passwd), a \
            loose sshd_config, or `aisvs host` evidence JSON",
    severity: Severity::High,
    what: "For every interactive user and root of the node, every AuthenticationMethods list of \
          the effective sshd configuration (first value wins, Include and Match followed) needs \
          two distinct factors, the second a real one: keyboard-interactive or password through \
          a PAM auth stack with a required OTP/FIDO module (google-authenticator, u2f, oath, \
          duo, yubico, radius, totp), or FIDO sk- keys with verify-required. Match branches that \
          lower this are reported with their line. Bypass options (nullok, Duo without failmode \
          secure) make it partial. sshd -T is never run by the scan.",
    why: "4.4.4: SSH access to production nodes must require MFA; a stolen key or password alone \
         must not open a root shell on a node that runs model workloads.",
    fail_example: "AuthenticationMethods publickey  # one factor",
    pass_example: "AuthenticationMethods publickey,keyboard-interactive:pam  # with auth required \
                  pam_google_authenticator.so in etc/pam.d/sshd",
    remediation: "Set AuthenticationMethods publickey,keyboard-interactive:pam with a required \
                 OTP/FIDO PAM module (no nullok), or accept only FIDO sk- keys with \
                 PubkeyAuthOptions verify-required; set PermitRootLogin no.",
    inconclusive: "The sshd_config cannot be read; a loose sshd_config without its PAM stack is \
                  partial at best.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per user or Match branch.
pub struct SshMfa;

impl Rule for SshMfa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // MFA verdicts come from aisvs-evidence's sshd/PAM reader over the files among the inputs.
        report_items(model, out);
    }
}
