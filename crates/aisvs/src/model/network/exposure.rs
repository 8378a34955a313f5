//! Who can reach a pod from outside: Services (LoadBalancer, NodePort, externalIPs), Ingress and Gateway
//! API routes, KubeRay head services, hostPort and hostNetwork. One list of [`Exposure`] per workload.

use crate::model::{K8sObject, Workload};
use crate::parse::{Node, Route};

use super::selector::Labels;

/// One way a workload port is reachable from outside the pod network.
#[derive(Debug, Clone)]
pub struct Exposure<'a> {
    /// The container port reached (`None` when a named port could not be resolved, or for hostNetwork).
    pub port: Option<u16>,
    /// The port name when the target was given as a name.
    pub port_name: Option<String>,
    /// Human description (`Service ml/vllm (LoadBalancer)`, `hostPort 8265`).
    pub via: String,
    /// Object that exposes it (index into `Model::objects`).
    pub object: usize,
    /// Route of the exposing field.
    pub route: Route,
    /// The exposing node.
    pub node: &'a Node,
}

/// A Service, with what it selects and whether it is reachable from outside the cluster.
#[derive(Debug, Clone)]
pub struct ServiceInfo<'a> {
    /// Index of the object.
    pub object: usize,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `spec.type` (`ClusterIP` default).
    pub service_type: String,
    /// Has `externalIPs`.
    pub external_ips: bool,
    /// Its selector (`None`: no selector, endpoints managed elsewhere).
    pub selector: Option<Labels>,
    /// `spec.ports`.
    pub ports: &'a [Node],
    /// Route of the object.
    pub route: Route,
}

impl ServiceInfo<'_> {
    /// LoadBalancer, NodePort or externalIPs.
    pub fn is_external(&self) -> bool {
        matches!(self.service_type.as_str(), "LoadBalancer" | "NodePort") || self.external_ips
    }
}

/// Reads a core Service.
pub fn service_of<'a>(index: usize, o: &K8sObject<'a>) -> Option<ServiceInfo<'a>> {
    let spec = o.spec()?;
    let selector = spec.get("selector").filter(|s| s.is_map()).map(|s| {
        s.entries()
            .iter()
            .filter_map(|e| e.value.scalar_text().map(|v| (e.key.to_string(), v)))
            .collect()
    });
    Some(ServiceInfo {
        object: index,
        namespace: o.namespace_or_default().to_string(),
        name: o.name.clone(),
        service_type: spec
            .get("type")
            .and_then(Node::scalar_text)
            .unwrap_or_else(|| "ClusterIP".into()),
        external_ips: spec
            .get("externalIPs")
            .is_some_and(|n| !n.items().is_empty()),
        selector,
        ports: spec.get("ports").map(Node::items).unwrap_or(&[]),
        route: o.base.clone(),
    })
}

/// Backends `(namespace, service, port number or name, route)` of an Ingress or a Gateway API route.
pub fn route_backends<'a>(
    o: &K8sObject<'a>,
) -> Vec<(String, String, Option<String>, Route, &'a Node)> {
    let ns = o.namespace_or_default().to_string();
    let mut out = Vec::new();
    let Some(spec) = o.spec() else { return out };
    if o.kind == "Ingress" {
        let mut push = |b: &'a Node, route: Route| {
            if let Some(svc) = b.get("service") {
                let name = svc
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default();
                let port = svc
                    .at("port.number")
                    .or_else(|| svc.at("port.name"))
                    .and_then(Node::scalar_text);
                out.push((ns.clone(), name, port, route, b));
            } else if let Some(name) = b.get("serviceName").and_then(Node::scalar_text) {
                let port = b.get("servicePort").and_then(Node::scalar_text);
                out.push((ns.clone(), name, port, route, b));
            }
        };
        let base = o.base.key("spec");
        if let Some(b) = spec.get("defaultBackend").or_else(|| spec.get("backend")) {
            push(b, base.key("defaultBackend"));
        }
        for (i, rule) in spec
            .get("rules")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            for (j, p) in rule
                .at("http.paths")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                if let Some(b) = p.get("backend") {
                    push(
                        b,
                        base.keys("rules")
                            .index(i)
                            .keys("http.paths")
                            .index(j)
                            .key("backend"),
                    );
                }
            }
        }
    } else {
        for (i, rule) in spec
            .get("rules")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            for (j, b) in rule
                .get("backendRefs")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let kind = b.get("kind").and_then(Node::as_str).unwrap_or("Service");
                if kind != "Service" {
                    continue;
                }
                let bns = b
                    .get("namespace")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| ns.clone());
                let name = b
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default();
                let route = o
                    .base
                    .keys("spec.rules")
                    .index(i)
                    .key("backendRefs")
                    .index(j);
                out.push((
                    bns,
                    name,
                    b.get("port").and_then(Node::scalar_text),
                    route,
                    b,
                ));
            }
        }
    }
    out
}

/// Resolves a Service `targetPort` (number or name) against a workload's container ports.
pub fn resolve_port(w: &Workload<'_>, target: &str) -> (Option<u16>, Option<String>) {
    if let Ok(n) = target.parse::<u16>() {
        return (Some(n), None);
    }
    for c in &w.containers {
        for p in c.node.get("ports").map(Node::items).unwrap_or(&[]) {
            if p.get("name").and_then(Node::as_str) == Some(target) {
                let n = p
                    .get("containerPort")
                    .and_then(Node::as_i64)
                    .and_then(|n| u16::try_from(n).ok());
                return (n, Some(target.to_string()));
            }
        }
    }
    (None, Some(target.to_string()))
}

/// Whether a Service selector selects the labels (an empty selector selects nothing for Services).
pub fn service_selects(sel: &Labels, pod: &Labels) -> bool {
    !sel.is_empty() && sel.iter().all(|(k, v)| pod.get(k) == Some(v))
}
