//! Command-line surface of `aisvs verify` (placeholder until implemented; it exits 2 and says so).

/// Subcommands of `aisvs verify`.
#[derive(clap::Subcommand, Debug)]
pub enum VerifyCommand {
    /// Not implemented yet.
    #[command(name = "not-implemented", hide = true)]
    NotImplemented,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(_cmd: VerifyCommand) -> i32 {
    eprintln!("error: `aisvs verify` is not implemented yet");
    2
}
