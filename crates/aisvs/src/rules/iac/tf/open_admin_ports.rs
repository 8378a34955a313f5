//! tf-open-admin-ports (4.3.2): security groups and firewall rules do not open SSH, RDP or AI admin ports
//! (Ray, Jupyter, MLflow, Ollama, TensorBoard …) to the whole internet.

use crate::evidence::{Location, Severity};
use crate::model::iac::TfBlock;
use crate::model::Model;
use crate::parse::{Node, Route, Value};
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "tf-open-admin-ports",
    title: "No SSH, RDP or AI admin port is open to the internet",
    requirements: &["4.3.2"],
    inputs: "Terraform (aws_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule, google_compute_firewall, azurerm_network_security_group, azurerm_network_security_rule)",
    severity: Severity::High,
    what: "Every ingress rule whose source is 0.0.0.0/0, ::/0, `*`, `Internet` or `Any` must not include a listed \
           port (default: 22 SSH, 3389 RDP, 8265 Ray dashboard, 10001 Ray client, 6379 Ray GCS/Redis, 8888 Jupyter, \
           5000 MLflow, 11434 Ollama, 6006 TensorBoard, 2375/2376 Docker, 10250 kubelet). Port ranges and \
           all-protocol rules count when they include a listed port.",
    why: "4.3.2: non-essential ports and debug endpoints must be disabled or authenticated. Ray, Jupyter, MLflow and \
          Ollama ship without authentication and are mass-scanned; an open Ray dashboard is remote code execution.",
    fail_example: "ingress {\n  from_port = 8265\n  to_port = 8265\n  protocol = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}",
    pass_example: "ingress {\n  from_port = 443\n  to_port = 443\n  protocol = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}",
    remediation: "Restrict the source to a VPN / bastion range or remove the rule; reach admin UIs through an \
                  authenticated proxy or port-forwarding.",
    inconclusive: "Sources or ports given by variables without defaults or other expressions.",
    options: &[RuleOption {
        name: "ports",
        default: "[22, 3389, 8265, 10001, 6379, 8888, 5000, 11434, 6006, 2375, 2376, 10250]",
        doc: "Ports that must never be reachable from the whole internet.",
    }],
};

/// The rule.
pub struct OpenAdminPorts {
    ports: Vec<i64>,
}

impl Default for OpenAdminPorts {
    fn default() -> Self {
        OpenAdminPorts {
            ports: vec![
                22, 3389, 8265, 10001, 6379, 8888, 5000, 11434, 6006, 2375, 2376, 10250,
            ],
        }
    }
}

/// One ingress rule in a normalised form.
struct Ingress<'n> {
    node: &'n Node,
    route: Route,
    sources: Vec<&'n Node>,
    /// Inclusive port ranges; `None` when a port is an expression.
    ports: Option<Vec<(i64, i64)>>,
}

const TYPES: &[&str] = &[
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "google_compute_firewall",
    "azurerm_network_security_group",
    "azurerm_network_security_rule",
];

impl Rule for OpenAdminPorts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["ports"])?;
        if let Some(p) = option::<Vec<i64>>(options, "ports")? {
            self.ports = p;
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for b in model.iac.resources(TYPES) {
            let rules = ingress_rules(b);
            if rules.is_empty() {
                continue;
            }
            let mut failed = Vec::new();
            let mut unknown = None;
            for r in &rules {
                let world = r.sources.iter().any(|s| is_world(s));
                let templated = r.sources.iter().any(|s| s.is_templated());
                let Some(ranges) = &r.ports else {
                    if world || templated {
                        unknown.get_or_insert(r);
                    }
                    continue;
                };
                let hits: Vec<i64> = self
                    .ports
                    .iter()
                    .copied()
                    .filter(|p| ranges.iter().any(|(lo, hi)| lo <= p && p <= hi))
                    .collect();
                if hits.is_empty() {
                    continue;
                }
                if world {
                    failed.push((r, hits));
                } else if templated {
                    unknown.get_or_insert(r);
                }
            }
            if let Some((r, hits)) = failed.first() {
                let list: Vec<String> = hits.iter().map(i64::to_string).collect();
                out.fail(
                    b.subject(),
                    Some(Location::node(r.node, &r.route)),
                    format!(
                        "{} opens port(s) {} to the whole internet",
                        b.address(),
                        list.join(", ")
                    ),
                );
            } else if let Some(r) = unknown {
                out.inconclusive(
                    b.subject(),
                    Some(Location::node(r.node, &r.route)),
                    "the rule's source or ports are expressions that cannot be resolved statically",
                );
            } else {
                out.pass(
                    b.subject(),
                    Some(b.location()),
                    "no admin port is open to the internet",
                );
            }
        }
    }
}

fn is_world(n: &Node) -> bool {
    let world = |s: &str| {
        matches!(
            s.trim(),
            "0.0.0.0/0" | "::/0" | "*" | "0.0.0.0" | "Internet" | "Any" | "any"
        )
    };
    match &n.value {
        Value::Str(s) => world(s),
        Value::Seq(items) => items.iter().any(|i| i.as_str().is_some_and(world)),
        _ => false,
    }
}

fn ingress_rules(b: &TfBlock) -> Vec<Ingress<'_>> {
    let mut out = Vec::new();
    match b.rtype() {
        "aws_security_group" => {
            for (n, route) in b.blocks("ingress") {
                out.push(Ingress {
                    node: n,
                    route,
                    sources: src(n, &["cidr_blocks", "ipv6_cidr_blocks"]),
                    ports: aws_ports(n),
                });
            }
        }
        "aws_security_group_rule"
            if b.body.get("type").and_then(Node::as_str) == Some("ingress") =>
        {
            out.push(Ingress {
                node: &b.body,
                route: b.base.clone(),
                sources: src(&b.body, &["cidr_blocks", "ipv6_cidr_blocks"]),
                ports: aws_ports(&b.body),
            });
        }
        "aws_vpc_security_group_ingress_rule" => {
            out.push(Ingress {
                node: &b.body,
                route: b.base.clone(),
                sources: src(&b.body, &["cidr_ipv4", "cidr_ipv6"]),
                ports: aws_ports(&b.body),
            });
        }
        "google_compute_firewall" => {
            let dir = b
                .body
                .get("direction")
                .and_then(Node::as_str)
                .unwrap_or("INGRESS");
            if dir == "INGRESS" {
                let ports = gcp_ports(&b.blocks("allow"));
                out.push(Ingress {
                    node: &b.body,
                    route: b.base.clone(),
                    sources: src(&b.body, &["source_ranges"]),
                    ports,
                });
            }
        }
        "azurerm_network_security_group" => {
            for (n, route) in b.blocks("security_rule") {
                if azure_inbound_allow(n) {
                    out.push(Ingress {
                        node: n,
                        route,
                        sources: src(n, &["source_address_prefix", "source_address_prefixes"]),
                        ports: azure_ports(n),
                    });
                }
            }
        }
        "azurerm_network_security_rule" if azure_inbound_allow(&b.body) => {
            out.push(Ingress {
                node: &b.body,
                route: b.base.clone(),
                sources: src(
                    &b.body,
                    &["source_address_prefix", "source_address_prefixes"],
                ),
                ports: azure_ports(&b.body),
            });
        }
        _ => {}
    }
    out
}

fn src<'n>(n: &'n Node, keys: &[&str]) -> Vec<&'n Node> {
    keys.iter().filter_map(|k| n.get(k)).collect()
}

fn aws_ports(n: &Node) -> Option<Vec<(i64, i64)>> {
    let proto = n
        .get("protocol")
        .or_else(|| n.get("ip_protocol"))
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    if proto == "-1" || proto.eq_ignore_ascii_case("all") {
        return Some(vec![(0, 65535)]);
    }
    let from = n.get("from_port").and_then(Node::as_i64)?;
    let to = n.get("to_port").and_then(Node::as_i64)?;
    Some(vec![(from, to)])
}

fn parse_range(s: &str) -> Option<(i64, i64)> {
    let s = s.trim();
    if s == "*" {
        return Some((0, 65535));
    }
    match s.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => s.parse().ok().map(|p| (p, p)),
    }
}

fn gcp_ports(allows: &[(&Node, Route)]) -> Option<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    for (a, _) in allows {
        match a.get("ports") {
            None => out.push((0, 65535)),
            Some(p) => {
                for item in p.items() {
                    out.push(parse_range(&item.scalar_text()?)?);
                }
            }
        }
    }
    Some(out)
}

fn azure_inbound_allow(n: &Node) -> bool {
    let is = |k: &str, v: &str| {
        n.get(k)
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case(v))
    };
    is("direction", "Inbound") && is("access", "Allow")
}

fn azure_ports(n: &Node) -> Option<Vec<(i64, i64)>> {
    let mut out = Vec::new();
    if let Some(r) = n.get("destination_port_range") {
        out.push(parse_range(&r.scalar_text()?)?);
    }
    for item in n
        .get("destination_port_ranges")
        .map_or(&[][..], Node::items)
    {
        out.push(parse_range(&item.scalar_text()?)?);
    }
    Some(out)
}
