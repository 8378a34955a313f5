//! The cloned child: it waits for the parent to map its user and place it in the cgroups,
//! builds its root, then tightens in order — limits, session, Landlock, capabilities, fds,
//! seccomp last — and execs the command. Nothing here allocates (see `sys`); failures travel
//! to the parent as fixed 8-byte messages on a close-on-exec pipe, so an empty pipe at EOF
//! means the exec succeeded.

use std::convert::Infallible;
use std::ffi::{c_char, CString};
use std::os::fd::RawFd;

use landlock::RulesetCreated;

use super::config::SCRATCH_INSIDE;
use super::limits::{self, Rlimit};
use super::mounts::{self, MountPlan};
use super::seccomp_denylist::{self, DenyListFilters};
use super::{capabilities, landlock as ll, loopback, sys};

/// Message kinds on the report pipe.
pub const MSG_SETUP_FAILED: u8 = 1;
pub const MSG_EXEC_FAILED: u8 = 2;
pub const MSG_NO_PROC: u8 = 3;

/// Step names, indexed by the byte sent to the parent.
pub const STEPS: &[&str] = &[
    "unknown",
    "wait for parent",
    "parent death signal",
    "make mounts private",
    "mount tmpfs root",
    "mkdir",
    "create mount point",
    "symlink",
    "bind mount",
    "set mount attributes",
    "make root read-only",
    "chdir new root",
    "pivot_root",
    "detach old root",
    "chdir /",
    "hostname",
    "loopback up",
    "rlimits",
    "setsid",
    "stdio",
    "chdir scratch",
    "landlock",
    "securebits",
    "drop bounding caps",
    "clear ambient caps",
    "clear caps",
    "no_new_privs",
    "close fds",
    "seccomp",
    "exec",
    "mount proc",
];

fn step_index(name: &str) -> u8 {
    STEPS
        .iter()
        .position(|s| *s == name)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

/// Everything the child needs, prepared by the parent.
pub struct ChildPlan {
    pub sync_read: RawFd,
    pub report_write: RawFd,
    pub mounts: MountPlan,
    pub loopback_up: bool,
    pub rlimits: Vec<Rlimit>,
    pub landlock: Option<RulesetCreated>,
    pub seccomp: DenyListFilters,
    pub stdout: Option<RawFd>,
    pub stderr: Option<RawFd>,
    pub last_cap: u32,
    pub program: CString,
    /// Backing strings of `argv_ptrs` / `envp_ptrs`; kept alive here.
    pub argv: Vec<CString>,
    pub envp: Vec<CString>,
    pub argv_ptrs: Vec<*const c_char>,
    pub envp_ptrs: Vec<*const c_char>,
    pub scratch_inside: CString,
}

impl ChildPlan {
    /// Fills the null-terminated pointer arrays from `argv` and `envp`.
    pub fn seal(&mut self) {
        self.argv_ptrs = self.argv.iter().map(|s| s.as_ptr()).collect();
        self.argv_ptrs.push(std::ptr::null());
        self.envp_ptrs = self.envp.iter().map(|s| s.as_ptr()).collect();
        self.envp_ptrs.push(std::ptr::null());
    }
}

/// `/scratch` as a C string.
pub fn scratch_inside() -> CString {
    CString::new(SCRATCH_INSIDE).unwrap_or_default()
}

fn report(fd: RawFd, kind: u8, step: &str, errno: i32) {
    let e = errno.to_le_bytes();
    let message = [kind, step_index(step), 0, 0, e[0], e[1], e[2], e[3]];
    let _ = sys::write_all(fd, &message);
}

/// Runs in the child after clone; never returns.
pub fn run(plan: &mut ChildPlan) -> ! {
    match steps(plan) {
        Ok(never) => match never {},
        Err((kind, step, errno)) => {
            report(plan.report_write, kind, step, errno);
            let code = match (kind, errno) {
                (MSG_EXEC_FAILED, libc::ENOENT) => 127,
                (MSG_EXEC_FAILED, _) => 126,
                _ => 125,
            };
            sys::exit_now(code)
        }
    }
}

type StepError = (u8, &'static str, i32);

fn setup(step: &'static str) -> impl Fn(i32) -> StepError {
    move |errno| (MSG_SETUP_FAILED, step, errno)
}

fn steps(plan: &mut ChildPlan) -> Result<Infallible, StepError> {
    // Die with the runner rather than outlive it.
    sys::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong)
        .map_err(setup("parent death signal"))?;
    let mut go = [0u8; 1];
    match sys::read(plan.sync_read, &mut go) {
        Ok(1) if go[0] == b'1' => {}
        Ok(_) => return Err((MSG_SETUP_FAILED, "wait for parent", libc::ECANCELED)),
        Err(e) => return Err((MSG_SETUP_FAILED, "wait for parent", e)),
    }
    sys::close(plan.sync_read);

    let mut proc_failed = None;
    mounts::apply(&plan.mounts, &mut proc_failed)
        .map_err(|(step, errno)| (MSG_SETUP_FAILED, step, errno))?;
    if let Some(errno) = proc_failed {
        report(plan.report_write, MSG_NO_PROC, "mount proc", errno);
    }
    sys::sethostname(b"aisvs-sandbox").map_err(setup("hostname"))?;
    if plan.loopback_up {
        loopback::loopback_up().map_err(setup("loopback up"))?;
    }
    limits::apply(&plan.rlimits).map_err(setup("rlimits"))?;
    sys::setsid().map_err(setup("setsid"))?;
    if let Some(fd) = plan.stdout {
        sys::dup2(fd, 1).map_err(setup("stdio"))?;
    }
    if let Some(fd) = plan.stderr {
        sys::dup2(fd, 2).map_err(setup("stdio"))?;
    }
    sys::chdir(&plan.scratch_inside).map_err(setup("chdir scratch"))?;
    if let Some(ruleset) = plan.landlock.take() {
        ll::enforce(ruleset).map_err(setup("landlock"))?;
    }
    capabilities::drop_all(plan.last_cap)
        .map_err(|(step, errno)| (MSG_SETUP_FAILED, step, errno))?;
    sys::cloexec_from(3).map_err(setup("close fds"))?;
    seccomp_denylist::install(&plan.seccomp).map_err(setup("seccomp"))?;
    let errno = sys::execve(&plan.program, &plan.argv_ptrs, &plan.envp_ptrs);
    Err((MSG_EXEC_FAILED, "exec", errno))
}

/// A decoded report message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub kind: u8,
    pub step: &'static str,
    pub errno: i32,
}

/// Parent side: decodes the messages read from the report pipe.
pub fn decode_reports(bytes: &[u8]) -> Vec<Report> {
    bytes
        .chunks_exact(8)
        .map(|m| Report {
            kind: m[0],
            step: STEPS.get(usize::from(m[1])).copied().unwrap_or("unknown"),
            errno: i32::from_le_bytes([m[4], m[5], m[6], m[7]]),
        })
        .collect()
}
