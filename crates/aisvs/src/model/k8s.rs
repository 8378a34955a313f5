//! Kubernetes objects, and every pod template they carry normalised into workloads with their containers.

use crate::parse::{Node, Route};
use crate::source::FileId;

use super::pod_paths::{pod_templates, TemplateAt};

/// A Kubernetes object found in the inputs (any document with `apiVersion` and `kind`).
#[derive(Debug)]
pub struct K8sObject<'a> {
    /// File it came from.
    pub file: FileId,
    /// Document index within the file.
    pub doc: usize,
    /// Route of the object inside its document (non-empty for items of a `List`).
    pub base: Route,
    /// The object.
    pub root: &'a Node,
    /// `apiVersion`.
    pub api_version: &'a str,
    /// API group (`apps`, `ray.io`; empty for the core group).
    pub group: &'a str,
    /// `kind`.
    pub kind: &'a str,
    /// `metadata.name` (or `generateName`, or `<unnamed>`).
    pub name: String,
    /// `metadata.namespace` when set.
    pub namespace: Option<String>,
}

impl<'a> K8sObject<'a> {
    /// `metadata.labels[key]`.
    pub fn label(&self, key: &str) -> Option<&'a str> {
        self.root.at("metadata.labels")?.get(key)?.as_str()
    }
    /// `metadata.annotations[key]`.
    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.root.at("metadata.annotations")?.get(key)?.as_str()
    }
    /// The namespace, `default` when the manifest leaves it to the tool that applies it.
    pub fn namespace_or_default(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
    /// Display name: `namespace/Kind/name`.
    pub fn display(&self) -> String {
        format!(
            "{}/{}/{}",
            self.namespace_or_default(),
            self.kind,
            self.name
        )
    }
    /// The `spec` node, if any.
    pub fn spec(&self) -> Option<&'a Node> {
        self.root.get("spec")
    }
}

/// Where a container sits in its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContainerClass {
    /// `initContainers[*]` that run to completion.
    Init,
    /// `initContainers[*]` with `restartPolicy: Always` (native sidecars: long-running).
    Sidecar,
    /// `containers[*]` (and inline KServe framework containers).
    Main,
    /// `ephemeralContainers[*]` (debug containers on live pods).
    Ephemeral,
}

/// One container of a workload.
#[derive(Debug)]
pub struct Container<'a> {
    /// `name` (or `<unnamed>`).
    pub name: String,
    /// The container node.
    pub node: &'a Node,
    /// Route of the container inside the document.
    pub route: Route,
    /// Init, sidecar, main or ephemeral.
    pub class: ContainerClass,
}

impl<'a> Container<'a> {
    /// `securityContext.<field>` of this container.
    pub fn sc(&self, field: &str) -> Option<&'a Node> {
        self.node.get("securityContext")?.get(field)
    }
    /// `image`.
    pub fn image(&self) -> Option<&'a str> {
        self.node.get("image")?.as_str()
    }
    /// `command` and `args` joined with spaces.
    pub fn command_line(&self) -> String {
        let mut parts = Vec::new();
        for key in ["command", "args"] {
            if let Some(n) = self.node.get(key) {
                match n.as_str() {
                    Some(s) => parts.push(s.to_string()),
                    None => parts.extend(n.items().iter().filter_map(|i| i.scalar_text())),
                }
            }
        }
        parts.join(" ")
    }
}

/// Where a setting was found: on the container, inherited from the pod, or nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `containers[*].securityContext`.
    Container,
    /// `spec.securityContext` of the pod.
    Pod,
}

/// A pod template (or a Pod) normalised: one per template inside an object.
#[derive(Debug)]
pub struct Workload<'a> {
    /// Index into [`super::Model::objects`].
    pub object: usize,
    /// The owning object's kind.
    pub kind: &'a str,
    /// The owning object's name.
    pub name: String,
    /// Effective namespace (`default` when unset).
    pub namespace: String,
    /// Which template of the object (`head`, `worker:gpu`, `predictor`…); empty when the object has one.
    pub role: String,
    /// The PodSpec node.
    pub pod_spec: &'a Node,
    /// Route of the PodSpec.
    pub pod_route: Route,
    /// The pod template's metadata (or the Pod's own metadata).
    pub pod_meta: Option<&'a Node>,
    /// Every container with its class.
    pub containers: Vec<Container<'a>>,
    /// The file of the owning object.
    pub file: FileId,
}

impl<'a> Workload<'a> {
    /// `spec.securityContext.<field>` of the pod.
    pub fn pod_sc(&self, field: &str) -> Option<&'a Node> {
        self.pod_spec.get("securityContext")?.get(field)
    }
    /// A field that a container inherits from the pod's securityContext when it does not set it.
    pub fn effective_sc(&self, c: &Container<'a>, field: &str) -> Option<(&'a Node, Route, Level)> {
        if let Some(n) = c.sc(field) {
            return Some((
                n,
                c.route.keys("securityContext").key(field),
                Level::Container,
            ));
        }
        self.pod_sc(field).map(|n| {
            (
                n,
                self.pod_route.keys("securityContext").key(field),
                Level::Pod,
            )
        })
    }
    /// A label of the pod template, falling back to the object's labels.
    pub fn pod_label(&self, key: &str) -> Option<&'a str> {
        self.pod_meta?.get("labels")?.get(key)?.as_str()
    }
    /// Subject display name: `namespace/Kind/name[/role]`.
    pub fn display(&self) -> String {
        if self.role.is_empty() {
            format!("{}/{}/{}", self.namespace, self.kind, self.name)
        } else {
            format!(
                "{}/{}/{}/{}",
                self.namespace, self.kind, self.name, self.role
            )
        }
    }
}

/// Builds the workloads of one object.
pub fn workloads_of<'a>(index: usize, obj: &K8sObject<'a>) -> Vec<Workload<'a>> {
    pod_templates(obj)
        .into_iter()
        .map(|t: TemplateAt<'a>| Workload {
            object: index,
            kind: obj.kind,
            name: obj.name.clone(),
            namespace: obj.namespace_or_default().to_string(),
            role: t.role,
            pod_spec: t.spec,
            containers: containers_of(t.spec, &t.route, t.inline_containers),
            pod_route: t.route,
            pod_meta: t.meta,
            file: obj.file,
        })
        .collect()
}

fn containers_of<'a>(
    spec: &'a Node,
    route: &Route,
    inline: Vec<(&'a Node, Route)>,
) -> Vec<Container<'a>> {
    let mut out = Vec::new();
    for (key, default_class) in [
        ("initContainers", ContainerClass::Init),
        ("containers", ContainerClass::Main),
        ("ephemeralContainers", ContainerClass::Ephemeral),
    ] {
        for (i, c) in spec
            .get(key)
            .map(|n| n.items())
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let class = if default_class == ContainerClass::Init
                && c.get("restartPolicy").and_then(|r| r.as_str()) == Some("Always")
            {
                ContainerClass::Sidecar
            } else {
                default_class
            };
            out.push(Container {
                name: container_name(c),
                node: c,
                route: route.key(key).index(i),
                class,
            });
        }
    }
    for (node, r) in inline {
        // KServe names the container it builds from a framework block `kserve-container`.
        let name = node
            .get("name")
            .and_then(|n| n.scalar_text())
            .unwrap_or_else(|| "kserve-container".into());
        out.push(Container {
            name,
            node,
            route: r,
            class: ContainerClass::Main,
        });
    }
    out
}

fn container_name(c: &Node) -> String {
    c.get("name")
        .and_then(|n| n.scalar_text())
        .unwrap_or_else(|| "<unnamed>".into())
}
