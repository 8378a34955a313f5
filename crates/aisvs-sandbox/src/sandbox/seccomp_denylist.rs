//! The seccomp deny-list: syscalls a vetted model has no business making and that are the
//! usual ways out of a namespace sandbox (mounts, namespaces, kernel modules, bpf, keyrings,
//! userfaultfd, ptrace, io_uring, …). Everything else is allowed — this is a deny-list, not a
//! workload profile (that is `aisvs seccomp record`).
//!
//! Two filters are compiled in the parent and installed last in the child:
//! 1. `clone3` → ENOSYS: its flags sit in memory seccomp cannot read, and ENOSYS makes libc
//!    fall back to `clone`, whose flags we can check;
//! 2. the deny-list → EPERM, with `clone` refused when it asks for a new namespace, and x32
//!    syscall numbers refused outright (they would otherwise bypass a per-number list).

use std::collections::BTreeMap;

use seccompiler::{
    sock_filter, BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition,
    SeccompFilter, SeccompRule, TargetArch,
};
use sha2::{Digest, Sha256};

/// Syscalls refused with EPERM regardless of arguments.
pub fn denied_syscalls() -> Vec<(&'static str, i64)> {
    let mut list = vec![
        ("mount", libc::SYS_mount),
        ("umount2", libc::SYS_umount2),
        ("pivot_root", libc::SYS_pivot_root),
        ("chroot", libc::SYS_chroot),
        ("unshare", libc::SYS_unshare),
        ("setns", libc::SYS_setns),
        ("fsopen", libc::SYS_fsopen),
        ("fsconfig", libc::SYS_fsconfig),
        ("fsmount", libc::SYS_fsmount),
        ("fspick", libc::SYS_fspick),
        ("move_mount", libc::SYS_move_mount),
        ("open_tree", libc::SYS_open_tree),
        ("mount_setattr", libc::SYS_mount_setattr),
        ("init_module", libc::SYS_init_module),
        ("finit_module", libc::SYS_finit_module),
        ("delete_module", libc::SYS_delete_module),
        ("kexec_load", libc::SYS_kexec_load),
        ("kexec_file_load", libc::SYS_kexec_file_load),
        ("bpf", libc::SYS_bpf),
        ("perf_event_open", libc::SYS_perf_event_open),
        ("keyctl", libc::SYS_keyctl),
        ("add_key", libc::SYS_add_key),
        ("request_key", libc::SYS_request_key),
        ("userfaultfd", libc::SYS_userfaultfd),
        ("ptrace", libc::SYS_ptrace),
        ("process_vm_readv", libc::SYS_process_vm_readv),
        ("process_vm_writev", libc::SYS_process_vm_writev),
        ("pidfd_getfd", libc::SYS_pidfd_getfd),
        ("open_by_handle_at", libc::SYS_open_by_handle_at),
        ("name_to_handle_at", libc::SYS_name_to_handle_at),
        ("io_uring_setup", libc::SYS_io_uring_setup),
        ("io_uring_enter", libc::SYS_io_uring_enter),
        ("io_uring_register", libc::SYS_io_uring_register),
        ("swapon", libc::SYS_swapon),
        ("swapoff", libc::SYS_swapoff),
        ("reboot", libc::SYS_reboot),
        ("syslog", libc::SYS_syslog),
        ("acct", libc::SYS_acct),
        ("quotactl", libc::SYS_quotactl),
        ("settimeofday", libc::SYS_settimeofday),
        ("clock_settime", libc::SYS_clock_settime),
        ("clock_adjtime", libc::SYS_clock_adjtime),
        ("adjtimex", libc::SYS_adjtimex),
        ("vhangup", libc::SYS_vhangup),
    ];
    #[cfg(target_arch = "x86_64")]
    list.extend([
        ("iopl", libc::SYS_iopl),
        ("ioperm", libc::SYS_ioperm),
        ("uselib", libc::SYS_uselib),
    ]);
    list
}

/// `clone` flags that create namespaces.
const NAMESPACE_FLAGS: [u64; 7] = [
    libc::CLONE_NEWUSER as u64,
    libc::CLONE_NEWNS as u64,
    libc::CLONE_NEWPID as u64,
    libc::CLONE_NEWNET as u64,
    libc::CLONE_NEWIPC as u64,
    libc::CLONE_NEWUTS as u64,
    libc::CLONE_NEWCGROUP as u64,
];

/// The compiled filters, in installation order, and a digest for the record.
pub struct DenyListFilters {
    pub programs: Vec<BpfProgram>,
    pub sha256: String,
    pub denied_names: Vec<&'static str>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot compile the seccomp deny-list: {0}")]
pub struct DenyListError(String);

fn target_arch() -> Result<TargetArch, DenyListError> {
    match std::env::consts::ARCH {
        "x86_64" => Ok(TargetArch::x86_64),
        "aarch64" => Ok(TargetArch::aarch64),
        "riscv64" => Ok(TargetArch::riscv64),
        other => Err(DenyListError(format!(
            "architecture {other} is not supported"
        ))),
    }
}

fn compile(
    rules: BTreeMap<i64, Vec<SeccompRule>>,
    errno: i32,
) -> Result<BpfProgram, DenyListError> {
    let filter = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(errno as u32),
        target_arch()?,
    )
    .map_err(|e| DenyListError(e.to_string()))?;
    BpfProgram::try_from(filter).map_err(|e| DenyListError(e.to_string()))
}

/// On x86_64, refuse x32-ABI numbers (bit 30 set) before the per-number list runs.
fn x32_guard() -> Vec<sock_filter> {
    if std::env::consts::ARCH != "x86_64" {
        return Vec::new();
    }
    const LD_W_ABS: u16 = 0x20;
    const JGE_K: u16 = 0x35;
    const RET_K: u16 = 0x06;
    vec![
        sock_filter {
            code: LD_W_ABS,
            jt: 0,
            jf: 0,
            k: 0,
        },
        sock_filter {
            code: JGE_K,
            jt: 0,
            jf: 1,
            k: 0x4000_0000,
        },
        sock_filter {
            code: RET_K,
            jt: 0,
            jf: 0,
            k: libc::SECCOMP_RET_ERRNO | libc::EPERM as u32,
        },
    ]
}

/// Compiles both filters.
pub fn build() -> Result<DenyListFilters, DenyListError> {
    let clone3_rules = BTreeMap::from([(libc::SYS_clone3, Vec::new())]);
    let clone3 = compile(clone3_rules, libc::ENOSYS)?;

    let denied = denied_syscalls();
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> =
        denied.iter().map(|(_, nr)| (*nr, Vec::new())).collect();
    let namespace_rules = NAMESPACE_FLAGS
        .iter()
        .map(|flag| {
            let cond = SeccompCondition::new(
                0,
                SeccompCmpArgLen::Qword,
                SeccompCmpOp::MaskedEq(*flag),
                *flag,
            )
            .map_err(|e| DenyListError(e.to_string()))?;
            SeccompRule::new(vec![cond]).map_err(|e| DenyListError(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    rules.insert(libc::SYS_clone, namespace_rules);
    let mut main = x32_guard();
    main.extend(compile(rules, libc::EPERM)?);

    let mut hasher = Sha256::new();
    for program in [&clone3, &main] {
        for ins in program.iter() {
            hasher.update(ins.code.to_le_bytes());
            hasher.update([ins.jt, ins.jf]);
            hasher.update(ins.k.to_le_bytes());
        }
    }
    Ok(DenyListFilters {
        programs: vec![clone3, main],
        sha256: hex::encode(hasher.finalize()),
        denied_names: denied.iter().map(|(name, _)| *name).collect(),
    })
}

/// Child side: installs every program (each call also sets `no_new_privs`).
pub fn install(filters: &DenyListFilters) -> Result<(), i32> {
    for program in &filters.programs {
        seccompiler::apply_filter(program).map_err(|_| libc::EPERM)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_compile_and_cover_the_escape_calls() {
        let filters = build().unwrap();
        assert_eq!(filters.programs.len(), 2);
        for name in [
            "mount",
            "unshare",
            "setns",
            "bpf",
            "keyctl",
            "userfaultfd",
            "ptrace",
        ] {
            assert!(filters.denied_names.contains(&name), "{name} missing");
        }
        assert_eq!(filters.sha256.len(), 64);
        assert!(!denied_syscalls().iter().any(|(n, _)| *n == "execve"));
    }
}
