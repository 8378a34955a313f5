//! Command-line surface of `aisvs evidence` (placeholder until implemented; it exits 2 and says so).

/// Subcommands of `aisvs evidence`.
#[derive(clap::Subcommand, Debug)]
pub enum EvidenceCommand {
    /// Not implemented yet.
    #[command(name = "not-implemented", hide = true)]
    NotImplemented,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(_cmd: EvidenceCommand) -> i32 {
    eprintln!("error: `aisvs evidence` is not implemented yet");
    2
}
