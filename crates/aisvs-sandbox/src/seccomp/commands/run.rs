//! `aisvs seccomp run PROFILE -- CMD…`: run a command confined by a profile.

use super::{read_profile_file, report_run_error, EXIT_USAGE};
use crate::seccomp::enforce;
use crate::seccomp::profile::Profile;
use crate::seccomp::spo;
use crate::seccomp_cli::RunArgs;

/// Runs `run`; returns the command's exit status.
pub fn run(args: &RunArgs) -> i32 {
    let shown = args.profile.display();
    let profile = match load(args) {
        Ok(profile) => profile,
        Err(message) => {
            eprintln!("error: {shown}: {message}");
            return EXIT_USAGE;
        }
    };
    let compiled = match enforce::compile(&profile) {
        Ok(compiled) => compiled,
        Err(err) => {
            eprintln!("error: {shown}: {err}");
            return EXIT_USAGE;
        }
    };
    if !compiled.skipped_names.is_empty() {
        eprintln!(
            "warning: {shown}: no such syscall on this architecture, skipped: {}",
            compiled.skipped_names.join(", ")
        );
    }
    for rule in &compiled.dropped_rules {
        eprintln!(
            "warning: {shown}: conditional or non-allow rule not enforced (stricter): {rule}"
        );
    }
    if !compiled.allows_execve {
        eprintln!(
            "error: {shown}: the profile does not allow execve, so no command can start under it"
        );
        return 126;
    }
    let Some((program, rest)) = args.command.split_first() else {
        eprintln!("error: no command given after --");
        return EXIT_USAGE;
    };
    match enforce::run_confined(&compiled, program, rest) {
        Ok(code) => code,
        Err(err) => {
            let code = report_run_error(&err);
            if code == 126 {
                eprintln!("hint: a profile must allow execve for the command to start");
            }
            code
        }
    }
}

fn load(args: &RunArgs) -> Result<Profile, String> {
    let text = read_profile_file(&args.profile).map_err(|err| err.to_string())?;
    let documents =
        spo::documents_from_text(&text).map_err(|err| format!("not a seccomp profile: {err}"))?;
    let [document] = documents.as_slice() else {
        return Err(format!(
            "expected one profile, found {} documents",
            documents.len()
        ));
    };
    let spec = spo::spec_of(document).map_err(|err| err.to_string())?;
    if let Some(base) = spo::base_profile_name(spec) {
        return Err(format!(
            "baseProfileName {base:?} is not supported by `run`; merge the base in first"
        ));
    }
    Profile::from_value(spec).map_err(|err| err.to_string())
}
