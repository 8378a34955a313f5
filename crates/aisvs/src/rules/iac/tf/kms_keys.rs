//! tf-kms-rotation-audit (4.4.2): every cloud KMS key rotates automatically and its use is audit-logged
//! (AWS KMS + CloudTrail, GCP Cloud KMS + Data Access audit logs, Azure Key Vault keys + diagnostic settings).

use crate::evidence::Severity;
use crate::model::iac::TfBlock;
use crate::model::Model;
use crate::parse::Node;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "tf-kms-rotation-audit",
    title: "KMS keys rotate automatically and key use is audit-logged",
    requirements: &["4.4.2"],
    inputs: "Terraform aws_kms_key + aws_cloudtrail, google_kms_crypto_key + google_*_iam_audit_config, azurerm_key_vault_key + azurerm_monitor_diagnostic_setting",
    severity: Severity::High,
    what: "AWS: enable_key_rotation = true, and a CloudTrail trail that logs management events without excluding \
           kms.amazonaws.com. GCP: rotation_period set, and an IAM audit config for cloudkms.googleapis.com or \
           allServices enabling DATA_READ and DATA_WRITE. Azure: rotation_policy.automatic with a trigger, and a \
           diagnostic setting on the key's vault with AuditEvent (or the audit / allLogs group). Missing rotation \
           or an audit config that excludes KMS fails; no audit resource in the inputs at all is partial (an \
           organisation-level trail may exist elsewhere). HSM protection is reported, not required.",
    why: "4.4.2: keys live in a KMS/HSM with automatic rotation and audit logging, so a leaked key version has a bounded \
          life and every decrypt is attributable.",
    fail_example: "resource \"aws_kms_key\" \"models\" {\n  description = \"model bucket\"\n}",
    pass_example: "resource \"aws_kms_key\" \"models\" {\n  enable_key_rotation = true\n  rotation_period_in_days = 90\n}\nresource \"aws_cloudtrail\" \"main\" { is_multi_region_trail = true }",
    remediation: "Turn on automatic rotation on each key and make sure its use reaches an audit log (CloudTrail \
                  management events incl. KMS; Cloud KMS Data Access logs; Key Vault AuditEvent diagnostics).",
    inconclusive: "Rotation settings from variables or expressions; asymmetric keys, which cannot rotate automatically \
                   (partial: manual rotation evidence needed).",
    options: &[],
};

/// The rule.
pub struct KmsRotationAudit;

impl Rule for KmsRotationAudit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        let aws_audit = aws_audit(model);
        for k in model.iac.resources(&["aws_kms_key"]) {
            let spec = k
                .attr("customer_master_key_spec")
                .and_then(|(n, _)| n.as_str())
                .unwrap_or("SYMMETRIC_DEFAULT");
            let rotation = k.attr("enable_key_rotation");
            let rot = match rotation.as_ref().map(|(n, _)| *n) {
                Some(n) if n.is_templated() => Rot::Unknown(format!(
                    "enable_key_rotation is an expression ({})",
                    n.as_str().unwrap_or("")
                )),
                Some(n) if n.as_bool() == Some(true) => Rot::On,
                _ if spec != "SYMMETRIC_DEFAULT" => {
                    Rot::Manual(format!("{spec} keys cannot rotate automatically"))
                }
                _ => Rot::Off("enable_key_rotation is not true (AWS default: no rotation)".into()),
            };
            report(out, k, "enable_key_rotation", rot, &aws_audit);
        }
        let gcp_audit = gcp_audit(model);
        for k in model.iac.resources(&["google_kms_crypto_key"]) {
            let rot = match k.attr("rotation_period").map(|(n, _)| n) {
                Some(n) if n.is_templated() => Rot::Unknown(format!(
                    "rotation_period is an expression ({})",
                    n.as_str().unwrap_or("")
                )),
                Some(_) => Rot::On,
                None if k
                    .attr("purpose")
                    .and_then(|(n, _)| n.as_str())
                    .is_some_and(|p| p.starts_with("ASYMMETRIC")) =>
                {
                    Rot::Manual("asymmetric keys cannot rotate automatically".into())
                }
                None => Rot::Off("rotation_period is not set: the key never rotates".into()),
            };
            report(out, k, "rotation_period", rot, &gcp_audit);
        }
        for k in model.iac.resources(&["azurerm_key_vault_key"]) {
            let auto = k.attr("rotation_policy.automatic");
            let rot = match auto {
                Some((a, _)) if a.get("time_after_creation").or_else(|| a.get("time_before_expiry")).is_some() => Rot::On,
                _ => Rot::Off("rotation_policy.automatic with time_after_creation or time_before_expiry is not set".into()),
            };
            let vault = k
                .attr("key_vault_id")
                .and_then(|(n, _)| n.as_str())
                .map(reference)
                .unwrap_or_default();
            let audit = azure_audit(model, &vault);
            report(out, k, "rotation_policy", rot, &audit);
        }
    }
}

enum Rot {
    On,
    Off(String),
    Manual(String),
    Unknown(String),
}

/// Audit status: `Ok(what)` audited, `Err(Some(why))` an audit config that leaves key use out, `Err(None)` none seen.
type Audit = Result<String, Option<String>>;

fn report(out: &mut EvidenceSink, k: &TfBlock, rot_attr: &str, rot: Rot, audit: &Audit) {
    let at = Some(k.attr_location(rot_attr));
    match (rot, audit) {
        (Rot::Off(why), _) => {
            out.fail(k.subject(), at, format!("{}: {why}", k.address()));
        }
        (_, Err(Some(why))) => {
            out.fail(
                k.subject(),
                at,
                format!("{}: key use is not audited: {why}", k.address()),
            );
        }
        (Rot::Unknown(why), _) => {
            out.inconclusive(k.subject(), at, why);
        }
        (Rot::Manual(why), _) => {
            out.partial(
                k.subject(),
                at,
                format!("{why}; manual rotation evidence is needed"),
            );
        }
        (Rot::On, Err(None)) => {
            out.partial(k.subject(), at, "rotates automatically, but no audit-log configuration for key use is in the inputs");
        }
        (Rot::On, Ok(what)) => {
            out.pass(
                k.subject(),
                at,
                format!("rotates automatically; key use audited by {what}"),
            );
        }
    }
}

fn aws_audit(model: &Model<'_>) -> Audit {
    let mut problem = None;
    for t in model.iac.resources(&["aws_cloudtrail"]) {
        if t.attr("enable_logging").and_then(|(n, _)| n.as_bool()) == Some(false) {
            problem = Some(format!("{} has enable_logging = false", t.address()));
            continue;
        }
        let selectors = t.blocks("event_selector");
        let excludes = selectors.iter().any(|(s, _)| {
            s.get("include_management_events").and_then(Node::as_bool) == Some(false)
                || s.get("exclude_management_event_sources").is_some_and(|x| {
                    x.items()
                        .iter()
                        .any(|i| i.as_str() == Some("kms.amazonaws.com"))
                })
        });
        if excludes {
            problem = Some(format!("{} excludes KMS management events", t.address()));
            continue;
        }
        return Ok(format!("CloudTrail {}", t.address()));
    }
    Err(problem)
}

fn gcp_audit(model: &Model<'_>) -> Audit {
    let types = [
        "google_project_iam_audit_config",
        "google_folder_iam_audit_config",
        "google_organization_iam_audit_config",
    ];
    let mut problem = None;
    for a in model.iac.resources(&types) {
        let service = a
            .attr("service")
            .and_then(|(n, _)| n.as_str())
            .unwrap_or("");
        if service != "cloudkms.googleapis.com" && service != "allServices" {
            continue;
        }
        let logs: Vec<String> = a
            .blocks("audit_log_config")
            .iter()
            .filter_map(|(c, _)| c.get("log_type").and_then(Node::as_str).map(str::to_string))
            .collect();
        if logs.iter().any(|l| l == "DATA_READ") && logs.iter().any(|l| l == "DATA_WRITE") {
            return Ok(format!("{} ({service})", a.address()));
        }
        problem = Some(format!(
            "{} does not enable DATA_READ and DATA_WRITE for {service}",
            a.address()
        ));
    }
    Err(problem)
}

fn azure_audit(model: &Model<'_>, vault: &str) -> Audit {
    let mut problem = None;
    for d in model.iac.resources(&["azurerm_monitor_diagnostic_setting"]) {
        let target = d
            .attr("target_resource_id")
            .and_then(|(n, _)| n.as_str())
            .map(reference)
            .unwrap_or_default();
        if vault.is_empty() || target != vault {
            continue;
        }
        let audited = ["enabled_log", "log"]
            .iter()
            .flat_map(|b| d.blocks(b))
            .any(|(l, _)| {
                let cat = l
                    .get("category")
                    .or_else(|| l.get("category_group"))
                    .and_then(Node::as_str)
                    .unwrap_or("");
                matches!(cat, "AuditEvent" | "audit" | "allLogs")
                    && l.get("enabled").and_then(Node::as_bool) != Some(false)
            });
        if audited {
            return Ok(format!("diagnostic setting {}", d.address()));
        }
        problem = Some(format!(
            "{} does not enable the AuditEvent log",
            d.address()
        ));
    }
    Err(problem)
}

/// `${azurerm_key_vault.main.id}` → `azurerm_key_vault.main` (the referenced resource address).
fn reference(expr: &str) -> String {
    let inner = expr.trim_start_matches("${").trim_end_matches('}');
    let parts: Vec<&str> = inner.split('.').take(2).collect();
    parts.join(".")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reference_strips_attribute() {
        assert_eq!(
            super::reference("${azurerm_key_vault.main.id}"),
            "azurerm_key_vault.main"
        );
    }
}
