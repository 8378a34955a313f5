//! host-ssh-service-accounts (4.4.4): service accounts cannot log in over SSH.
//!
//! Service accounts are judged from the passwd file of the node root that holds the sshd_config; a loose
//! sshd_config has none, so the rule says how to collect the node instead of guessing.
//! Accounts named in [evidence] service_accounts but absent from passwd pass (nothing to log in as).
//! Home directories are read under the node root only.
//! An AuthorizedKeysCommand makes a verdict impossible from files alone: inconclusive, with the reason.
//! Break-glass human accounts are judged by host-ssh-mfa, not here.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "host-ssh-service-accounts",
    title: "SSH is disabled for service accounts",
    requirements: &["4.4.4"],
    inputs: "a collected node root (<node>/etc/ssh/sshd_config with etc/passwd), or `aisvs host` \
            evidence JSON; [evidence] service_accounts",
    severity: Severity::High,
    what: "Every system account (UID 1-999, nobody) and every name in [evidence] service_accounts \
          must be refused by sshd (DenyUsers, DenyGroups, outside a non-empty \
          AllowUsers/AllowGroups) or have a nologin/false shell and no non-empty authorized_keys \
          file.",
    why: "4.4.4: SSH must be disabled for service accounts; their credentials are shared and \
         rarely rotated, and a login shell turns them into an entry point.",
    fail_example: "postgres:x:101:101::/var/lib/postgresql:/bin/bash  # not denied by sshd",
    pass_example: "www-data:x:33:33::/var/www:/usr/sbin/nologin  # no authorized_keys",
    remediation: "Give service accounts a nologin shell and no authorized_keys, and add them to \
                 DenyUsers (or keep AllowUsers/AllowGroups to human users only).",
    inconclusive: "The sshd_config has no passwd file beside it (not a collected node root), or \
                  keys come from an AuthorizedKeysCommand.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per service account.
pub struct SshServiceAccounts;

impl Rule for SshServiceAccounts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Verdicts come from aisvs-evidence over the passwd and sshd files of the node root.
        report_items(model, out);
    }
}
