//! model-vetting-record (4.5.1): models were vetted in a sandbox without network, shown by a signed vetting record.
//!
//! The record lists each input's SHA-256, the isolation controls applied (network namespace among
//! them), limits, exit status and timing, signed as a DSSE envelope with an Ed25519 key. Inputs named only
//! by path are never trusted: the digest is what ties a record to a model.
//! Records that fail signature checks are failures, not inconclusive: a forged record must not pass quietly.
//! A record that verifies but covers no listed digest fails: it vetted some other model.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "model-vetting-record",
    title: "New models are vetted in an isolated sandbox with no network (signed vetting record)",
    requirements: &["4.5.1"],
    inputs: "signed vetting records written by `aisvs sandbox run --record`; [evidence] \
            vetting_keys, model_digests",
    severity: Severity::High,
    what: "Each vetting record among the inputs must verify with one of [evidence] vetting_keys, \
          show the network-namespace control applied (no outbound network), a clean exit (not \
          killed, not timed out), and list an input whose SHA-256 is one of [evidence] \
          model_digests. Each expected model digest with no such record fails.",
    why: "4.5.1: new or external models must be evaluated inside an isolated sandbox with no \
         outbound network until vetting completes; a signed record ties the vetting run to the \
         model bytes.",
    fail_example: "network_namespace: not_applied  # the vetting run had network",
    pass_example: "signature verified, no network, clean exit; covers sha256:764158c3…",
    remediation: "Vet each new model with `aisvs sandbox run --record record.json --sign-key KEY \
                 -- <eval command>` (no --allow-net), keep the record with the scan inputs and \
                 list the model digest in [evidence] model_digests.",
    inconclusive: "No [evidence] vetting_keys to verify the signature with.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per vetting record or expected model.
pub struct VettingRecord;

impl Rule for VettingRecord {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Signatures are checked with aisvs-sandbox's verify_record_file.
        report_items(model, out);
    }
}
