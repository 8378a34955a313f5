//! `aisvs seccomp record [-o FILE] [--format oci|kubernetes] [--merge P…] -- CMD…`.

use super::{read_profile_file, report_run_error, EXIT_USAGE};
use crate::seccomp::merge::{allow_list_of, allow_list_profile, to_oci_json};
use crate::seccomp::recorder::{self, Recording};
use crate::seccomp::{dangerous, names, spo};
use crate::seccomp_cli::{RecordArgs, RecordFormat};
use std::collections::BTreeSet;

/// Runs `record`; returns the command's exit status (0 for a merge-only run).
pub fn record(args: &RecordArgs) -> i32 {
    if args.command.is_empty() && args.merge.is_empty() {
        eprintln!("error: nothing to record: give a command after `--`, or profiles with --merge");
        return EXIT_USAGE;
    }
    let mut syscalls: BTreeSet<String> = BTreeSet::new();
    let mut architectures: BTreeSet<String> = BTreeSet::new();
    for path in &args.merge {
        let text = match read_profile_file(path) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("error: {err}");
                return EXIT_USAGE;
            }
        };
        match allow_list_of(&text) {
            Ok((names, arches)) => {
                syscalls.extend(names);
                architectures.extend(arches);
            }
            Err(err) => {
                eprintln!("error: {}: {err}", path.display());
                return EXIT_USAGE;
            }
        }
    }
    let mut exit_code = 0;
    if let Some((program, rest)) = args.command.split_first() {
        let recording = match recorder::record(program, rest) {
            Ok(recording) => recording,
            Err(err) => return report_run_error(&err),
        };
        report_recording(&recording, &program.to_string_lossy());
        exit_code = recording.exit_code;
        syscalls.extend(recording.syscalls);
        architectures.extend(recording.architectures);
    }
    if architectures.is_empty() {
        architectures.insert(names::native_architecture().to_string());
    }
    let before_base = syscalls.len();
    syscalls.extend(args.base.syscalls().into_iter().map(str::to_string));
    eprintln!(
        "aisvs: {} syscalls in the profile ({} recorded or merged, {} added by the {:?} base set)",
        syscalls.len(),
        before_base,
        syscalls.len() - before_base,
        args.base
    );
    warn_dangerous(&syscalls);
    let profile = allow_list_profile(&syscalls, &architectures);
    let text = match args.format {
        RecordFormat::Oci => to_oci_json(&profile),
        RecordFormat::Kubernetes => {
            spo::to_spo_yaml(&profile, &args.name, args.namespace.as_deref())
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(err) = std::fs::write(path, text) {
                eprintln!("error: {}: {err}", path.display());
                return if exit_code == 0 {
                    EXIT_USAGE
                } else {
                    exit_code
                };
            }
            eprintln!("aisvs: wrote {}", path.display());
        }
        None => super::check::emit(&text),
    }
    exit_code
}

fn report_recording(recording: &Recording, program: &str) {
    eprintln!(
        "aisvs: recorded {} distinct syscalls ({} calls) from {program}",
        recording.syscalls.len(),
        recording.events
    );
    if let Some(signal) = recording.killed_by {
        eprintln!("warning: {program} was killed by signal {signal}: the profile covers only what ran before");
    }
    if recording.leftover_killed {
        eprintln!("warning: processes started by {program} were still running after it exited and were killed");
    }
    for (arch, nr) in &recording.unnamed {
        eprintln!("warning: syscall {nr} of audit architecture {arch:#x} has no name in our tables; not in the profile");
    }
}

fn warn_dangerous(syscalls: &BTreeSet<String>) {
    for name in syscalls {
        if let Some(entry) = dangerous::lookup(name) {
            eprintln!(
                "warning: the workload used {name} ({}); it is in the profile, review it (`aisvs seccomp check --accept {name}`)",
                entry.reason
            );
        }
    }
}
