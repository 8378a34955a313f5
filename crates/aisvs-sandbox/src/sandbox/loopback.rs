//! Bringing up the loopback interface of the sandbox's network namespace (only when
//! `--allow-net` names a loopback port), with the classic SIOCGIFFLAGS/SIOCSIFFLAGS ioctls.
//! Runs in the child: no allocation.

use std::os::fd::RawFd;

use super::sys::{self, SysResult};

fn errno_now() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

fn sys_check(rc: libc::c_long) -> SysResult<libc::c_long> {
    if rc < 0 {
        Err(errno_now())
    } else {
        Ok(rc)
    }
}

/// `struct ifreq` reduced to the name and flags members (40 bytes on 64-bit Linux).
#[repr(C)]
struct IfReqFlags {
    name: [u8; 16],
    flags: libc::c_short,
    _pad: [u8; 22],
}

/// Brings the loopback interface of the current network namespace up.
pub fn loopback_up() -> SysResult<()> {
    // SAFETY: plain socket creation; the fd is closed below.
    let fd =
        sys_check(
            unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) }
                as libc::c_long,
        )? as RawFd;
    let mut req = IfReqFlags {
        name: [0; 16],
        flags: 0,
        _pad: [0; 22],
    };
    req.name[..2].copy_from_slice(b"lo");
    // SAFETY: SIOCGIFFLAGS/SIOCSIFFLAGS read and write an ifreq; ours is ifreq-sized.
    let result = unsafe {
        if libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req) < 0 {
            Err(errno_now())
        } else {
            req.flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            if libc::ioctl(fd, libc::SIOCSIFFLAGS, &req) < 0 {
                Err(errno_now())
            } else {
                Ok(())
            }
        }
    };
    sys::close(fd);
    result
}
