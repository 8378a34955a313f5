//! Syscall recorder built on seccomp user notification (`SECCOMP_RET_USER_NOTIF`).
//!
//! Why this backend and not ptrace: it needs no privileges (only `no_new_privs`), one kernel
//! round-trip per syscall instead of two ptrace stops, and it follows every thread and child
//! automatically because seccomp filters are inherited across fork, clone, clone3 and exec.
//! The child installs an all-notify filter just before `execve`; the supervisor thread fetches
//! the listener with `pidfd_getfd` and answers every notification with `FLAG_CONTINUE`.
//! It observes only: CONTINUE is not a security decision (see seccomp_unotify(2)).

use super::error::SeccompRunError;
use super::names;
use super::supervisor::{self, Observed};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `SECCOMP_RET_USER_NOTIF`: hand every syscall to the listener.
const RET_USER_NOTIF: u32 = 0x7fc0_0000;
/// How long descendants may outlive the command before their process group is killed.
const DESCENDANT_GRACE: Duration = Duration::from_secs(2);
/// `BPF_RET | BPF_K`.
const BPF_RET_K: u16 = 0x06;

/// What a recording saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    /// Distinct syscall names, from the first `execve` of the command on.
    pub syscalls: BTreeSet<String>,
    /// `SCMP_ARCH_*` tokens of every architecture the workload used.
    pub architectures: BTreeSet<String>,
    /// (audit arch, number) pairs that have no name in our tables.
    pub unnamed: BTreeSet<(u32, i64)>,
    /// Number of syscalls observed.
    pub events: u64,
    /// The command's exit code (128 + signal when it was killed).
    pub exit_code: i32,
    /// The signal that killed the command, if any.
    pub killed_by: Option<i32>,
    /// True when descendants were still running after the command exited and were killed.
    pub leftover_killed: bool,
}

/// Runs `program args…` and records every syscall it and its descendants make.
pub fn record(program: &OsString, args: &[OsString]) -> Result<Recording, SeccompRunError> {
    let (pid_read, pid_write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
        .map_err(|err| SeccompRunError::Setup(format!("pipe: {err}")))?;
    let stop = Arc::new(AtomicBool::new(false));
    let supervisor = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || supervise(pid_read, &stop))
    };
    let write_fd = pid_write.as_raw_fd();
    let mut command = Command::new(program);
    // Its own process group, so that descendants can be found and ended after the command.
    command.args(args).process_group(0);
    // SAFETY: the closure runs in the forked child before exec and calls only async-signal-safe
    // functions (getpid, write, prctl, seccomp) on stack data; it allocates nothing.
    unsafe {
        command.pre_exec(move || install_notify_filter(write_fd));
    }
    let spawned = command.spawn();
    drop(pid_write);
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            stop.store(true, Ordering::SeqCst);
            let _ = supervisor.join();
            return Err(spawn_error(program, &err));
        }
    };
    let status = child.wait();
    // The supervisor returns by itself once no task uses the filter any more (POLLHUP). If it
    // does not within the grace period, descendants outlived the command: end their group.
    let leftover_killed = !wait_finished(&supervisor, DESCENDANT_GRACE)
        && i32::try_from(child.id()).is_ok_and(supervisor::kill_process_group);
    if leftover_killed {
        wait_finished(&supervisor, DESCENDANT_GRACE);
    }
    stop.store(true, Ordering::SeqCst);
    let observed = supervisor
        .join()
        .map_err(|_| SeccompRunError::Setup("the recorder thread failed".to_string()))??;
    let status = status.map_err(|err| SeccompRunError::Setup(format!("wait: {err}")))?;
    let mut recording = summarise(&observed);
    recording.killed_by = status.signal();
    recording.exit_code = status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    recording.leftover_killed = leftover_killed;
    Ok(recording)
}

/// Waits up to `limit` for a thread to finish; true when it did.
fn wait_finished<T>(thread: &std::thread::JoinHandle<T>, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while !thread.is_finished() {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    true
}

fn spawn_error(program: &OsString, err: &std::io::Error) -> SeccompRunError {
    let name = program.to_string_lossy().into_owned();
    match err.kind() {
        std::io::ErrorKind::NotFound => SeccompRunError::NotFound(name),
        std::io::ErrorKind::PermissionDenied => {
            SeccompRunError::CannotExecute(name, err.to_string())
        }
        _ if err.raw_os_error() == Some(libc::ENOEXEC) => {
            SeccompRunError::CannotExecute(name, err.to_string())
        }
        _ => SeccompRunError::Setup(format!("cannot start {name}: {err}")),
    }
}

/// In the child: announce our pid and the listener's future descriptor number, then install
/// the all-notify filter. Async-signal-safe only.
fn install_notify_filter(pid_pipe: i32) -> std::io::Result<()> {
    // The child is single-threaded, so the lowest free descriptor now is the one seccomp() will
    // return. Telling the supervisor this number matters: with several recordings in one
    // process, the child also inherits other recordings' listeners, so searching is ambiguous.
    // SAFETY: F_DUPFD_CLOEXEC on our own pipe descriptor; the duplicate is closed right away.
    let listener_fd = unsafe { libc::fcntl(pid_pipe, libc::F_DUPFD_CLOEXEC, 0) };
    if listener_fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: closing the duplicate we just made.
    unsafe { libc::close(listener_fd) };
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() };
    let mut message = [0u8; 8];
    let (pid_bytes, fd_bytes) = message.split_at_mut(4);
    pid_bytes.copy_from_slice(&pid.to_ne_bytes());
    fd_bytes.copy_from_slice(&listener_fd.to_ne_bytes());
    // SAFETY: `message` is a live stack buffer of the given length; pid_pipe is our pipe's write end.
    let written = unsafe { libc::write(pid_pipe, message.as_ptr().cast(), message.len()) };
    if written != message.len() as isize {
        return Err(std::io::Error::last_os_error());
    }
    // If the recorder dies (Ctrl-C), the command must not run on unsupervised.
    // SAFETY: PR_SET_PDEATHSIG takes integer arguments only.
    if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: PR_SET_NO_NEW_PRIVS takes integer arguments only.
    if unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut filter = [libc::sock_filter {
        code: BPF_RET_K,
        jt: 0,
        jf: 0,
        k: RET_USER_NOTIF,
    }];
    let program = libc::sock_fprog {
        len: 1,
        filter: filter.as_mut_ptr(),
    };
    // SAFETY: `program` points at `filter`, both alive on this stack frame for the whole call.
    let listener = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            libc::SECCOMP_FILTER_FLAG_NEW_LISTENER,
            &program as *const libc::sock_fprog,
        )
    };
    if listener < 0 {
        return Err(std::io::Error::last_os_error());
    }
    if listener != i64::from(listener_fd) {
        // The supervisor would look at the wrong descriptor; it notices and kills us.
        return Err(std::io::Error::other(
            "seccomp listener descriptor mismatch",
        ));
    }
    Ok(())
}

/// Supervisor thread: learn the child's pid, take its listener, answer until everything is gone.
fn supervise(pid_read: OwnedFd, stop: &AtomicBool) -> Result<Observed, SeccompRunError> {
    let mut message = [0u8; 8];
    let mut reader = std::fs::File::from(pid_read);
    if reader.read_exact(&mut message).is_err() {
        // The child never got to announce itself (spawn failed): nothing to record.
        return Ok(Observed::default());
    }
    let (pid_bytes, fd_bytes) = message.split_at(4);
    let pid = i32::from_ne_bytes(pid_bytes.try_into().unwrap_or_default());
    let listener_fd = i32::from_ne_bytes(fd_bytes.try_into().unwrap_or_default());
    match supervisor::take_listener(pid, listener_fd) {
        Ok(listener) => supervisor::answer_until_done(&listener, stop),
        Err(err) => {
            // Without a listener the child would wait forever on its first syscall.
            supervisor::kill_pid(pid);
            Err(err)
        }
    }
}

/// Turns (arch, number) pairs into names and architectures.
fn summarise(observed: &Observed) -> Recording {
    let mut recording = Recording {
        events: observed.events,
        ..Recording::default()
    };
    for &(arch, nr) in &observed.pairs {
        match names::name_for_arch(arch, nr) {
            Some((arch_token, syscall)) => {
                recording.architectures.insert(arch_token.to_string());
                recording.syscalls.insert(syscall.to_string());
            }
            None => {
                recording.unnamed.insert((arch, nr));
            }
        }
    }
    recording
}
