//! Istio egress controls: mesh `outboundTrafficPolicy` (IstioOperator, the `istio` mesh ConfigMap),
//! per-namespace `Sidecar` overrides, ServiceEntries and egress gateways.

use crate::model::K8sObject;
use crate::parse::Node;

/// One ServiceEntry.
#[derive(Debug, Clone)]
pub struct ServiceEntryInfo {
    /// Index of the object.
    pub object: usize,
    /// Namespace.
    pub namespace: String,
    /// `spec.hosts`.
    pub hosts: Vec<String>,
    /// `spec.location` is MESH_EXTERNAL (the default for entries naming outside hosts is MESH_EXTERNAL too).
    pub external: bool,
    /// `spec.exportTo` (`.` = its own namespace, `*` = all); empty means Istio's default, every namespace.
    pub export_to: Vec<String>,
}

impl ServiceEntryInfo {
    /// Whether sidecars in `namespace` see this entry.
    pub fn visible_in(&self, namespace: &str) -> bool {
        self.export_to.is_empty()
            || self
                .export_to
                .iter()
                .any(|e| e == "*" || e == namespace || (e == "." && self.namespace == namespace))
    }

    /// A host of `*` admits every destination, which undoes REGISTRY_ONLY (`*.example.com` is a real allow-list).
    pub fn admits_every_host(&self) -> bool {
        self.external && self.hosts.iter().any(|h| h == "*")
    }
}

/// What the inputs say about the Istio mesh.
#[derive(Debug, Default, Clone)]
pub struct MeshInfo {
    /// Mesh-wide `outboundTrafficPolicy.mode` with the object it came from.
    pub mesh_mode: Option<(String, usize)>,
    /// Namespace-wide `Sidecar` (no workloadSelector) modes: `(namespace, mode, object)`.
    pub sidecar_modes: Vec<(String, String, usize)>,
    /// ServiceEntries.
    pub service_entries: Vec<ServiceEntryInfo>,
    /// Gateways selecting `istio: egressgateway` (object indices).
    pub egress_gateways: Vec<usize>,
}

impl MeshInfo {
    /// Adds what one object says.
    pub fn add(&mut self, index: usize, o: &K8sObject<'_>) {
        let istio_net = o.group.starts_with("networking.istio.io");
        match (o.kind, istio_net) {
            ("IstioOperator", _) => {
                if let Some(m) = o
                    .root
                    .at("spec.meshConfig.outboundTrafficPolicy.mode")
                    .and_then(Node::scalar_text)
                {
                    self.mesh_mode = Some((m, index));
                }
            }
            ("ConfigMap", _) if o.name == "istio" => {
                if let Some(mode) = o
                    .root
                    .at("data.mesh")
                    .and_then(Node::as_str)
                    .and_then(mode_in_mesh_text)
                {
                    self.mesh_mode = Some((mode, index));
                }
            }
            ("Sidecar", true) => {
                let spec = o.spec();
                if spec.and_then(|s| s.get("workloadSelector")).is_none() {
                    if let Some(m) = spec
                        .and_then(|s| s.at("outboundTrafficPolicy.mode"))
                        .and_then(Node::scalar_text)
                    {
                        self.sidecar_modes
                            .push((o.namespace_or_default().to_string(), m, index));
                    }
                }
            }
            ("ServiceEntry", true) => {
                let spec = o.spec();
                let strings = |key: &str| -> Vec<String> {
                    spec.and_then(|s| s.get(key))
                        .map(Node::items)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(Node::scalar_text)
                        .collect()
                };
                let location = spec.and_then(|s| s.get("location")).and_then(Node::as_str);
                self.service_entries.push(ServiceEntryInfo {
                    object: index,
                    namespace: o.namespace_or_default().to_string(),
                    hosts: strings("hosts"),
                    external: location != Some("MESH_INTERNAL"),
                    export_to: strings("exportTo"),
                });
            }
            ("Gateway", true)
                if o.root.at("spec.selector.istio").and_then(Node::as_str)
                    == Some("egressgateway") =>
            {
                self.egress_gateways.push(index);
            }
            _ => {}
        }
    }

    /// External ServiceEntries that sidecars in `namespace` see.
    pub fn entries_for<'s>(
        &'s self,
        namespace: &'s str,
    ) -> impl Iterator<Item = &'s ServiceEntryInfo> + 's {
        self.service_entries
            .iter()
            .filter(move |e| e.external && e.visible_in(namespace))
    }

    /// The effective outbound mode for a namespace: its Sidecar first, then the mesh; `ALLOW_ANY` is Istio's default.
    pub fn mode_for(&self, namespace: &str) -> (String, Option<usize>) {
        if let Some((_, m, i)) = self.sidecar_modes.iter().find(|(ns, _, _)| ns == namespace) {
            return (m.clone(), Some(*i));
        }
        match &self.mesh_mode {
            Some((m, i)) => (m.clone(), Some(*i)),
            None => ("ALLOW_ANY".into(), None),
        }
    }
}

/// Finds `outboundTrafficPolicy: … mode: X` in the YAML text of the `istio` ConfigMap's `mesh` key.
fn mode_in_mesh_text(text: &str) -> Option<String> {
    let start = text.find("outboundTrafficPolicy")?;
    let rest = &text[start..];
    let mode_at = rest.find("mode:")?;
    let value = rest[mode_at + 5..]
        .lines()
        .next()?
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '}');
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mesh_text_mode() {
        assert_eq!(
            mode_in_mesh_text("accessLogFile: x\noutboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n"),
            Some("REGISTRY_ONLY".into())
        );
        assert_eq!(
            mode_in_mesh_text("outboundTrafficPolicy: {mode: ALLOW_ANY}"),
            Some("ALLOW_ANY".into())
        );
        assert_eq!(mode_in_mesh_text("defaultConfig: {}"), None);
    }

    fn entry(namespace: &str, hosts: &[&str], export_to: &[&str]) -> ServiceEntryInfo {
        ServiceEntryInfo {
            object: 0,
            namespace: namespace.into(),
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            external: true,
            export_to: export_to.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn service_entry_visibility_follows_export_to() {
        assert!(entry("infra", &["a.com"], &[]).visible_in("models"));
        assert!(entry("infra", &["a.com"], &["*"]).visible_in("models"));
        assert!(entry("infra", &["a.com"], &["models"]).visible_in("models"));
        assert!(!entry("infra", &["a.com"], &["."]).visible_in("models"));
        assert!(entry("models", &["a.com"], &["."]).visible_in("models"));
    }

    #[test]
    fn only_a_bare_star_admits_every_host() {
        assert!(entry("ns", &["huggingface.co", "*"], &[]).admits_every_host());
        assert!(!entry("ns", &["*.s3.amazonaws.com"], &[]).admits_every_host());
    }
}
