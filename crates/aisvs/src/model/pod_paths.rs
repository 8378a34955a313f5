//! Where the PodSpec lives in every workload kind we know, core and AI/ML CRDs alike (knowledge base §0.1).

use crate::parse::{Node, Route};

use super::k8s::K8sObject;

/// One pod template found inside an object.
pub struct TemplateAt<'a> {
    /// The PodSpec.
    pub spec: &'a Node,
    /// Its route.
    pub route: Route,
    /// The template's metadata (labels, annotations).
    pub meta: Option<&'a Node>,
    /// A short name for the template within its object (`head`, `worker:gpu`, …).
    pub role: String,
    /// Containers embedded inline outside `containers[]` (KServe framework blocks).
    pub inline_containers: Vec<(&'a Node, Route)>,
}

/// How a path pattern ends: at a template (`metadata` + `spec`) or directly at a PodSpec.
#[derive(Clone, Copy)]
enum At {
    Template,
    PodSpec,
}

/// (API groups, kind, patterns). `[*]` iterates a sequence, `{*}` the values of a mapping.
type KindPaths = (
    &'static [&'static str],
    &'static str,
    &'static [(&'static str, At)],
);

const CORE: &[&str] = &["", "apps", "batch", "extensions"];
const KUBEFLOW: &[&str] = &["kubeflow.org"];
const RAY: &[&str] = &["ray.io"];

static KINDS: &[KindPaths] = &[
    (CORE, "PodTemplate", &[("template", At::Template)]),
    (
        CORE,
        "ReplicationController",
        &[("spec.template", At::Template)],
    ),
    (CORE, "Deployment", &[("spec.template", At::Template)]),
    (CORE, "ReplicaSet", &[("spec.template", At::Template)]),
    (CORE, "StatefulSet", &[("spec.template", At::Template)]),
    (CORE, "DaemonSet", &[("spec.template", At::Template)]),
    (CORE, "Job", &[("spec.template", At::Template)]),
    (
        CORE,
        "CronJob",
        &[("spec.jobTemplate.spec.template", At::Template)],
    ),
    (
        &["argoproj.io"],
        "Rollout",
        &[("spec.template", At::Template)],
    ),
    (
        &["serving.knative.dev"],
        "Service",
        &[("spec.template", At::Template)],
    ),
    (
        &["serving.knative.dev"],
        "Configuration",
        &[("spec.template", At::Template)],
    ),
    (
        &["serving.knative.dev"],
        "Revision",
        &[("spec", At::PodSpec)],
    ),
    (
        &["serving.kserve.io"],
        "ServingRuntime",
        &[("spec", At::PodSpec), ("spec.workerSpec", At::PodSpec)],
    ),
    (
        &["serving.kserve.io"],
        "ClusterServingRuntime",
        &[("spec", At::PodSpec), ("spec.workerSpec", At::PodSpec)],
    ),
    (
        &["serving.kserve.io"],
        "LLMInferenceService",
        &[
            ("spec.template", At::PodSpec),
            ("spec.worker", At::PodSpec),
            ("spec.prefill.template", At::PodSpec),
            ("spec.prefill.worker", At::PodSpec),
        ],
    ),
    (
        RAY,
        "RayCluster",
        &[
            ("spec.headGroupSpec.template", At::Template),
            ("spec.workerGroupSpecs[*].template", At::Template),
        ],
    ),
    (
        RAY,
        "RayJob",
        &[
            ("spec.rayClusterSpec.headGroupSpec.template", At::Template),
            (
                "spec.rayClusterSpec.workerGroupSpecs[*].template",
                At::Template,
            ),
            ("spec.submitterPodTemplate", At::Template),
        ],
    ),
    (
        RAY,
        "RayService",
        &[
            ("spec.rayClusterConfig.headGroupSpec.template", At::Template),
            (
                "spec.rayClusterConfig.workerGroupSpecs[*].template",
                At::Template,
            ),
        ],
    ),
    (
        RAY,
        "RayCronJob",
        &[
            (
                "spec.jobTemplate.rayClusterSpec.headGroupSpec.template",
                At::Template,
            ),
            (
                "spec.jobTemplate.rayClusterSpec.workerGroupSpecs[*].template",
                At::Template,
            ),
        ],
    ),
    (KUBEFLOW, "Notebook", &[("spec.template", At::Template)]),
    (
        KUBEFLOW,
        "PyTorchJob",
        &[("spec.pytorchReplicaSpecs{*}.template", At::Template)],
    ),
    (
        KUBEFLOW,
        "TFJob",
        &[("spec.tfReplicaSpecs{*}.template", At::Template)],
    ),
    (
        KUBEFLOW,
        "MPIJob",
        &[("spec.mpiReplicaSpecs{*}.template", At::Template)],
    ),
    (
        KUBEFLOW,
        "XGBoostJob",
        &[("spec.xgbReplicaSpecs{*}.template", At::Template)],
    ),
    (
        KUBEFLOW,
        "PaddleJob",
        &[("spec.paddleReplicaSpecs{*}.template", At::Template)],
    ),
    (
        KUBEFLOW,
        "JAXJob",
        &[("spec.jaxReplicaSpecs{*}.template", At::Template)],
    ),
    (
        KUBEFLOW,
        "MXJob",
        &[("spec.mxReplicaSpecs{*}.template", At::Template)],
    ),
    (
        &["trainer.kubeflow.org"],
        "TrainingRuntime",
        &[(
            "spec.template.spec.replicatedJobs[*].template.spec.template",
            At::Template,
        )],
    ),
    (
        &["trainer.kubeflow.org"],
        "ClusterTrainingRuntime",
        &[(
            "spec.template.spec.replicatedJobs[*].template.spec.template",
            At::Template,
        )],
    ),
    (
        &["jobset.x-k8s.io"],
        "JobSet",
        &[(
            "spec.replicatedJobs[*].template.spec.template",
            At::Template,
        )],
    ),
    (
        &["leaderworkerset.x-k8s.io"],
        "LeaderWorkerSet",
        &[
            ("spec.leaderWorkerTemplate.leaderTemplate", At::Template),
            ("spec.leaderWorkerTemplate.workerTemplate", At::Template),
        ],
    ),
    (
        &["batch.volcano.sh"],
        "Job",
        &[("spec.tasks[*].template", At::Template)],
    ),
    (
        &["machinelearning.seldon.io"],
        "SeldonDeployment",
        &[("spec.predictors[*].componentSpecs[*]", At::Template)],
    ),
    (
        &["mlops.seldon.io"],
        "ServerConfig",
        &[("spec.podSpec", At::PodSpec)],
    ),
    (
        &["mlops.seldon.io"],
        "Server",
        &[("spec.podSpec", At::PodSpec)],
    ),
    (
        &["agents.x-k8s.io", "extensions.agents.x-k8s.io"],
        "Sandbox",
        &[("spec.podTemplate", At::Template)],
    ),
    (
        &["agents.x-k8s.io", "extensions.agents.x-k8s.io"],
        "SandboxTemplate",
        &[("spec.podTemplate", At::Template)],
    ),
];

/// KServe InferenceService components, each an inline PodSpec.
const KSERVE_COMPONENTS: &[&str] = &["predictor", "transformer", "explainer"];
/// KServe framework blocks that embed a container inline in a component.
const KSERVE_FRAMEWORKS: &[&str] = &[
    "model",
    "sklearn",
    "xgboost",
    "tensorflow",
    "pytorch",
    "triton",
    "onnx",
    "huggingface",
    "pmml",
    "lightgbm",
    "paddle",
];

/// Every pod template inside an object; empty for objects that carry none.
pub fn pod_templates<'a>(obj: &K8sObject<'a>) -> Vec<TemplateAt<'a>> {
    if obj.kind == "Pod" && obj.group.is_empty() {
        return match obj.root.get("spec") {
            Some(spec) => vec![TemplateAt {
                spec,
                route: obj.base.key("spec"),
                meta: obj.root.get("metadata"),
                role: String::new(),
                inline_containers: Vec::new(),
            }],
            None => Vec::new(),
        };
    }
    if obj.kind == "InferenceService" && obj.group == "serving.kserve.io" {
        return kserve_components(obj);
    }
    let Some((_, _, patterns)) = KINDS
        .iter()
        .find(|(groups, kind, _)| *kind == obj.kind && groups.contains(&obj.group))
    else {
        return Vec::new();
    };
    let many = patterns.len() > 1;
    let mut out = Vec::new();
    for (pattern, at) in patterns.iter() {
        let mut found = Vec::new();
        walk(
            obj.root,
            obj.base.clone(),
            &pattern.split('.').collect::<Vec<_>>(),
            String::new(),
            &mut found,
        );
        for (node, route, label) in found {
            let role = role_name(pattern, &label, node, many);
            let (spec, spec_route, meta) = match at {
                At::Template => match node.get("spec") {
                    Some(spec) => (spec, route.key("spec"), node.get("metadata")),
                    None => continue,
                },
                At::PodSpec => (node, route, None),
            };
            out.push(TemplateAt {
                spec,
                route: spec_route,
                meta,
                role,
                inline_containers: Vec::new(),
            });
        }
    }
    out
}

fn kserve_components<'a>(obj: &K8sObject<'a>) -> Vec<TemplateAt<'a>> {
    let mut out = Vec::new();
    let Some(spec) = obj.root.get("spec") else {
        return out;
    };
    for comp in KSERVE_COMPONENTS {
        let Some(node) = spec.get(comp) else { continue };
        let route = obj.base.key("spec").key(comp);
        let inline = KSERVE_FRAMEWORKS
            .iter()
            .filter_map(|f| {
                node.get(f)
                    .filter(|n| n.is_map())
                    .map(|n| (n, route.key(f)))
            })
            .collect();
        out.push(TemplateAt {
            spec: node,
            route: route.clone(),
            meta: obj.root.get("metadata"),
            role: (*comp).to_string(),
            inline_containers: inline,
        });
        if let Some(worker) = node.get("workerSpec") {
            out.push(TemplateAt {
                spec: worker,
                route: route.key("workerSpec"),
                meta: obj.root.get("metadata"),
                role: format!("{comp}:worker"),
                inline_containers: Vec::new(),
            });
        }
    }
    out
}

fn walk<'a>(
    node: &'a Node,
    route: Route,
    segs: &[&str],
    label: String,
    out: &mut Vec<(&'a Node, Route, String)>,
) {
    let Some((first, rest)) = segs.split_first() else {
        out.push((node, route, label));
        return;
    };
    let (key, iter) = if let Some(k) = first.strip_suffix("[*]") {
        (k, Some(true))
    } else if let Some(k) = first.strip_suffix("{*}") {
        (k, Some(false))
    } else {
        (*first, None)
    };
    let Some(child) = node.get(key) else { return };
    let route = route.key(key);
    match iter {
        None => walk(child, route, rest, label, out),
        Some(true) => {
            for (i, item) in child.items().iter().enumerate() {
                let name = item
                    .get("groupName")
                    .or_else(|| item.get("name"))
                    .and_then(|n| n.scalar_text());
                walk(
                    item,
                    route.index(i),
                    rest,
                    name.unwrap_or_else(|| i.to_string()),
                    out,
                );
            }
        }
        Some(false) => {
            for e in child.entries() {
                walk(&e.value, route.key(&e.key), rest, e.key.to_string(), out);
            }
        }
    }
}

fn role_name(pattern: &str, label: &str, _node: &Node, many: bool) -> String {
    let base = if pattern.contains("headGroupSpec") {
        "head"
    } else if pattern.contains("workerGroupSpecs") {
        "worker"
    } else if pattern.contains("submitter") {
        "submitter"
    } else if pattern.contains("leaderTemplate") {
        "leader"
    } else if pattern.contains("workerTemplate")
        || pattern.ends_with("worker")
        || pattern.ends_with("workerSpec")
    {
        "worker"
    } else if pattern.contains("prefill") {
        "prefill"
    } else {
        ""
    };
    match (base, label.is_empty()) {
        ("", true) if many => pattern.rsplit('.').next().unwrap_or("").to_string(),
        ("", true) => String::new(),
        ("", false) => label.to_string(),
        (b, true) => b.to_string(),
        (b, false) => format!("{b}:{label}"),
    }
}
