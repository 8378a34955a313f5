//! Static analysis of a seccomp profile against the AISVS 4.1.1 bar: a blocking default action,
//! an explicit allow-list, no unreviewed dangerous syscalls, and nothing a runtime would reject.
//! Pure functions: no I/O, so the scan engine can call them on profiles found in its inputs.

use super::action::Action;
use super::dangerous::{self, Risk};
use super::error::{ProfileError, MAX_PROFILE_BYTES};
use super::names::{is_known_architecture, is_known_syscall};
use super::profile::{ArgFilter, Profile, SyscallRule};
use super::spo;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Caller choices for the analysis.
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// Dangerous syscalls the user has reviewed and accepts (they are still listed, marked accepted).
    pub accepted_dangerous: BTreeSet<String>,
}

/// The result of analysing one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileAnalysis {
    /// `defaultAction`, verbatim.
    pub default_action: String,
    /// Whether the default action prevents the syscall (ERRNO, KILL_*, TRAP).
    pub default_action_blocks: bool,
    /// Distinct syscall names the profile lets through (ALLOW or LOG), under any condition.
    pub allow_list_size: usize,
    /// Those names, sorted.
    pub allowed_syscalls: Vec<String>,
    /// True when the default action itself lets every unlisted syscall through.
    pub allows_unlisted: bool,
    /// Dangerous syscalls the profile lets through, sorted by name.
    pub dangerous_allowed: Vec<DangerousAllowed>,
    /// Syscall names no Linux architecture has (typos, or names newer than our tables).
    pub unknown_names: Vec<String>,
    /// Actions no runtime accepts.
    pub unknown_actions: Vec<String>,
    /// Architectures as declared (including moby's `archMap`).
    pub architectures: Vec<String>,
    /// Declared architectures libseccomp does not know.
    pub unknown_architectures: Vec<String>,
    /// Rules that compare syscall arguments.
    pub argument_filters: Vec<ArgumentFilterRule>,
    /// SPO `baseProfileName`, when the profile inherits another profile's allow-list.
    pub base_profile: Option<String>,
    /// The overall verdict: true only when every check above passed.
    pub meets_bar: bool,
    /// Why the profile does not meet the bar (empty when it does).
    pub problems: Vec<String>,
    /// Observations that do not fail the profile.
    pub notes: Vec<String>,
}

/// A dangerous syscall that the profile lets through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DangerousAllowed {
    /// Syscall name.
    pub name: String,
    /// Its weight in the documented list.
    pub risk: Risk,
    /// Why it is dangerous.
    pub reason: String,
    /// `None` when allowed unconditionally; otherwise the conditions of every allowing rule.
    pub condition: Option<String>,
    /// True when the user accepted it by name.
    pub accepted: bool,
}

/// One rule with argument comparisons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgumentFilterRule {
    /// The syscalls the rule covers.
    pub names: Vec<String>,
    /// The rule's action.
    pub action: String,
    /// The comparisons.
    pub args: Vec<ArgFilter>,
}

/// Analyses OCI/Docker profile JSON text with default options.
pub fn analyse_profile_json(text: &str) -> Result<ProfileAnalysis, ProfileError> {
    analyse_profile_json_with(text, &AnalysisOptions::default())
}

/// Analyses OCI/Docker profile JSON text.
pub fn analyse_profile_json_with(
    text: &str,
    options: &AnalysisOptions,
) -> Result<ProfileAnalysis, ProfileError> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge(text.len(), MAX_PROFILE_BYTES));
    }
    Ok(analyse_profile(&Profile::from_json(text)?, options))
}

/// Analyses a Security Profiles Operator `SeccompProfile` object (or its bare `spec`).
/// A `baseProfileName` cannot be resolved here, so it is reported and the bar is not met;
/// use [`analyse_spo_object_with`] to supply the base object.
pub fn analyse_spo_object(object: &serde_json::Value) -> Result<ProfileAnalysis, ProfileError> {
    analyse_spo_object_with(object, None, &AnalysisOptions::default())
}

/// Analyses an SPO `SeccompProfile`, with its base profile object when the caller found it.
pub fn analyse_spo_object_with(
    object: &serde_json::Value,
    base: Option<&serde_json::Value>,
    options: &AnalysisOptions,
) -> Result<ProfileAnalysis, ProfileError> {
    let spec = spo::spec_of(object)?;
    let mut profile = Profile::from_value(spec)?;
    let base_name = spo::base_profile_name(spec);
    let mut unresolved_base = None;
    if let Some(name) = &base_name {
        match base {
            Some(base_object) => {
                let base_profile = Profile::from_value(spo::spec_of(base_object)?)?;
                profile.rules.extend(base_profile.rules);
            }
            None => unresolved_base = Some(name.clone()),
        }
    }
    let mut analysis = analyse_profile(&profile, options);
    analysis.base_profile = base_name;
    if let Some(name) = unresolved_base {
        analysis.problems.push(format!(
            "baseProfileName {name:?} was not resolved: the syscalls it adds were not analysed"
        ));
        analysis.meets_bar = false;
    }
    Ok(analysis)
}

/// Analyses a parsed profile.
pub fn analyse_profile(profile: &Profile, options: &AnalysisOptions) -> ProfileAnalysis {
    let default = Action::parse(&profile.default_action);
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    match default {
        Action::Unknown => problems.push(format!(
            "defaultAction {:?} is not a seccomp action; runtimes refuse this profile",
            profile.default_action
        )),
        action if !action.blocks() => problems.push(format!(
            "defaultAction {} does not block: every syscall not listed runs",
            profile.default_action
        )),
        _ => {}
    }

    let mut unknown_names = BTreeSet::new();
    let mut unknown_actions = BTreeSet::new();
    let mut allowing: BTreeMap<&str, Vec<Option<String>>> = BTreeMap::new();
    let mut blocked_unconditionally = BTreeSet::new();
    let mut argument_filters = Vec::new();
    for rule in &profile.rules {
        let action = Action::parse(&rule.action);
        if action == Action::Unknown {
            unknown_actions.insert(rule.action.clone());
        }
        for name in &rule.names {
            if !is_known_syscall(name) {
                unknown_names.insert(name.clone());
            }
        }
        if !rule.args.is_empty() {
            argument_filters.push(ArgumentFilterRule {
                names: rule.names.clone(),
                action: rule.action.clone(),
                args: rule.args.clone(),
            });
        }
        let condition = rule_condition(rule);
        for name in &rule.names {
            if action.lets_through() {
                allowing
                    .entry(name.as_str())
                    .or_default()
                    .push(condition.clone());
            } else if action.blocks() && condition.is_none() {
                blocked_unconditionally.insert(name.as_str());
            }
        }
    }
    for action in &unknown_actions {
        problems.push(format!(
            "action {action:?} is not a seccomp action; runtimes refuse this profile"
        ));
    }
    if !unknown_names.is_empty() {
        notes.push(format!(
            "{} syscall name(s) unknown on every architecture (runtimes skip them): {}",
            unknown_names.len(),
            unknown_names.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }

    let allows_unlisted = !default.blocks();
    let mut dangerous_allowed = Vec::new();
    for entry in dangerous::DANGEROUS_SYSCALLS {
        let condition = match allowing.get(entry.name) {
            Some(conditions) if conditions.iter().any(Option::is_none) => None,
            Some(conditions) => {
                let distinct: BTreeSet<&String> = conditions.iter().flatten().collect();
                Some(distinct.into_iter().cloned().collect::<Vec<_>>().join("; "))
            }
            // Not listed, but the permissive default action lets it run: unconditional.
            None if allows_unlisted && !blocked_unconditionally.contains(entry.name) => None,
            None => continue,
        };
        let accepted = options.accepted_dangerous.contains(entry.name);
        if entry.risk == Risk::High && condition.is_none() && !accepted && default.blocks() {
            problems.push(format!(
                "allows {} unconditionally: {}",
                entry.name, entry.reason
            ));
        }
        dangerous_allowed.push(DangerousAllowed {
            name: entry.name.to_string(),
            risk: entry.risk,
            reason: entry.reason.to_string(),
            condition,
            accepted,
        });
    }

    let unknown_architectures: Vec<String> = profile
        .architectures
        .iter()
        .filter(|arch| !is_known_architecture(arch))
        .cloned()
        .collect();
    for arch in &unknown_architectures {
        problems.push(format!(
            "architecture {arch:?} is not a libseccomp architecture; runtimes refuse this profile"
        ));
    }
    if profile.architectures.is_empty() {
        notes.push(
            "no architectures listed: runtimes apply the filter to the native architecture only"
                .to_string(),
        );
    }
    let allowed_syscalls: Vec<String> = allowing.keys().map(|name| name.to_string()).collect();
    if default.blocks() && allowed_syscalls.is_empty() {
        notes.push("the allow-list is empty: every syscall is blocked, so no process can start under this profile".to_string());
    }
    ProfileAnalysis {
        default_action: profile.default_action.clone(),
        default_action_blocks: default.blocks(),
        allow_list_size: allowed_syscalls.len(),
        allowed_syscalls,
        allows_unlisted,
        dangerous_allowed,
        unknown_names: unknown_names.into_iter().collect(),
        unknown_actions: unknown_actions.into_iter().collect(),
        architectures: profile.architectures.clone(),
        unknown_architectures,
        argument_filters,
        base_profile: None,
        meets_bar: problems.is_empty(),
        problems,
        notes,
    }
}

/// Describes when a rule applies; `None` means always (on kernels newer than any `minKernel`).
fn rule_condition(rule: &SyscallRule) -> Option<String> {
    let mut parts = Vec::new();
    if !rule.args.is_empty() {
        parts.push("argument filter".to_string());
    }
    if !rule.includes.caps.is_empty() {
        parts.push(format!("only with {}", rule.includes.caps.join("+")));
    }
    if !rule.includes.arches.is_empty() {
        parts.push(format!("only on {}", rule.includes.arches.join("/")));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}
