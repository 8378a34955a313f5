//! tf-ecs-container-hardening (4.1.2, 4.1.3): ECS task definitions run unprivileged containers that drop ALL
//! capabilities, with a read-only root filesystem and no host PID/IPC/network namespace.

use crate::evidence::{Location, Severity};
use crate::model::iac::TfBlock;
use crate::model::Model;
use crate::parse::{Entry, Node, Value};
use crate::rules::k8s_capabilities::normalise;
use crate::rules::{EvidenceSink, Rule, RuleMeta};
use crate::source::Span;

static META: RuleMeta = RuleMeta {
    id: "tf-ecs-container-hardening",
    title: "ECS containers drop capabilities, are unprivileged, read-only and keep their namespaces",
    requirements: &["4.1.2", "4.1.3"],
    inputs: "Terraform aws_ecs_task_definition (container_definitions as jsonencode(...) or JSON text)",
    severity: Severity::High,
    what: "For every container definition: `privileged` must not be true, `linuxParameters.capabilities.drop` must \
           contain ALL and `add` nothing beyond NET_BIND_SERVICE, `readonlyRootFilesystem` must be true. The task \
           must not use `pid_mode`/`ipc_mode` = host or `network_mode` = host.",
    why: "4.1.2 and 4.1.3: containers drop capabilities beyond the minimum and keep namespaces and a read-only root. \
          ECS containers otherwise get Docker's default capability set and a writable root filesystem.",
    fail_example: "container_definitions = jsonencode([{ name = \"app\", image = \"app:1\", privileged = true }])",
    pass_example: "container_definitions = jsonencode([{ name = \"app\", image = \"app@sha256:…\",\n  readonlyRootFilesystem = true,\n  linuxParameters = { capabilities = { drop = [\"ALL\"] } } }])",
    remediation: "Set readonlyRootFilesystem = true and linuxParameters.capabilities.drop = [\"ALL\"] on each \
                  container, remove privileged, and use awsvpc networking without host PID/IPC.",
    inconclusive: "container_definitions read from a file or template, or built from variables.",
    options: &[],
};

/// The rule.
pub struct EcsContainerHardening;

impl Rule for EcsContainerHardening {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for b in model.iac.resources(&["aws_ecs_task_definition"]) {
            let Some((defs, route)) = b.attr("container_definitions") else {
                continue;
            };
            let parsed;
            let list: &Node = match &defs.value {
                Value::Str(s) if !defs.is_templated() => {
                    match serde_json::from_str::<serde_json::Value>(s) {
                        Ok(v) => {
                            parsed = from_json(&v, defs.span, 0);
                            &parsed
                        }
                        Err(e) => {
                            out.inconclusive(
                                b.subject(),
                                Some(Location::node(defs, &route)),
                                format!("container_definitions is not valid JSON: {e}"),
                            );
                            continue;
                        }
                    }
                }
                Value::Seq(_) => defs,
                _ => {
                    out.inconclusive(b.subject(), Some(Location::node(defs, &route)),
                        "container_definitions comes from a file, template or variable that cannot be read statically");
                    continue;
                }
            };
            let task_problems = task_level(b);
            for (i, c) in list.items().iter().enumerate() {
                let name = c
                    .get("name")
                    .and_then(Node::as_str)
                    .unwrap_or("?")
                    .to_string();
                let mut subject = b.subject();
                subject.container = Some(name.clone());
                subject.display = format!("{}/container:{name}", b.address());
                let at = Some(Location::node(c, &route.index(i)));
                let mut problems = task_problems.clone();
                let templated = [
                    c.get("privileged"),
                    c.get("readonlyRootFilesystem"),
                    c.at("linuxParameters.capabilities"),
                ]
                .iter()
                .flatten()
                .any(|n| n.is_templated());
                if c.get("privileged").and_then(Node::as_bool) == Some(true) {
                    problems.push("privileged".into());
                }
                if c.get("readonlyRootFilesystem").and_then(Node::as_bool) != Some(true) {
                    problems.push("readonlyRootFilesystem is not true".into());
                }
                let caps = c.at("linuxParameters.capabilities");
                let drops = caps
                    .and_then(|k| k.get("drop"))
                    .map_or(&[][..], Node::items);
                if !drops
                    .iter()
                    .filter_map(Node::as_str)
                    .any(|d| normalise(d) == "ALL")
                {
                    problems.push("linuxParameters.capabilities.drop does not contain ALL".into());
                }
                for a in caps
                    .and_then(|k| k.get("add"))
                    .map_or(&[][..], Node::items)
                    .iter()
                    .filter_map(Node::as_str)
                {
                    if normalise(a) != "NET_BIND_SERVICE" {
                        problems.push(format!("adds {}", normalise(a)));
                    }
                }
                if problems.is_empty() {
                    out.pass(
                        subject,
                        at,
                        "unprivileged, drops ALL, read-only root, own namespaces",
                    );
                } else if templated {
                    out.inconclusive(
                        subject,
                        at,
                        format!("{} (some values are expressions)", problems.join("; ")),
                    );
                } else {
                    out.fail(
                        subject,
                        at,
                        format!("container `{name}`: {}", problems.join("; ")),
                    );
                }
            }
        }
    }
}

fn task_level(b: &TfBlock) -> Vec<String> {
    ["pid_mode", "ipc_mode", "network_mode"]
        .iter()
        .filter(|k| b.body.get(k).and_then(Node::as_str) == Some("host"))
        .map(|k| format!("task {k} = host"))
        .collect()
}

/// JSON text inside an attribute: every node gets the attribute's span (the JSON has no spans of its own in the file).
fn from_json(v: &serde_json::Value, span: Span, depth: usize) -> Node {
    let value = match v {
        _ if depth > 32 => Value::Null,
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        serde_json::Value::String(s) => Value::Str(compact_str::CompactString::new(s)),
        serde_json::Value::Array(a) => {
            Value::Seq(a.iter().map(|x| from_json(x, span, depth + 1)).collect())
        }
        serde_json::Value::Object(o) => Value::Map(
            o.iter()
                .map(|(k, x)| Entry {
                    key: compact_str::CompactString::new(k),
                    key_span: span,
                    value: from_json(x, span, depth + 1),
                })
                .collect(),
        ),
    };
    Node { value, span }
}
