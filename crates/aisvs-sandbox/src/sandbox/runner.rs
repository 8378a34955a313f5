//! The parent side of a sandboxed run: prepare everything (the child cannot allocate), clone
//! into new user, mount, pid, net, ipc, uts and cgroup namespaces, map the user and place the
//! child in its cgroups, then supervise: timeout and CPU watchdog, peaks, exit status.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::cgroups::Cgroups;
use super::child::{self, ChildPlan, MSG_EXEC_FAILED, MSG_NO_PROC};
use super::config::{self, SandboxConfig, SANDBOX_PATH, SCRATCH_INSIDE};
use super::error::SandboxError;
use super::record::{ControlStatus, ExitInfo, IsolationControl, ResourcePeaks};
use super::sys::{self, Forked};
use super::sys_parent;
use super::workdirs::WorkDirs;
use super::{capabilities, isolation, landlock, limits, mounts, seccomp_denylist};

/// What happened in a run that started.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub exit: ExitInfo,
    pub resources: ResourcePeaks,
    pub isolation: Vec<IsolationControl>,
    pub started_at: String,
    pub ended_at: String,
}

const NAMESPACES: u64 = (libc::CLONE_NEWUSER
    | libc::CLONE_NEWNS
    | libc::CLONE_NEWPID
    | libc::CLONE_NEWNET
    | libc::CLONE_NEWIPC
    | libc::CLONE_NEWUTS
    | libc::CLONE_NEWCGROUP) as u64;

/// User and group id the command sees inside (mapped to the caller's ids on the host).
pub const INSIDE_ID: u32 = 65534;

fn cstring(text: &str, what: &str) -> Result<CString, SandboxError> {
    CString::new(text).map_err(|_| SandboxError::InvalidOption {
        what: what.to_string(),
        reason: "contains a NUL byte".into(),
    })
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "unknown".into())
}

fn environment(config: &SandboxConfig) -> Result<Vec<CString>, SandboxError> {
    let mut env = vec![
        format!("PATH={SANDBOX_PATH}"),
        format!("HOME={SCRATCH_INSIDE}"),
        format!("TMPDIR={SCRATCH_INSIDE}"),
        "LANG=C.UTF-8".to_string(),
    ];
    for (key, value) in &config.env {
        if key.is_empty() || key.contains('=') {
            return Err(SandboxError::InvalidOption {
                what: format!("--env {key}"),
                reason: "expected KEY=VALUE".into(),
            });
        }
        env.retain(|e| !e.starts_with(&format!("{key}=")));
        env.push(format!("{key}={value}"));
    }
    env.iter().map(|e| cstring(e, "environment")).collect()
}

/// Runs the configured command in the sandbox and waits for it.
pub fn run(config: SandboxConfig) -> Result<RunOutcome, SandboxError> {
    let program = config::resolve_command(&config.command)?;
    let inputs = config::check_read_only(&config.read_only)?;
    let ports = config::parse_allow_net(&config.allow_net)?;
    let user_scratch = config
        .scratch
        .as_deref()
        .map(config::check_scratch)
        .transpose()?;
    let dirs = WorkDirs::create(user_scratch)?;
    let mount_plan = mounts::plan(&dirs.root, &inputs, &dirs.scratch)?;
    let landlock_plan = landlock::prepare(
        &mount_plan.read_only_sources,
        &mount_plan.device_sources,
        &dirs.scratch,
        &ports,
    );
    let seccomp = seccomp_denylist::build().map_err(|e| SandboxError::Setup {
        step: "seccomp",
        reason: e.to_string(),
    })?;
    let unique = format!("{}-{}", std::process::id(), dirs.serial);
    let mut cgroups = Cgroups::create(&unique);
    let host_root = nix::unistd::geteuid().is_root();
    let limit_plan = limits::prepare(&config.limits, &cgroups, host_root);

    let mut controls = isolation::static_controls(&mount_plan, &seccomp, &ports);
    controls.push(landlock_plan.control.clone());
    controls.extend(limit_plan.controls.iter().cloned());

    let (sync_read, sync_write) = pipe()?;
    let (report_read, report_write) = pipe()?;
    let mut plan = ChildPlan {
        sync_read: sync_read.as_raw_fd(),
        report_write: report_write.as_raw_fd(),
        mounts: mount_plan,
        loopback_up: !ports.is_empty(),
        rlimits: limit_plan.rlimits,
        landlock: landlock_plan.ruleset,
        seccomp,
        stdout: config.stdout.as_ref().map(AsRawFd::as_raw_fd),
        stderr: config.stderr.as_ref().map(AsRawFd::as_raw_fd),
        last_cap: capabilities::last_cap(),
        program: cstring(&program.to_string_lossy(), "command")?,
        argv: config
            .command
            .iter()
            .map(|a| cstring(a, "argument"))
            .collect::<Result<_, _>>()?,
        envp: environment(&config)?,
        argv_ptrs: Vec::new(),
        envp_ptrs: Vec::new(),
        scratch_inside: child::scratch_inside(),
    };
    plan.seal();

    let started_at = now_rfc3339();
    // SAFETY: the child branch only runs `child::run`, which uses the allocation-free wrappers
    // of `sys` on data prepared above, and ends in execve or _exit.
    let (pid, pidfd) = match unsafe { sys::clone_with_pidfd(NAMESPACES) } {
        Ok(Forked::Child) => child::run(&mut plan),
        Ok(Forked::Parent { pid, pidfd }) => (pid, pidfd),
        Err(errno) => return Err(SandboxError::setup("clone namespaces", errno)),
    };
    drop(sync_read);
    drop(report_write);
    drop(plan);

    if let Err(e) = hand_over(pid, &cgroups, &sync_write) {
        let _ = sys_parent::kill(pid, libc::SIGKILL);
        let _ = sys_parent::wait4(pid);
        return Err(e);
    }
    drop(sync_write);

    let reports = child::decode_reports(&read_to_end(&report_read));
    if let Some(fatal) = reports.iter().find(|r| r.kind != MSG_NO_PROC) {
        let _ = sys_parent::wait4(pid);
        let reason = std::io::Error::from_raw_os_error(fatal.errno).to_string();
        return Err(match (fatal.kind, fatal.errno) {
            (MSG_EXEC_FAILED, libc::ENOENT) => SandboxError::CommandNotVisible {
                path: program.display().to_string(),
            },
            (MSG_EXEC_FAILED, _) => SandboxError::CommandNotExecutable {
                path: program.display().to_string(),
                reason,
            },
            _ => SandboxError::Setup {
                step: fatal.step,
                reason,
            },
        });
    }
    controls.push(match reports.iter().find(|r| r.kind == MSG_NO_PROC) {
        None => isolation::control(
            "proc",
            ControlStatus::Applied,
            "fresh procfs of the sandbox's pid namespace",
        ),
        Some(r) => isolation::control(
            "proc",
            ControlStatus::NotApplied,
            &format!(
                "procfs could not be mounted ({}); /proc is empty",
                std::io::Error::from_raw_os_error(r.errno)
            ),
        ),
    });

    let supervision = supervise(pid, &pidfd, &mut cgroups, &config);
    let (status, usage) = sys_parent::wait4(pid).map_err(|e| SandboxError::setup("wait", e))?;
    cgroups.kill_all();
    let ended_at = now_rfc3339();
    let exit = isolation::exit_info(status, supervision, cgroups.oom_killed());
    let resources = ResourcePeaks {
        peak_memory_bytes: cgroups.peak_memory(),
        peak_pids: cgroups.peak_pids(),
        cpu_time_ms: cgroups
            .cpu_time_ms()
            .or_else(|| Some(isolation::rusage_cpu_ms(&usage))),
        max_rss_bytes: u64::try_from(usage.ru_maxrss).ok().map(|kib| kib * 1024),
        source: cgroups.source(),
    };
    cgroups.cleanup();
    drop(dirs);
    Ok(RunOutcome {
        exit,
        resources,
        isolation: controls,
        started_at,
        ended_at,
    })
}

fn pipe() -> Result<(OwnedFd, OwnedFd), SandboxError> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
        .map_err(|e| SandboxError::setup("pipe", e as i32))
}

fn read_to_end(fd: &OwnedFd) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 64];
    while let Ok(n) = sys::read(fd.as_raw_fd(), &mut buf) {
        if n == 0 || out.len() > 4096 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// Maps the child's user (inside 65534 = caller's ids), joins it to the cgroups, releases it.
fn hand_over(pid: i32, cgroups: &Cgroups, sync_write: &OwnedFd) -> Result<(), SandboxError> {
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    let write = |file: &str, text: String| {
        std::fs::write(proc_dir.join(file), text).map_err(|source| SandboxError::Io {
            path: proc_dir.join(file),
            source,
        })
    };
    write(
        "uid_map",
        format!("{INSIDE_ID} {} 1\n", nix::unistd::geteuid()),
    )?;
    write("setgroups", "deny\n".into())?;
    write(
        "gid_map",
        format!("{INSIDE_ID} {} 1\n", nix::unistd::getegid()),
    )?;
    cgroups.add(pid).map_err(|source| SandboxError::Io {
        path: PathBuf::from("cgroup.procs"),
        source,
    })?;
    sys::write_all(sync_write.as_raw_fd(), b"1")
        .map_err(|e| SandboxError::setup("release child", e))
}

/// Why the runner killed the command, if it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supervision {
    Exited,
    TimedOut,
    CpuTimeExceeded,
}

/// Waits for exit, killing the sandbox (its pid 1, and so its whole pid namespace) on timeout
/// or when the tree's CPU time passes the limit.
fn supervise(
    pid: i32,
    pidfd: &OwnedFd,
    cgroups: &mut Cgroups,
    config: &SandboxConfig,
) -> Supervision {
    let deadline = Instant::now() + Duration::from_secs(config.limits.timeout_seconds);
    let cpu_limit_ms = config.limits.cpu_seconds.saturating_mul(1000);
    loop {
        cgroups.sample();
        let now = Instant::now();
        let verdict = if now >= deadline {
            Some(Supervision::TimedOut)
        } else if cgroups.cpu_time_ms().is_some_and(|ms| ms > cpu_limit_ms) {
            Some(Supervision::CpuTimeExceeded)
        } else {
            None
        };
        if let Some(verdict) = verdict {
            let _ = sys_parent::kill(pid, libc::SIGKILL);
            cgroups.kill_all();
            return verdict;
        }
        let wait_ms = (deadline - now).as_millis().min(50) as i32;
        if matches!(
            sys_parent::poll_readable(pidfd.as_raw_fd(), wait_ms.max(1)),
            Ok(true) | Err(_)
        ) {
            return Supervision::Exited;
        }
    }
}
