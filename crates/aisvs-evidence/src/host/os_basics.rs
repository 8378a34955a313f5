//! Cheap OS hardening basics of a node, reported as 4.6.2 benchmark evidence: kernel sysctls
//! (read from `<root>/proc/sys`), permissions of account, sshd, kubelet and PKI files, and a
//! few sshd settings. Missing files are not applicable; the aggregate uses the 90 % bar.

use super::sshd_config::SshdConfig;
use super::under_root;
use crate::assessment::{Assessment, Outcome};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Check id.
pub const CHECK: &str = "host-os-hardening";

/// (sysctl, comparison, value): `=` exact, `>=` at least.
const SYSCTLS: &[(&str, &str, i64)] = &[
    ("kernel.randomize_va_space", "=", 2),
    ("fs.suid_dumpable", "=", 0),
    ("fs.protected_hardlinks", "=", 1),
    ("fs.protected_symlinks", "=", 1),
    ("kernel.kptr_restrict", ">=", 1),
    ("kernel.dmesg_restrict", "=", 1),
    ("kernel.unprivileged_bpf_disabled", ">=", 1),
    ("kernel.yama.ptrace_scope", ">=", 1),
    ("net.ipv4.conf.all.accept_redirects", "=", 0),
    ("net.ipv4.conf.all.send_redirects", "=", 0),
    ("net.ipv4.conf.all.accept_source_route", "=", 0),
    ("net.ipv4.tcp_syncookies", "=", 1),
];

/// (path or `dir/*.ext` pattern, most permissive mode).
const FILES: &[(&str, u32)] = &[
    ("/etc/shadow", 0o640),
    ("/etc/gshadow", 0o640),
    ("/etc/passwd", 0o644),
    ("/etc/group", 0o644),
    ("/etc/ssh/sshd_config", 0o600),
    ("/etc/ssh/*_key", 0o600),
    ("/var/lib/kubelet/config.yaml", 0o600),
    ("/etc/kubernetes/kubelet.conf", 0o600),
    (
        "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
        0o600,
    ),
    ("/etc/kubernetes/pki/*.key", 0o600),
    ("/etc/kubernetes/pki/*.crt", 0o644),
];

/// Runs every basic check under `root`; `check_owner` also requires uid 0 (only meaningful
/// on the live node, since a collected copy may have been unpacked by another user).
pub fn evaluate_os_basics(root: &Path, check_owner: bool) -> Vec<Assessment> {
    let mut out = Vec::new();
    for (name, op, want) in SYSCTLS {
        let file = under_root(root, &format!("/proc/sys/{}", name.replace('.', "/")));
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let subject = format!("sysctl {name}");
        let Ok(value) = text.trim().parse::<i64>() else {
            out.push(Assessment::new(
                "4.6.2",
                CHECK,
                subject,
                Outcome::Inconclusive,
                format!("unreadable value {:?}", text.trim()),
            ));
            continue;
        };
        let ok = if *op == "=" {
            value == *want
        } else {
            value >= *want
        };
        let outcome = if ok { Outcome::Pass } else { Outcome::Fail };
        out.push(Assessment::new(
            "4.6.2",
            CHECK,
            subject,
            outcome,
            format!("{value} (expected {op} {want})"),
        ));
    }
    for (pattern, max_mode) in FILES {
        for path in expand(root, pattern) {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let mode = meta.mode() & 0o7777;
            let extra = mode & !max_mode;
            let owner_bad = check_owner && meta.uid() != 0;
            let outcome = if extra == 0 && !owner_bad {
                Outcome::Pass
            } else {
                Outcome::Fail
            };
            let owner = if check_owner {
                format!(", owner uid {}", meta.uid())
            } else {
                String::new()
            };
            out.push(
                Assessment::new(
                    "4.6.2",
                    CHECK,
                    format!(
                        "file {}",
                        path.strip_prefix(root).unwrap_or(&path).display()
                    ),
                    outcome,
                    format!("mode {mode:04o} (at most {max_mode:04o}){owner}"),
                )
                .at(&path, None),
            );
        }
    }
    out.extend(sshd_basics(root));
    let counted: Vec<&Assessment> = out
        .iter()
        .filter(|a| matches!(a.outcome, Outcome::Pass | Outcome::Fail))
        .collect();
    if !counted.is_empty() {
        let passed = counted
            .iter()
            .filter(|a| a.outcome == Outcome::Pass)
            .count();
        let rate = passed as f64 / counted.len() as f64;
        let failing: Vec<&str> = counted
            .iter()
            .filter(|a| a.outcome == Outcome::Fail)
            .map(|a| a.subject.as_str())
            .collect();
        let outcome = if rate >= 0.9 {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        let list = if failing.is_empty() {
            String::new()
        } else {
            format!("; failing: {}", failing.join(", "))
        };
        out.push(Assessment::new(
            "4.6.2",
            CHECK,
            "host OS hardening (aggregate)",
            outcome,
            format!(
                "{:.1}% of {} basic checks pass (bar 90%){list}",
                rate * 100.0,
                counted.len()
            ),
        ));
    }
    out
}

/// `dir/*.ext` patterns list the directory; plain paths are returned when they exist.
fn expand(root: &Path, pattern: &str) -> Vec<std::path::PathBuf> {
    let full = under_root(root, pattern);
    let (Some(dir), Some(name)) = (full.parent(), full.file_name().and_then(|n| n.to_str())) else {
        return Vec::new();
    };
    if !name.contains('*') {
        return if full.exists() {
            vec![full]
        } else {
            Vec::new()
        };
    }
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| super::pattern::glob(name, n))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// sshd settings from CIS / lynis SSH-7408 that do not depend on the user.
fn sshd_basics(root: &Path) -> Vec<Assessment> {
    let Ok(parsed) = SshdConfig::load(root, "/etc/ssh/sshd_config") else {
        return Vec::new();
    };
    let cfg = parsed.effective("\u{0}no-such-user", &[]);
    let expectations: &[(&str, &[&str])] = &[
        (
            "permitrootlogin",
            &["no", "prohibit-password", "without-password"],
        ),
        ("permitemptypasswords", &["no"]),
        ("hostbasedauthentication", &["no"]),
        ("x11forwarding", &["no"]),
        ("permituserenvironment", &["no"]),
    ];
    let mut out = Vec::new();
    for (keyword, allowed) in expectations {
        let value = cfg.get(keyword).unwrap_or_else(|| "no".into());
        let outcome = if allowed.contains(&value.as_str()) {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        out.push(Assessment::new(
            "4.6.2",
            CHECK,
            format!("sshd {keyword}"),
            outcome,
            format!("{value} (allowed: {})", allowed.join("|")),
        ));
    }
    let tries = cfg
        .get("maxauthtries")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(6);
    let outcome = if tries <= 4 {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    out.push(Assessment::new(
        "4.6.2",
        CHECK,
        "sshd maxauthtries",
        outcome,
        format!("{tries} (at most 4)"),
    ));
    out
}
