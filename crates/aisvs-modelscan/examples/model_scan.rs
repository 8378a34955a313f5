//! Stand-alone `model scan` front end over the same `cli::run` that `aisvs model` dispatches to.
//! Used by the benchmark when the full `aisvs` binary cannot be built (it compiles every crate of
//! the workspace); behaviour and exit codes are identical. Usage: `model_scan scan [OPTIONS] PATH…`.

use aisvs_modelscan::cli::{run, ModelCommand};
use clap::Parser;

/// `aisvs model` without the rest of aisvs.
#[derive(Parser, Debug)]
#[command(name = "model_scan")]
struct Args {
    #[command(subcommand)]
    cmd: ModelCommand,
}

fn main() {
    let args = Args::parse();
    std::process::exit(run(args.cmd));
}
