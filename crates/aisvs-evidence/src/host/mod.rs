//! `aisvs host` checks over a node's files (live `/` or a collected copy under `--root`):
//! sshd effective configuration, the sshd PAM stack, accounts, and OS hardening basics.

pub mod accounts;
pub mod evaluate;
pub mod mfa_444;
pub mod os_basics;
pub mod pam;
pub mod pattern;
pub mod service_accounts_444;
pub mod sshd_config;
pub mod sshd_include;
pub mod sshd_tool;

use std::path::{Path, PathBuf};

/// Maps an absolute path of the node onto the checked root (`/etc/ssh` → `<root>/etc/ssh`).
pub fn under_root(root: &Path, absolute: &str) -> PathBuf {
    root.join(absolute.trim_start_matches('/'))
}
