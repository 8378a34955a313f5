//! The `aisvs` command line: parses arguments and hands each command to its module.
#![forbid(unsafe_code)]

use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::process::ExitCode;

/// Exit status for an internal error (DESIGN.md: 2, or 125 when `sandbox run` could not set up).
fn internal_error_status() -> u8 {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    match (args.next().as_deref(), args.next().as_deref()) {
        (Some("sandbox"), Some("run")) => 125,
        _ => 2,
    }
}

/// One line on stderr for a bug, instead of the default message and backtrace hint; nothing for a
/// panic that a model-scan decoder guard will catch and report as a finding.
fn report_panic(info: &PanicHookInfo<'_>) {
    if aisvs_modelscan::guard::in_guarded_call() {
        return;
    }
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into());
    let place = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    eprintln!("aisvs: internal error{place}: {message} (please report this)");
}

fn main() -> ExitCode {
    panic::set_hook(Box::new(report_panic));
    match panic::catch_unwind(AssertUnwindSafe(aisvs::cli::main)) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        Err(_) => ExitCode::from(internal_error_status()),
    }
}
