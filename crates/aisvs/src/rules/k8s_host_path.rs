//! k8s-host-path (4.1.3): pods do not mount host paths, above all not the container runtime socket, /proc or /.

use crate::evidence::{Location, Severity};
use crate::model::Model;

use super::sink::{pod_location, workload_subject};
use super::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "k8s-host-path",
    title: "Pods mount no host paths",
    requirements: &["4.1.3"],
    inputs: "Kubernetes workloads (spec.volumes)",
    severity: Severity::High,
    what: "Fails any hostPath volume; names the sensitive ones (/, /proc, /sys, /dev, /etc, /root, /var/lib/kubelet, \
           the Docker, containerd and CRI-O sockets) whose mount is a direct host takeover. Paths on the \
           `allowed_paths` option are accepted.",
    why: "4.1.3: a hostPath mount breaks the filesystem isolation of the container; a runtime socket mount \
          lets the pod start privileged containers on the node.",
    fail_example: "volumes:\n- name: dockersock\n  hostPath: {path: /var/run/docker.sock}",
    pass_example: "volumes:\n- name: shm\n  emptyDir: {medium: Memory}",
    remediation: "Use emptyDir, a PersistentVolumeClaim or a CSI volume instead; for /dev/shm use an emptyDir \
                  with medium: Memory.",
    inconclusive: "Templated paths.",
    options: &[RuleOption {
        name: "allowed_paths",
        default: "[]",
        doc: "hostPath paths (exact) that are accepted, e.g. a node-local model cache.",
    }],
};

const SENSITIVE: &[&str] = &[
    "/",
    "/proc",
    "/sys",
    "/dev",
    "/etc",
    "/root",
    "/home",
    "/boot",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/run",
    "/run",
    "/var/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/etc/kubernetes",
];

/// The rule.
#[derive(Default)]
pub struct HostPath {
    allowed: Vec<String>,
}

impl Rule for HostPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["allowed_paths"])?;
        if let Some(v) = option(options, "allowed_paths")? {
            self.allowed = v;
        }
        Ok(())
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            let subject = workload_subject(w);
            let mut bad = Vec::new();
            let mut first = None;
            for (i, v) in w
                .pod_spec
                .get("volumes")
                .map(|v| v.items())
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let Some(hp) = v.get("hostPath") else {
                    continue;
                };
                let path = hp.get("path").and_then(|p| p.as_str()).unwrap_or("");
                let trimmed = if path.len() > 1 {
                    path.trim_end_matches('/')
                } else {
                    path
                };
                if self.allowed.iter().any(|a| a == trimmed) {
                    continue;
                }
                let name = v
                    .get("name")
                    .and_then(|n| n.scalar_text())
                    .unwrap_or_default();
                let note = if SENSITIVE.contains(&trimmed) || trimmed.ends_with(".sock") {
                    format!("`{name}` mounts sensitive host path {path}")
                } else {
                    format!("`{name}` mounts host path {path}")
                };
                bad.push(note);
                first.get_or_insert_with(|| {
                    Location::node(hp, &w.pod_route.key("volumes").index(i).key("hostPath"))
                });
            }
            if bad.is_empty() {
                out.pass(subject, Some(pod_location(w)), "no hostPath volumes");
            } else {
                out.fail(subject, first, bad.join("; "));
            }
        }
    }
}
