//! Static payload scanner for model files.
#![forbid(unsafe_code)]

pub mod cli;
