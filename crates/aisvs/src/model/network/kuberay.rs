//! How a KubeRay head pod is reachable from outside. KubeRay creates the head Service itself, so it is never
//! among the inputs: its type comes from `headGroupSpec.serviceType`, KubeRay's own Ingress from
//! `enableIngress`, and an Ingress or Gateway route reaches it by the name KubeRay gives it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Model, Workload};
use crate::parse::{Node, Route};

use super::exposure::{resolve_port, Exposure};

/// A route backend: port (number or name), route object, route and node.
pub type RoutedBackend<'a> = (Option<String>, usize, Route, &'a Node);

/// Route backends by `(namespace, service name)`.
pub type Routed<'a> = BTreeMap<(String, String), Vec<RoutedBackend<'a>>>;

/// Ports KubeRay puts on the head Service when the head container does not declare them.
const DEFAULT_HEAD_PORTS: &[(&str, u16)] = &[
    ("gcs-server", 6379),
    ("dashboard", 8265),
    ("client", 10001),
    ("serve", 8000),
    ("metrics", 8080),
];

/// The head group of a KubeRay CR and where it is.
fn head_group<'a>(model: &Model<'a>, w: &Workload<'a>) -> Option<(&'static str, &'a Node)> {
    let o = &model.objects[w.object];
    if o.group != "ray.io" || !w.role.starts_with("head") {
        return None;
    }
    let path = match o.kind {
        "RayService" => "spec.rayClusterConfig.headGroupSpec",
        "RayJob" => "spec.rayClusterSpec.headGroupSpec",
        _ => "spec.headGroupSpec",
    };
    o.root.at(path).map(|head| (path, head))
}

/// Every external path to a KubeRay head pod: the head Service's type, KubeRay's Ingress, and routes to the
/// head Service by name (unless a Service of that name is among the inputs, which the Service path handles).
pub fn head_exposures<'a>(
    model: &Model<'a>,
    w: &Workload<'a>,
    routed: &Routed<'a>,
    declared: &BTreeSet<(&str, &str)>,
    out: &mut Vec<Exposure<'a>>,
) {
    let Some((path, head)) = head_group(model, w) else {
        return;
    };
    let o = &model.objects[w.object];
    let svc_type = head.get("serviceType").and_then(Node::as_str);
    let ingress = head.get("enableIngress").and_then(Node::as_bool) == Some(true);
    // The head Service carries every head port; the KubeRay Ingress routes only the dashboard.
    let typed: Option<(String, &[u16])> = match (svc_type, ingress) {
        (Some(t @ ("NodePort" | "LoadBalancer")), _) => Some((
            format!("KubeRay head service type {t}"),
            &[8265, 10001, 6379, 8000],
        )),
        (_, true) => Some(("KubeRay enableIngress".to_string(), &[8265])),
        _ => None,
    };
    if let Some((via, ports)) = typed {
        for &port in ports {
            out.push(Exposure {
                port: Some(port),
                port_name: None,
                via: via.clone(),
                object: w.object,
                route: o.base.keys(path),
                node: head,
            });
        }
    }
    if o.kind == "RayJob" {
        // A RayJob's cluster gets a generated name, so routes cannot name its head Service in advance.
        return;
    }
    let custom = head.at("headService.metadata.name").and_then(Node::as_str);
    let name = match (o.kind, custom) {
        ("RayCluster", Some(custom)) => custom.to_string(),
        _ => format!("{}-head-svc", o.name),
    };
    if declared.contains(&(w.namespace.as_str(), name.as_str())) {
        return;
    }
    let Some(backends) = routed.get(&(w.namespace.clone(), name.clone())) else {
        return;
    };
    for (port, route_object, route, node) in backends {
        let (number, port_name) = match port {
            Some(p) => head_port(w, p),
            None => (None, None),
        };
        let r = &model.objects[*route_object];
        out.push(Exposure {
            port: number,
            port_name,
            via: format!("{} {} → KubeRay head Service {name}", r.kind, r.display()),
            object: *route_object,
            route: route.clone(),
            node,
        });
    }
}

/// A head Service port given by number or name: KubeRay copies the head container's ports and adds its defaults.
fn head_port(w: &Workload<'_>, port: &str) -> (Option<u16>, Option<String>) {
    match resolve_port(w, port) {
        (None, Some(name)) => {
            let default = DEFAULT_HEAD_PORTS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, p)| *p);
            (default, Some(name))
        }
        resolved => resolved,
    }
}
