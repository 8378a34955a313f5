//! Command-line surface of `aisvs seccomp` (placeholder until implemented; it exits 2 and says so).

/// Subcommands of `aisvs seccomp`.
#[derive(clap::Subcommand, Debug)]
pub enum SeccompCommand {
    /// Not implemented yet.
    #[command(name = "not-implemented", hide = true)]
    NotImplemented,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(_cmd: SeccompCommand) -> i32 {
    eprintln!("error: `aisvs seccomp` is not implemented yet");
    2
}
