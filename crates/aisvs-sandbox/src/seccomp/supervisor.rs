//! The recorder's supervisor side: fetching the child's seccomp listener with `pidfd_getfd`,
//! answering notifications with `FLAG_CONTINUE`, and ending the command's process group so that
//! recording never leaves a descendant behind under the recording filter.

use super::error::SeccompRunError;
use super::names;
use std::collections::BTreeSet;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long to wait for the child to install its filter after announcing its pid.
const LISTENER_WAIT: Duration = Duration::from_secs(10);
/// `SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP` from linux/seccomp.h (not in the libc crate yet).
const SYNC_WAKE_UP: libc::c_ulong = 1;
/// Poll timeout, so the stop flag is seen promptly.
const POLL_MS: i32 = 50;

/// What the supervisor saw, from the first `execve` on.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// Distinct (audit arch, syscall number) pairs.
    pub pairs: BTreeSet<(u32, i64)>,
    /// Number of syscalls.
    pub events: u64,
}

/// Duplicates the child's seccomp listener (descriptor `target_fd` in process `pid`).
pub fn take_listener(pid: i32, target_fd: i32) -> Result<OwnedFd, SeccompRunError> {
    // SAFETY: pidfd_open takes a pid and flags; the returned fd is owned below.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if pidfd < 0 {
        return Err(os_error("pidfd_open"));
    }
    // SAFETY: pidfd is a fresh descriptor that nothing else owns.
    let pidfd = unsafe { OwnedFd::from_raw_fd(pidfd as i32) };
    // The child announced the number before installing the filter; wait until it is there.
    let deadline = Instant::now() + LISTENER_WAIT;
    while !is_listener(pid, target_fd) {
        if Instant::now() > deadline {
            return Err(SeccompRunError::Setup(
                "the command did not install the recording filter".to_string(),
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: pidfd_getfd takes a pidfd, a descriptor number in that process and flags.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), target_fd, 0) };
    if fd < 0 {
        return Err(os_error("pidfd_getfd"));
    }
    // SAFETY: fd is a fresh descriptor that nothing else owns.
    let listener = unsafe { OwnedFd::from_raw_fd(fd as i32) };
    // Ask for synchronous wake-ups (Linux 6.6+): the kernel then hands the CPU straight between
    // the stopped task and this thread, which cuts the per-syscall cost of recording. Older
    // kernels reject the flag; recording still works, only slower.
    // SAFETY: SET_FLAGS takes an integer flag word by value.
    unsafe {
        libc::ioctl(
            listener.as_raw_fd(),
            libc::SECCOMP_IOCTL_NOTIF_SET_FLAGS,
            SYNC_WAKE_UP,
        );
    }
    Ok(listener)
}

/// True when descriptor `fd` of process `pid` is a seccomp notification listener.
fn is_listener(pid: i32, fd: i32) -> bool {
    std::fs::read_link(format!("/proc/{pid}/fd/{fd}"))
        .is_ok_and(|target| target.to_string_lossy() == "anon_inode:seccomp notify")
}

/// Kills one process (the recorded command when supervision could not start).
pub fn kill_pid(pid: i32) {
    // SAFETY: kill takes integers; `pid` is our own unreaped child, so it cannot be recycled.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

/// Answers notifications until no task uses the filter any more (POLLHUP) or `stop` is set.
pub fn answer_until_done(
    listener: &OwnedFd,
    stop: &AtomicBool,
) -> Result<Observed, SeccompRunError> {
    let mut observed = Observed::default();
    let mut started = false;
    loop {
        let mut poll = libc::pollfd {
            fd: listener.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd on the stack.
        let ready = unsafe { libc::poll(&mut poll, 1, POLL_MS) };
        if ready < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(os_error("poll"));
        }
        if ready == 0 || poll.revents & libc::POLLIN == 0 {
            if poll.revents & (libc::POLLHUP | libc::POLLERR) != 0 || stop.load(Ordering::SeqCst) {
                return Ok(observed);
            }
            continue;
        }
        // SAFETY: seccomp_notif is plain data; the kernel requires it zeroed before RECV.
        let mut request: libc::seccomp_notif = unsafe { std::mem::zeroed() };
        // SAFETY: RECV writes one seccomp_notif into `request`, which is large enough.
        if unsafe {
            libc::ioctl(
                listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_RECV,
                &mut request,
            )
        } != 0
        {
            // ENOENT: the task died between poll and recv. Anything else: try again.
            continue;
        }
        let (arch, nr) = (request.data.arch, i64::from(request.data.nr));
        if !started {
            started = matches!(
                names::name_for_arch(arch, nr),
                Some((_, "execve" | "execveat"))
            );
        }
        if started {
            observed.events += 1;
            observed.pairs.insert((arch, nr));
        }
        let mut response = libc::seccomp_notif_resp {
            id: request.id,
            val: 0,
            error: 0,
            flags: libc::SECCOMP_USER_NOTIF_FLAG_CONTINUE as u32,
        };
        // SAFETY: SEND reads one seccomp_notif_resp from `response`. ENOENT (task gone) is fine.
        unsafe {
            libc::ioctl(
                listener.as_raw_fd(),
                libc::SECCOMP_IOCTL_NOTIF_SEND,
                &mut response,
            );
        }
    }
}

/// Kills what is left of the command's process group.
pub fn kill_process_group(pgid: i32) -> bool {
    // SAFETY: kill takes integers; a process-group id is not reused while the group has members.
    unsafe { libc::kill(-pgid, libc::SIGKILL) == 0 }
}

fn os_error(what: &str) -> SeccompRunError {
    SeccompRunError::Setup(format!("{what}: {}", std::io::Error::last_os_error()))
}
