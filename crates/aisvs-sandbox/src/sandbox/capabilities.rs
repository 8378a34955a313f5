//! Dropping every capability in the child before exec: securebits first (so root inside the
//! user namespace cannot regain capabilities at exec), then the bounding set, the ambient set,
//! and finally the effective, permitted and inheritable sets.

use super::sys;

/// SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE,
/// each with its lock bit.
const SECUREBITS_LOCKED_DOWN: libc::c_ulong = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x40 | 0x80;

/// Highest capability number of the running kernel (read in the parent).
pub fn last_cap() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(63)
}

/// Child side: drops everything. Returns (step, errno) on failure.
pub fn drop_all(last_cap: u32) -> Result<(), (&'static str, i32)> {
    sys::prctl(libc::PR_SET_SECUREBITS, SECUREBITS_LOCKED_DOWN).map_err(|e| ("securebits", e))?;
    for cap in 0..=last_cap {
        match sys::prctl(libc::PR_CAPBSET_DROP, libc::c_ulong::from(cap)) {
            // EINVAL: a capability number this kernel does not know.
            Ok(()) | Err(libc::EINVAL) => {}
            Err(e) => return Err(("drop bounding caps", e)),
        }
    }
    sys::clear_ambient_caps().map_err(|e| ("clear ambient caps", e))?;
    sys::capset_empty().map_err(|e| ("clear caps", e))?;
    sys::prctl(libc::PR_SET_NO_NEW_PRIVS, 1).map_err(|e| ("no_new_privs", e))
}
