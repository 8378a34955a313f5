//! k8s-allow-privilege-escalation (4.1.2): every container sets allowPrivilegeEscalation: false.

use crate::evidence::Severity;
use crate::model::Model;

use super::container_flag::{check_flag, FlagCheck};
use super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-allow-privilege-escalation",
    title: "Containers cannot gain privileges (allowPrivilegeEscalation: false)",
    requirements: &["4.1.2"],
    inputs: "Kubernetes workloads",
    severity: Severity::Medium,
    what: "Every container must set securityContext.allowPrivilegeEscalation to false explicitly; unset counts \
           as true, as in Pod Security Admission.",
    why: "Without no_new_privs a process can regain capabilities through setuid binaries or file \
          capabilities, undoing a capability drop (4.1.2).",
    fail_example: "securityContext:\n  capabilities: {drop: [ALL]}",
    pass_example: "securityContext:\n  allowPrivilegeEscalation: false\n  capabilities: {drop: [ALL]}",
    remediation: "Set securityContext.allowPrivilegeEscalation: false on every container.",
    inconclusive: "A templated value.",
    options: &[],
};

/// The rule.
pub struct AllowPrivilegeEscalation;

impl Rule for AllowPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        check_flag(
            model,
            out,
            &FlagCheck {
                field: "allowPrivilegeEscalation",
                wanted: false,
                absent_passes: false,
                wrong: "allowPrivilegeEscalation is not false",
                missing: "allowPrivilegeEscalation is not set (it defaults to true)",
            },
        );
    }
}
