//! runtime-priv-esc-coverage (4.1.4): per workload namespace, whether eBPF/LSM runtime policies that select its
//! workloads both detect and block the privilege-escalation vectors.

use std::collections::{BTreeMap, BTreeSet};

use crate::evidence::{Location, Severity, Subject};
use crate::model::network::Labels;
use crate::model::runtime_policies::{Strength, Vector, ALL_VECTORS};
use crate::model::Model;
use crate::rules::sink::pod_location;
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

use super::coverage::{describe, workload_coverage, Coverage};

static META: RuleMeta = RuleMeta {
    id: "runtime-priv-esc-coverage",
    title: "Runtime policies detect and block privilege escalation in every workload namespace",
    requirements: &["4.1.4"],
    inputs: "Kubernetes workloads; Tetragon TracingPolicy(Namespaced); KubeArmor(Cluster)Policy; Falco and Falco Talon rules files",
    severity: Severity::Medium,
    what: "For every namespace that runs workloads, finds the runtime policies whose scope (cluster-wide, \
           namespaced, podSelector / selector labels, Talon output_fields) selects each workload, and the \
           privilege-escalation vectors they hook: setuid family, capabilities, user namespaces, execution of \
           setuid programs, ptrace, bpf, mount, kernel modules. A vector is blocked by Tetragon Sigkill / \
           Override / Signal 9 / NotifyEnforcer with an enforcer (not in policy-mode monitor, not narrowed to \
           listed binaries), KubeArmor Block (or an Allow-list under block posture), or a Falco rule answered by \
           a Talon rule that terminates the pod. Pass: every workload has every required vector blocked. Partial: \
           some are only detected (Falco alone, Tetragon Post, KubeArmor Audit) or missing. Fail: a workload that \
           no policy covers at all.",
    why: "4.1.4 asks for eBPF runtime policies that detect and block privilege-escalation syscalls. Detection \
          alone leaves the escalation to succeed; a policy whose selector matches no workload protects nothing.",
    fail_example: "A namespace `ml` with a vLLM Deployment and no TracingPolicy, KubeArmorPolicy or Falco rules among the inputs.",
    pass_example: "kind: TracingPolicy\nspec:\n  kprobes:\n  - call: __sys_setuid\n    selectors:\n    - matchArgs: [{index: 0, operator: Equal, values: [\"0\"]}]\n      matchActions: [{action: Sigkill}]\n  # … likewise security_capset, create_user_ns, security_bprm_creds_from_file",
    remediation: "Deploy a Tetragon TracingPolicy (or KubeArmor policy) that hooks the required vectors with an \
                  enforcing action and selects the AI workloads; for Falco, add a Talon rule that terminates the pod. \
                  The file examples/runtime/tetragon-priv-esc.yaml is a starting point.",
    inconclusive: "A policy selector that could not be understood (template, unknown operator) decides whether a workload is covered.",
    options: &[
        RuleOption {
            name: "required_vectors",
            default: "[\"setuid-family\", \"capabilities\", \"user-namespaces\", \"setuid-exec\"]",
            doc: "Vectors that must be blocked for a pass (also: ptrace, bpf, mount, kernel-modules).",
        },
        RuleOption {
            name: "exempt_namespaces",
            default: "[\"kube-system\", \"kube-public\", \"kube-node-lease\"]",
            doc: "Namespaces not evaluated (system components).",
        },
    ],
};

/// The rule.
pub struct PrivEscCoverage {
    required: Vec<Vector>,
    exempt: Vec<String>,
}

impl Default for PrivEscCoverage {
    fn default() -> Self {
        PrivEscCoverage {
            required: ALL_VECTORS[..4].to_vec(),
            exempt: ["kube-system", "kube-public", "kube-node-lease"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Rule for PrivEscCoverage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["required_vectors", "exempt_namespaces"])?;
        if let Some(ids) = option::<Vec<String>>(options, "required_vectors")? {
            let mut required = Vec::new();
            for id in ids {
                let known: Vec<&str> = ALL_VECTORS.iter().map(|v| v.id()).collect();
                let v = Vector::from_id(&id).ok_or_else(|| {
                    format!(
                        "option `required_vectors`: unknown vector `{id}` (known: {})",
                        known.join(", ")
                    )
                })?;
                required.push(v);
            }
            self.required = required;
        }
        if let Some(list) = option::<Vec<String>>(options, "exempt_namespaces")? {
            self.exempt = list;
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        let mut by_ns: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, w) in model.workloads.iter().enumerate() {
            by_ns.entry(w.namespace.as_str()).or_default().push(i);
        }
        let no_labels = Labels::new();
        for (ns, workloads) in by_ns {
            if self.exempt.iter().any(|e| e == ns) {
                continue;
            }
            let subject = Subject {
                kind: "Namespace".into(),
                namespace: Some(ns.to_string()),
                name: ns.to_string(),
                container: None,
                display: format!("{ns}/Namespace"),
            };
            let loc = namespace_location(model, ns, workloads[0]);
            // Workloads with the same labels get the same answer: compute it once per label set, so many
            // replicas of one template do not multiply the policy scan.
            let mut by_labels: BTreeMap<&Labels, Coverage> = BTreeMap::new();
            let per_workload: Vec<(usize, Coverage)> = workloads
                .iter()
                .map(|&i| {
                    let labels = model.network.pod_labels.get(i).unwrap_or(&no_labels);
                    let c = by_labels
                        .entry(labels)
                        .or_insert_with(|| workload_coverage(model, ns, labels));
                    (i, c.clone())
                })
                .collect();
            let uncovered: Vec<&(usize, Coverage)> = per_workload
                .iter()
                .filter(|(_, c)| c.vectors.is_empty())
                .collect();
            let mut policies: BTreeSet<usize> = BTreeSet::new();
            for (_, c) in &per_workload {
                policies.extend(c.policies.iter().copied());
            }
            let names = |list: &[&(usize, Coverage)]| {
                list.iter()
                    .take(5)
                    .map(|(i, _)| model.workloads[*i].display())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let ev = if let Some((_, undecided)) =
                uncovered.iter().find(|(_, c)| !c.undecided.is_empty())
            {
                out.inconclusive(subject, loc, format!(
                    "namespace `{ns}`: whether runtime policies select its workloads cannot be decided: {}",
                    undecided.undecided.join("; ")
                ))
            } else if !uncovered.is_empty() {
                let what = if model.runtime.policies.is_empty() {
                    "no eBPF runtime policy (Tetragon, KubeArmor, Falco) among the inputs hooks a privilege-escalation vector".to_string()
                } else {
                    "no runtime policy among the inputs selects these workloads with a privilege-escalation hook".to_string()
                };
                out.fail(
                    subject,
                    loc,
                    format!("namespace `{ns}`: {what}: {}", names(&uncovered)),
                )
            } else {
                // The namespace is as strong as its weakest workload, vector by vector.
                let mut weakest: BTreeMap<Vector, Option<Strength>> = BTreeMap::new();
                for v in &self.required {
                    let min = per_workload
                        .iter()
                        .map(|(_, c)| c.vectors.get(v).copied())
                        .min()
                        .flatten();
                    weakest.insert(*v, min);
                }
                let blocked_all = weakest.values().all(|s| *s == Some(Strength::Block));
                let notes = collect_notes(model, &policies);
                if blocked_all {
                    out.pass(
                        subject,
                        loc,
                        format!(
                            "namespace `{ns}`: every workload is covered — {}{notes}",
                            describe(&weakest)
                        ),
                    )
                } else {
                    out.partial(
                        subject,
                        loc,
                        format!(
                            "namespace `{ns}`: detected but not blocked everywhere — {}{notes}",
                            describe(&weakest)
                        ),
                    )
                }
            };
            for p in policies.iter().take(8) {
                let policy = &model.runtime.policies[*p];
                ev.related.push((
                    Location::node(policy.node, &policy.route),
                    format!("{} {}", policy.engine.name(), policy.display()),
                ));
            }
        }
    }
}

fn namespace_location(model: &Model<'_>, ns: &str, first_workload: usize) -> Option<Location> {
    let declared = model
        .namespaces
        .get(ns)
        .and_then(|n| n.object)
        .map(|i| &model.objects[i]);
    match declared {
        Some(o) => Some(Location::node(o.root, &o.base)),
        None => Some(pod_location(&model.workloads[first_workload])),
    }
}

fn collect_notes(model: &Model<'_>, policies: &BTreeSet<usize>) -> String {
    let mut notes: BTreeSet<&str> = BTreeSet::new();
    for p in policies {
        notes.extend(model.runtime.policies[*p].notes.iter().map(String::as_str));
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!(
            " (notes: {})",
            notes.into_iter().take(4).collect::<Vec<_>>().join("; ")
        )
    }
}
