//! Analysis of real and hand-made seccomp profiles: moby's default profile, the Security Profiles
//! Operator examples, and broken profiles. Every test asserts the verdict and its reasons.

use aisvs_sandbox::seccomp::analysis::{
    analyse_profile_json, analyse_profile_json_with, analyse_spo_object, analyse_spo_object_with,
    AnalysisOptions, ProfileAnalysis,
};
use aisvs_sandbox::seccomp::spo::{documents_from_text, object_name};
use aisvs_sandbox::seccomp::ProfileError;
use std::path::Path;

fn fixture(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/seccomp_fixtures")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Every SPO SeccompProfile document in a fixture file, analysed, keyed by metadata.name.
fn spo_profiles(relative: &str) -> Vec<(String, ProfileAnalysis)> {
    let documents = documents_from_text(&fixture(relative)).expect("fixture parses");
    documents
        .iter()
        .map(|doc| {
            let name = object_name(doc).0.unwrap_or_default();
            (name, analyse_spo_object(doc).expect("analysable"))
        })
        .collect()
}

fn find<'a>(profiles: &'a [(String, ProfileAnalysis)], name: &str) -> &'a ProfileAnalysis {
    &profiles
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .1
}

#[test]
fn moby_default_blocks_by_default_but_allows_ptrace_unconditionally() {
    let analysis =
        analyse_profile_json(&fixture("moby/default.json")).expect("moby profile parses");
    assert!(analysis.default_action_blocks);
    assert_eq!(analysis.default_action, "SCMP_ACT_ERRNO");
    assert!(
        analysis.allow_list_size > 300,
        "size {}",
        analysis.allow_list_size
    );
    assert!(
        analysis.unknown_names.is_empty(),
        "unknown: {:?}",
        analysis.unknown_names
    );
    assert!(analysis.unknown_actions.is_empty());
    assert!(analysis
        .architectures
        .iter()
        .any(|a| a == "SCMP_ARCH_X86_64"));
    assert!(analysis
        .architectures
        .iter()
        .any(|a| a == "SCMP_ARCH_AARCH64"));
    assert!(analysis.unknown_architectures.is_empty());
    let ptrace = analysis
        .dangerous_allowed
        .iter()
        .find(|d| d.name == "ptrace")
        .expect("ptrace listed");
    assert_eq!(
        ptrace.condition, None,
        "minKernel 4.8 holds on every supported kernel"
    );
    let bpf = analysis
        .dangerous_allowed
        .iter()
        .find(|d| d.name == "bpf")
        .expect("bpf listed");
    assert!(
        bpf.condition.as_deref().unwrap_or("").contains("CAP_"),
        "{:?}",
        bpf.condition
    );
    let personality = analysis
        .dangerous_allowed
        .iter()
        .find(|d| d.name == "personality")
        .expect("listed");
    assert_eq!(personality.condition.as_deref(), Some("argument filter"));
    assert!(analysis
        .argument_filters
        .iter()
        .any(|rule| rule.names == ["socket"]));
    assert!(!analysis.meets_bar);
    assert!(
        analysis.problems.iter().any(|p| p.contains("ptrace")),
        "{:?}",
        analysis.problems
    );
    assert!(
        !analysis.problems.iter().any(|p| p.contains("allows bpf")),
        "bpf needs a capability"
    );
}

#[test]
fn accepting_the_reviewed_syscalls_lets_moby_default_meet_the_bar() {
    let mut options = AnalysisOptions::default();
    for name in ["ptrace", "process_vm_readv", "process_vm_writev"] {
        options.accepted_dangerous.insert(name.to_string());
    }
    let analysis =
        analyse_profile_json_with(&fixture("moby/default.json"), &options).expect("parses");
    assert_eq!(analysis.problems, Vec::<String>::new());
    assert!(analysis.meets_bar);
    assert!(analysis
        .dangerous_allowed
        .iter()
        .any(|d| d.name == "ptrace" && d.accepted));
}

#[test]
fn old_single_name_format_and_conditional_rules_are_read() {
    let old =
        analyse_profile_json(&fixture("moby/default-old-format.json")).expect("old format parses");
    assert!(old.allow_list_size > 250, "size {}", old.allow_list_size);
    assert!(old.default_action_blocks);
    let conditional =
        analyse_profile_json(&fixture("moby/conditional_include.json")).expect("parses");
    assert_eq!(conditional.allowed_syscalls, ["chmod", "ptrace", "syslog"]);
    let syslog = conditional
        .dangerous_allowed
        .iter()
        .find(|d| d.name == "syslog")
        .expect("listed");
    assert_eq!(syslog.condition.as_deref(), Some("only with CAP_SYSLOG"));
    // `excludes: CAP_SYS_ADMIN` applies to every container without that capability: unconditional.
    assert!(conditional.problems.iter().any(|p| p.contains("ptrace")));
    assert!(!conditional.meets_bar);
}

#[test]
fn spo_examples_get_the_expected_verdicts() {
    let profiles = spo_profiles("spo/seccompprofile.yaml");
    assert_eq!(profiles.len(), 4);
    let block_all = find(&profiles, "profile-block-all");
    assert!(block_all.meets_bar);
    assert_eq!(block_all.allow_list_size, 0);
    assert!(block_all
        .notes
        .iter()
        .any(|n| n.contains("allow-list is empty")));
    for permissive in ["profile-complain-unsafe", "profile-allow-unsafe"] {
        let analysis = find(&profiles, permissive);
        assert!(!analysis.meets_bar, "{permissive}");
        assert!(!analysis.default_action_blocks);
        assert!(analysis.allows_unlisted);
        assert!(analysis
            .problems
            .iter()
            .any(|p| p.contains("does not block")));
        assert!(analysis.dangerous_allowed.iter().any(|d| d.name == "bpf"));
    }
    let complain = find(&profiles, "profile-complain-block-high-risk");
    assert!(!complain.meets_bar);
    assert!(
        !complain
            .dangerous_allowed
            .iter()
            .any(|d| d.name == "ptrace"),
        "ptrace is denied by a rule"
    );
    assert!(
        complain
            .dangerous_allowed
            .iter()
            .any(|d| d.name == "io_uring_setup"),
        "not in its deny-list"
    );
}

#[test]
fn spo_allow_list_examples() {
    let validation = spo_profiles("spo/seccompprofile-allowed-syscalls-validation.yaml");
    let allowed = find(&validation, "profile-allowed-syscalls");
    assert!(allowed.meets_bar, "{:?}", allowed.problems);
    assert_eq!(
        allowed.allowed_syscalls,
        ["exit", "exit_group", "futex", "nanosleep"]
    );
    assert_eq!(allowed.architectures, ["SCMP_ARCH_X86_64"]);
    let denied = find(&validation, "profile-denied-syscalls");
    assert!(!denied.meets_bar);
    assert!(denied.problems.iter().any(|p| p.starts_with("allows bpf")));
    assert!(!find(&validation, "profile-allow-all-syscalls").meets_bar);
    assert!(find(&validation, "profile-block-all-syscalls").meets_bar);
    let runc = spo_profiles("spo/baseprofile-runc.yaml");
    assert!(find(&runc, "runc-v1.4.2").meets_bar);
    let crun = spo_profiles("spo/baseprofile-crun.yaml");
    let crun = find(&crun, "crun-v1.26");
    assert!(
        !crun.meets_bar,
        "crun's recorded start-up includes mount, setns and unshare"
    );
    for name in ["mount", "setns", "unshare", "pivot_root"] {
        assert!(
            crun.problems
                .iter()
                .any(|p| p.starts_with(&format!("allows {name} "))),
            "{name}"
        );
    }
}

#[test]
fn spo_base_profile_must_be_resolved() {
    let child = serde_json::json!({
        "apiVersion": "security-profiles-operator.x-k8s.io/v1beta1",
        "kind": "SeccompProfile",
        "metadata": {"name": "app"},
        "spec": {"defaultAction": "SCMP_ACT_ERRNO", "baseProfileName": "runc-v1.4.2",
                 "syscalls": [{"action": "SCMP_ACT_ALLOW", "names": ["read"]}]}
    });
    let unresolved = analyse_spo_object(&child).expect("analysable");
    assert!(!unresolved.meets_bar);
    assert_eq!(unresolved.base_profile.as_deref(), Some("runc-v1.4.2"));
    let base_docs = documents_from_text(&fixture("spo/baseprofile-runc.yaml")).expect("parses");
    let resolved = analyse_spo_object_with(&child, base_docs.first(), &AnalysisOptions::default())
        .expect("ok");
    assert!(resolved.meets_bar, "{:?}", resolved.problems);
    assert!(
        resolved.allowed_syscalls.iter().any(|s| s == "execve"),
        "base syscalls merged"
    );
    assert!(resolved.allowed_syscalls.iter().any(|s| s == "read"));
}

#[test]
fn broken_profiles_give_errors_or_problems_not_panics() {
    assert!(matches!(
        analyse_profile_json("defaultAction: x"),
        Err(ProfileError::NotJson(_))
    ));
    assert!(matches!(
        analyse_profile_json("[]"),
        Err(ProfileError::Invalid(_))
    ));
    assert!(matches!(
        analyse_profile_json("{}"),
        Err(ProfileError::Invalid(_))
    ));
    assert!(matches!(
        analyse_profile_json(r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":[1],"action":"SCMP_ACT_ALLOW"}]}"#),
        Err(ProfileError::Invalid(message)) if message.contains("syscalls[0]")
    ));
    let weird = analyse_profile_json(
        r#"{"defaultAction":"SCMP_ACT_DENY","architectures":["SCMP_ARCH_PDP11"],
            "syscalls":[{"names":["opennat","read"],"action":"SCMP_ACT_PERMIT"}]}"#,
    )
    .expect("structurally valid");
    assert!(!weird.meets_bar);
    assert_eq!(weird.unknown_names, ["opennat"]);
    assert_eq!(weird.unknown_actions, ["SCMP_ACT_PERMIT"]);
    assert_eq!(weird.unknown_architectures, ["SCMP_ARCH_PDP11"]);
    assert_eq!(weird.problems.len(), 3, "{:?}", weird.problems);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(analyse_profile_json(&deep).is_err());
    assert!(analyse_spo_object(&serde_json::json!({"kind": "Pod", "spec": {}})).is_err());
}

#[test]
fn recorded_style_profile_meets_the_bar() {
    let text = r#"{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
        "architectures":["SCMP_ARCH_X86_64"],
        "syscalls":[{"names":["execve","exit_group","read","write"],"action":"SCMP_ACT_ALLOW"}]}"#;
    let analysis = analyse_profile_json(text).expect("parses");
    assert!(analysis.meets_bar);
    assert_eq!(analysis.allow_list_size, 4);
    assert!(analysis.dangerous_allowed.is_empty());
    assert!(analysis.problems.is_empty());
}
