//! report-secret-rotation-age (4.4.1): secrets are no older than 90 days and were rotated after every departure.
//!
//! Dumps are the output of the cloud CLIs (`aws secretsmanager describe-secret`, `aws kms
//! list-key-rotations`, `gcloud kms keys describe`, `vault kv metadata get`, `kubectl get secret -o json`).
//! Messages never contain secret values: dumps hold metadata only.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "report-secret-rotation-age",
    title: "Secrets are rotated at least every 90 days and after personnel changes",
    requirements: &["4.4.1"],
    inputs: "secret/key metadata dumps (AWS Secrets Manager and KMS, GCP KMS, Vault kv metadata, \
            Kubernetes Secrets read from a cluster, External Secrets) and an offboarding list",
    severity: Severity::High,
    what: "For every secret in the metadata dumps among the inputs, the current value \
          (LastRotatedDate, AWSCURRENT version, newest rotation, Vault current version, \
          managedFields time) must be at most 90 days old at the evaluation time; configured KMS \
          rotation must be on and at most 90 days. Each secret a departed person could read must \
          have been rotated after their departure date. Secret manifests in a repository are not \
          dumps and are not judged here.",
    why: "4.4.1: secrets must be rotated at least every 90 days or immediately upon personnel \
         change; an old or un-rotated secret stays usable by whoever saw it.",
    fail_example: "aws-secretsmanager prod/db: current value is 184 days old; prod/hf-token not \
                  rotated since bob left on 2026-03-01",
    pass_example: "vault secret/app: current version created 12 days before --at",
    remediation: "Rotate the named secrets (and enable automatic rotation of at most 90 days), \
                 then re-export the metadata dump; rotate every secret a departing person could \
                 read on their last day.",
    inconclusive: "A dump shows no date for the current value, or a date after the evaluation \
                  time (clock skew).",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per secret or key.
pub struct SecretRotationAge;

impl Rule for SecretRotationAge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Ages are computed by aisvs-evidence's evaluate_secret_rotation at the scan's evaluation time.
        report_items(model, out);
    }
}
