//! tf-gke-metadata-server (4.3.2): GKE node pools run the GKE metadata server, which hides the node's service
//! account and instance metadata from pods.

use crate::evidence::{Location, Severity};
use crate::model::iac::terraform::{conditional, walk};
use crate::model::iac::TfBlock;
use crate::model::Model;
use crate::parse::{Node, Route};
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "tf-gke-metadata-server",
    title: "GKE node pools use the GKE metadata server (workload_metadata_config GKE_METADATA)",
    requirements: &["4.3.2"],
    inputs: "Terraform google_container_node_pool, google_container_cluster",
    severity: Severity::High,
    what: "node_config.workload_metadata_config.mode must be GKE_METADATA (legacy node_metadata: \
           GKE_METADATA_SERVER). GCE_METADATA / EXPOSE fail; the deprecated SECURE concealment is partial. When the \
           field is absent, pools default to GKE_METADATA only if Workload Identity is enabled on the cluster, so an \
           absent field is inconclusive when a cluster in the inputs enables it and a failure otherwise.",
    why: "4.3.2: cloud metadata APIs must be disabled or authenticated. Without the GKE metadata server every pod can \
          read the node service account's token and the kube-env bootstrap credentials from 169.254.169.254.",
    fail_example: "node_config {\n  workload_metadata_config { mode = \"GCE_METADATA\" }\n}",
    pass_example: "node_config {\n  workload_metadata_config { mode = \"GKE_METADATA\" }\n}",
    remediation: "Enable Workload Identity on the cluster (workload_identity_config { workload_pool = \
                  \"<project>.svc.id.goog\" }) and set workload_metadata_config { mode = \"GKE_METADATA\" } on every pool.",
    inconclusive: "Modes from variables or expressions; dynamic blocks that exist only conditionally; absent modes \
                   when Workload Identity is enabled on a cluster.",
    options: &[],
};

/// The rule.
pub struct GkeMetadataServer;

impl Rule for GkeMetadataServer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        let wi_enabled = model
            .iac
            .resources(&["google_container_cluster"])
            .any(|c| c.attr("workload_identity_config").is_some());
        for b in model.iac.resources(&["google_container_node_pool"]) {
            let cfg = b.attr("node_config");
            check_pool(b, b.subject(), cfg, wi_enabled, out);
        }
        for b in model.iac.resources(&["google_container_cluster"]) {
            let removes_default = b
                .attr("remove_default_node_pool")
                .and_then(|(n, _)| n.as_bool())
                == Some(true);
            if !removes_default
                && b.attr("autopilot").is_none()
                && b.body.get("enable_autopilot").and_then(Node::as_bool) != Some(true)
            {
                check_pool(b, b.subject(), b.attr("node_config"), wi_enabled, out);
            }
            for (pool, route) in b.blocks("node_pool") {
                let mut subject = b.subject();
                let name = pool
                    .get("name")
                    .and_then(Node::as_str)
                    .unwrap_or("node_pool")
                    .to_string();
                subject.container = Some(name.clone());
                subject.display = format!("{}/node_pool:{name}", b.address());
                let cfg = walk(pool, route, "node_config");
                check_pool(b, subject, cfg, wi_enabled, out);
            }
        }
    }
}

fn check_pool(
    b: &TfBlock,
    subject: crate::evidence::Subject,
    cfg: Option<(&Node, Route)>,
    wi: bool,
    out: &mut EvidenceSink,
) {
    let Some((cfg, route)) = cfg else {
        absent(b.location(), subject, wi, out);
        return;
    };
    let wmc = walk(cfg, route.clone(), "workload_metadata_config");
    if let Some((w, wr)) = &wmc {
        if let Some(cond) = conditional(w) {
            out.inconclusive(
                subject,
                Some(Location::node(w, wr)),
                format!(
                    "workload_metadata_config exists only when {} is non-empty",
                    cond.as_str().unwrap_or("")
                ),
            );
            return;
        }
    }
    let mode = wmc.as_ref().and_then(|(w, wr)| {
        walk(w, wr.clone(), "mode").or_else(|| walk(w, wr.clone(), "node_metadata"))
    });
    let Some((m, mr)) = mode else {
        absent(Location::node(cfg, &route), subject, wi, out);
        return;
    };
    let at = Some(Location::node(m, &mr));
    match m.as_str().unwrap_or("") {
        _ if m.is_templated() => {
            out.inconclusive(
                subject,
                at,
                format!("mode is an expression ({})", m.as_str().unwrap_or("")),
            );
        }
        "GKE_METADATA" | "GKE_METADATA_SERVER" => {
            out.pass(subject, at, "GKE metadata server enabled");
        }
        "SECURE" => {
            out.partial(
                subject,
                at,
                "metadata concealment (SECURE) is deprecated and weaker than GKE_METADATA",
            );
        }
        other => {
            out.fail(subject, at, format!("workload metadata mode `{other}` exposes the node's metadata and service account to pods"));
        }
    }
}

fn absent(at: Location, subject: crate::evidence::Subject, wi: bool, out: &mut EvidenceSink) {
    if wi {
        out.inconclusive(subject, Some(at), "workload_metadata_config is not set; GKE_METADATA is the default only on a cluster with Workload Identity");
    } else {
        out.fail(subject, Some(at), "workload_metadata_config is not set and no cluster in the inputs enables Workload Identity: pods can read node metadata");
    }
}
