//! `aisvs gate` as a standalone program, so the gate can be built and benchmarked in release
//! mode without building every crate of the workspace (`cargo run --release --example gate`).

use clap::Parser;

use aisvs_vetting::gate_cli::{run, GateArgs};

/// The gate's own arguments, unchanged.
#[derive(Parser)]
#[command(name = "aisvs-gate")]
struct Cli {
    #[command(flatten)]
    args: GateArgs,
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            std::process::exit(code);
        }
    };
    std::process::exit(run(cli.args));
}
