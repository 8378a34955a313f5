//! Command-line surface of `aisvs gate` (placeholder until implemented; it exits 2 and says so).

/// Options of `aisvs gate`.
#[derive(clap::Args, Debug)]
pub struct GateArgs {}

/// Runs `aisvs gate` and returns the process exit code.
pub fn run(_args: GateArgs) -> i32 {
    eprintln!("error: `aisvs gate` is not implemented yet");
    2
}
