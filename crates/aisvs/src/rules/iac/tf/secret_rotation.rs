//! tf-secret-rotation (4.4.1): stored secrets rotate at least every 90 days — AWS Secrets Manager rotation
//! schedules, GCP Secret Manager rotation, Azure Key Vault secret expiry, External Secrets refresh.

use crate::evidence::{Location, Severity};
use crate::model::iac::TfBlock;
use crate::model::Model;
use crate::parse::Node;
use crate::rules::sink::object_subject;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

use super::durations::{
    aws_cron_max_month_gap, aws_rate_days, go_duration_days, seconds_suffix_days,
};

/// The requirement's bound.
const MAX_DAYS: f64 = 90.0;

static META: RuleMeta = RuleMeta {
    id: "tf-secret-rotation",
    title: "Secrets are rotated at least every 90 days",
    requirements: &["4.4.1"],
    inputs: "Terraform aws_secretsmanager_secret(+_rotation), google_secret_manager_secret, azurerm_key_vault_secret; ExternalSecret objects",
    severity: Severity::Medium,
    what: "AWS: every aws_secretsmanager_secret needs an aws_secretsmanager_secret_rotation whose rotation_rules \
           set automatically_after_days ≤ 90, schedule_expression rate(≤ 90 days), or a cron() that fires at least \
           every two months. GCP: rotation.rotation_period ≤ 7776000s with notification topics (GCP only notifies; \
           the subscriber rotates). Azure: Key Vault secrets have no automatic rotation, so an expiration_date is \
           partial and none fails. ExternalSecret: refreshInterval 0 (never re-sync) fails, more than 90 days fails.",
    why: "4.4.1: secrets are rotated at least every 90 days. Configured rotation bounds how long a leaked value stays \
          valid; actual last-rotation dates need evidence files (see the evidence rules).",
    fail_example: "resource \"aws_secretsmanager_secret_rotation\" \"db\" {\n  secret_id = aws_secretsmanager_secret.db.id\n  rotation_rules { automatically_after_days = 365 }\n}",
    pass_example: "rotation_rules { schedule_expression = \"rate(30 days)\" }",
    remediation: "Attach a rotation (Lambda or managed rotation) with a schedule of 90 days or less to every secret; \
                  on GCP add rotation { rotation_period = \"7776000s\" } and a Pub/Sub topic with a rotating subscriber.",
    inconclusive: "Schedules from variables or expressions, cron expressions restricted to given years.",
    options: &[],
};

/// The rule.
pub struct SecretRotation;

impl Rule for SecretRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        let rotations: Vec<&TfBlock> = model
            .iac
            .resources(&["aws_secretsmanager_secret_rotation"])
            .collect();
        for s in model.iac.resources(&["aws_secretsmanager_secret"]) {
            let address = s.address();
            let rotation = rotations.iter().find(|r| {
                r.attr("secret_id")
                    .and_then(|(n, _)| n.as_str())
                    .is_some_and(|id| id.contains(&format!("{address}.")))
            });
            let Some(r) = rotation else {
                out.fail(
                    s.subject(),
                    Some(s.location()),
                    format!("{address} has no aws_secretsmanager_secret_rotation"),
                );
                continue;
            };
            let at = Some(r.attr_location("rotation_rules"));
            let days = r
                .attr("rotation_rules.automatically_after_days")
                .map(|(n, _)| n);
            let sched = r.attr("rotation_rules.schedule_expression").map(|(n, _)| n);
            match (days, sched) {
                (Some(n), _) | (None, Some(n)) if n.is_templated() => {
                    out.inconclusive(
                        s.subject(),
                        at,
                        format!(
                            "rotation schedule is an expression ({})",
                            n.as_str().unwrap_or("")
                        ),
                    );
                }
                (Some(n), _) => verdict(
                    out,
                    s,
                    at,
                    n.as_i64().map(|d| d as f64),
                    "automatically_after_days",
                ),
                (None, Some(n)) => {
                    let expr = n.as_str().unwrap_or("");
                    if let Some(d) = aws_rate_days(expr) {
                        verdict(out, s, at, Some(d), expr);
                    } else if let Some(gap) = aws_cron_max_month_gap(expr) {
                        let worst = f64::from(gap + 1) * 31.0;
                        verdict(
                            out,
                            s,
                            at,
                            Some(if gap <= 1 { worst.min(MAX_DAYS) } else { worst }),
                            expr,
                        );
                    } else {
                        out.inconclusive(
                            s.subject(),
                            at,
                            format!(
                                "schedule `{expr}` is not understood (or limited to given years)"
                            ),
                        );
                    }
                }
                (None, None) => {
                    out.fail(s.subject(), at, "rotation_rules sets no schedule");
                }
            }
        }
        for s in model.iac.resources(&["google_secret_manager_secret"]) {
            let Some((period, route)) = s.attr("rotation.rotation_period") else {
                out.fail(
                    s.subject(),
                    Some(s.location()),
                    format!("{} has no rotation.rotation_period", s.address()),
                );
                continue;
            };
            let at = Some(Location::node(period, &route));
            if period.is_templated() {
                out.inconclusive(s.subject(), at, "rotation_period is an expression");
            } else if s.blocks("topics").is_empty() {
                out.fail(
                    s.subject(),
                    at,
                    "rotation is set but no topics: GCP has nobody to notify, so nothing rotates",
                );
            } else {
                verdict(
                    out,
                    s,
                    at,
                    period.as_str().and_then(seconds_suffix_days),
                    "rotation_period",
                );
            }
        }
        for s in model.iac.resources(&["azurerm_key_vault_secret"]) {
            match s.attr("expiration_date") {
                Some((n, r)) => {
                    out.partial(s.subject(), Some(Location::node(n, &r)), "expiration_date is set, but Key Vault does not rotate secrets itself: rotation needs Event Grid automation");
                }
                None => {
                    out.fail(
                        s.subject(),
                        Some(s.location()),
                        format!(
                            "{} has no expiration_date and Key Vault never rotates it",
                            s.address()
                        ),
                    );
                }
            }
        }
        for (_, o) in model.objects_of_kind("ExternalSecret") {
            let node = o.root.at("spec.refreshInterval");
            let at = Some(match node {
                Some(n) => Location::node(n, &o.base.keys("spec.refreshInterval")),
                None => Location::node(o.root, &o.base),
            });
            match node.and_then(Node::scalar_text) {
                None => {
                    out.pass(
                        object_subject(o),
                        at,
                        "refreshInterval unset: the operator default (1h) re-syncs rotated values",
                    );
                }
                Some(t) if node.is_some_and(Node::is_templated) => {
                    out.inconclusive(
                        object_subject(o),
                        at,
                        format!("refreshInterval is a template ({t})"),
                    );
                }
                Some(t) => {
                    match go_duration_days(&t) {
                        Some(0.0) => {
                            out.fail(object_subject(o), at, "refreshInterval 0 never re-syncs: a rotated secret is never picked up");
                        }
                        Some(d) if d > MAX_DAYS => {
                            out.fail(
                                object_subject(o),
                                at,
                                format!("refreshInterval {t} is longer than 90 days"),
                            );
                        }
                        Some(_) => {
                            out.pass(object_subject(o), at, format!("re-synced every {t}"));
                        }
                        None => {
                            out.inconclusive(
                                object_subject(o),
                                at,
                                format!("refreshInterval `{t}` is not a duration"),
                            );
                        }
                    }
                }
            }
        }
    }
}

fn verdict(
    out: &mut EvidenceSink,
    s: &TfBlock,
    at: Option<Location>,
    days: Option<f64>,
    what: &str,
) {
    match days {
        Some(d) if d <= MAX_DAYS => {
            out.pass(
                s.subject(),
                at,
                format!("rotates every {d:.0} days or less ({what})"),
            );
        }
        Some(d) => {
            out.fail(
                s.subject(),
                at,
                format!(
                    "{}: rotation interval about {d:.0} days exceeds 90 ({what})",
                    s.address()
                ),
            );
        }
        None => {
            out.inconclusive(
                s.subject(),
                at,
                format!("cannot read the rotation interval ({what})"),
            );
        }
    }
}
