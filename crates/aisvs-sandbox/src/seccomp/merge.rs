//! Building a recorded profile and merging several recordings: one run rarely exercises every
//! path, so allow-lists of several runs (or replicas) are unioned.

use super::action::Action;
use super::error::ProfileError;
use super::profile::{Profile, SyscallRule};
use super::spo;
use std::collections::BTreeSet;

/// An allow-list profile in the form `aisvs seccomp record` writes.
pub fn allow_list_profile(
    syscalls: &BTreeSet<String>,
    architectures: &BTreeSet<String>,
) -> Profile {
    Profile {
        default_action: "SCMP_ACT_ERRNO".to_string(),
        default_errno_ret: Some(1),
        architectures: architectures.iter().cloned().collect(),
        rules: vec![SyscallRule {
            names: syscalls.iter().cloned().collect(),
            action: "SCMP_ACT_ALLOW".to_string(),
            ..SyscallRule::default()
        }],
    }
}

/// The allowed names and architectures of a profile that `merge` can union.
///
/// Only plain allow-lists merge safely: a blocking default and unconditional ALLOW rules.
/// Argument filters, moby conditions and other actions would need rule-level merging, and
/// silently dropping them would widen or narrow the profile, so they are refused.
pub fn allow_list_of(text: &str) -> Result<(BTreeSet<String>, BTreeSet<String>), ProfileError> {
    let documents = spo::documents_from_text(text)?;
    let [document] = documents.as_slice() else {
        return Err(ProfileError::Invalid(format!(
            "expected one profile, found {} documents",
            documents.len()
        )));
    };
    let spec = spo::spec_of(document)?;
    if let Some(base) = spo::base_profile_name(spec) {
        return Err(ProfileError::Invalid(format!(
            "baseProfileName {base:?} cannot be merged; merge the base profile's file instead"
        )));
    }
    let profile = Profile::from_value(spec)?;
    if !Action::parse(&profile.default_action).blocks() {
        return Err(ProfileError::Invalid(format!(
            "defaultAction {} does not block; only allow-list profiles can be merged",
            profile.default_action
        )));
    }
    let mut names = BTreeSet::new();
    for (index, rule) in profile.rules.iter().enumerate() {
        let plain = rule.args.is_empty() && rule.includes.is_empty() && rule.excludes.is_empty();
        if Action::parse(&rule.action) != Action::Allow || !plain {
            return Err(ProfileError::Invalid(format!(
                "syscalls[{index}] is not a plain SCMP_ACT_ALLOW rule (action {}, {} argument filter(s)); merge handles allow-lists only",
                rule.action,
                rule.args.len()
            )));
        }
        names.extend(rule.names.iter().cloned());
    }
    Ok((names, profile.architectures.into_iter().collect()))
}

/// Renders a profile as the OCI/Docker JSON that runc, crun and the kubelet read.
pub fn to_oci_json(profile: &Profile) -> String {
    let rules: Vec<serde_json::Value> = profile
        .rules
        .iter()
        .map(|rule| serde_json::json!({"names": rule.names, "action": rule.action}))
        .collect();
    let mut object = serde_json::json!({
        "defaultAction": profile.default_action,
        "architectures": profile.architectures,
        "syscalls": rules,
    });
    if let (Some(errno), Some(map)) = (profile.default_errno_ret, object.as_object_mut()) {
        map.insert("defaultErrnoRet".to_string(), errno.into());
    }
    let mut text = serde_json::to_string_pretty(&object).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_profiles_round_trip_and_merge() {
        let names: BTreeSet<String> = ["read", "write", "execve"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let arches: BTreeSet<String> = ["SCMP_ARCH_X86_64".to_string()].into();
        let text = to_oci_json(&allow_list_profile(&names, &arches));
        let (back, back_arches) = allow_list_of(&text).expect("own output merges");
        assert_eq!(back, names);
        assert_eq!(back_arches, arches);
        let parsed = Profile::from_json(&text).expect("parses");
        assert_eq!(parsed.default_errno_ret, Some(1));
        assert_eq!(parsed.rules[0].names, ["execve", "read", "write"], "sorted");
    }

    #[test]
    fn non_allow_list_profiles_are_refused() {
        let log = r#"{"defaultAction":"SCMP_ACT_LOG"}"#;
        assert!(allow_list_of(log).is_err());
        let args = r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["socket"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]}"#;
        assert!(allow_list_of(args).is_err());
        assert!(allow_list_of("not json: [").is_err());
    }
}
