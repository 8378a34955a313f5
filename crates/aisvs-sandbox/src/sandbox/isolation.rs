//! The record's account of a run: the isolation controls that are always applied, and the
//! translation of a wait status into an exit code (128 + signal when killed).

use super::mounts::MountPlan;
use super::record::{ControlStatus, ExitInfo, IsolationControl};
use super::runner::{Supervision, INSIDE_ID};
use super::seccomp_denylist::DenyListFilters;

/// One record entry.
pub fn control(name: &str, status: ControlStatus, detail: &str) -> IsolationControl {
    IsolationControl {
        control: name.to_string(),
        status,
        detail: detail.to_string(),
    }
}

/// Controls applied by construction on every run that starts (a failure aborts the run).
pub fn static_controls(
    mounts: &MountPlan,
    seccomp: &DenyListFilters,
    ports: &[u16],
) -> Vec<IsolationControl> {
    let applied = ControlStatus::Applied;
    let network = if ports.is_empty() {
        "new network namespace: only a loopback interface, left down; host loopback and host \
         network unreachable"
            .to_string()
    } else {
        format!(
            "new network namespace: only loopback, up, for ports {ports:?} inside the sandbox; \
             host loopback and host network unreachable"
        )
    };
    vec![
        control(
            "user_namespace",
            applied,
            &format!("uid/gid {INSIDE_ID} inside, mapped to the caller's ids; no other ids mapped"),
        ),
        control(
            "mount_namespace",
            applied,
            &format!(
                "pivot_root into a read-only tmpfs with only: {}; host sockets, /run, /tmp and \
                 home dirs are not present",
                mounts.summary.join("; ")
            ),
        ),
        control(
            "pid_namespace",
            applied,
            "command is pid 1; host processes invisible",
        ),
        control("network_namespace", applied, &network),
        control(
            "ipc_namespace",
            applied,
            "private System V IPC and POSIX message queues",
        ),
        control("uts_namespace", applied, "hostname aisvs-sandbox"),
        control(
            "cgroup_namespace",
            applied,
            "cgroup paths of the host hidden",
        ),
        control(
            "capabilities",
            applied,
            "all dropped: bounding, ambient, effective, permitted, inheritable; securebits locked",
        ),
        control("no_new_privs", applied, "set before exec"),
        control(
            "seccomp_denylist",
            applied,
            &format!(
                "EPERM for {} (and clone with namespace flags, x32 numbers); clone3 -> ENOSYS; \
                 filter sha256 {}",
                seccomp.denied_names.join(", "),
                seccomp.sha256
            ),
        ),
        control(
            "session",
            applied,
            "setsid: no controlling terminal (no TIOCSTI)",
        ),
        control(
            "environment",
            applied,
            "host environment not passed; PATH, HOME, TMPDIR, LANG and --env only",
        ),
    ]
}

/// Exit information from a raw wait status.
pub fn exit_info(status: i32, supervision: Supervision, oom_killed: bool) -> ExitInfo {
    let (code, signal) = if libc::WIFEXITED(status) {
        (libc::WEXITSTATUS(status), None)
    } else if libc::WIFSIGNALED(status) {
        let sig = libc::WTERMSIG(status);
        (128 + sig, Some(sig))
    } else {
        (125, None)
    };
    let killed_by_runner = match supervision {
        Supervision::TimedOut => Some("timeout".to_string()),
        Supervision::CpuTimeExceeded => Some("cpu_time".to_string()),
        Supervision::Exited if oom_killed && signal.is_some() => {
            Some("memory_limit (kernel OOM killer)".to_string())
        }
        Supervision::Exited => None,
    };
    ExitInfo {
        code,
        signal,
        timed_out: supervision == Supervision::TimedOut,
        killed_by_runner,
    }
}

/// User + system CPU time of the reaped tree, in milliseconds.
pub fn rusage_cpu_ms(usage: &libc::rusage) -> u64 {
    let ms = |tv: libc::timeval| {
        u64::try_from(tv.tv_sec).unwrap_or(0) * 1000 + u64::try_from(tv.tv_usec).unwrap_or(0) / 1000
    };
    ms(usage.ru_utime) + ms(usage.ru_stime)
}
