//! Command-line surface of `aisvs host` (placeholder until implemented; it exits 2 and says so).

/// Options of `aisvs host`.
#[derive(clap::Args, Debug)]
pub struct HostArgs {}

/// Runs `aisvs host` and returns the process exit code.
pub fn run(_args: HostArgs) -> i32 {
    eprintln!("error: `aisvs host` is not implemented yet");
    2
}
