//! Which syscall and architecture names a profile may use, and this machine's own names.
//!
//! Syscall names come from the `syscalls` crate's tables for every Linux architecture, so a
//! name that exists on any architecture (e.g. `arm_fadvise64_64` in moby's profile) is known.

use std::str::FromStr;

/// libseccomp architecture tokens (`SCMP_ARCH_*`) that runc and crun accept.
pub const KNOWN_ARCHITECTURES: &[&str] = &[
    "SCMP_ARCH_X86",
    "SCMP_ARCH_X86_64",
    "SCMP_ARCH_X32",
    "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64",
    "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",
    "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",
    "SCMP_ARCH_MIPSEL64",
    "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",
    "SCMP_ARCH_PPC64LE",
    "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",
    "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_RISCV64",
    "SCMP_ARCH_LOONGARCH64",
    "SCMP_ARCH_M68K",
    "SCMP_ARCH_SH",
    "SCMP_ARCH_SHEB",
];

/// ARM-private syscalls (`__ARM_NR_*`) that libseccomp names but the `syscalls` tables lack.
const EXTRA_KNOWN_NAMES: &[&str] = &["breakpoint", "cacheflush", "set_tls", "usr26", "usr32"];

/// True when some Linux architecture has a syscall of this name.
pub fn is_known_syscall(name: &str) -> bool {
    EXTRA_KNOWN_NAMES.contains(&name)
        || syscalls::x86_64::Sysno::from_str(name).is_ok()
        || syscalls::x86::Sysno::from_str(name).is_ok()
        || syscalls::aarch64::Sysno::from_str(name).is_ok()
        || syscalls::arm::Sysno::from_str(name).is_ok()
        || syscalls::riscv64::Sysno::from_str(name).is_ok()
        || syscalls::s390x::Sysno::from_str(name).is_ok()
        || syscalls::powerpc64::Sysno::from_str(name).is_ok()
        || syscalls::powerpc::Sysno::from_str(name).is_ok()
        || syscalls::mips64::Sysno::from_str(name).is_ok()
        || syscalls::mips::Sysno::from_str(name).is_ok()
        || syscalls::loongarch64::Sysno::from_str(name).is_ok()
        || syscalls::sparc64::Sysno::from_str(name).is_ok()
}

/// True when the token is a libseccomp architecture name.
pub fn is_known_architecture(name: &str) -> bool {
    KNOWN_ARCHITECTURES.contains(&name)
}

/// The `SCMP_ARCH_*` token of the architecture this binary was built for.
pub fn native_architecture() -> &'static str {
    if cfg!(target_arch = "x86_64") {
        "SCMP_ARCH_X86_64"
    } else if cfg!(target_arch = "aarch64") {
        "SCMP_ARCH_AARCH64"
    } else if cfg!(target_arch = "riscv64") {
        "SCMP_ARCH_RISCV64"
    } else if cfg!(target_arch = "s390x") {
        "SCMP_ARCH_S390X"
    } else if cfg!(target_arch = "powerpc64") {
        "SCMP_ARCH_PPC64LE"
    } else {
        "SCMP_ARCH_NATIVE_UNSUPPORTED"
    }
}

/// The native name of syscall number `nr`, if this architecture has one.
pub fn native_name(nr: i64) -> Option<&'static str> {
    let nr = usize::try_from(nr).ok()?;
    syscalls::Sysno::new(nr).map(|sysno| sysno.name())
}

/// The native number of a syscall name, if this architecture has it.
pub fn native_number(name: &str) -> Option<i64> {
    syscalls::Sysno::from_str(name)
        .ok()
        .map(|sysno| i64::from(sysno.id()))
}

/// Name of syscall `nr` as reported by seccomp for audit architecture `arch`, with the
/// architecture's `SCMP_ARCH_*` token. `None` for an architecture or number we have no table for.
pub fn name_for_arch(arch: u32, nr: i64) -> Option<(&'static str, &'static str)> {
    /// The x32 ABI marks its syscall numbers with this bit on the x86_64 audit arch.
    const X32_BIT: i64 = 0x4000_0000;
    let number = |n: i64| usize::try_from(n).ok();
    match arch {
        0xC000_003E if nr & X32_BIT != 0 => syscalls::x86_64::Sysno::new(number(nr & !X32_BIT)?)
            .map(|s| ("SCMP_ARCH_X32", s.name())),
        0xC000_003E => {
            syscalls::x86_64::Sysno::new(number(nr)?).map(|s| ("SCMP_ARCH_X86_64", s.name()))
        }
        0x4000_0003 => syscalls::x86::Sysno::new(number(nr)?).map(|s| ("SCMP_ARCH_X86", s.name())),
        0xC000_00B7 => {
            syscalls::aarch64::Sysno::new(number(nr)?).map(|s| ("SCMP_ARCH_AARCH64", s.name()))
        }
        0x4000_0028 => syscalls::arm::Sysno::new(number(nr)?).map(|s| ("SCMP_ARCH_ARM", s.name())),
        0xC000_00F3 => {
            syscalls::riscv64::Sysno::new(number(nr)?).map(|s| ("SCMP_ARCH_RISCV64", s.name()))
        }
        0x8000_0016 => {
            syscalls::s390x::Sysno::new(number(nr)?).map(|s| ("SCMP_ARCH_S390X", s.name()))
        }
        0xC000_0015 => {
            syscalls::powerpc64::Sysno::new(number(nr)?).map(|s| ("SCMP_ARCH_PPC64LE", s.name()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_several_architectures_are_known_and_typos_are_not() {
        for name in [
            "openat",
            "arm_fadvise64_64",
            "s390_runtime_instr",
            "io_uring_setup",
            "_sysctl",
        ] {
            assert!(is_known_syscall(name), "{name}");
        }
        for name in ["opennat", "", "SCMP_ACT_ALLOW", "read "] {
            assert!(!is_known_syscall(name), "{name:?}");
        }
        assert!(is_known_architecture("SCMP_ARCH_X86_64"));
        assert!(!is_known_architecture("SCMP_ARCH_PDP11"));
    }

    #[test]
    fn native_table_round_trips() {
        let nr = native_number("openat").unwrap_or(-1);
        assert!(nr >= 0);
        assert_eq!(native_name(nr), Some("openat"));
        assert_eq!(native_name(-1), None);
        assert_eq!(
            name_for_arch(0xC000_003E, 59),
            Some(("SCMP_ARCH_X86_64", "execve"))
        );
        assert_eq!(
            name_for_arch(0x4000_0003, 11),
            Some(("SCMP_ARCH_X86", "execve"))
        );
        assert_eq!(name_for_arch(0x1234, 0), None);
    }
}
