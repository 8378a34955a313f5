//! tf-imds-v2 (4.3.2): AWS instances, launch templates, EKS node groups and Karpenter node classes require IMDSv2
//! with a response hop limit of 1, so containers cannot reach the instance role's credentials.

use crate::evidence::{Location, Severity};
use crate::model::iac::terraform::conditional;
use crate::model::iac::TfBlock;
use crate::model::Model;
use crate::parse::Node;
use crate::rules::sink::object_subject;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "tf-imds-v2",
    title: "Instance metadata requires IMDSv2 with hop limit 1",
    requirements: &["4.3.2"],
    inputs: "Terraform (aws_instance, aws_launch_template, aws_launch_configuration, aws_eks_node_group), Karpenter EC2NodeClass",
    severity: Severity::High,
    what: "metadata_options must set http_tokens = \"required\" (or http_endpoint = \"disabled\") and \
           http_put_response_hop_limit = 1 (absent means the AWS default of 1). An EKS managed node group without \
           its own launch template gets the EKS-generated one, which does not enforce this. Karpenter EC2NodeClass \
           metadataOptions default to required/1 and fail only when loosened.",
    why: "4.3.2: cloud metadata APIs must be disabled or authenticated. IMDSv1 answers any request (SSRF from a model \
          server becomes the node's IAM credentials); a hop limit above 1 lets pods reach IMDSv2 through the node.",
    fail_example: "resource \"aws_launch_template\" \"gpu\" {\n  metadata_options {\n    http_tokens = \"optional\"\n    http_put_response_hop_limit = 2\n  }\n}",
    pass_example: "metadata_options {\n  http_endpoint = \"enabled\"\n  http_tokens = \"required\"\n  http_put_response_hop_limit = 1\n}",
    remediation: "Set metadata_options { http_tokens = \"required\", http_put_response_hop_limit = 1 } on every launch \
                  template and instance, and give EKS node groups a launch template that does so.",
    inconclusive: "Values that come from variables without defaults or other expressions.",
    options: &[],
};

/// The rule.
pub struct ImdsV2;

const INSTANCE_TYPES: &[&str] = &[
    "aws_instance",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_spot_instance_request",
];

impl Rule for ImdsV2 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for b in model.iac.resources(INSTANCE_TYPES) {
            check_metadata_options(b, out);
        }
        for b in model.iac.resources(&["aws_eks_node_group"]) {
            match b.attr("launch_template") {
                Some((lt, route)) if conditional(lt).is_some() => {
                    let cond = conditional(lt).and_then(Node::as_str).unwrap_or("");
                    out.inconclusive(b.subject(), Some(Location::node(lt, &route)),
                        format!("launch_template is a dynamic block that exists only when for_each ({cond}) is non-empty"));
                }
                Some((lt, route)) => {
                    out.pass(b.subject(), Some(Location::node(lt, &route)),
                        "uses its own launch template (its metadata_options are checked on the template)");
                }
                None => {
                    out.fail(b.subject(), Some(b.location()),
                        "no launch_template: the EKS-generated launch template does not require IMDSv2 with hop limit 1");
                }
            }
        }
        for (_, o) in model.objects_of_kind("EC2NodeClass") {
            let opts = o.root.at("spec.metadataOptions");
            let tokens = opts
                .and_then(|m| m.get("httpTokens"))
                .and_then(Node::as_str);
            let hops = opts
                .and_then(|m| m.get("httpPutResponseHopLimit"))
                .and_then(Node::as_i64);
            let at = Some(match opts {
                Some(n) => Location::node(n, &o.base.keys("spec.metadataOptions")),
                None => Location::node(o.root, &o.base),
            });
            let mut problems = Vec::new();
            if tokens.is_some_and(|t| t != "required") {
                problems.push("httpTokens is not `required`".to_string());
            }
            if let Some(h) = hops.filter(|h| *h > 1) {
                problems.push(format!("httpPutResponseHopLimit is {h}"));
            }
            if problems.is_empty() {
                out.pass(
                    object_subject(o),
                    at,
                    "IMDSv2 required with hop limit 1 (Karpenter defaults where unset)",
                );
            } else {
                out.fail(object_subject(o), at, problems.join("; "));
            }
        }
    }
}

fn check_metadata_options(b: &TfBlock, out: &mut EvidenceSink) {
    let Some((opts, route)) = b.attr("metadata_options") else {
        out.fail(b.subject(), Some(b.location()),
            format!("{} has no metadata_options: IMDSv1 stays enabled (http_tokens = \"required\" expected)", b.address()));
        return;
    };
    let at = Some(Location::node(opts, &route));
    let field = |k: &str| {
        opts.get(k)
            .or_else(|| opts.items().first().and_then(|o| o.get(k)))
    };
    let templated = [
        "http_tokens",
        "http_endpoint",
        "http_put_response_hop_limit",
    ]
    .iter()
    .filter_map(|k| field(k).filter(|n| n.is_templated()).map(|n| (*k, n)))
    .collect::<Vec<_>>();
    if field("http_endpoint").and_then(Node::as_str) == Some("disabled") {
        out.pass(b.subject(), at, "instance metadata endpoint disabled");
        return;
    }
    if let Some((k, n)) = templated.first() {
        out.inconclusive(
            b.subject(),
            Some(Location::node(n, &route.key(k))),
            format!(
                "{k} is an expression ({}) that cannot be resolved statically",
                n.as_str().unwrap_or("")
            ),
        );
        return;
    }
    let mut problems = Vec::new();
    match field("http_tokens").and_then(Node::as_str) {
        Some("required") => {}
        Some(other) => problems.push(format!("http_tokens is \"{other}\" (IMDSv1 allowed)")),
        None => {
            problems.push("http_tokens is not set (defaults to optional: IMDSv1 allowed)".into())
        }
    }
    match field("http_put_response_hop_limit").and_then(Node::as_i64) {
        Some(h) if h > 1 => problems.push(format!(
            "http_put_response_hop_limit is {h} (containers can reach IMDS)"
        )),
        _ => {}
    }
    if problems.is_empty() {
        out.pass(b.subject(), at, "IMDSv2 required, hop limit 1");
    } else {
        out.fail(
            b.subject(),
            at,
            format!("{}: {}", b.address(), problems.join("; ")),
        );
    }
}
