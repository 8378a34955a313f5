//! compose-capabilities (4.1.2): Compose services are not privileged, drop ALL capabilities and add back only the
//! allow-listed minimum.

use crate::evidence::Severity;
use crate::model::Model;
use crate::parse::Node;
use crate::rules::k8s_capabilities::normalise;
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "compose-capabilities",
    title: "Compose services drop ALL capabilities and are not privileged",
    requirements: &["4.1.2"],
    inputs: "Compose files",
    severity: Severity::High,
    what: "Every service must not set `privileged: true`, must list ALL in `cap_drop`, and may `cap_add` only \
           allow-listed capabilities (default NET_BIND_SERVICE). Names are compared case-insensitively with an \
           optional CAP_ prefix, as Docker does.",
    why: "4.1.2: containers must drop capabilities beyond the minimal set. Docker grants 14 capabilities by default; \
          `privileged` grants all of them plus every device.",
    fail_example: "services:\n  ollama:\n    image: ollama/ollama\n    privileged: true",
    pass_example: "services:\n  api:\n    image: ghcr.io/acme/api@sha256:…\n    cap_drop: [ALL]",
    remediation: "Add `cap_drop: [ALL]` to every service, remove `privileged: true` (pass GPUs with `deploy.resources.\
                  reservations.devices` instead) and add back only what the process needs.",
    inconclusive: "Values that are variable interpolations (`${CAPS}`).",
    options: &[RuleOption {
        name: "allowed_add",
        default: "[\"NET_BIND_SERVICE\"]",
        doc: "Capabilities a service may add back after dropping ALL.",
    }],
};

/// The rule.
pub struct ComposeCapabilities {
    allowed_add: Vec<String>,
}

impl Default for ComposeCapabilities {
    fn default() -> Self {
        ComposeCapabilities {
            allowed_add: vec!["NET_BIND_SERVICE".into()],
        }
    }
}

impl Rule for ComposeCapabilities {
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
        for c in &model.iac.compose {
            for s in &c.services {
                if let Some((n, at)) = s
                    .field("privileged")
                    .filter(|(n, _)| n.as_bool() == Some(true))
                {
                    let _ = n;
                    out.fail(
                        s.subject(),
                        Some(at),
                        format!(
                            "service `{}` is privileged: every capability and device",
                            s.name
                        ),
                    );
                    continue;
                }
                let drop = s.field("cap_drop");
                let add = s.field("cap_add");
                let templated = |f: &Option<(&Node, _)>| {
                    f.as_ref().is_some_and(|(n, _)| {
                        n.is_templated() || n.items().iter().any(Node::is_templated)
                    })
                };
                if templated(&drop) || templated(&add) {
                    let at = drop.as_ref().or(add.as_ref()).map(|(_, l)| l.clone());
                    out.inconclusive(
                        s.subject(),
                        at,
                        "cap_drop / cap_add is a variable interpolation",
                    );
                    continue;
                }
                let mut problems = Vec::new();
                let drops_all = drop.as_ref().is_some_and(|(n, _)| {
                    n.items()
                        .iter()
                        .filter_map(Node::as_str)
                        .any(|d| normalise(d) == "ALL")
                });
                if !drops_all {
                    problems.push("cap_drop does not contain ALL".to_string());
                }
                for a in add.as_ref().map_or(&[][..], |(n, _)| n.items()) {
                    let Some(name) = a.as_str() else { continue };
                    let norm = normalise(name);
                    if norm == "ALL" {
                        problems.push("cap_add contains ALL".into());
                    } else if !self.allowed_add.contains(&norm) {
                        problems.push(format!("adds {norm}"));
                    }
                }
                let at = drop
                    .as_ref()
                    .map(|(_, l)| l.clone())
                    .unwrap_or_else(|| s.location());
                if problems.is_empty() {
                    out.pass(
                        s.subject(),
                        Some(at),
                        "drops ALL; adds only allow-listed capabilities",
                    );
                } else {
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
