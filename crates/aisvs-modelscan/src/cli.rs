//! Command-line surface of `aisvs model` (placeholder until implemented; it exits 2 and says so).

/// Subcommands of `aisvs model`.
#[derive(clap::Subcommand, Debug)]
pub enum ModelCommand {
    /// Not implemented yet.
    #[command(name = "not-implemented", hide = true)]
    NotImplemented,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(_cmd: ModelCommand) -> i32 {
    eprintln!("error: `aisvs model` is not implemented yet");
    2
}
