//! k8s-nodeport-services (4.3.2): NodePort Services open only ports that are meant to be public.

use crate::evidence::{Location, Severity};
use crate::model::Model;
use crate::rules::sink::object_subject;
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "k8s-nodeport-services",
    title: "NodePort Services expose only essential ports",
    requirements: &["4.3.2"],
    inputs: "Kubernetes Services",
    severity: Severity::Medium,
    what: "Every Service of type NodePort is examined: each port it opens on every node must be on the \
           `essential_ports` list (default 80 and 443). Other port numbers fail with the port named; a port given \
           only by name is inconclusive.",
    why: "4.3.2: a NodePort opens the port on every node's address, bypassing ingress controllers and their \
          authentication; admin and debug ports of AI servers (Ray 8265, Jupyter 8888, MLflow 5000 …) end up on the \
          node network this way.",
    fail_example: "kind: Service\nspec:\n  type: NodePort\n  ports:\n  - {port: 8265, nodePort: 30265}",
    pass_example: "kind: Service\nspec:\n  type: ClusterIP\n  ports:\n  - {port: 8265}",
    remediation: "Use ClusterIP plus an authenticated Ingress or Gateway; if a NodePort is needed, expose only the \
                  public API port and add it to `essential_ports`.",
    inconclusive: "Ports given by name only, or templated values.",
    options: &[RuleOption {
        name: "essential_ports",
        default: "[80, 443]",
        doc: "Service ports that may be opened on every node.",
    }],
};

/// The rule.
pub struct NodePortServices {
    essential: Vec<i64>,
}

impl Default for NodePortServices {
    fn default() -> Self {
        NodePortServices {
            essential: vec![80, 443],
        }
    }
}

impl Rule for NodePortServices {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["essential_ports"])?;
        if let Some(v) = option(options, "essential_ports")? {
            self.essential = v;
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for (_, o) in model
            .objects_of_kind("Service")
            .filter(|(_, o)| o.group.is_empty())
        {
            let Some(ty) = o.root.at("spec.type") else {
                continue;
            };
            if ty.as_str() != Some("NodePort") {
                continue;
            }
            let subject = object_subject(o);
            let loc = Some(Location::node(ty, &o.base.keys("spec.type")));
            let mut extra = Vec::new();
            let mut unknown = Vec::new();
            for p in o.root.at("spec.ports").map(|p| p.items()).unwrap_or(&[]) {
                match p.get("port").and_then(|n| n.as_i64()) {
                    Some(n) if self.essential.contains(&n) => {}
                    Some(n) => extra.push(n.to_string()),
                    None => unknown.push(
                        p.get("name")
                            .and_then(|n| n.scalar_text())
                            .unwrap_or_else(|| "?".into()),
                    ),
                }
            }
            if !extra.is_empty() {
                out.fail(
                    subject,
                    loc,
                    format!(
                        "NodePort Service `{}` opens non-essential port(s) {} on every node",
                        o.name,
                        extra.join(", ")
                    ),
                );
            } else if !unknown.is_empty() {
                out.inconclusive(
                    subject,
                    loc,
                    format!(
                        "NodePort Service `{}` has ports without a number: {}",
                        o.name,
                        unknown.join(", ")
                    ),
                );
            } else {
                out.pass(subject, loc, "NodePort opens only essential ports");
            }
        }
    }
}
