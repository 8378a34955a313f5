//! seccomp-localhost-profile (4.1.1): every Localhost seccomp profile a container runs under is found among the
//! inputs (a profile JSON file or an SPO SeccompProfile) and blocks by default without allowing dangerous syscalls.

use std::collections::BTreeSet;
use std::path::Path;

use aisvs_sandbox::seccomp::analysis::{analyse_spo_object_with, AnalysisOptions, ProfileAnalysis};
use aisvs_sandbox::seccomp::error::ProfileError;
use aisvs_sandbox::seccomp::localhost::{localhost_profile_path, DEFAULT_PROFILE_ROOT};
use aisvs_sandbox::seccomp::spo::base_profile_name;

use crate::evidence::{Location, Severity};
use crate::model::{Level, Model};
use crate::parse::{Node, Route};

use super::profile_index::{to_json, ProfileIndex, Resolved};
use crate::rules::sink::container_subject;
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "seccomp-localhost-profile",
    title: "Localhost seccomp profiles are among the inputs and block all but the needed syscalls",
    requirements: &["4.1.1"],
    inputs: "Kubernetes workloads; seccomp profile JSON files; SPO SeccompProfile objects",
    severity: Severity::High,
    what: "For every container whose effective seccompProfile (container over pod) is Localhost, resolves \
           localhostProfile against the inputs: `operator/<namespace>/<name>.json` names a Security Profiles \
           Operator SeccompProfile; any other path matches an input JSON profile whose path ends with it \
           (preferring one below the profile root). The profile must have a blocking defaultAction \
           (ERRNO, KILL*, TRAP), only actions runtimes accept, known architectures, and allow no high-risk \
           syscall (bpf, ptrace, mount, unshare, setns, kexec_load, init_module …) unconditionally.",
    why: "4.1.1 asks for a seccomp profile that blocks every syscall the workload does not need. A Localhost \
          profile is only as good as its content: SPO examples default to SCMP_ACT_LOG, which blocks nothing.",
    fail_example: "{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": []}  # referenced as profiles/vllm.json",
    pass_example: "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n \"syscalls\": [{\"names\": [\"read\", \"write\", \"futex\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
    remediation: "Record the workload's profile with `aisvs seccomp record -- CMD`, check it with `aisvs seccomp \
                  check FILE`, and ship it (or an SPO SeccompProfile) with the manifests so the scan can read it.",
    inconclusive: "The referenced profile is not among the inputs; localhostProfile is a template expression; \
                   the profile is too large to analyse.",
    options: &[
        RuleOption {
            name: "profile_root",
            default: "\"/var/lib/kubelet/seccomp\"",
            doc: "The kubelet seccomp root; among several input files ending with the profile path, one below it wins.",
        },
        RuleOption {
            name: "accepted_dangerous",
            default: "[]",
            doc: "Dangerous syscalls you reviewed and accept in profiles (still listed, not failed).",
        },
    ],
};

/// The rule.
pub struct SeccompLocalhostProfile {
    profile_root: String,
    options: AnalysisOptions,
}

impl Default for SeccompLocalhostProfile {
    fn default() -> Self {
        SeccompLocalhostProfile {
            profile_root: DEFAULT_PROFILE_ROOT.to_string(),
            options: AnalysisOptions::default(),
        }
    }
}

impl Rule for SeccompLocalhostProfile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["profile_root", "accepted_dangerous"])?;
        if let Some(root) = option::<String>(options, "profile_root")? {
            self.profile_root = root;
        }
        if let Some(list) = option::<Vec<String>>(options, "accepted_dangerous")? {
            self.options.accepted_dangerous = list.into_iter().collect::<BTreeSet<_>>();
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        let index = ProfileIndex::build(model);
        for w in &model.workloads {
            for c in &w.containers {
                // Runtimes apply no seccomp to privileged containers; k8s-seccomp fails those.
                if c.sc("privileged").and_then(Node::as_bool) == Some(true) {
                    continue;
                }
                let Some((profile, route, level)) = w.effective_sc(c, "seccompProfile") else {
                    continue;
                };
                let ty = profile.get("type");
                if ty.and_then(Node::as_str) != Some("Localhost") {
                    continue;
                }
                let subject = container_subject(w, c);
                let from = if level == Level::Pod {
                    " (inherited from the pod)"
                } else {
                    ""
                };
                let lp_node = profile.get("localhostProfile");
                let lp = lp_node.and_then(Node::as_str).unwrap_or("").trim();
                let at = |n: &Node, r: &Route| Some(Location::node(n, r));
                let lp_loc = match lp_node {
                    Some(n) => at(n, &route.key("localhostProfile")),
                    None => at(profile, &route),
                };
                if lp.is_empty() {
                    out.fail(subject, lp_loc, format!("container `{}`: seccompProfile type Localhost{from} without localhostProfile (the API server rejects it)", c.name));
                    continue;
                }
                if lp_node.is_some_and(Node::is_templated) {
                    out.inconclusive(
                        subject,
                        lp_loc,
                        format!("localhostProfile `{lp}` is a template expression"),
                    );
                    continue;
                }
                let on_node = match localhost_profile_path(Path::new(&self.profile_root), lp) {
                    Ok(p) => p.display().to_string(),
                    Err(e) => {
                        out.fail(
                            subject,
                            lp_loc,
                            format!("container `{}`: {e}; the kubelet refuses it", c.name),
                        );
                        continue;
                    }
                };
                let Some(found) = index.resolve(lp, &self.profile_root) else {
                    out.inconclusive(subject, lp_loc, format!(
                        "Localhost profile `{lp}`{from} ({on_node} on the node) is not among the inputs: add the profile JSON or its SPO SeccompProfile to the scan"
                    ));
                    continue;
                };
                let (result, found_at, related) = match found {
                    Resolved::File(p) => (
                        analyse(p.root, None, &self.options),
                        format!("found at `{}`", p.path),
                        Location::node(p.root, &Route::root()),
                    ),
                    Resolved::Spo(o) => {
                        let base = o
                            .spec()
                            .and_then(|s| to_json(s, 0))
                            .and_then(|s| base_profile_name(&s))
                            .and_then(|name| index.spo_base(o, &name));
                        (
                            analyse(o.root, base.map(|b| b.root), &self.options),
                            format!("found as SeccompProfile {}", o.display()),
                            Location::node(o.root, &o.base),
                        )
                    }
                };
                let ev = match result {
                    Ok(a) if a.meets_bar => out.pass(subject, lp_loc, format!(
                        "Localhost profile `{lp}`{from}, {found_at}: defaultAction {} blocks, {} syscall(s) allowed{}",
                        a.default_action, a.allow_list_size, accepted_note(&a)
                    )),
                    // Only the unresolved SPO base keeps the verdict open: its syscalls were not analysed.
                    Ok(a) if a.problems.iter().all(|p| p.starts_with("baseProfileName")) => out.inconclusive(subject, lp_loc, format!(
                        "Localhost profile `{lp}`{from} ({found_at}): {}",
                        a.problems.join("; ")
                    )),
                    Ok(a) => out.fail(subject, lp_loc, format!(
                        "container `{}`: Localhost profile `{lp}`{from} ({found_at}) does not meet 4.1.1: {}",
                        c.name,
                        a.problems.join("; ")
                    )),
                    Err(ProfileError::TooLarge(..)) | Err(ProfileError::Io { .. }) => out.inconclusive(subject, lp_loc, format!(
                        "Localhost profile `{lp}` ({found_at}) could not be analysed"
                    )),
                    Err(e) => out.fail(subject, lp_loc, format!(
                        "container `{}`: Localhost profile `{lp}` ({found_at}) is not a usable seccomp profile: {e}",
                        c.name
                    )),
                };
                ev.related.push((related, "the profile".into()));
            }
        }
    }
}

/// Analyses a profile document (bare OCI profile or SPO object), with an SPO base profile when found.
fn analyse(
    root: &Node,
    base: Option<&Node>,
    options: &AnalysisOptions,
) -> Result<ProfileAnalysis, ProfileError> {
    let json = to_json(root, 0).ok_or_else(|| ProfileError::Invalid("nesting too deep".into()))?;
    let base = base.and_then(|b| to_json(b, 0));
    analyse_spo_object_with(&json, base.as_ref(), options)
}

fn accepted_note(a: &ProfileAnalysis) -> String {
    let accepted: Vec<&str> = a
        .dangerous_allowed
        .iter()
        .filter(|d| d.accepted)
        .map(|d| d.name.as_str())
        .collect();
    if accepted.is_empty() {
        String::new()
    } else {
        format!(" (accepted by configuration: {})", accepted.join(", "))
    }
}
