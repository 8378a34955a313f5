//! 4.4.4 service accounts: a system or configured service account must be unable to log in
//! over SSH — denied by DenyUsers/DenyGroups or left out of a non-empty AllowUsers/AllowGroups,
//! or else given a nologin shell and no authorized_keys. A `Match` with ForceCommand does not count.

use super::accounts::{authorized_keys_files, Account};
use super::pattern::{list_matches, user_entry_matches};
use super::sshd_config::EffectiveConfig;
use crate::assessment::Outcome;
use std::path::Path;

/// Why sshd itself refuses the account, if it does (order: DenyUsers, AllowUsers, DenyGroups, AllowGroups).
pub fn sshd_denies(account: &Account, cfg: &EffectiveConfig) -> Option<String> {
    let deny_users = cfg.list("denyusers");
    if let Some(entry) = deny_users
        .iter()
        .find(|e| user_entry_matches(e, &account.name))
    {
        return Some(format!("DenyUsers {entry}"));
    }
    let allow_users = cfg.list("allowusers");
    if !allow_users.is_empty()
        && !allow_users
            .iter()
            .any(|e| user_entry_matches(e, &account.name))
    {
        return Some("not in AllowUsers".into());
    }
    let deny_groups = cfg.list("denygroups");
    if let Some(group) = account
        .groups
        .iter()
        .find(|g| deny_groups.iter().any(|p| list_matches(p, g)))
    {
        return Some(format!("DenyGroups covers group {group}"));
    }
    let allow_groups = cfg.list("allowgroups");
    if !allow_groups.is_empty()
        && !account
            .groups
            .iter()
            .any(|g| allow_groups.iter().any(|p| list_matches(p, g)))
    {
        return Some("in no AllowGroups group".into());
    }
    None
}

/// Verdict for one service account under the configuration in effect for it.
pub fn service_account_verdict(
    root: &Path,
    account: &Account,
    cfg: &EffectiveConfig,
) -> (Outcome, String) {
    let keys_setting = cfg
        .get("authorizedkeysfile")
        .unwrap_or_else(|| ".ssh/authorized_keys .ssh/authorized_keys2".into());
    let keys = authorized_keys_files(root, account, &keys_setting);
    let keys_note = match keys.first() {
        Some(k) => format!("has {}", k.display()),
        None => "no authorized_keys".into(),
    };
    if let Some(reason) = sshd_denies(account, cfg) {
        return (
            Outcome::Pass,
            format!("sshd refuses it ({reason}); {keys_note}"),
        );
    }
    let command = cfg.get("authorizedkeyscommand").filter(|c| c != "none");
    match (account.has_nologin_shell(), keys.is_empty(), command) {
        (true, true, None) => (Outcome::Pass, format!("shell {} and no authorized_keys (not named in DenyUsers; consider it)", account.shell)),
        (true, true, Some(cmd)) => (Outcome::Inconclusive, format!("shell {} but AuthorizedKeysCommand {cmd} may supply keys (tunnels remain possible)", account.shell)),
        (true, false, _) => (Outcome::Fail, format!("shell {} but {keys_note}: key login still opens tunnels", account.shell)),
        (false, _, _) => (Outcome::Fail, format!("login shell {} and not denied by sshd; {keys_note}", account.shell)),
    }
}
