//! runtime-policy-enforcement (4.1.4): each runtime policy that hooks a privilege-escalation vector says
//! whether it blocks (enforcing action, not in monitor mode) or only detects.

use std::collections::BTreeMap;

use crate::evidence::{Location, Severity, Subject};
use crate::model::runtime_policies::{Engine, RuntimePolicy, Strength, Vector};
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::coverage::describe;

static META: RuleMeta = RuleMeta {
    id: "runtime-policy-enforcement",
    title: "Runtime policies that watch privilege escalation also block it",
    requirements: &["4.1.4"],
    inputs: "Tetragon TracingPolicy(Namespaced); KubeArmor(Cluster)Policy; Falco and Falco Talon rules files",
    severity: Severity::Medium,
    what: "Reads every Tetragon and KubeArmor policy, every Falco rules file and every Talon rule, and reports \
           those that hook a privilege-escalation vector (setuid family, capabilities, user namespaces, setuid \
           programs, ptrace, bpf, mount, kernel modules): pass when the policy blocks at least one of them \
           (Tetragon Sigkill/Override/Signal 9/NotifyEnforcer with an enforcer, KubeArmor Block, a Talon rule that \
           terminates the pod), partial when it only detects (Tetragon Post or policy-mode monitor, KubeArmor \
           Audit or syscalls rules, Falco without a response engine). Whether the policies cover every workload \
           is runtime-priv-esc-coverage's job.",
    why: "4.1.4 asks for runtime policies that detect and block privilege escalation; the upstream Tetragon \
          policy library and Falco rules only detect, and a blocking policy left in monitor mode blocks nothing.",
    fail_example: "This rule does not fail: a detect-only policy is partial. (kind: TracingPolicy … matchActions: [{action: Post}])",
    pass_example: "kind: TracingPolicy\nspec:\n  kprobes:\n  - call: create_user_ns\n    selectors:\n    - matchActions: [{action: Sigkill}]",
    remediation: "Add an enforcing action on the privilege-escalation hooks (Tetragon Sigkill or Override, KubeArmor \
                  Block), remove `policy-mode: monitor` once tested, and answer Falco rules with a Talon \
                  `kubernetes:terminate` action.",
    inconclusive: "Never: a policy file is read as written (whether the agent runs is not visible in the inputs).",
    options: &[],
};

/// The rule.
pub struct PolicyEnforcement;

impl Rule for PolicyEnforcement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Falco rules are grouped per file (one subject per rules file); Talon rules count on the Falco rules
        // they answer rather than as subjects of their own.
        let mut falco_files: BTreeMap<usize, Vec<&RuntimePolicy<'_>>> = BTreeMap::new();
        let mut answered: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for p in &model.runtime.policies {
            if p.coverage.is_empty() {
                continue;
            }
            if p.engine == Engine::Falco {
                match &p.answers {
                    Some(rule) => answered
                        .entry(rule.as_str())
                        .or_default()
                        .push(p.name.as_str()),
                    None => falco_files.entry(p.file).or_default().push(p),
                }
                continue;
            }
            let subject = Subject {
                kind: p.kind.clone(),
                namespace: p.namespace.clone(),
                name: p.name.clone(),
                container: None,
                display: p.display(),
            };
            let loc = Some(Location::node(p.node, &p.route));
            let all: BTreeMap<Vector, Option<Strength>> =
                p.coverage.iter().map(|(v, s)| (*v, Some(*s))).collect();
            let notes = if p.notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.notes.join("; "))
            };
            if p.coverage.values().any(|s| *s == Strength::Block) {
                out.pass(
                    subject,
                    loc,
                    format!("{} {}: {}{notes}", p.engine.name(), p.kind, describe(&all)),
                );
            } else {
                out.partial(
                    subject,
                    loc,
                    format!(
                        "{} {} only detects privilege escalation: {}{notes}",
                        p.engine.name(),
                        p.kind,
                        describe(&all)
                    ),
                );
            }
        }
        for (file, rules) in falco_files {
            report_falco_file(model, file, &rules, &answered, out);
        }
    }
}

/// One Falco rules file: pass when a terminating Talon rule answers every rule in it that touches a vector.
fn report_falco_file(
    model: &Model<'_>,
    file: usize,
    rules: &[&RuntimePolicy<'_>],
    answered: &BTreeMap<&str, Vec<&str>>,
    out: &mut EvidenceSink,
) {
    let Some(first) = rules.first() else { return };
    let path = &model.file(file).path;
    let mut all: BTreeMap<Vector, Option<Strength>> = BTreeMap::new();
    for r in rules {
        for v in r.coverage.keys() {
            all.insert(*v, Some(Strength::Detect));
        }
    }
    let list = |names: &[&str]| {
        let shown: Vec<&str> = names.iter().take(6).copied().collect();
        let more = names.len().saturating_sub(shown.len());
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let unanswered: Vec<&str> = rules
        .iter()
        .map(|r| r.name.as_str())
        .filter(|n| !answered.contains_key(n))
        .collect();
    let subject = Subject {
        kind: "FalcoRules".into(),
        namespace: None,
        name: path.clone(),
        container: None,
        display: format!("FalcoRules/{path}"),
    };
    let loc = Some(Location::node(first.node, &first.route));
    if unanswered.is_empty() {
        let talon: Vec<&str> = rules
            .iter()
            .filter_map(|r| answered.get(r.name.as_str()))
            .flatten()
            .map(|n| n.split(" → ").next().unwrap_or(n))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        out.pass(subject, loc, format!(
            "every Falco rule here that detects privilege escalation ({}) is answered by a Talon rule that terminates the pod ({}): post-facto, not syscall denial",
            all.keys().map(|v| v.id()).collect::<Vec<_>>().join(", "),
            list(&talon)
        ));
    } else {
        out.partial(subject, loc, format!(
            "Falco rules detect privilege escalation ({}) but Falco does not block, and no Talon rule terminating the pod answers: {}",
            describe(&all),
            list(&unanswered)
        ));
    }
}
