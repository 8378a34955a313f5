//! Linux isolation for model vetting, and seccomp profile recording and analysis.
//! The only crate of aisvs with `unsafe` code; every block carries a `// SAFETY:` note.

pub mod sandbox;
pub mod sandbox_cli;
pub mod seccomp;
pub mod seccomp_cli;
