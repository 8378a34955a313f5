//! Network model (4.3.x): every network policy flavour normalised, what each selects, Services, routes and
//! Istio egress settings, so rules can ask "which policies select this pod, in which direction, allowing
//! what" and "who can reach this port from outside".

pub mod calico;
pub mod cidr;
pub mod cilium;
pub mod exposure;
pub mod kuberay;
pub mod mesh;
pub mod policy;
pub mod selector;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::parse::Node;

use super::{Model, Workload};
pub use exposure::{Exposure, ServiceInfo};
pub use policy::{Action, Flavor, Peer, Policy, PolicyRule};
pub use selector::{Labels, Selector};

/// The label through which Cilium selectors can name a pod's namespace.
pub const POD_NAMESPACE_LABEL: &str = "io.kubernetes.pod.namespace";

/// Network policies, services, routes and what they select.
#[derive(Debug, Default)]
pub struct NetworkModel<'a> {
    /// Every policy (a Cilium object with `specs` gives several).
    pub policies: Vec<Policy<'a>>,
    /// Effective pod labels per workload (template labels plus those KubeRay adds at run time).
    pub pod_labels: Vec<Labels>,
    /// Per workload: indices of the policies that select it.
    pub selecting: Vec<Vec<usize>>,
    /// Per workload: policies whose selection could not be decided (with the reason).
    pub undecided: Vec<Vec<(usize, String)>>,
    /// Services.
    pub services: Vec<ServiceInfo<'a>>,
    /// Per workload: how it is reachable from outside.
    pub exposures: Vec<Vec<Exposure<'a>>>,
    /// Istio egress settings.
    pub mesh: mesh::MeshInfo,
}

impl<'a> NetworkModel<'a> {
    /// Builds the network model from the Kubernetes objects.
    pub fn build(model: &Model<'a>, diags: &mut Vec<Diagnostic>) -> Self {
        let mut net = NetworkModel::default();
        for (i, o) in model.objects.iter().enumerate() {
            let g = o.group;
            match o.kind {
                "NetworkPolicy" if g == "networking.k8s.io" => {
                    net.policies.extend(policy::from_network_policy(i, o))
                }
                "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" if g == "cilium.io" => {
                    net.policies.extend(cilium::from_cilium(i, o))
                }
                "NetworkPolicy"
                | "GlobalNetworkPolicy"
                | "StagedNetworkPolicy"
                | "StagedGlobalNetworkPolicy"
                    if g.ends_with("projectcalico.org") =>
                {
                    net.policies.extend(calico::from_calico(i, o))
                }
                "Service" if g.is_empty() => net.services.extend(exposure::service_of(i, o)),
                _ => net.mesh.add(i, o),
            }
        }
        // A policy in a namespace that no Namespace object and no workload declares protects nothing here.
        let declared = model.objects.iter().any(|o| o.kind == "Namespace");
        for p in &net.policies {
            let o = &model.objects[p.object];
            let Some(ns) = &p.namespace else { continue };
            let known = model.namespaces.get(ns).is_some_and(|n| n.object.is_some())
                || model.workloads.iter().any(|w| &w.namespace == ns);
            if declared && !known {
                let line = model.file(o.file).line_col(o.root.span.start()).0;
                diags.push(Diagnostic::warning(
                    &model.file(o.file).path,
                    line,
                    format!("{} is in namespace `{ns}`, which no Namespace object or workload in the inputs declares", o.display()),
                ));
            }
        }
        net.pod_labels = model
            .workloads
            .iter()
            .map(|w| pod_labels(model, w))
            .collect();
        let ns_labels: BTreeMap<&str, Labels> = model
            .namespaces
            .iter()
            .map(|(name, info)| (name.as_str(), namespace_labels(name, info.labels)))
            .collect();
        let no_labels = Labels::new();
        // Namespaced policies only ever select pods of their own namespace; cluster-wide ones are tried for all.
        let mut by_namespace: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for (pi, p) in net.policies.iter().enumerate() {
            by_namespace
                .entry(p.namespace.as_deref())
                .or_default()
                .push(pi);
        }
        let cluster_wide = by_namespace.get(&None).map_or(&[][..], Vec::as_slice);
        for (wi, w) in model.workloads.iter().enumerate() {
            let mut sel = Vec::new();
            let mut und = Vec::new();
            let nsl = ns_labels.get(w.namespace.as_str()).unwrap_or(&no_labels);
            // Built once per workload, not per policy: this pair loop is the hottest part of a large scan.
            let mut pod = net.pod_labels[wi].clone();
            pod.insert(POD_NAMESPACE_LABEL.into(), w.namespace.to_string());
            let own = by_namespace
                .get(&Some(w.namespace.as_str()))
                .map_or(&[][..], Vec::as_slice);
            let mut candidates: Vec<usize> = own.iter().chain(cluster_wide).copied().collect();
            candidates.sort_unstable();
            for pi in candidates {
                let p = &net.policies[pi];
                match p.selects(&w.namespace, nsl, &pod) {
                    Ok(true) => sel.push(pi),
                    Ok(false) => {}
                    Err(reason) => und.push((pi, reason)),
                }
            }
            net.selecting.push(sel);
            net.undecided.push(und);
        }
        net.exposures = exposures(model, &net);
        net
    }

    /// Labels of a namespace as selectors see them (declared labels plus `kubernetes.io/metadata.name`).
    pub fn namespace_labels(model: &Model<'_>, namespace: &str) -> Labels {
        namespace_labels(
            namespace,
            model.namespaces.get(namespace).and_then(|n| n.labels),
        )
    }
}

impl Policy<'_> {
    /// Whether this policy selects a pod; `Err` with the reason when it cannot be decided. `pod` holds the
    /// pod's labels plus [`POD_NAMESPACE_LABEL`] (which Cilium selectors may name).
    pub fn selects(
        &self,
        namespace: &str,
        ns_labels: &Labels,
        pod: &Labels,
    ) -> Result<bool, String> {
        if let Some(ns) = &self.namespace {
            if ns != namespace {
                return Ok(false);
            }
        }
        if let Some(ns_sel) = &self.namespace_selector {
            match ns_sel.matches(ns_labels) {
                Some(false) => return Ok(false),
                Some(true) => {}
                None => return Err(ns_sel.invalid.clone().unwrap_or_default()),
            }
        }
        self.pod_selector
            .matches(pod)
            .ok_or_else(|| self.pod_selector.invalid.clone().unwrap_or_default())
    }
}

fn namespace_labels(name: &str, labels: Option<&Node>) -> Labels {
    let mut out: Labels = labels
        .map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| e.value.scalar_text().map(|v| (e.key.to_string(), v)))
        .collect();
    out.insert("kubernetes.io/metadata.name".into(), name.to_string());
    out
}

/// Template labels, plus the labels KubeRay puts on the pods it creates from a Ray CR.
fn pod_labels(model: &Model<'_>, w: &Workload<'_>) -> Labels {
    let mut out: Labels = w
        .pod_meta
        .and_then(|m| m.get("labels"))
        .map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| e.value.scalar_text().map(|v| (e.key.to_string(), v)))
        .collect();
    let o = &model.objects[w.object];
    if o.group == "ray.io" && matches!(o.kind, "RayCluster" | "RayService" | "RayJob") {
        let node_type = if w.role.starts_with("head") {
            "head"
        } else {
            "worker"
        };
        out.insert("ray.io/cluster".into(), w.name.clone());
        out.insert("ray.io/node-type".into(), node_type.into());
        out.insert("ray.io/is-ray-node".into(), "yes".into());
        out.insert(
            "ray.io/identifier".into(),
            format!("{}-{node_type}", w.name),
        );
    }
    out
}

/// External reachability per workload.
fn exposures<'a>(model: &Model<'a>, net: &NetworkModel<'a>) -> Vec<Vec<Exposure<'a>>> {
    let mut out: Vec<Vec<Exposure<'a>>> = model.workloads.iter().map(|_| Vec::new()).collect();
    // Services referenced by Ingress / Gateway API routes count as external.
    let mut routed: kuberay::Routed<'a> = BTreeMap::new();
    for (i, o) in model.objects.iter().enumerate() {
        let is_route = (o.kind == "Ingress"
            && (o.group.starts_with("networking.k8s.io") || o.group == "extensions"))
            || (o.group == "gateway.networking.k8s.io" && o.kind.ends_with("Route"));
        if is_route {
            for (ns, svc, port, route, node) in exposure::route_backends(o) {
                routed
                    .entry((ns, svc))
                    .or_default()
                    .push((port, i, route, node));
            }
        }
    }
    // A Service only selects pods of its own namespace.
    let mut workloads_in: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (wi, w) in model.workloads.iter().enumerate() {
        workloads_in
            .entry(w.namespace.as_str())
            .or_default()
            .push(wi);
    }
    for svc in &net.services {
        let Some(sel) = &svc.selector else { continue };
        let routes = routed.get(&(svc.namespace.clone(), svc.name.clone()));
        if !svc.is_external() && routes.is_none() {
            continue;
        }
        let in_namespace = workloads_in
            .get(svc.namespace.as_str())
            .map_or(&[][..], Vec::as_slice);
        for &wi in in_namespace {
            if !exposure::service_selects(sel, &net.pod_labels[wi]) {
                continue;
            }
            let w = &model.workloads[wi];
            for (pi, p) in svc.ports.iter().enumerate() {
                let port = p
                    .get("port")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default();
                let name = p.get("name").and_then(Node::scalar_text);
                let target = p
                    .get("targetPort")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| port.clone());
                let via_routes: Vec<_> = routes
                    .map(|r| {
                        r.iter()
                            .filter(|(rp, ..)| {
                                rp.is_none() || rp.as_deref() == Some(&port) || rp == &name
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let external = svc.is_external();
                if !external && via_routes.is_empty() {
                    continue;
                }
                let (num, pname) = exposure::resolve_port(w, &target);
                let mut push =
                    |via: String, object: usize, route: crate::parse::Route, node: &'a Node| {
                        out[wi].push(Exposure {
                            port: num,
                            port_name: pname.clone(),
                            via,
                            object,
                            route,
                            node,
                        });
                    };
                if external {
                    let route = svc.route.keys("spec.ports").index(pi);
                    push(
                        format!(
                            "Service {}/{} ({})",
                            svc.namespace, svc.name, svc.service_type
                        ),
                        svc.object,
                        route,
                        p,
                    );
                }
                for (_, oi, route, node) in via_routes {
                    let o = &model.objects[*oi];
                    push(
                        format!("{} {} → Service {}", o.kind, o.display(), svc.name),
                        *oi,
                        route.clone(),
                        node,
                    );
                }
            }
        }
    }
    let declared: BTreeSet<(&str, &str)> = net
        .services
        .iter()
        .map(|s| (s.namespace.as_str(), s.name.as_str()))
        .collect();
    for (wi, w) in model.workloads.iter().enumerate() {
        host_exposures(w, &mut out[wi]);
        kuberay::head_exposures(model, w, &routed, &declared, &mut out[wi]);
    }
    out
}

/// hostNetwork and hostPort.
fn host_exposures<'a>(w: &Workload<'a>, out: &mut Vec<Exposure<'a>>) {
    if let Some(n) = w
        .pod_spec
        .get("hostNetwork")
        .filter(|n| n.as_bool() == Some(true))
    {
        out.push(Exposure {
            port: None,
            port_name: None,
            via: "hostNetwork".into(),
            object: w.object,
            route: w.pod_route.key("hostNetwork"),
            node: n,
        });
    }
    for c in &w.containers {
        for (i, p) in c
            .node
            .get("ports")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(hp) = p.get("hostPort").and_then(Node::as_i64).filter(|&h| h > 0) {
                let port = p
                    .get("containerPort")
                    .and_then(Node::as_i64)
                    .and_then(|n| u16::try_from(n).ok());
                let route = c.route.key("ports").index(i).key("hostPort");
                out.push(Exposure {
                    port,
                    port_name: None,
                    via: format!("hostPort {hp}"),
                    object: w.object,
                    route,
                    node: p,
                });
            }
        }
    }
}
