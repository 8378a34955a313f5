//! Command-line surface of `aisvs host`: SSH MFA and service accounts (4.4.4) and OS hardening
//! basics (4.6.2) of this node, or of a collected copy of its files with `--root`.

use crate::assessment::Outcome;
use crate::host::evaluate::{evaluate_host_ssh, SshOptions};
use crate::host::mfa_444::MfaPolicy;
use crate::host::os_basics::evaluate_os_basics;
use crate::render::{emit, render, Format};
use std::path::PathBuf;

/// Options of `aisvs host`.
#[derive(clap::Args, Debug)]
pub struct HostArgs {
    /// Check a collected copy of a node's files under DIR instead of `/` (uses our own sshd_config parser).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the evidence JSON to FILE (readable by `aisvs scan`); stdout keeps the chosen format.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A service account that must not log in over SSH, besides system UIDs (repeatable).
    #[arg(long = "service-account", value_name = "NAME")]
    pub service_accounts: Vec<String>,
    /// A break-glass user allowed a single factor; reported as partial, never pass (repeatable).
    #[arg(long = "break-glass", value_name = "USER")]
    pub break_glass: Vec<String>,
    /// Accept key + Unix password as two factors (default: only OTP/FIDO counts).
    #[arg(long)]
    pub accept_password_factor: bool,
    /// Do not run `sshd -T`; use our own sshd_config parser even on the live node.
    #[arg(long)]
    pub no_sshd_t: bool,
}

/// Runs `aisvs host` and returns the process exit code (0 no failing check, 1 failing checks,
/// 2 usage or input error).
pub fn run(args: HostArgs) -> i32 {
    if !args.root.is_dir() {
        eprintln!("error: {}: --root is not a directory", args.root.display());
        return 2;
    }
    let options = SshOptions {
        service_accounts: args.service_accounts.clone(),
        break_glass: args.break_glass.clone(),
        mfa: MfaPolicy {
            accept_password_factor: args.accept_password_factor,
        },
        use_sshd_t: !args.no_sshd_t,
    };
    let live = args.root == std::path::Path::new("/");
    let mut assessments = evaluate_host_ssh(&args.root, &options);
    assessments.extend(evaluate_os_basics(&args.root, live));
    if let Some(path) = &args.output {
        if let Err(e) = emit(&render("host", &assessments, &[], Format::Json), Some(path)) {
            eprintln!("error: {e}");
            return 2;
        }
    }
    if let Err(e) = emit(&render("host", &assessments, &[], args.format), None) {
        eprintln!("error: {e}");
        return 2;
    }
    i32::from(assessments.iter().any(|a| a.outcome == Outcome::Fail))
}
