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

use std::path::{Component, Path, PathBuf};

/// Maps an absolute path of the node onto the checked root (`/etc/ssh` → `<root>/etc/ssh`).
/// `..` components are resolved lexically and clamped at the root, so a hostile `Include` or
/// `@include` in a collected copy cannot read files outside it.
pub fn under_root(root: &Path, absolute: &str) -> PathBuf {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in Path::new(absolute).components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    let mut path = root.to_path_buf();
    path.extend(parts);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_under_the_root() {
        let root = Path::new("/tmp/node");
        assert_eq!(
            under_root(root, "/etc/ssh/sshd_config"),
            Path::new("/tmp/node/etc/ssh/sshd_config")
        );
        assert_eq!(
            under_root(root, "/etc/pam.d/../../../../etc/shadow"),
            Path::new("/tmp/node/etc/shadow")
        );
    }
}
