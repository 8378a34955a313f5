//! compose-isolation (4.1.3): Compose services keep their own PID/network/IPC namespaces, a read-only root
//! filesystem, a seccomp profile and no-new-privileges.

use crate::evidence::Severity;
use crate::model::Model;
use crate::parse::Node;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "compose-isolation",
    title: "Compose services keep namespace isolation, a read-only root and no-new-privileges",
    requirements: &["4.1.3"],
    inputs: "Compose files",
    severity: Severity::High,
    what: "Fails a service with `pid: host`, `network_mode: host`, `ipc: host`, `userns_mode: host`, \
           `security_opt` entries `seccomp:unconfined`/`seccomp=unconfined` or `apparmor:unconfined`, without \
           `read_only: true`, or without `no-new-privileges:true` in security_opt. All problems are listed.",
    why: "4.1.3: namespaces and read-only root filesystems must be enabled for all workloads. Host namespaces expose \
          the host's processes and network stack; a writable root lets an attacker drop tools and persist.",
    fail_example: "services:\n  worker:\n    image: acme/worker\n    network_mode: host\n    pid: host",
    pass_example: "services:\n  worker:\n    image: acme/worker\n    read_only: true\n    security_opt: [\"no-new-privileges:true\"]",
    remediation: "Remove host namespace modes, set `read_only: true` (with tmpfs for scratch paths) and add \
                  `security_opt: [\"no-new-privileges:true\"]`; keep Docker's default seccomp profile.",
    inconclusive: "Values that are variable interpolations.",
    options: &[],
};

/// The rule.
pub struct ComposeIsolation;

impl Rule for ComposeIsolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for c in &model.iac.compose {
            for s in &c.services {
                let mut problems = Vec::new();
                let mut first_at = None;
                let mut templated = false;
                for key in ["pid", "network_mode", "ipc", "userns_mode"] {
                    if let Some((n, at)) = s.field(key) {
                        templated |= n.is_templated();
                        if n.as_str() == Some("host") {
                            problems.push(format!("{key}: host"));
                            first_at.get_or_insert(at);
                        }
                    }
                }
                let opts: Vec<String> = s
                    .field("security_opt")
                    .map(|(n, _)| {
                        n.items()
                            .iter()
                            .filter_map(Node::as_str)
                            .map(|o| o.replace('=', ":").replace(' ', ""))
                            .collect()
                    })
                    .unwrap_or_default();
                for o in &opts {
                    if o == "seccomp:unconfined" || o == "apparmor:unconfined" {
                        problems.push(format!("security_opt {o}"));
                        first_at.get_or_insert_with(|| {
                            s.field("security_opt")
                                .map(|f| f.1)
                                .unwrap_or_else(|| s.location())
                        });
                    }
                }
                if !opts
                    .iter()
                    .any(|o| o == "no-new-privileges:true" || o == "no-new-privileges")
                {
                    problems.push("no-new-privileges:true is not set".into());
                }
                match s.field("read_only") {
                    Some((n, _)) if n.as_bool() == Some(true) => {}
                    Some((n, _)) if n.is_templated() => templated = true,
                    _ => problems.push("read_only: true is not set".into()),
                }
                if problems.is_empty() {
                    out.pass(
                        s.subject(),
                        Some(s.location()),
                        "own namespaces, read-only root, no-new-privileges",
                    );
                } else if templated && problems.len() == 1 {
                    out.inconclusive(
                        s.subject(),
                        Some(s.location()),
                        format!("{} (some values are interpolations)", problems.join("; ")),
                    );
                } else {
                    let at = first_at.unwrap_or_else(|| s.location());
                    out.fail(
                        s.subject(),
                        Some(at),
                        format!("service `{}`: {}", s.name, problems.join("; ")),
                    );
                }
            }
        }
    }
}
