//! Commands implemented in this crate (the others live in their own crates).

pub mod catalog_cmds;
pub mod scan;
