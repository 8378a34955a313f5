//! Argument parsing and dispatch for every `aisvs` command.

use clap::{Parser, Subcommand};

/// Verifies AI infrastructure against OWASP AISVS chapter C4 (independent implementation).
#[derive(Parser, Debug)]
#[command(name = "aisvs", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Scan manifests, IaC, CI workflows and evidence; judge every AISVS C4 requirement.
    Scan(crate::commands::scan::ScanArgs),
    /// Print the C4 catalog with the rules and evidence that cover each requirement.
    Requirements(crate::commands::catalog_cmds::RequirementsArgs),
    /// List the rules, or explain one.
    Rules(crate::commands::catalog_cmds::RulesArgs),
    /// Static payload scan of model files.
    Model {
        #[command(subcommand)]
        cmd: aisvs_modelscan::cli::ModelCommand,
    },
    /// Run a vetting command in an isolated sandbox; manage the record-signing key.
    Sandbox {
        #[command(subcommand)]
        cmd: aisvs_sandbox::sandbox_cli::SandboxCommand,
    },
    /// Record a workload-specific seccomp profile, or analyse one.
    Seccomp {
        #[command(subcommand)]
        cmd: aisvs_sandbox::seccomp_cli::SeccompCommand,
    },
    /// Compare adversarial-evaluation results with a baseline; exit 1 blocks promotion.
    Gate(aisvs_vetting::gate_cli::GateArgs),
    /// Verify Sigstore bundles, SLSA provenance and OCI image signatures/SBOMs offline.
    Verify {
        #[command(subcommand)]
        cmd: aisvs_verify::cli::VerifyCommand,
    },
    /// Findings history and operational evidence: ingest reports, evaluate 4.6.1/4.6.3 (status).
    Evidence {
        #[command(subcommand)]
        cmd: aisvs_evidence::cli::EvidenceCommand,
    },
    /// Check this node's SSH and OS hardening and report it as evidence.
    Host(aisvs_evidence::host_cli::HostArgs),
}

/// Parses the process arguments, runs the command and returns its exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return code;
        }
    };
    match cli.command {
        Command::Scan(args) => crate::commands::scan::run(args),
        Command::Requirements(args) => crate::commands::catalog_cmds::requirements(args),
        Command::Rules(args) => crate::commands::catalog_cmds::rules(args),
        Command::Model { cmd } => aisvs_modelscan::cli::run(cmd),
        Command::Sandbox { cmd } => aisvs_sandbox::sandbox_cli::run(cmd),
        Command::Seccomp { cmd } => aisvs_sandbox::seccomp_cli::run(cmd),
        Command::Gate(args) => aisvs_vetting::gate_cli::run(args),
        Command::Verify { cmd } => aisvs_verify::cli::run(cmd),
        Command::Evidence { cmd } => aisvs_evidence::cli::run(cmd),
        Command::Host(args) => aisvs_evidence::host_cli::run(args),
    }
}
