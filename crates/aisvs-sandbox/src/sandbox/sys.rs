//! Thin wrappers over the raw Linux calls the sandbox child makes (the parent's are in
//! `sys_parent`, the loopback ioctl in `loopback`); the runner's `unsafe` blocks live there. These wrappers never
//! allocate, because they run in the freshly cloned child of a possibly multi-threaded process,
//! where only async-signal-safe work is allowed.
//! Errors are the raw `errno` value.

use std::ffi::{c_char, CStr};
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

/// Result of a raw call: `Err(errno)`.
pub type SysResult<T> = Result<T, i32>;

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

/// `struct clone_args` of clone3(2).
#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

/// Which side of a fork-like clone we are on.
pub enum Forked {
    Child,
    Parent { pid: libc::pid_t, pidfd: OwnedFd },
}

/// clone3 without a new stack (fork semantics) plus `CLONE_PIDFD`, with namespace `flags`.
///
/// # Safety
/// In the child only async-signal-safe, allocation-free code may run until `execve` or
/// `exit_now`, because other threads of the parent may have held locks at the time of the clone.
pub unsafe fn clone_with_pidfd(flags: u64) -> SysResult<Forked> {
    let mut pidfd: RawFd = -1;
    let args = CloneArgs {
        flags: flags | libc::CLONE_PIDFD as u64,
        pidfd: &mut pidfd as *mut RawFd as u64,
        exit_signal: libc::SIGCHLD as u64,
        ..CloneArgs::default()
    };
    // SAFETY: `args` is a valid clone_args of the size passed; no stack is given, so the child
    // continues on a copy of this stack exactly like fork(2); the caller upholds the rest.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_clone3,
            &args as *const CloneArgs,
            std::mem::size_of::<CloneArgs>(),
        )
    };
    match check(rc)? {
        0 => Ok(Forked::Child),
        // SAFETY: the kernel stored a fresh pidfd that nothing else owns.
        pid => Ok(Forked::Parent {
            pid: pid as libc::pid_t,
            pidfd: unsafe { OwnedFd::from_raw_fd(pidfd) },
        }),
    }
}

fn opt_ptr(value: Option<&CStr>) -> *const c_char {
    value.map_or(std::ptr::null(), CStr::as_ptr)
}

/// mount(2).
pub fn mount(
    source: Option<&CStr>,
    target: &CStr,
    fstype: Option<&CStr>,
    flags: libc::c_ulong,
    data: Option<&CStr>,
) -> SysResult<()> {
    // SAFETY: all pointers are NUL-terminated strings or null, valid for the call.
    let rc = unsafe {
        libc::mount(
            opt_ptr(source),
            target.as_ptr(),
            opt_ptr(fstype),
            flags,
            opt_ptr(data).cast(),
        )
    };
    check(rc as libc::c_long).map(drop)
}

/// `struct mount_attr` of mount_setattr(2).
#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

pub const MOUNT_ATTR_RDONLY: u64 = 0x1;
pub const MOUNT_ATTR_NOSUID: u64 = 0x2;
pub const MOUNT_ATTR_NODEV: u64 = 0x4;
pub const MOUNT_ATTR_NOEXEC: u64 = 0x8;
const AT_RECURSIVE: libc::c_uint = 0x8000;

/// mount_setattr(2): adds `attrs` to the mount at `target` (and below it if `recursive`).
/// Unlike a remount it needs no knowledge of the flags the kernel locked on inherited mounts.
pub fn mount_setattr(target: &CStr, recursive: bool, attrs: u64) -> SysResult<()> {
    let attr = MountAttr {
        attr_set: attrs,
        attr_clr: 0,
        propagation: 0,
        userns_fd: 0,
    };
    let flags = if recursive { AT_RECURSIVE } else { 0 };
    // SAFETY: valid path pointer and a mount_attr of the size passed.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            target.as_ptr(),
            flags,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    check(rc).map(drop)
}

/// pivot_root(2).
pub fn pivot_root(new_root: &CStr, put_old: &CStr) -> SysResult<()> {
    // SAFETY: two valid NUL-terminated paths.
    let rc = unsafe { libc::syscall(libc::SYS_pivot_root, new_root.as_ptr(), put_old.as_ptr()) };
    check(rc).map(drop)
}

/// umount2(2).
pub fn umount2(target: &CStr, flags: libc::c_int) -> SysResult<()> {
    // SAFETY: valid NUL-terminated path.
    check(unsafe { libc::umount2(target.as_ptr(), flags) } as libc::c_long).map(drop)
}

/// chdir(2).
pub fn chdir(path: &CStr) -> SysResult<()> {
    // SAFETY: valid NUL-terminated path.
    check(unsafe { libc::chdir(path.as_ptr()) } as libc::c_long).map(drop)
}

/// mkdir(2); an existing entry is not an error.
pub fn mkdir_exist_ok(path: &CStr, mode: libc::mode_t) -> SysResult<()> {
    // SAFETY: valid NUL-terminated path.
    match check(unsafe { libc::mkdir(path.as_ptr(), mode) } as libc::c_long) {
        Err(libc::EEXIST) | Ok(_) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates an empty regular file to serve as a bind-mount target.
pub fn touch(path: &CStr) -> SysResult<()> {
    let flags = libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC | libc::O_NOFOLLOW;
    // SAFETY: valid NUL-terminated path; the fd is closed right away.
    let fd = check(unsafe { libc::open(path.as_ptr(), flags, 0o644) } as libc::c_long)?;
    close(fd as RawFd);
    Ok(())
}

/// symlink(2); an existing entry is not an error.
pub fn symlink(target: &CStr, link: &CStr) -> SysResult<()> {
    // SAFETY: two valid NUL-terminated paths.
    match check(unsafe { libc::symlink(target.as_ptr(), link.as_ptr()) } as libc::c_long) {
        Err(libc::EEXIST) | Ok(_) => Ok(()),
        Err(e) => Err(e),
    }
}

/// sethostname(2).
pub fn sethostname(name: &[u8]) -> SysResult<()> {
    // SAFETY: pointer and length describe `name`.
    check(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) } as libc::c_long).map(drop)
}

/// prctl(2) with integer arguments.
pub fn prctl(option: libc::c_int, arg2: libc::c_ulong) -> SysResult<()> {
    // SAFETY: the options used here take integer arguments only.
    check(unsafe { libc::prctl(option, arg2, 0, 0, 0) } as libc::c_long).map(drop)
}

/// `PR_CAP_AMBIENT_CLEAR_ALL`.
pub fn clear_ambient_caps() -> SysResult<()> {
    // SAFETY: integer-only prctl.
    let rc = unsafe {
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL,
            0,
            0,
            0,
        )
    };
    check(rc as libc::c_long).map(drop)
}

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: libc::c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// capset(2) with empty effective, permitted and inheritable sets.
pub fn capset_empty() -> SysResult<()> {
    const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;
    let header = CapHeader {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let data = [CapData {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: header and a two-element data array, as version 3 requires.
    let rc = unsafe { libc::syscall(libc::SYS_capset, &header, data.as_ptr()) };
    check(rc).map(drop)
}

/// setrlimit(2).
pub fn setrlimit(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> SysResult<()> {
    let limit = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: valid rlimit struct.
    check(unsafe { libc::setrlimit(resource, &limit) } as libc::c_long).map(drop)
}

/// setsid(2): a new session without a controlling terminal (blocks TIOCSTI injection).
pub fn setsid() -> SysResult<()> {
    // SAFETY: no arguments.
    check(unsafe { libc::setsid() } as libc::c_long).map(drop)
}

/// close_range(first, ~0, CLOSE_RANGE_CLOEXEC): every fd from `first` up closes at execve.
pub fn cloexec_from(first: u32) -> SysResult<()> {
    const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;
    // SAFETY: integer arguments only.
    let rc = unsafe { libc::syscall(libc::SYS_close_range, first, u32::MAX, CLOSE_RANGE_CLOEXEC) };
    check(rc).map(drop)
}

/// dup2(2).
pub fn dup2(old: RawFd, new: RawFd) -> SysResult<()> {
    // SAFETY: integer arguments only; closing `new` is intended.
    check(unsafe { libc::dup2(old, new) } as libc::c_long).map(drop)
}

/// close(2), ignoring errors.
pub fn close(fd: RawFd) {
    // SAFETY: the caller owns `fd`.
    unsafe { libc::close(fd) };
}

/// write(2) of the whole buffer (small buffers: one call).
pub fn write_all(fd: RawFd, bytes: &[u8]) -> SysResult<()> {
    // SAFETY: pointer and length describe `bytes`.
    let rc = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
    match check(rc as libc::c_long)? {
        n if n as usize == bytes.len() => Ok(()),
        _ => Err(libc::EIO),
    }
}

/// read(2) into `buf`, returning the count (0 at end of file).
pub fn read(fd: RawFd, buf: &mut [u8]) -> SysResult<usize> {
    // SAFETY: pointer and length describe `buf`.
    let rc = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    check(rc as libc::c_long).map(|n| n as usize)
}

/// execve(2); returns only on failure. `argv` and `envp` must be null-terminated pointer arrays
/// into strings that outlive the call.
pub fn execve(path: &CStr, argv: &[*const c_char], envp: &[*const c_char]) -> i32 {
    if argv.last().is_some_and(|p| !p.is_null()) || envp.last().is_some_and(|p| !p.is_null()) {
        return libc::EINVAL;
    }
    // SAFETY: NUL-terminated path; both arrays end with a null pointer (checked above) and
    // point at NUL-terminated strings kept alive by the caller.
    unsafe { libc::execve(path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    last_errno()
}

/// _exit(2): ends the child without running destructors or atexit handlers of the parent.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit is async-signal-safe and never returns.
    unsafe { libc::_exit(code) }
}
