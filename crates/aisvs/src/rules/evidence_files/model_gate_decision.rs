//! model-gate-decision (4.5.2): a signed promotion-gate decision shows adversarial evaluation ran in the sandbox and gated promotion.
//!
//! A decision record binds the compared result files (by SHA-256), the policy and the sandbox record
//! the evaluation ran under; `aisvs gate` refuses to write a self-contradictory one, and this rule refuses to
//! read one.

use crate::evidence::Severity;
use crate::model::Model;

use super::super::{EvidenceSink, Rule, RuleMeta};
use super::report_items;

static META: RuleMeta = RuleMeta {
    id: "model-gate-decision",
    title: "Adversarial evaluation runs in the sandbox and blocks promotion on regression (gate \
           decision)",
    requirements: &["4.5.2"],
    inputs: "decision records written by `aisvs gate --record` (signed with --sign-key); \
            [evidence] vetting_keys",
    severity: Severity::High,
    what: "Each gate decision record among the inputs must verify with one of [evidence] \
          vetting_keys and be self-consistent (a promotion needs accepted sandbox evidence and \
          no blocking category). A promotion or a block backed by an accepted sandbox record \
          passes; a block whose evaluation is not shown to have run in the sandbox is partial; \
          unsigned, wrongly signed or contradictory records fail.",
    why: "4.5.2: adversarial evaluation must execute in the sandbox and block promotion on \
         regression; the signed decision is the evidence that it did.",
    fail_example: "unsigned decision record: anyone could have written it",
    pass_example: "signed gate decision: support-7b-v2 promoted after sandboxed adversarial \
                  evaluation (6 categories compared)",
    remediation: "Run `aisvs gate … --sandbox-record record.json --record decision.json \
                 --sign-key KEY` in the promotion pipeline and keep the decision with the scan \
                 inputs; set [evidence] vetting_keys to the public key.",
    inconclusive: "A signed record but no [evidence] vetting_keys to check it with.",
    options: &[],
};

/// The rule: reports what `model::scan_evidence` evaluated for this check, one subject per decision record.
pub struct GateDecision;

impl Rule for GateDecision {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        // Records are read with aisvs-vetting's verify_decision_file.
        report_items(model, out);
    }
}
