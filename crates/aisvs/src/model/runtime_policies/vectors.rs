//! The privilege-escalation vector catalogue (4.1.4) and the mapping from kernel functions, syscalls and
//! capabilities to the vector they cover.

use std::fmt;

/// A privilege-escalation (or container-escape adjacent) technique a runtime policy can watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vector {
    /// setuid/setgid/setre*/setres*/setfs* to root.
    SetuidFamily,
    /// capset and capability gains.
    Capabilities,
    /// Creating user namespaces (unshare/setns/create_user_ns).
    UserNamespaces,
    /// Executing setuid/setgid binaries (bprm credential hooks, sudo/su/pkexec …).
    SetuidExec,
    /// ptrace attach and injection.
    Ptrace,
    /// Loading eBPF programs.
    Bpf,
    /// Mounting file systems.
    Mount,
    /// Loading kernel modules.
    KernelModules,
}

/// Every vector, in report order.
pub const ALL_VECTORS: [Vector; 8] = [
    Vector::SetuidFamily,
    Vector::Capabilities,
    Vector::UserNamespaces,
    Vector::SetuidExec,
    Vector::Ptrace,
    Vector::Bpf,
    Vector::Mount,
    Vector::KernelModules,
];

impl Vector {
    /// The kebab-case id used in options and messages.
    pub fn id(self) -> &'static str {
        match self {
            Vector::SetuidFamily => "setuid-family",
            Vector::Capabilities => "capabilities",
            Vector::UserNamespaces => "user-namespaces",
            Vector::SetuidExec => "setuid-exec",
            Vector::Ptrace => "ptrace",
            Vector::Bpf => "bpf",
            Vector::Mount => "mount",
            Vector::KernelModules => "kernel-modules",
        }
    }

    /// Parses an id as written in `aisvs.toml`.
    pub fn from_id(id: &str) -> Option<Vector> {
        ALL_VECTORS.into_iter().find(|v| v.id() == id)
    }
}

impl fmt::Display for Vector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Syscall-entry prefixes kernels use for the same syscall (`__x64_sys_setuid`, `__sys_setuid`, `sys_setuid`).
const SYSCALL_PREFIXES: [&str; 8] = [
    "__x64_sys_",
    "__ia32_sys_",
    "__arm64_sys_",
    "__se_sys_",
    "__do_sys_",
    "__sys_",
    "ksys_",
    "sys_",
];

/// The vectors a hooked kernel function, LSM hook or syscall name covers (empty when none).
pub fn vectors_of_function(name: &str) -> &'static [Vector] {
    let trimmed = name.trim();
    let mut base = trimmed;
    for prefix in SYSCALL_PREFIXES {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            base = rest;
            break;
        }
    }
    // The 16-bit uid variants (`setuid16`) are the same syscall family.
    let base = base.strip_suffix("16").unwrap_or(base);
    match base {
        "setuid" | "setgid" | "setreuid" | "setregid" | "setresuid" | "setresgid" | "setfsuid"
        | "setfsgid" => &[Vector::SetuidFamily],
        // Every credential change (setuid family and capset alike) is committed through commit_creds.
        "commit_creds" => &[Vector::SetuidFamily, Vector::Capabilities],
        "capset" | "security_capset" | "capset_check" => &[Vector::Capabilities],
        "create_user_ns" | "unshare" | "setns" | "userns_create" | "security_userns_create" => {
            &[Vector::UserNamespaces]
        }
        "security_bprm_creds_from_file"
        | "bprm_creds_from_file"
        | "security_bprm_check"
        | "bprm_check_security"
        | "security_bprm_committing_creds"
        | "bprm_committing_creds"
        | "security_bprm_creds_for_exec"
        | "bprm_creds_for_exec" => &[Vector::SetuidExec],
        "ptrace"
        | "security_ptrace_access_check"
        | "ptrace_access_check"
        | "security_ptrace_traceme"
        | "ptrace_traceme" => &[Vector::Ptrace],
        // bpf_check is the verifier entry every program load goes through.
        "bpf"
        | "security_bpf"
        | "bpf_prog_load"
        | "security_bpf_prog"
        | "bpf_prog"
        | "bpf_check"
        | "security_bpf_map_alloc"
        | "security_bpf_map_create"
        | "bpf_map_alloc" => &[Vector::Bpf],
        "mount"
        | "security_sb_mount"
        | "sb_mount"
        | "fsmount"
        | "move_mount"
        | "fsopen"
        | "pivot_root"
        | "security_sb_pivotroot"
        | "sb_pivotroot" => &[Vector::Mount],
        "init_module"
        | "finit_module"
        | "do_init_module"
        | "load_module"
        | "security_kernel_module_request"
        | "kernel_module_request"
        | "security_kernel_load_data"
        | "kernel_load_data" => &[Vector::KernelModules],
        _ => &[],
    }
}

/// The vectors a KubeArmor / Linux capability name (`setuid`, `CAP_SYS_PTRACE`) stands for.
pub fn vectors_of_capability(name: &str) -> &'static [Vector] {
    let lower = name.trim().to_ascii_lowercase();
    match lower.strip_prefix("cap_").unwrap_or(&lower) {
        "setuid" | "setgid" => &[Vector::SetuidFamily],
        "setpcap" | "setfcap" => &[Vector::Capabilities],
        "sys_ptrace" => &[Vector::Ptrace],
        "sys_module" => &[Vector::KernelModules],
        "bpf" => &[Vector::Bpf],
        // CAP_SYS_ADMIN is what mount needs; it also guards most namespace operations outside a user namespace.
        "sys_admin" => &[Vector::Mount],
        _ => &[],
    }
}

/// Well-known setuid-root programs whose execution is the classic escalation path.
pub fn is_setuid_program(path: &str) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path);
    matches!(
        base,
        "sudo"
            | "su"
            | "pkexec"
            | "newgrp"
            | "passwd"
            | "chsh"
            | "chfn"
            | "gpasswd"
            | "doas"
            | "mount"
            | "umount"
            | "newuidmap"
            | "newgidmap"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_spellings_map_to_one_family() {
        for name in [
            "__sys_setuid",
            "sys_setresgid",
            "__x64_sys_setfsuid16",
            "setreuid",
        ] {
            assert_eq!(vectors_of_function(name), &[Vector::SetuidFamily], "{name}");
        }
        assert_eq!(
            vectors_of_function("create_user_ns"),
            &[Vector::UserNamespaces]
        );
        assert_eq!(
            vectors_of_function("security_inode_mkdir"),
            &[] as &[Vector]
        );
        assert_eq!(vectors_of_function("commit_creds").len(), 2);
    }

    #[test]
    fn capabilities_and_programs() {
        assert_eq!(vectors_of_capability("CAP_SYS_PTRACE"), &[Vector::Ptrace]);
        assert_eq!(vectors_of_capability("net_raw"), &[] as &[Vector]);
        assert!(is_setuid_program("/usr/bin/sudo"));
        assert!(!is_setuid_program("/usr/bin/python3"));
        assert_eq!(Vector::from_id("setuid-exec"), Some(Vector::SetuidExec));
    }
}
