//! Seccomp actions as named in OCI profiles, and which of them block a syscall.

use serde::Serialize;

/// The action vocabulary of the OCI runtime spec / libseccomp, plus "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `SCMP_ACT_ALLOW`: the syscall runs.
    Allow,
    /// `SCMP_ACT_LOG`: the syscall runs and is logged (complain mode: blocks nothing).
    Log,
    /// `SCMP_ACT_ERRNO`: the syscall fails with an errno.
    Errno,
    /// `SCMP_ACT_KILL` / `SCMP_ACT_KILL_THREAD`: the thread is killed.
    KillThread,
    /// `SCMP_ACT_KILL_PROCESS`: the whole process is killed.
    KillProcess,
    /// `SCMP_ACT_TRAP`: SIGSYS is delivered; the syscall does not run.
    Trap,
    /// `SCMP_ACT_TRACE`: a ptrace tracer decides (without one the call fails with ENOSYS).
    Trace,
    /// `SCMP_ACT_NOTIFY`: a user-space agent decides.
    Notify,
    /// A string no runtime accepts; runc and crun refuse such a profile.
    Unknown,
}

impl Action {
    /// Parses the verbatim action string of a profile.
    pub fn parse(text: &str) -> Action {
        match text {
            "SCMP_ACT_ALLOW" => Action::Allow,
            "SCMP_ACT_LOG" => Action::Log,
            "SCMP_ACT_ERRNO" => Action::Errno,
            "SCMP_ACT_KILL" | "SCMP_ACT_KILL_THREAD" => Action::KillThread,
            "SCMP_ACT_KILL_PROCESS" => Action::KillProcess,
            "SCMP_ACT_TRAP" => Action::Trap,
            "SCMP_ACT_TRACE" => Action::Trace,
            "SCMP_ACT_NOTIFY" => Action::Notify,
            _ => Action::Unknown,
        }
    }

    /// True when the action prevents the syscall by itself (the bar for a default action).
    ///
    /// TRACE and NOTIFY are not counted: whether the call runs is up to another process.
    pub fn blocks(self) -> bool {
        matches!(
            self,
            Action::Errno | Action::KillThread | Action::KillProcess | Action::Trap
        )
    }

    /// True when the syscall is executed (ALLOW, and LOG which only records it).
    pub fn lets_through(self) -> bool {
        matches!(self, Action::Allow | Action::Log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocking_and_permissive_actions_are_told_apart() {
        for blocking in [
            "SCMP_ACT_ERRNO",
            "SCMP_ACT_KILL",
            "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD",
            "SCMP_ACT_TRAP",
        ] {
            assert!(Action::parse(blocking).blocks(), "{blocking}");
        }
        for open in ["SCMP_ACT_ALLOW", "SCMP_ACT_LOG"] {
            assert!(!Action::parse(open).blocks(), "{open}");
            assert!(Action::parse(open).lets_through(), "{open}");
        }
        assert_eq!(Action::parse("SCMP_ACT_PERMIT"), Action::Unknown);
        assert!(!Action::Unknown.blocks());
        assert!(!Action::Notify.blocks());
    }
}
