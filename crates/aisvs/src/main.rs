//! The `aisvs` command line: parses arguments and hands each command to its module.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = aisvs::cli::main();
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
