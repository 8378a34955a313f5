//! Raw Linux calls made by the parent (supervisor) side of a run: waiting, polling, killing,
//! and host facts. Unlike `sys`, these may allocate.

use std::os::fd::RawFd;

use super::sys::SysResult;

fn last_errno() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

fn check(rc: libc::c_long) -> SysResult<libc::c_long> {
    if rc < 0 {
        Err(last_errno())
    } else {
        Ok(rc)
    }
}

/// getrlimit(2): the current hard limit of `resource`, if readable.
pub fn hard_rlimit(resource: libc::__rlimit_resource_t) -> Option<u64> {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid out-pointer.
    (unsafe { libc::getrlimit(resource, &mut current) } == 0).then_some(current.rlim_max)
}

/// poll(2) on one fd for readability; `Ok(true)` when ready.
pub fn poll_readable(fd: RawFd, timeout_ms: i32) -> SysResult<bool> {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    match check(unsafe { libc::poll(&mut pfd, 1, timeout_ms) } as libc::c_long) {
        Ok(n) => Ok(n > 0),
        Err(libc::EINTR) => Ok(false),
        Err(e) => Err(e),
    }
}

/// kill(2).
pub fn kill(pid: libc::pid_t, signal: libc::c_int) -> SysResult<()> {
    // SAFETY: integer arguments only.
    check(unsafe { libc::kill(pid, signal) } as libc::c_long).map(drop)
}

/// wait4(2) for one child, blocking; returns the raw status and its resource usage.
pub fn wait4(pid: libc::pid_t) -> SysResult<(libc::c_int, libc::rusage)> {
    let mut status: libc::c_int = 0;
    // SAFETY: all-zero is a valid rusage value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid out-pointers for status and usage.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        match check(rc as libc::c_long) {
            Err(libc::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(_) => return Ok((status, usage)),
        }
    }
}

/// landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION): the kernel's ABI, or 0.
pub fn landlock_abi_version() -> i64 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: a null attr with size 0 and the VERSION flag only queries the ABI.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    rc.max(0)
}

/// uname(2): (release, machine).
pub fn uname() -> (String, String) {
    // SAFETY: all-zero is a valid utsname; uname fills NUL-terminated fields.
    let mut uts: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: valid out-pointer.
    if unsafe { libc::uname(&mut uts) } != 0 {
        return (String::from("unknown"), String::from("unknown"));
    }
    let field = |raw: &[libc::c_char]| {
        let bytes: Vec<u8> = raw
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    (field(&uts.release), field(&uts.machine))
}
