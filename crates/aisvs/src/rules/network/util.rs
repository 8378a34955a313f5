//! Helpers shared by the attack-surface rules: namespace subjects and locations, policy scope, workload kinds.

use crate::evidence::{Location, Subject};
use crate::model::network::Policy;
use crate::model::{Model, Workload};

/// Namespaces that hold at least one workload, in order.
pub fn workload_namespaces(model: &Model<'_>) -> Vec<String> {
    let mut v: Vec<String> = model
        .workloads
        .iter()
        .map(|w| w.namespace.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Subject for a namespace.
pub fn namespace_subject(ns: &str) -> Subject {
    Subject {
        kind: "Namespace".into(),
        namespace: Some(ns.to_string()),
        name: ns.to_string(),
        container: None,
        display: ns.to_string(),
    }
}

/// The Namespace object when declared, else the first workload of the namespace.
pub fn namespace_location(model: &Model<'_>, ns: &str) -> Option<Location> {
    if let Some(i) = model.namespaces.get(ns).and_then(|n| n.object) {
        let o = &model.objects[i];
        return Some(Location::node(o.root, &o.base));
    }
    model
        .workloads
        .iter()
        .find(|w| w.namespace == ns)
        .map(|w| Location::node(w.pod_spec, &w.pod_route))
}

/// Location of a node inside a policy.
pub fn policy_location(p: &Policy<'_>) -> Location {
    Location::node(p.spec, &p.route)
}

/// Subject for the object behind a policy.
pub fn policy_subject(model: &Model<'_>, p: &Policy<'_>) -> Subject {
    super::super::sink::object_subject(&model.objects[p.object])
}

/// Whether a policy applies in a namespace: `Ok(true)` when its scope includes the namespace.
pub fn in_scope(model: &Model<'_>, p: &Policy<'_>, ns: &str) -> Result<bool, String> {
    if let Some(pns) = &p.namespace {
        return Ok(pns == ns);
    }
    match &p.namespace_selector {
        None => Ok(true),
        Some(sel) => {
            let labels = crate::model::network::NetworkModel::namespace_labels(model, ns);
            sel.matches(&labels)
                .ok_or_else(|| sel.invalid.clone().unwrap_or_default())
        }
    }
}

/// A short name for a policy in messages: `NetworkPolicy ml/default-deny`.
pub fn policy_name(model: &Model<'_>, p: &Policy<'_>) -> String {
    let o = &model.objects[p.object];
    match &o.namespace {
        Some(ns) => format!("{} {ns}/{}", o.kind, o.name),
        None => format!("{} {}", o.kind, o.name),
    }
}

/// Images, names and CRD kinds of inference servers (4.3.3 and 4.3.2c).
pub fn is_inference(
    model: &Model<'_>,
    w: &Workload<'_>,
    extra_label: Option<&str>,
) -> Option<String> {
    let o = &model.objects[w.object];
    match (o.group, o.kind) {
        ("serving.kserve.io", k) => return Some(format!("KServe {k}")),
        ("ray.io", "RayService") => return Some("Ray Serve (RayService)".into()),
        ("machinelearning.seldon.io" | "mlops.seldon.io", k) => return Some(format!("Seldon {k}")),
        _ => {}
    }
    if let Some(label) = extra_label {
        let (k, v) = label.split_once('=').unwrap_or((label, ""));
        if w.pod_label(k).is_some_and(|x| v.is_empty() || x == v) {
            return Some(format!("label {label}"));
        }
    }
    const IMAGES: &[(&str, &str)] = &[
        ("vllm/vllm-openai", "vLLM"),
        ("vllm-openai", "vLLM"),
        ("text-generation-inference", "TGI"),
        ("tritonserver", "Triton"),
        ("ollama/ollama", "Ollama"),
        ("pytorch/torchserve", "TorchServe"),
        ("lmsysorg/sglang", "SGLang"),
        ("nvcr.io/nim/", "NVIDIA NIM"),
    ];
    for c in &w.containers {
        let image = c.image().unwrap_or_default();
        if let Some((_, name)) = IMAGES.iter().find(|(pat, _)| image.contains(pat)) {
            return Some(format!("{name} ({image})"));
        }
        let cmd = c.command_line();
        if cmd.contains("vllm serve") || cmd.contains("vllm.entrypoints") {
            return Some("vLLM (command)".into());
        }
        if cmd.contains("sglang.launch_server") {
            return Some("SGLang (command)".into());
        }
    }
    None
}

/// The egress picture of one workload, from every policy that selects it.
pub struct EgressView<'m, 'a> {
    /// Some enforced policy isolates its egress.
    pub isolated: bool,
    /// Allow rules of selecting policies.
    pub allows: Vec<(&'m crate::model::network::PolicyRule<'a>, &'m Policy<'a>)>,
    /// Deny rules of selecting policies (Cilium egressDeny, Calico Deny).
    pub denies: Vec<(&'m crate::model::network::PolicyRule<'a>, &'m Policy<'a>)>,
    /// Policies whose selection or peers could not be evaluated.
    pub undecided: Vec<String>,
}

/// Collects the egress rules that apply to a workload.
pub fn egress_view<'m, 'a>(model: &'m Model<'a>, wi: usize) -> EgressView<'m, 'a> {
    use crate::model::network::Action;
    let mut v = EgressView {
        isolated: false,
        allows: Vec::new(),
        denies: Vec::new(),
        undecided: Vec::new(),
    };
    for &pi in model
        .network
        .selecting
        .get(wi)
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let p = &model.network.policies[pi];
        if p.staged {
            continue;
        }
        v.isolated |= p.egress.isolates;
        for r in &p.egress.rules {
            match r.action {
                Action::Allow => v.allows.push((r, p)),
                Action::Deny => v.denies.push((r, p)),
                Action::Other => {}
            }
        }
    }
    for (pi, why) in model
        .network
        .undecided
        .get(wi)
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        v.undecided.push(format!(
            "{}: {why}",
            policy_name(model, &model.network.policies[*pi])
        ));
    }
    v
}
