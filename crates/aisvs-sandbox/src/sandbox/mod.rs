//! Running a command in an isolated sandbox (namespaces, Landlock, seccomp deny-list, limits) and the signed vetting record.

pub mod keys;
pub mod record;
