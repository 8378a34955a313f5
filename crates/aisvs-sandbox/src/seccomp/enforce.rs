//! Enforcing a profile on a command (`aisvs seccomp run`): the profile is compiled to a kernel
//! filter with seccompiler and installed in the child just before `execve`, as a runtime does.
//! Used to prove that a recorded profile confines: the workload still runs, anything else fails.

use super::action::Action;
use super::error::SeccompRunError;
use super::names;
use super::profile::{ArgFilter, Profile};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;

/// A compiled filter plus what could not be expressed.
#[derive(Debug)]
pub struct CompiledProfile {
    /// The BPF program for the native architecture.
    pub program: BpfProgram,
    /// Names skipped because this architecture has no such syscall (runtimes skip them too).
    pub skipped_names: Vec<String>,
    /// Rules dropped because they only apply under conditions we cannot evaluate here; dropping
    /// an allow rule only makes the filter stricter.
    pub dropped_rules: Vec<String>,
    /// Whether `execve` is allowed: without it no command can start under the profile.
    pub allows_execve: bool,
}

/// Compiles the native-architecture filter of a profile.
pub fn compile(profile: &Profile) -> Result<CompiledProfile, SeccompRunError> {
    let default = Action::parse(&profile.default_action);
    let mismatch = match default {
        Action::Errno => SeccompAction::Errno(errno_of(profile.default_errno_ret)?),
        Action::KillProcess => SeccompAction::KillProcess,
        Action::KillThread => SeccompAction::KillThread,
        Action::Trap => SeccompAction::Trap,
        _ => {
            return Err(SeccompRunError::Unenforceable(format!(
                "defaultAction {} does not block; nothing to enforce",
                profile.default_action
            )))
        }
    };
    // Per syscall number: `None` = allowed unconditionally, `Some(rules)` = allowed when any
    // argument-filter rule matches.
    let mut allowed: BTreeMap<i64, Option<Vec<SeccompRule>>> = BTreeMap::new();
    let mut skipped_names = Vec::new();
    let mut dropped_rules = Vec::new();
    for (index, rule) in profile.rules.iter().enumerate() {
        let action = Action::parse(&rule.action);
        if action == Action::Unknown {
            return Err(SeccompRunError::Unenforceable(format!(
                "syscalls[{index}]: unknown action {}",
                rule.action
            )));
        }
        if action.blocks() {
            continue; // Same effect as the default (possibly another errno): blocked either way.
        }
        if action != Action::Allow || !rule.includes.is_empty() {
            dropped_rules.push(format!(
                "syscalls[{index}] ({}: {})",
                rule.action,
                rule.names.join(",")
            ));
            continue;
        }
        let conditions = rule
            .args
            .iter()
            .map(condition)
            .collect::<Result<Vec<_>, _>>()?;
        for name in &rule.names {
            let Some(nr) = names::native_number(name) else {
                skipped_names.push(name.clone());
                continue;
            };
            if conditions.is_empty() {
                allowed.insert(nr, None);
            } else if let Some(filtered) = allowed.entry(nr).or_insert_with(|| Some(Vec::new())) {
                filtered.push(SeccompRule::new(conditions.clone()).map_err(unenforceable)?);
            }
        }
    }
    let allows_execve =
        names::native_number("execve").is_some_and(|nr| matches!(allowed.get(&nr), Some(None)));
    // seccompiler reads an empty rule list as "match always".
    let rules: BTreeMap<i64, Vec<SeccompRule>> = allowed
        .into_iter()
        .map(|(nr, filtered)| (nr, filtered.unwrap_or_default()))
        .collect();
    let filter = SeccompFilter::new(rules, mismatch, SeccompAction::Allow, native_target()?)
        .map_err(unenforceable)?;
    let program: BpfProgram = filter.try_into().map_err(unenforceable)?;
    Ok(CompiledProfile {
        program,
        skipped_names,
        dropped_rules,
        allows_execve,
    })
}

/// Runs a command under a compiled filter; returns its exit code (128 + signal when killed).
pub fn run_confined(
    compiled: &CompiledProfile,
    program: &OsString,
    args: &[OsString],
) -> Result<i32, SeccompRunError> {
    let filter = compiled.program.clone();
    let mut command = Command::new(program);
    command.args(args);
    // SAFETY: apply_filter only calls prctl and seccomp on the already-built program; nothing is
    // allocated between fork and exec.
    unsafe {
        command.pre_exec(move || seccompiler::apply_filter(&filter).map_err(std::io::Error::other));
    }
    let name = program.to_string_lossy().into_owned();
    let status = command.status().map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => SeccompRunError::NotFound(name.clone()),
        _ => SeccompRunError::CannotExecute(name.clone(), err.to_string()),
    })?;
    Ok(status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)))
}

fn condition(arg: &ArgFilter) -> Result<SeccompCondition, SeccompRunError> {
    let (operator, value) = match arg.op.as_str() {
        "SCMP_CMP_EQ" => (SeccompCmpOp::Eq, arg.value),
        "SCMP_CMP_NE" => (SeccompCmpOp::Ne, arg.value),
        "SCMP_CMP_LT" => (SeccompCmpOp::Lt, arg.value),
        "SCMP_CMP_LE" => (SeccompCmpOp::Le, arg.value),
        "SCMP_CMP_GT" => (SeccompCmpOp::Gt, arg.value),
        "SCMP_CMP_GE" => (SeccompCmpOp::Ge, arg.value),
        // libseccomp: `value` is the mask, `valueTwo` the expected masked value.
        "SCMP_CMP_MASKED_EQ" => (SeccompCmpOp::MaskedEq(arg.value), arg.value_two),
        other => {
            return Err(SeccompRunError::Unenforceable(format!(
                "unknown argument operator {other}"
            )))
        }
    };
    let index = u8::try_from(arg.index)
        .map_err(|_| SeccompRunError::Unenforceable(format!("argument index {}", arg.index)))?;
    SeccompCondition::new(index, SeccompCmpArgLen::Qword, operator, value).map_err(unenforceable)
}

fn errno_of(errno: Option<u64>) -> Result<u32, SeccompRunError> {
    u32::try_from(errno.unwrap_or(libc::EPERM as u64))
        .map_err(|_| SeccompRunError::Unenforceable("defaultErrnoRet out of range".to_string()))
}

fn native_target() -> Result<TargetArch, SeccompRunError> {
    if cfg!(target_arch = "x86_64") {
        Ok(TargetArch::x86_64)
    } else if cfg!(target_arch = "aarch64") {
        Ok(TargetArch::aarch64)
    } else if cfg!(target_arch = "riscv64") {
        Ok(TargetArch::riscv64)
    } else {
        Err(SeccompRunError::Unenforceable(
            "this architecture is not supported by the filter compiler".to_string(),
        ))
    }
}

fn unenforceable(err: impl std::fmt::Display) -> SeccompRunError {
    SeccompRunError::Unenforceable(err.to_string())
}
