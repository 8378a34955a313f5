//! Command-line surface of `aisvs sandbox`: `run` (isolated vetting run, optional signed record) and `keygen`.
//!
//! Exit codes of `run`: the command's own status (128 + signal when killed); 125 when the
//! sandbox could not be set up or the record could not be written; 126/127 when the command
//! cannot be run / found.

use std::path::PathBuf;

use crate::sandbox::config::{parse_bytes, SandboxConfig};
use crate::sandbox::error::EXIT_SETUP;
use crate::sandbox::record::{self, ControlStatus, RequestedLimits};
use crate::sandbox::{keys, vetting};

/// Exit code of `keygen` on usage or input errors.
pub const EXIT_USAGE: i32 = 2;

/// Subcommands of `aisvs sandbox`.
#[derive(clap::Subcommand, Debug)]
pub enum SandboxCommand {
    /// Run a command with no network in an isolated sandbox; optionally write a signed record.
    ///
    /// The command sees a read-only root built only from system paths (/usr, /lib…, a few /etc
    /// files) plus the --read-only inputs, a writable /scratch, and no network but loopback.
    Run(RunArgs),
    /// Generate the Ed25519 key that signs vetting records (PKCS#8 PEM + `.pub` SPKI PEM).
    Keygen {
        /// Where to write the signing key (default: $AISVS_SANDBOX_KEY, else
        /// $XDG_CONFIG_HOME/aisvs/sandbox-signing.key, else ~/.config/aisvs/sandbox-signing.key).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// Overwrite an existing key.
        #[arg(long)]
        force: bool,
    },
}

/// Options of `aisvs sandbox run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Input file or dir bound read-only at the same path; digested into the record.
    #[arg(long = "read-only", value_name = "PATH")]
    read_only: Vec<PathBuf>,
    /// Writable dir mounted at /scratch (noexec, nosuid, nodev); a private temp dir if absent.
    #[arg(long, value_name = "DIR")]
    scratch: Option<PathBuf>,
    /// Allow TCP on a loopback port inside the sandbox (127.0.0.1:PORT); other hosts are refused.
    #[arg(long = "allow-net", value_name = "HOST:PORT")]
    allow_net: Vec<String>,
    /// Memory limit for the whole tree (K/M/G suffixes).
    #[arg(long, value_name = "BYTES", default_value = "4G", value_parser = parse_bytes)]
    memory: u64,
    /// Maximum number of tasks (processes and threads).
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    pids: u64,
    /// CPU-time limit in seconds.
    #[arg(long = "cpu", value_name = "S", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    cpu_seconds: u64,
    /// Wall-clock timeout in seconds; the whole process tree is killed when it passes.
    #[arg(long, value_name = "S", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// Extra environment variable for the command (the host environment is not passed).
    #[arg(long, value_name = "KEY=VALUE")]
    env: Vec<String>,
    /// Run the model scanner over the --read-only inputs first; its results go into the record.
    #[arg(long = "scan-models")]
    scan_models: bool,
    /// Write a signed vetting record (JSON, DSSE envelope) to FILE.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Signing key for --record (default: see `aisvs sandbox keygen --help`).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// The command and its arguments.
    #[arg(last = true, required = true, value_name = "CMD")]
    command: Vec<String>,
}

/// Runs a subcommand and returns the process exit code.
pub fn run(cmd: SandboxCommand) -> i32 {
    match cmd {
        SandboxCommand::Run(args) => run_sandboxed(args),
        SandboxCommand::Keygen { key, force } => keygen(key, force),
    }
}

fn run_sandboxed(args: RunArgs) -> i32 {
    let signing_key = match &args.record {
        None => None,
        Some(_) => {
            let loaded = args
                .key
                .clone()
                .map_or_else(keys::default_signing_key_path, Ok)
                .and_then(|path| keys::load_signing_key(&path));
            match loaded {
                Ok(key) => Some(key),
                Err(e) => {
                    eprintln!("error: --record needs a signing key: {e} (create one with `aisvs sandbox keygen`)");
                    return EXIT_SETUP;
                }
            }
        }
    };
    let mut env = Vec::new();
    for pair in &args.env {
        match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() => env.push((k.to_string(), v.to_string())),
            _ => {
                eprintln!("error: --env {pair}: expected KEY=VALUE");
                return EXIT_SETUP;
            }
        }
    }
    let config = SandboxConfig {
        command: args.command,
        read_only: args.read_only,
        scratch: args.scratch,
        allow_net: args.allow_net,
        limits: RequestedLimits {
            memory_bytes: args.memory,
            pids: args.pids,
            cpu_seconds: args.cpu_seconds,
            timeout_seconds: args.timeout,
        },
        env,
        stdout: None,
        stderr: None,
    };
    let result = vetting::run_vetting(config, args.scan_models, |scan| {
        eprintln!(
            "aisvs sandbox: model scan of {} file(s): {}",
            scan.files.len(),
            scan.overall
        );
        for file in scan.files.iter().filter(|f| f.verdict != "safe") {
            eprintln!("aisvs sandbox:   {} {}", file.verdict, file.path);
        }
    });
    let run = match result {
        Ok(run) => run,
        Err(e) => {
            eprintln!("error: {e}");
            return e.exit_code();
        }
    };
    for control in run
        .record
        .isolation
        .iter()
        .filter(|c| c.status != ControlStatus::Applied)
    {
        let status = match control.status {
            ControlStatus::Fallback => "fallback",
            _ => "NOT APPLIED",
        };
        eprintln!(
            "aisvs sandbox: {status}: {}: {}",
            control.control, control.detail
        );
    }
    if let Some(reason) = &run.record.exit.killed_by_runner {
        eprintln!("aisvs sandbox: command killed: {reason}");
    }
    if let (Some(path), Some(key)) = (&args.record, &signing_key) {
        let written = record::sign_record(&run.record, key)
            .and_then(|signed| record::write_signed_record(path, &signed));
        if let Err(e) = written {
            eprintln!("error: vetting record not written: {e}");
            return EXIT_SETUP;
        }
        eprintln!(
            "aisvs sandbox: signed record written to {} (key {})",
            path.display(),
            keys::key_id(&key.verifying_key())
        );
    }
    run.record.exit.code
}

fn keygen(key: Option<PathBuf>, force: bool) -> i32 {
    let path = match key.map_or_else(keys::default_signing_key_path, Ok) {
        Ok(path) => path,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    match keys::generate_to(&path, force).and_then(|pair| {
        let public = keys::load_public_key(&pair.public_key)?;
        Ok((pair, keys::key_id(&public)))
    }) {
        Ok((pair, id)) => {
            let text = format!(
                "signing key: {}\npublic key:  {}\nkey id:      {id}\n",
                pair.signing_key.display(),
                pair.public_key.display()
            );
            match print_stdout(&text) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: cannot write to stdout: {e}");
                    EXIT_USAGE
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

/// Writes `text` to stdout. A reader that went away (`… | head`) is not an error; any other failure is.
fn print_stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
