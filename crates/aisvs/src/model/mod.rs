//! The model: read-only indices over every parsed input, built once and shared by all rules.

pub mod iac;
pub mod k8s;
pub mod network;
pub mod pod_paths;
pub mod runtime_policies;
pub mod scan_evidence;

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::parse::{Document, Node, Route};
use crate::source::{FileId, SourceFile};

pub use k8s::{Container, ContainerClass, K8sObject, Level, Workload};

/// A source file with what parsing made of it.
#[derive(Debug)]
pub struct ParsedFile {
    /// The source.
    pub source: SourceFile,
    /// Its YAML/JSON documents (empty for other kinds or when parsing failed).
    pub docs: Vec<Document>,
    /// Whether YAML/JSON parsing failed (a diagnostic says why).
    pub parse_failed: bool,
}

/// A namespace, declared by a `Namespace` object or implied by objects that name it.
#[derive(Debug)]
pub struct NamespaceInfo<'a> {
    /// Index of the `Namespace` object, when declared.
    pub object: Option<usize>,
    /// Its labels (declared namespaces only).
    pub labels: Option<&'a Node>,
    /// Its annotations (declared namespaces only).
    pub annotations: Option<&'a Node>,
}

/// A RuntimeClass from the inputs.
#[derive(Debug)]
pub struct RuntimeClassInfo {
    /// Index of the object.
    pub object: usize,
    /// `handler`.
    pub handler: Option<String>,
}

/// Everything the rules read.
pub struct Model<'a> {
    /// Every input file, by [`FileId`].
    pub files: &'a [ParsedFile],
    /// Every Kubernetes object.
    pub objects: Vec<K8sObject<'a>>,
    /// Every pod template, normalised.
    pub workloads: Vec<Workload<'a>>,
    /// Namespaces, declared and implied, by name.
    pub namespaces: BTreeMap<String, NamespaceInfo<'a>>,
    /// RuntimeClasses by name.
    pub runtime_classes: BTreeMap<String, RuntimeClassInfo>,
    /// Network policies, services and exposure (4.3.x).
    pub network: network::NetworkModel<'a>,
    /// Terraform, Dockerfiles, Compose files and CI pipelines.
    pub iac: iac::IacModel<'a>,
    /// Evidence files: scanner reports, signatures, provenance, vetting records.
    pub evidence: scan_evidence::EvidenceModel,
    /// eBPF/LSM runtime policies: Tetragon, KubeArmor, Falco and Talon (4.1.4).
    pub runtime: runtime_policies::RuntimeModel<'a>,
}

impl<'a> Model<'a> {
    /// Builds the model; problems found on the way become diagnostics.
    pub fn build(
        files: &'a [ParsedFile],
        evidence: &scan_evidence::EvidenceContext,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut objects = Vec::new();
        for f in files {
            for doc in &f.docs {
                collect_objects(
                    f.source.id,
                    doc.index,
                    &doc.root,
                    Route::root(),
                    &mut objects,
                    0,
                );
            }
        }
        let workloads = objects
            .iter()
            .enumerate()
            .flat_map(|(i, o)| k8s::workloads_of(i, o))
            .collect();
        let mut namespaces = BTreeMap::new();
        let mut runtime_classes = BTreeMap::new();
        for (i, o) in objects.iter().enumerate() {
            if o.kind == "Namespace" && o.group.is_empty() {
                let meta = o.root.get("metadata");
                namespaces.insert(
                    o.name.clone(),
                    NamespaceInfo {
                        object: Some(i),
                        labels: meta.and_then(|m| m.get("labels")),
                        annotations: meta.and_then(|m| m.get("annotations")),
                    },
                );
            } else if o.kind == "RuntimeClass" && o.group == "node.k8s.io" {
                let handler = o.root.get("handler").and_then(|h| h.scalar_text());
                runtime_classes.insert(o.name.clone(), RuntimeClassInfo { object: i, handler });
            }
        }
        for o in &objects {
            if let Some(ns) = &o.namespace {
                namespaces.entry(ns.clone()).or_insert(NamespaceInfo {
                    object: None,
                    labels: None,
                    annotations: None,
                });
            }
        }
        let mut model = Model {
            files,
            objects,
            workloads,
            namespaces,
            runtime_classes,
            network: network::NetworkModel::default(),
            iac: iac::IacModel::default(),
            evidence: scan_evidence::EvidenceModel::default(),
            runtime: runtime_policies::RuntimeModel::default(),
        };
        model.network = network::NetworkModel::build(&model, diags);
        model.iac = iac::IacModel::build(files, diags);
        model.evidence = scan_evidence::EvidenceModel::build(files, &model, evidence, diags);
        model.runtime = runtime_policies::RuntimeModel::build(&model);
        model
    }

    /// The source file behind an id.
    pub fn file(&self, id: FileId) -> &'a SourceFile {
        &self.files[id].source
    }

    /// Objects of a given kind (any group).
    pub fn objects_of_kind<'s>(
        &'s self,
        kind: &'s str,
    ) -> impl Iterator<Item = (usize, &'s K8sObject<'a>)> + 's {
        self.objects
            .iter()
            .enumerate()
            .filter(move |(_, o)| o.kind == kind)
    }
}

/// Lists (`kind: List`, `…List` with `items`) hold objects; everything with apiVersion and kind is one.
fn collect_objects<'a>(
    file: FileId,
    doc: usize,
    node: &'a Node,
    base: Route,
    out: &mut Vec<K8sObject<'a>>,
    depth: usize,
) {
    let kind = node.get("kind").and_then(|k| k.as_str());
    let api = node.get("apiVersion").and_then(|k| k.as_str());
    let (Some(kind), Some(api_version)) = (kind, api) else {
        return;
    };
    if kind.ends_with("List") && depth < 4 {
        if let Some(items) = node.get("items") {
            for (i, item) in items.items().iter().enumerate() {
                collect_objects(file, doc, item, base.key("items").index(i), out, depth + 1);
            }
            return;
        }
    }
    let meta = node.get("metadata");
    let name = meta
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(|n| n.scalar_text())
        .unwrap_or_else(|| "<unnamed>".into());
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(|n| n.scalar_text());
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    out.push(K8sObject {
        file,
        doc,
        base,
        root: node,
        api_version,
        group,
        kind,
        name,
        namespace,
    });
}
