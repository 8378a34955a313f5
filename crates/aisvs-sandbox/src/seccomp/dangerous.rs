//! The documented list of dangerous syscalls: what each one lets a confined process do.
//!
//! `High` entries give a container a direct path to the kernel's most attacked surfaces or to
//! other processes and the host; a profile that allows one unconditionally does not meet the bar
//! unless the user accepts it by name (`--accept`). `Medium` entries are reported but do not fail.

use serde::Serialize;

/// How much an allowed dangerous syscall weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Reported; does not fail the profile.
    Medium,
    /// Fails the profile when allowed without an argument filter or capability condition.
    High,
}

/// One entry: syscall name, weight, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DangerousSyscall {
    /// The syscall name.
    pub name: &'static str,
    /// How much it weighs.
    pub risk: Risk,
    /// Why a workload profile should not allow it.
    pub reason: &'static str,
}

const fn high(name: &'static str, reason: &'static str) -> DangerousSyscall {
    DangerousSyscall {
        name,
        risk: Risk::High,
        reason,
    }
}

const fn medium(name: &'static str, reason: &'static str) -> DangerousSyscall {
    DangerousSyscall {
        name,
        risk: Risk::Medium,
        reason,
    }
}

const INSPECT: &str = "reads or writes another process's memory and registers; before kernel 4.8 it could also skip seccomp checks";
const BPF: &str = "loads programs into the kernel verifier and JIT, a frequent source of kernel privilege escalations";
const MOUNT: &str =
    "changes the mount table: can expose host paths or hide files from the runtime's view";
const NEW_MOUNT_API: &str =
    "new mount API: the same power as mount(2), often forgotten in deny-lists";
const NAMESPACES: &str =
    "creates or joins namespaces; user namespaces unlock kernel code normally reserved for root";
const KEYRING: &str =
    "kernel keyring is not namespaced: keys of other containers and the host are reachable";
const KEXEC: &str = "replaces the running kernel";
const MODULES: &str = "loads or unloads kernel modules: arbitrary code in the kernel";
const HANDLES: &str =
    "opens files by handle, bypassing path checks; the 'shocker' container escape used it";
const PERF: &str =
    "performance monitoring exposes kernel addresses and has a long record of kernel bugs";
const USERFAULTFD: &str = "lets a process stall the kernel on a page fault, a standard tool for winning kernel race conditions";
const IO_URING: &str =
    "io_uring submits I/O that seccomp never sees, and has had many kernel privilege escalations";
const PERSONALITY: &str =
    "can disable address-space randomisation (ADDR_NO_RANDOMIZE) or make data executable";
const PORT_IO: &str = "direct hardware I/O port access";
const CLOCK: &str = "sets the system clock for the whole host (time is not namespaced for setting)";
const SWAP: &str = "enables or disables host swap devices";
const MEMPOLICY: &str = "changes NUMA memory placement of pages, which can affect other tenants";
const OBSOLETE: &str = "obsolete interface with no legitimate use in a container; old code paths";

/// The dangerous syscalls, sorted by name.
pub const DANGEROUS_SYSCALLS: &[DangerousSyscall] = &[
    high("acct", "switches host-wide process accounting on or off"),
    high("add_key", KEYRING),
    medium(
        "adjtimex",
        "adjusts the host clock (reading the clock state this way is harmless; setting it is not)",
    ),
    high("bpf", BPF),
    medium(
        "chroot",
        "changes the root directory; combined with an open directory fd it can escape",
    ),
    medium("clock_adjtime", CLOCK),
    high("clock_settime", CLOCK),
    high("create_module", MODULES),
    high("delete_module", MODULES),
    medium(
        "fanotify_init",
        "watches file access across the mount, including other processes' files",
    ),
    high("finit_module", MODULES),
    high("fsconfig", NEW_MOUNT_API),
    high("fsmount", NEW_MOUNT_API),
    high("fsopen", NEW_MOUNT_API),
    high("fspick", NEW_MOUNT_API),
    medium("get_kernel_syms", OBSOLETE),
    medium("get_mempolicy", MEMPOLICY),
    high("init_module", MODULES),
    high("io_uring_enter", IO_URING),
    high("io_uring_register", IO_URING),
    high("io_uring_setup", IO_URING),
    high("ioperm", PORT_IO),
    high("iopl", PORT_IO),
    medium(
        "kcmp",
        "compares kernel objects of two processes, leaking kernel layout information",
    ),
    high("kexec_file_load", KEXEC),
    high("kexec_load", KEXEC),
    high("keyctl", KEYRING),
    medium(
        "lookup_dcookie",
        "returns paths of kernel directory entries; a profiling interface",
    ),
    medium("mbind", MEMPOLICY),
    medium("migrate_pages", MEMPOLICY),
    medium(
        "modify_ldt",
        "edits the x86 local descriptor table, a repeated kernel attack surface",
    ),
    high("mount", MOUNT),
    high("mount_setattr", NEW_MOUNT_API),
    high("move_mount", NEW_MOUNT_API),
    medium("move_pages", MEMPOLICY),
    medium(
        "name_to_handle_at",
        "produces file handles for open_by_handle_at",
    ),
    medium("nfsservctl", OBSOLETE),
    high("open_by_handle_at", HANDLES),
    high("open_tree", NEW_MOUNT_API),
    high("perf_event_open", PERF),
    medium("personality", PERSONALITY),
    high(
        "pidfd_getfd",
        "copies file descriptors out of another process",
    ),
    high("pivot_root", MOUNT),
    medium(
        "process_madvise",
        "changes memory advice of another process",
    ),
    high("process_vm_readv", INSPECT),
    high("process_vm_writev", INSPECT),
    high("ptrace", INSPECT),
    medium("query_module", OBSOLETE),
    medium(
        "quotactl",
        "manipulates filesystem quotas of the host filesystem",
    ),
    high(
        "reboot",
        "reboots the host or loads a new kernel with kexec",
    ),
    high("request_key", KEYRING),
    medium("set_mempolicy", MEMPOLICY),
    high("setns", NAMESPACES),
    medium("settimeofday", CLOCK),
    medium("stime", CLOCK),
    high("swapoff", SWAP),
    high("swapon", SWAP),
    medium(
        "syslog",
        "reads the kernel log, which leaks kernel addresses",
    ),
    medium("sysfs", OBSOLETE),
    medium("umount", MOUNT),
    high("umount2", MOUNT),
    high("unshare", NAMESPACES),
    medium("uselib", OBSOLETE),
    high("userfaultfd", USERFAULTFD),
    medium("ustat", OBSOLETE),
    high(
        "vm86",
        "switches into virtual 8086 mode; old and fragile kernel code",
    ),
    high(
        "vm86old",
        "switches into virtual 8086 mode; old and fragile kernel code",
    ),
    medium("_sysctl", OBSOLETE),
];

/// The entry for a syscall name, if it is on the list.
pub fn lookup(name: &str) -> Option<&'static DangerousSyscall> {
    DANGEROUS_SYSCALLS.iter().find(|entry| entry.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_unique_and_contains_the_issue_names() {
        let mut names: Vec<&str> = DANGEROUS_SYSCALLS.iter().map(|d| d.name).collect();
        let before = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate entries");
        for required in [
            "ptrace",
            "bpf",
            "mount",
            "umount2",
            "unshare",
            "setns",
            "keyctl",
            "add_key",
            "request_key",
            "kexec_load",
            "init_module",
            "finit_module",
            "delete_module",
            "open_by_handle_at",
            "perf_event_open",
            "userfaultfd",
            "io_uring_setup",
            "io_uring_enter",
            "io_uring_register",
            "personality",
        ] {
            assert!(lookup(required).is_some(), "{required} missing");
        }
        assert!(lookup("read").is_none());
    }

    #[test]
    fn every_entry_is_a_real_syscall_name() {
        for entry in DANGEROUS_SYSCALLS {
            assert!(
                super::super::names::is_known_syscall(entry.name),
                "{}",
                entry.name
            );
        }
    }
}
