//! Running a command in an isolated sandbox (namespaces, Landlock, seccomp deny-list, limits) and the signed vetting record.

pub mod capabilities;
pub mod cgroups;
pub mod child;
pub mod config;
pub mod error;
pub mod inputs;
pub mod isolation;
pub mod keys;
pub mod landlock;
pub mod limits;
pub mod loopback;
pub mod model_scan;
pub mod mounts;
pub mod record;
pub mod runner;
pub mod seccomp_denylist;
pub mod sys;
pub mod sys_parent;
pub mod vetting;
pub mod workdirs;
