//! tf-sandboxed-isolation (4.1.5): GKE node pools that run multi-tenant workloads use GKE Sandbox (gVisor); serverless
//! platforms isolated by construction (Lambda, Fargate, Cloud Run, Cloud Functions) are recorded as passing evidence.

use crate::evidence::{Location, Severity};
use crate::model::iac::terraform::{conditional, walk};
use crate::model::iac::TfBlock;
use crate::model::Model;
use crate::parse::{Node, Route};
use crate::rules::{option, reject_unknown, EvidenceSink, Rule, RuleMeta, RuleOption};

static META: RuleMeta = RuleMeta {
    id: "tf-sandboxed-isolation",
    title: "Multi-tenant node pools run gVisor; serverless runs in microVM/sandbox isolation",
    requirements: &["4.1.5"],
    inputs: "Terraform google_container_node_pool / google_container_cluster node pools, aws_lambda_function, aws_ecs_task_definition / aws_ecs_service (Fargate), google_cloud_run_service / google_cloud_run_v2_service, google_cloudfunctions2_function",
    severity: Severity::Medium,
    what: "A GKE node pool is multi-tenant when a node label or taint key/value matches one of `tenant_markers` \
           (default: tenant, multi-tenant, multitenant, untrusted, sandbox). Such a pool must have \
           node_config.sandbox_config { sandbox_type = \"gvisor\" }; any pool with gVisor passes. Lambda (Firecracker \
           microVMs), Fargate tasks and services (one microVM per task), Cloud Run and Cloud Functions gen2 (gVisor / \
           microVM sandbox) pass by construction.",
    why: "4.1.5: multi-tenant serverless workloads execute inside microVM or gVisor sandboxes for VM-grade isolation; a \
          shared kernel between tenants turns one container escape into a cross-tenant breach.",
    fail_example: "node_config {\n  labels = { tenant = \"shared\" }\n}",
    pass_example: "node_config {\n  labels = { tenant = \"shared\" }\n  sandbox_config { sandbox_type = \"gvisor\" }\n}",
    remediation: "Enable GKE Sandbox on node pools that run other tenants' or untrusted code (and schedule those pods \
                  with runtimeClassName: gvisor), or run them on a serverless platform with per-workload microVMs.",
    inconclusive: "sandbox_config inside a dynamic block that exists only under a condition; sandbox types from expressions.",
    options: &[RuleOption {
        name: "tenant_markers",
        default: "[\"tenant\", \"multi-tenant\", \"multitenant\", \"untrusted\", \"sandbox\"]",
        doc: "Substrings of node label / taint keys or values that mark a node pool as multi-tenant.",
    }],
};

/// The rule.
pub struct SandboxedIsolation {
    markers: Vec<String>,
}

impl Default for SandboxedIsolation {
    fn default() -> Self {
        let m = [
            "tenant",
            "multi-tenant",
            "multitenant",
            "untrusted",
            "sandbox",
        ];
        SandboxedIsolation {
            markers: m.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Rule for SandboxedIsolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        reject_unknown(options, &["tenant_markers"])?;
        if let Some(v) = option::<Vec<String>>(options, "tenant_markers")? {
            self.markers = v.into_iter().map(|s| s.to_ascii_lowercase()).collect();
        }
        Ok(())
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for b in model.iac.resources(&["google_container_node_pool"]) {
            self.pool(
                b,
                b.subject(),
                walk(&b.body, b.base.clone(), "node_config"),
                out,
            );
        }
        for b in model.iac.resources(&["google_container_cluster"]) {
            for (pool, route) in b.blocks("node_pool") {
                let name = pool
                    .get("name")
                    .and_then(Node::as_str)
                    .unwrap_or("node_pool")
                    .to_string();
                let mut subject = b.subject();
                subject.container = Some(name.clone());
                subject.display = format!("{}/node_pool:{name}", b.address());
                self.pool(b, subject, walk(pool, route, "node_config"), out);
            }
        }
        for b in model.iac.resources(&[
            "aws_lambda_function",
            "google_cloud_run_service",
            "google_cloud_run_v2_service",
            "google_cloudfunctions2_function",
        ]) {
            out.pass(
                b.subject(),
                Some(b.location()),
                format!(
                    "{} runs each instance in a microVM/gVisor sandbox by construction",
                    b.rtype()
                ),
            );
        }
        for b in model
            .iac
            .resources(&["aws_ecs_task_definition", "aws_ecs_service"])
        {
            let fargate = ["requires_compatibilities", "launch_type"].iter().any(|k| {
                b.attr(k).is_some_and(|(n, _)| {
                    n.as_str() == Some("FARGATE")
                        || n.items().iter().any(|i| i.as_str() == Some("FARGATE"))
                })
            });
            if fargate {
                out.pass(
                    b.subject(),
                    Some(b.location()),
                    "Fargate runs each task in its own microVM",
                );
            }
        }
    }
}

impl SandboxedIsolation {
    fn pool(
        &self,
        b: &TfBlock,
        subject: crate::evidence::Subject,
        cfg: Option<(&Node, Route)>,
        out: &mut EvidenceSink,
    ) {
        let Some((cfg, route)) = cfg else { return };
        let sandbox = walk(cfg, route.clone(), "sandbox_config");
        if let Some((s, sr)) = &sandbox {
            if let Some(cond) = conditional(s) {
                out.inconclusive(
                    subject,
                    Some(Location::node(s, sr)),
                    format!(
                        "sandbox_config exists only when {} is non-empty",
                        cond.as_str().unwrap_or("")
                    ),
                );
                return;
            }
            let kind = s.get("sandbox_type").or_else(|| s.get("type"));
            match kind.and_then(Node::as_str) {
                Some(t) if t.eq_ignore_ascii_case("gvisor") => {
                    out.pass(
                        subject,
                        Some(Location::node(s, sr)),
                        "GKE Sandbox (gVisor) enabled",
                    );
                    return;
                }
                Some(t) if kind.is_some_and(Node::is_templated) => {
                    out.inconclusive(
                        subject,
                        Some(Location::node(s, sr)),
                        format!("sandbox_type is an expression ({t})"),
                    );
                    return;
                }
                _ => {}
            }
        }
        if let Some(marker) = self.tenant_marker(cfg) {
            out.fail(subject, Some(Location::node(cfg, &route)),
                format!("{}: node pool is marked multi-tenant ({marker}) but has no sandbox_config {{ sandbox_type = \"gvisor\" }}", b.address()));
        }
    }

    /// The label or taint that marks the pool as multi-tenant.
    fn tenant_marker(&self, cfg: &Node) -> Option<String> {
        let matches = |s: &str| {
            self.markers
                .iter()
                .any(|m| s.to_ascii_lowercase().contains(m.as_str()))
        };
        for e in cfg.get("labels").map_or(&[][..], Node::entries) {
            let v = e.value.scalar_text().unwrap_or_default();
            if matches(&e.key) || matches(&v) {
                return Some(format!("label {}={v}", e.key));
            }
        }
        let taints: Vec<&Node> = cfg
            .entries()
            .iter()
            .filter(|e| e.key == "taint")
            .flat_map(|e| {
                if e.value.items().is_empty() {
                    vec![&e.value]
                } else {
                    e.value.items().iter().collect()
                }
            })
            .collect();
        for t in taints {
            let key = t.get("key").and_then(Node::scalar_text).unwrap_or_default();
            let value = t
                .get("value")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            if matches(&key) || matches(&value) {
                return Some(format!("taint {key}={value}"));
            }
        }
        None
    }
}
