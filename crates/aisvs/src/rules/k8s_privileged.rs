//! k8s-privileged (4.1.2, 4.1.3): no container runs privileged.

use crate::evidence::Severity;
use crate::model::Model;

use super::container_flag::{check_flag, FlagCheck};
use super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-privileged",
    title: "No container runs privileged",
    requirements: &["4.1.2", "4.1.3"],
    inputs: "Kubernetes workloads",
    severity: Severity::High,
    what: "Fails every container with securityContext.privileged: true.",
    why: "A privileged container holds every capability, sees every host device, runs without seccomp and \
          with an unmasked /proc: it is the host (4.1.2 capabilities, 4.1.3 isolation).",
    fail_example: "securityContext:\n  privileged: true",
    pass_example: "securityContext:\n  privileged: false",
    remediation: "Remove privileged: true; grant the one capability or device the workload needs instead \
                  (GPU access comes from the device plugin, not from privileged mode).",
    inconclusive: "A templated value.",
    options: &[],
};

/// The rule.
pub struct Privileged;

impl Rule for Privileged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        check_flag(
            model,
            out,
            &FlagCheck {
                field: "privileged",
                wanted: false,
                absent_passes: true,
                wrong: "runs privileged (all capabilities, all devices, no seccomp)",
                missing: "",
            },
        );
    }
}
