//! tf-key-rotation-period (4.4.1): where the rotation period of a KMS key is configurable, it is 90 days or less.

use crate::evidence::Severity;
use crate::model::Model;
use crate::parse::Node;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::durations::{iso8601_days, seconds_suffix_days};

static META: RuleMeta = RuleMeta {
    id: "tf-key-rotation-period",
    title: "KMS key rotation periods are 90 days or less",
    requirements: &["4.4.1"],
    inputs: "Terraform aws_kms_key, google_kms_crypto_key, azurerm_key_vault_key",
    severity: Severity::Low,
    what: "For keys that rotate automatically: aws_kms_key rotation_period_in_days ≤ 90 (absent = AWS default 365), \
           google_kms_crypto_key rotation_period ≤ 7776000s, azurerm_key_vault_key rotation_policy.automatic \
           time_after_creation ≤ P90D (or expire_after − time_before_expiry). Keys without automatic rotation are \
           reported by tf-kms-rotation-audit, not here.",
    why: "4.4.1: secrets (key material included) rotate at least every 90 days; a yearly key rotation leaves a leaked \
          data key usable for a year.",
    fail_example: "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}",
    pass_example: "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n  rotation_period_in_days = 90\n}",
    remediation: "Set the rotation period to 90 days (AWS minimum: 90; GCP: \"7776000s\"; Azure: P90D).",
    inconclusive: "Periods from variables or expressions.",
    options: &[],
};

/// The rule.
pub struct KeyRotationPeriod;

impl Rule for KeyRotationPeriod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for k in model.iac.resources(&["aws_kms_key"]) {
            if k.attr("enable_key_rotation").and_then(|(n, _)| n.as_bool()) != Some(true) {
                continue;
            }
            let period = k.attr("rotation_period_in_days").map(|(n, _)| n);
            let days = match period {
                Some(n) if n.is_templated() => None,
                Some(n) => n.as_i64().map(|d| d as f64),
                None => Some(365.0),
            };
            judge(out, k, "rotation_period_in_days", days);
        }
        for k in model.iac.resources(&["google_kms_crypto_key"]) {
            let Some((n, _)) = k.attr("rotation_period") else {
                continue;
            };
            judge(
                out,
                k,
                "rotation_period",
                n.as_str()
                    .filter(|_| !n.is_templated())
                    .and_then(seconds_suffix_days),
            );
        }
        for k in model.iac.resources(&["azurerm_key_vault_key"]) {
            let Some((auto, _)) = k.attr("rotation_policy.automatic") else {
                continue;
            };
            let iso = |n: Option<&Node>| n.and_then(Node::as_str).and_then(iso8601_days);
            let days = iso(auto.get("time_after_creation")).or_else(|| {
                let expire = iso(k.attr("rotation_policy.expire_after").map(|(n, _)| n))?;
                Some(expire - iso(auto.get("time_before_expiry"))?)
            });
            judge(out, k, "rotation_policy", days);
        }
    }
}

fn judge(out: &mut EvidenceSink, k: &crate::model::iac::TfBlock, attr: &str, days: Option<f64>) {
    let at = Some(k.attr_location(attr));
    match days {
        Some(d) if d <= 90.0 => {
            out.pass(k.subject(), at, format!("rotates every {d:.0} days"));
        }
        Some(d) => {
            out.fail(
                k.subject(),
                at,
                format!("{}: rotation period {d:.0} days exceeds 90", k.address()),
            );
        }
        None => {
            out.inconclusive(k.subject(), at, format!("{attr} cannot be read statically"));
        }
    }
}
