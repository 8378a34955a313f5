//! Resource limits: which mechanism enforces each requested limit (cgroup, or an rlimit
//! fallback, said so in the record), and the rlimits the child sets before exec. Hard and soft
//! values are equal where raising would matter, so the command cannot lift them.

use super::cgroups::Cgroups;
use super::record::{ControlStatus, IsolationControl, RequestedLimits};
use super::{sys, sys_parent};

/// Open files allowed inside (hard). Enough for ML runtimes, far from the host's default.
pub const MAX_OPEN_FILES: u64 = 4096;

/// One setrlimit call for the child.
#[derive(Debug, Clone, Copy)]
pub struct Rlimit {
    pub resource: libc::__rlimit_resource_t,
    pub soft: u64,
    pub hard: u64,
}

/// The rlimits to set and the record entries describing every limit.
pub struct LimitPlan {
    pub rlimits: Vec<Rlimit>,
    pub controls: Vec<IsolationControl>,
}

fn control(name: &str, status: ControlStatus, detail: String) -> IsolationControl {
    IsolationControl {
        control: name.into(),
        status,
        detail,
    }
}

/// Decides the enforcement of each limit, writing the cgroup limits that are available.
pub fn prepare(limits: &RequestedLimits, cgroups: &Cgroups, host_root: bool) -> LimitPlan {
    let mut rlimits = vec![
        Rlimit {
            resource: libc::RLIMIT_CORE,
            soft: 0,
            hard: 0,
        },
        Rlimit {
            resource: libc::RLIMIT_NOFILE,
            soft: MAX_OPEN_FILES,
            hard: MAX_OPEN_FILES,
        },
        // Per process: SIGXCPU at the soft limit, SIGKILL one second later.
        Rlimit {
            resource: libc::RLIMIT_CPU,
            soft: limits.cpu_seconds,
            hard: limits.cpu_seconds.saturating_add(1),
        },
    ];
    let mut controls = Vec::new();
    match cgroups.limit_memory(limits.memory_bytes) {
        Some(mechanism) => controls.push(control(
            "memory_limit",
            ControlStatus::Applied,
            format!(
                "{} bytes for the whole tree ({mechanism})",
                limits.memory_bytes
            ),
        )),
        None => {
            rlimits.push(Rlimit {
                resource: libc::RLIMIT_AS,
                soft: limits.memory_bytes,
                hard: limits.memory_bytes,
            });
            controls.push(control(
                "memory_limit",
                ControlStatus::Fallback,
                format!(
                    "no usable memory cgroup: RLIMIT_AS {} bytes per process (address space, not the tree)",
                    limits.memory_bytes
                ),
            ));
        }
    }
    match cgroups.limit_pids(limits.pids) {
        Some(mechanism) => controls.push(control(
            "pids_limit",
            ControlStatus::Applied,
            format!("{} tasks for the whole tree ({mechanism})", limits.pids),
        )),
        None => {
            rlimits.push(Rlimit {
                resource: libc::RLIMIT_NPROC,
                soft: limits.pids,
                hard: limits.pids,
            });
            let (status, caveat) = if host_root {
                // The kernel exempts the host root user from RLIMIT_NPROC.
                (ControlStatus::NotApplied, " — not enforced for host root")
            } else {
                (
                    ControlStatus::Fallback,
                    " (counts every process of this user)",
                )
            };
            controls.push(control(
                "pids_limit",
                status,
                format!(
                    "no usable pids cgroup: RLIMIT_NPROC {}{caveat}",
                    limits.pids
                ),
            ));
        }
    }
    let cpu_detail = match cgroups.cpu_time_ms() {
        Some(_) => format!(
            "{} s: RLIMIT_CPU per process, and the runner kills the tree when the cgroup's total passes it",
            limits.cpu_seconds
        ),
        None => format!(
            "{} s: RLIMIT_CPU per process only (no cgroup CPU accounting for the tree)",
            limits.cpu_seconds
        ),
    };
    let cpu_status = if cgroups.cpu_time_ms().is_some() {
        ControlStatus::Applied
    } else {
        ControlStatus::Fallback
    };
    controls.push(control("cpu_time_limit", cpu_status, cpu_detail));
    controls.push(control(
        "timeout",
        ControlStatus::Applied,
        format!(
            "{} s wall clock; the runner kills the sandbox's pid 1, which takes the whole pid namespace down",
            limits.timeout_seconds
        ),
    ));
    controls.push(control(
        "rlimits",
        ControlStatus::Applied,
        format!("RLIMIT_CORE 0, RLIMIT_NOFILE {MAX_OPEN_FILES} (hard = soft)"),
    ));
    clamp_to_caller(&mut rlimits);
    LimitPlan { rlimits, controls }
}

/// Lowers `value` to the caller's current hard limit: an unprivileged caller cannot raise it,
/// and asking to would fail the whole run.
fn within_hard_limit(resource: libc::__rlimit_resource_t, value: u64) -> u64 {
    sys_parent::hard_rlimit(resource).map_or(value, |hard| value.min(hard))
}

/// Clamps every entry to the caller's hard limits (done in the parent).
pub fn clamp_to_caller(rlimits: &mut [Rlimit]) {
    for limit in rlimits.iter_mut() {
        limit.hard = within_hard_limit(limit.resource, limit.hard);
        limit.soft = limit.soft.min(limit.hard);
    }
}

/// Child side: sets every rlimit.
pub fn apply(rlimits: &[Rlimit]) -> Result<(), i32> {
    for limit in rlimits {
        sys::setrlimit(limit.resource, limit.soft, limit.hard)?;
    }
    Ok(())
}
