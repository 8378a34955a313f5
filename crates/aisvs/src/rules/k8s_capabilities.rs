//! k8s-capabilities (4.1.2): every container drops ALL capabilities and adds back only an allow-listed minimum.

use crate::evidence::{Location, Severity};
use crate::model::Model;
use crate::parse::Node;

use super::sink::{container_location, container_subject};
use super::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "k8s-capabilities",
    title: "Containers drop ALL Linux capabilities and add back only the minimum",
    requirements: &["4.1.2"],
    inputs: "Kubernetes workloads",
    severity: Severity::High,
    what: "For every container, securityContext.capabilities.drop must contain ALL (matched the way \
           containerd and CRI-O do: case-insensitive), and every entry of add must be on the allow-list \
           (default NET_BIND_SERVICE). A drop entry spelled with a CAP_ prefix is flagged: containerd \
           prefixes names again, so such a drop is silently ineffective. Spellings that Pod Security \
           Admission rejects (`all`, `CAP_NET_BIND_SERVICE`) are named in the message.",
    why: "4.1.2: containers must drop capabilities beyond the minimal set. Without `drop: [ALL]` a container \
          keeps the runtime's 14 default capabilities (NET_RAW, SETUID, DAC_OVERRIDE …).",
    fail_example: "securityContext:\n  capabilities:\n    drop: [NET_RAW]\n    add: [SYS_PTRACE]",
    pass_example: "securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]",
    remediation: "Set securityContext.capabilities.drop: [\"ALL\"] on every container and add back only what the \
                  process needs (usually nothing; NET_BIND_SERVICE to bind ports below 1024).",
    inconclusive: "Capability lists that are unrendered template expressions.",
    options: &[RuleOption {
        name: "allowed_add",
        default: "[\"NET_BIND_SERVICE\"]",
        doc: "Capabilities a container may add back after dropping ALL (names without CAP_).",
    }],
};

/// The rule.
pub struct Capabilities {
    allowed_add: Vec<String>,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            allowed_add: vec!["NET_BIND_SERVICE".into()],
        }
    }
}

/// Upper-cases and strips one `CAP_` prefix, the way CRI-O resolves names.
pub fn normalise(cap: &str) -> String {
    let up = cap.trim().to_ascii_uppercase();
    up.strip_prefix("CAP_").map(str::to_string).unwrap_or(up)
}

impl Rule for Capabilities {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["allowed_add"])?;
        if let Some(v) = option::<Vec<String>>(options, "allowed_add")? {
            self.allowed_add = v.iter().map(|c| normalise(c)).collect();
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for w in &model.workloads {
            for c in &w.containers {
                let subject = container_subject(w, c);
                if c.sc("privileged").and_then(Node::as_bool) == Some(true) {
                    let route = c.route.keys("securityContext.privileged");
                    let loc = c.sc("privileged").map(|n| Location::node(n, &route));
                    out.fail(
                        subject,
                        loc,
                        format!(
                            "container `{}` is privileged and holds every capability",
                            c.name
                        ),
                    );
                    continue;
                }
                let caps_route = c.route.keys("securityContext.capabilities");
                let Some(caps) = c.sc("capabilities") else {
                    out.fail(subject, Some(container_location(c)), format!(
                        "container `{}` does not drop capabilities (securityContext.capabilities.drop: [ALL] expected)",
                        c.name
                    ));
                    continue;
                };
                let drop = caps.get("drop");
                let add = caps.get("add");
                if drop.is_some_and(Node::is_templated) || add.is_some_and(Node::is_templated) {
                    out.inconclusive(
                        subject,
                        Some(Location::node(caps, &caps_route)),
                        "capabilities are a template expression",
                    );
                    continue;
                }
                let mut problems = Vec::new();
                let drops: Vec<&str> = drop
                    .map(|d| d.items().iter().filter_map(Node::as_str).collect())
                    .unwrap_or_default();
                if !drops.iter().any(|d| d.eq_ignore_ascii_case("ALL")) {
                    if drops.iter().any(|d| normalise(d) == "ALL") {
                        problems.push(
                            "drop lists `CAP_ALL`, which is not `ALL` and removes nothing"
                                .to_string(),
                        );
                    } else {
                        problems.push("drop does not contain ALL".to_string());
                    }
                } else if !drops.contains(&"ALL") {
                    problems.push(
                        "drop spells ALL in lower case; Pod Security Admission requires `ALL`"
                            .to_string(),
                    );
                }
                let prefixed: Vec<&str> = drops
                    .iter()
                    .copied()
                    .filter(|d| d.to_ascii_uppercase().starts_with("CAP_"))
                    .collect();
                if !prefixed.is_empty() && !drops.iter().any(|d| d.eq_ignore_ascii_case("ALL")) {
                    problems.push(format!(
                        "drop entries {} carry a CAP_ prefix, which containerd does not match",
                        prefixed.join(", ")
                    ));
                }
                for a in add.map(|a| a.items()).unwrap_or(&[]) {
                    let Some(name) = a.as_str() else { continue };
                    let norm = normalise(name);
                    if norm == "ALL" {
                        problems.push("add contains ALL (every capability)".to_string());
                    } else if !self.allowed_add.contains(&norm) {
                        problems.push(format!("adds {norm}"));
                    } else if name != norm {
                        problems.push(format!(
                            "add spells `{name}`; Pod Security Admission requires `{norm}`"
                        ));
                    }
                }
                let loc = Some(Location::node(caps, &caps_route));
                if problems.is_empty() {
                    out.pass(
                        subject,
                        loc,
                        "drops ALL; adds only allow-listed capabilities",
                    );
                } else {
                    out.fail(
                        subject,
                        loc,
                        format!("container `{}`: {}", c.name, problems.join("; ")),
                    );
                }
            }
        }
    }
}
