//! The syscalls a container runtime makes after it has installed the container's seccomp filter
//! and before (or while) the workload's own code runs. A recording starts at the workload's
//! `execve`, so these must be added or the runtime itself fails under the profile (the classic
//! pitfall: a recorded profile replayed in bubblewrap failed until `wait4` was added).

use clap::ValueEnum;

/// Which base set to union into a recorded profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BaseSet {
    /// runc (containerd, Docker, CRI-O with runc): the SPO base profile `runc-v1.4.2`.
    Runc,
    /// Only what every process needs to exit and handle signals, plus `execve`.
    Minimal,
    /// Nothing: exactly what was recorded.
    None,
}

/// Always needed, whatever the runtime: starting the program, returning from signal handlers,
/// restarting interrupted sleeps, and exiting. A recording can miss them when the run was short
/// (no signal arrived, the process was killed before `exit_group`).
const MINIMAL: &[&str] = &[
    "execve",
    "exit",
    "exit_group",
    "restart_syscall",
    "rt_sigreturn",
];

/// runc's own syscalls between filter installation and exec (taken from the Security Profiles
/// Operator's published base profile for runc v1.4.2). runc installs the filter before it
/// drops capabilities and switches user when `no_new_privs` is off, which is why capset,
/// setgid, setgroups and setuid appear; its Go runtime adds futex, nanosleep, sched_yield,
/// sigaltstack, tgkill and friends. None of them is on the dangerous list.
const RUNC: &[&str] = &[
    "arch_prctl",
    "brk",
    "capget",
    "capset",
    "chdir",
    "close",
    "close_range",
    "epoll_ctl",
    "epoll_pwait",
    "execve",
    "exit_group",
    "faccessat2",
    "fcntl",
    "fstat",
    "fstatfs",
    "futex",
    "getcwd",
    "getdents64",
    "getpid",
    "getppid",
    "getuid",
    "mmap",
    "mprotect",
    "nanosleep",
    "newfstatat",
    "openat",
    "openat2",
    "prctl",
    "read",
    "recvfrom",
    "rt_sigreturn",
    "sched_yield",
    "set_tid_address",
    "setgid",
    "setgroups",
    "setuid",
    "sigaltstack",
    "statx",
    "tgkill",
    "write",
];

impl BaseSet {
    /// The syscall names of this base set (the minimal set is part of every non-empty one).
    pub fn syscalls(self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = match self {
            BaseSet::Runc => MINIMAL.iter().chain(RUNC).copied().collect(),
            BaseSet::Minimal => MINIMAL.to_vec(),
            BaseSet::None => Vec::new(),
        };
        names.sort_unstable();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seccomp::{dangerous, names};

    #[test]
    fn base_sets_are_known_and_harmless() {
        for base in [BaseSet::Runc, BaseSet::Minimal] {
            let set = base.syscalls();
            assert!(set.contains(&"execve") && set.contains(&"exit_group"));
            for name in set {
                assert!(names::is_known_syscall(name), "{name}");
                assert!(dangerous::lookup(name).is_none(), "{name} is dangerous");
            }
        }
        assert!(BaseSet::None.syscalls().is_empty());
        assert!(BaseSet::Runc.syscalls().contains(&"capset"));
    }
}
