//! Command-line surface of `aisvs sandbox` (placeholder until implemented; it exits 2 and says so).

/// Subcommands of `aisvs sandbox`.
#[derive(clap::Subcommand, Debug)]
pub enum SandboxCommand {
    /// Not implemented yet.
    #[command(name = "not-implemented", hide = true)]
    NotImplemented,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(_cmd: SandboxCommand) -> i32 {
    eprintln!("error: `aisvs sandbox` is not implemented yet");
    2
}
