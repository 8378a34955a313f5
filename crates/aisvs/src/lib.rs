//! aisvs: verifies AI infrastructure against OWASP AISVS chapter C4.
#![forbid(unsafe_code)]

pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diag;
pub mod discover;
pub mod evidence;
pub mod model;
pub mod parse;
pub mod render;
pub mod report;
pub mod rules;
pub mod run;
pub mod secrets;
pub mod source;
pub mod suppress;
pub mod verdict;
