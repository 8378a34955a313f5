//! aisvs: verifies AI infrastructure against OWASP AISVS chapter C4.
#![forbid(unsafe_code)]

pub mod cli;
