//! `/etc/passwd` and `/etc/group` of the checked root, and `authorized_keys` lookup.

use super::under_root;
use std::path::{Path, PathBuf};

/// Shells that refuse interactive logins (`/bin/sync` only runs sync(1) and exits; Debian gives
/// it to the `sync` account).
pub const NOLOGIN_SHELLS: &[&str] = &[
    "/bin/sync",
    "/usr/bin/sync",
    "/usr/sbin/nologin",
    "/sbin/nologin",
    "/bin/false",
    "/usr/bin/false",
    "/bin/nologin",
];

/// One passwd entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    pub shell: String,
    /// Names of the primary and supplementary groups.
    pub groups: Vec<String>,
}

impl Account {
    /// The shell refuses logins.
    pub fn has_nologin_shell(&self) -> bool {
        NOLOGIN_SHELLS.contains(&self.shell.as_str())
    }

    /// A regular human account (Debian UID_MIN 1000, excluding nobody 65534).
    pub fn is_interactive(&self) -> bool {
        (1000..60000).contains(&self.uid) && !self.has_nologin_shell()
    }

    /// A system account (uid 1–999, or nobody).
    pub fn is_system(&self) -> bool {
        (1..1000).contains(&self.uid) || self.uid == 65534
    }
}

/// Reads passwd and group under `root`; `None` when passwd is absent.
pub fn read_accounts(root: &Path) -> Option<Vec<Account>> {
    let passwd = std::fs::read_to_string(under_root(root, "/etc/passwd")).ok()?;
    let group = std::fs::read_to_string(under_root(root, "/etc/group")).unwrap_or_default();
    let groups: Vec<(String, u32, Vec<String>)> = group
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let gid = f.get(2)?.parse().ok()?;
            let members = f
                .get(3)
                .map(|m| {
                    m.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            Some((f[0].to_string(), gid, members))
        })
        .collect();
    let accounts = passwd
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            let (uid, gid) = (f[2].parse().ok()?, f[3].parse().ok()?);
            let name = f[0].to_string();
            let member_of = groups
                .iter()
                .filter(|(_, g, members)| *g == gid || members.contains(&name))
                .map(|(n, _, _)| n.clone())
                .collect();
            Some(Account {
                name,
                uid,
                gid,
                home: f[5].to_string(),
                shell: f[6].to_string(),
                groups: member_of,
            })
        })
        .collect();
    Some(accounts)
}

/// Existing, non-empty authorized_keys files of `account` per `AuthorizedKeysFile`
/// (tokens `%h`, `%u`, `%%`; relative paths are under the home directory).
pub fn authorized_keys_files(
    root: &Path,
    account: &Account,
    authorized_keys_file: &str,
) -> Vec<PathBuf> {
    authorized_keys_file
        .split_whitespace()
        .filter(|p| *p != "none")
        .map(|p| {
            let expanded = p
                .replace("%%", "\u{0}")
                .replace("%h", &account.home)
                .replace("%u", &account.name)
                .replace('\u{0}', "%");
            if expanded.starts_with('/') {
                expanded
            } else {
                format!("{}/{expanded}", account.home.trim_end_matches('/'))
            }
        })
        .map(|p| under_root(root, &p))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() > 0))
        .collect()
}
