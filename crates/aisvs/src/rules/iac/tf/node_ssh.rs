//! tf-node-ssh-access (4.4.4): cloud nodes do not take SSH from the world, GCP projects and instances use OS Login
//! with 2FA and block project-wide keys, Azure VMs do not allow password SSH.

use crate::evidence::{Location, Severity};
use crate::model::Model;
use crate::parse::Node;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "tf-node-ssh-access",
    title: "SSH to nodes is restricted, MFA-backed and key-only",
    requirements: &["4.4.4"],
    inputs: "Terraform aws_eks_node_group, google_compute_project_metadata(_item), google_compute_instance(_template), azurerm_linux_virtual_machine(_scale_set)",
    severity: Severity::High,
    what: "EKS node groups with remote_access must name source_security_group_ids (without them SSH is open to \
           0.0.0.0/0). GCP project metadata must set enable-oslogin = TRUE and enable-oslogin-2fa = TRUE; instances \
           and templates must not turn OS Login off and should set block-project-ssh-keys = TRUE. Azure Linux VMs and \
           scale sets must keep disable_password_authentication = true.",
    why: "4.4.4: SSH to production nodes requires MFA and is disabled for service accounts. OS Login 2FA ties SSH to a \
          person with a second factor; static project keys and passwords do not.",
    fail_example: "resource \"aws_eks_node_group\" \"gpu\" {\n  remote_access { ec2_ssh_key = \"ops\" }\n}",
    pass_example: "resource \"google_compute_project_metadata\" \"m\" {\n  metadata = { enable-oslogin = \"TRUE\", enable-oslogin-2fa = \"TRUE\" }\n}",
    remediation: "Prefer SSM Session Manager / IAP over SSH; where SSH stays, restrict the source security group, \
                  enforce OS Login with 2FA and block project-wide keys, and disable password authentication.",
    inconclusive: "Values from variables or expressions.",
    options: &[],
};

/// The rule.
pub struct NodeSshAccess;

fn truthy(n: &Node) -> Option<bool> {
    n.as_bool()
        .or_else(|| n.as_str().map(|s| s.eq_ignore_ascii_case("true")))
}

impl Rule for NodeSshAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for b in model.iac.resources(&["aws_eks_node_group"]) {
            let Some((ra, route)) = b.attr("remote_access") else {
                continue;
            };
            let at = Some(Location::node(ra, &route));
            match ra.get("source_security_group_ids") {
                Some(s) if s.is_templated() || s.items().iter().any(Node::is_templated) => {
                    out.inconclusive(
                        b.subject(),
                        at,
                        "source_security_group_ids is an expression",
                    );
                }
                Some(s) if !s.items().is_empty() => {
                    out.pass(
                        b.subject(),
                        at,
                        "SSH limited to the named source security groups",
                    );
                }
                _ => {
                    out.fail(b.subject(), at, format!("{}: remote_access without source_security_group_ids opens SSH (port 22) to 0.0.0.0/0", b.address()));
                }
            }
        }
        for b in model.iac.resources(&["google_compute_project_metadata"]) {
            let Some((meta, route)) = b.attr("metadata") else {
                continue;
            };
            let at = Some(Location::node(meta, &route));
            let get = |k: &str| meta.get(k);
            if [get("enable-oslogin"), get("enable-oslogin-2fa")]
                .iter()
                .flatten()
                .any(|n| n.is_templated())
            {
                out.inconclusive(b.subject(), at, "OS Login metadata comes from expressions");
                continue;
            }
            let mut problems = Vec::new();
            if get("enable-oslogin").and_then(truthy) != Some(true) {
                problems.push("enable-oslogin is not TRUE");
            }
            if get("enable-oslogin-2fa").and_then(truthy) != Some(true) {
                problems.push("enable-oslogin-2fa is not TRUE");
            }
            if problems.is_empty() {
                out.pass(b.subject(), at, "OS Login with 2FA enforced project-wide");
            } else {
                out.fail(
                    b.subject(),
                    at,
                    format!("{}: {}", b.address(), problems.join("; ")),
                );
            }
        }
        for b in model
            .iac
            .resources(&["google_compute_project_metadata_item"])
        {
            let key = b.attr("key").and_then(|(n, _)| n.as_str()).unwrap_or("");
            if key == "enable-oslogin" || key == "enable-oslogin-2fa" {
                let (v, r) = match b.attr("value") {
                    Some(x) => x,
                    None => continue,
                };
                if truthy(v) == Some(true) {
                    out.pass(
                        b.subject(),
                        Some(Location::node(v, &r)),
                        format!("{key} = TRUE"),
                    );
                } else {
                    out.fail(
                        b.subject(),
                        Some(Location::node(v, &r)),
                        format!("{key} is not TRUE"),
                    );
                }
            }
        }
        for b in model.iac.resources(&[
            "google_compute_instance",
            "google_compute_instance_template",
        ]) {
            let Some((meta, route)) = b.attr("metadata") else {
                continue;
            };
            let at = Some(Location::node(meta, &route));
            if meta.get("enable-oslogin").and_then(truthy) == Some(false) {
                out.fail(
                    b.subject(),
                    at,
                    format!(
                        "{} turns OS Login off (enable-oslogin = FALSE)",
                        b.address()
                    ),
                );
            } else if meta.get("ssh-keys").is_some() || meta.get("sshKeys").is_some() {
                out.fail(
                    b.subject(),
                    at,
                    format!("{} carries static ssh-keys in metadata", b.address()),
                );
            } else if meta.get("block-project-ssh-keys").and_then(truthy) == Some(true) {
                out.pass(b.subject(), at, "project-wide SSH keys blocked");
            } else {
                out.partial(b.subject(), at, "block-project-ssh-keys is not TRUE: project-wide keys still work where OS Login is off");
            }
        }
        for b in model.iac.resources(&[
            "azurerm_linux_virtual_machine",
            "azurerm_linux_virtual_machine_scale_set",
        ]) {
            match b.attr("disable_password_authentication") {
                Some((n, r)) if n.as_bool() == Some(false) => {
                    out.fail(
                        b.subject(),
                        Some(Location::node(n, &r)),
                        format!("{} allows password SSH", b.address()),
                    );
                }
                Some((n, r)) if n.is_templated() => {
                    out.inconclusive(
                        b.subject(),
                        Some(Location::node(n, &r)),
                        "disable_password_authentication is an expression",
                    );
                }
                _ => {
                    out.pass(
                        b.subject(),
                        Some(b.attr_location("disable_password_authentication")),
                        "password SSH disabled (key-only)",
                    );
                }
            }
        }
    }
}
