//! Command-line surface of `aisvs sandbox`: `run` (isolated vetting run, optional signed record) and `keygen`.

use std::path::PathBuf;

use crate::sandbox::keys;

/// Exit code when the sandbox itself could not be set up (as `env`/`timeout` use 125).
pub const EXIT_SETUP_FAILED: i32 = 125;
/// Exit code of `keygen` on usage or input errors.
pub const EXIT_USAGE: i32 = 2;

/// Subcommands of `aisvs sandbox`.
#[derive(clap::Subcommand, Debug)]
pub enum SandboxCommand {
    /// Run a command with no network in an isolated sandbox (not finished yet: exits 125).
    Run {
        /// The command and its arguments.
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
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

/// Runs a subcommand and returns the process exit code.
pub fn run(cmd: SandboxCommand) -> i32 {
    match cmd {
        SandboxCommand::Run { .. } => {
            eprintln!("error: `aisvs sandbox run` is not implemented yet; nothing was run");
            EXIT_SETUP_FAILED
        }
        SandboxCommand::Keygen { key, force } => keygen(key, force),
    }
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
            println!("signing key: {}", pair.signing_key.display());
            println!("public key:  {}", pair.public_key.display());
            println!("key id:      {id}");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
