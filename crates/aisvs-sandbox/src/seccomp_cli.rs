//! Command-line surface of `aisvs seccomp`: `record`, `check` and `run`.
//! The work is done in `seccomp::commands`; this file holds the arguments and the dispatch.

use crate::seccomp::base_set::BaseSet;
use crate::seccomp::commands;
use std::ffi::OsString;
use std::path::PathBuf;

/// Subcommands of `aisvs seccomp`.
#[derive(clap::Subcommand, Debug)]
pub enum SeccompCommand {
    /// Run a command and write a seccomp profile that allows exactly the syscalls it made
    /// (plus the container runtime's base set). Exit status: the command's own.
    Record(RecordArgs),
    /// Analyse a seccomp profile (OCI/Docker JSON, or SPO SeccompProfile YAML/JSON).
    /// Exit status: 0 = meets the bar, 1 = does not, 2 = unreadable input.
    Check(CheckArgs),
    /// Run a command confined by a profile, as a container runtime would (to try a profile
    /// locally). Exit status: the command's own; 126/127 when it cannot be run or found.
    Run(RunArgs),
}

/// Output format of `record`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// OCI/Docker profile JSON (`defaultAction`, `architectures`, `syscalls`).
    Oci,
    /// Security Profiles Operator `SeccompProfile` object (YAML).
    Kubernetes,
}

/// Output format of `check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// Human-readable report.
    Text,
    /// The analysis as JSON (one object per profile, in an array).
    Json,
}

/// Arguments of `aisvs seccomp record`.
#[derive(clap::Args, Debug)]
pub struct RecordArgs {
    /// Write the profile here instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Profile format.
    #[arg(long, value_enum, default_value_t = RecordFormat::Oci)]
    pub format: RecordFormat,
    /// `metadata.name` of the SeccompProfile (with `--format kubernetes`).
    #[arg(long, default_value = "recorded-profile")]
    pub name: String,
    /// `metadata.namespace` of the SeccompProfile (with `--format kubernetes`).
    #[arg(long)]
    pub namespace: Option<String>,
    /// Runtime base set added to the recording (syscalls the runtime makes after installing
    /// the filter): runc, minimal or none. See docs/seccomp.md.
    #[arg(long, value_enum, default_value_t = BaseSet::Runc)]
    pub base: BaseSet,
    /// Union these earlier recordings (profile JSON or SeccompProfile files) into the output.
    /// With no command, only merges.
    #[arg(long, num_args = 1.., value_name = "PROFILE")]
    pub merge: Vec<PathBuf>,
    /// The command to record, after `--`.
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

/// Arguments of `aisvs seccomp check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The profile file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Dangerous syscalls you reviewed and accept (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "SYSCALL")]
    pub accept: Vec<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Arguments of `aisvs seccomp run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The profile to enforce (OCI JSON or a SeccompProfile).
    #[arg(value_name = "PROFILE")]
    pub profile: PathBuf,
    /// The command to run, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(cmd: SeccompCommand) -> i32 {
    match cmd {
        SeccompCommand::Record(args) => commands::record(&args),
        SeccompCommand::Check(args) => commands::check(&args),
        SeccompCommand::Run(args) => commands::run(&args),
    }
}
