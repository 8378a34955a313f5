//! k8s-read-only-root (4.1.3): every container has a read-only root filesystem.

use crate::evidence::Severity;
use crate::model::Model;

use super::container_flag::{check_flag, FlagCheck};
use super::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-read-only-root",
    title: "Containers run with a read-only root filesystem",
    requirements: &["4.1.3"],
    inputs: "Kubernetes workloads",
    severity: Severity::Medium,
    what: "Every container must set securityContext.readOnlyRootFilesystem: true (the default is false).",
    why: "4.1.3 asks for read-only root filesystems to prevent file-system escapes: an attacker who gets code \
          execution cannot drop tools or tamper with the image's binaries.",
    fail_example: "securityContext:\n  readOnlyRootFilesystem: false",
    pass_example: "securityContext:\n  readOnlyRootFilesystem: true\nvolumeMounts:\n- {name: cache, mountPath: /root/.cache}",
    remediation: "Set readOnlyRootFilesystem: true and mount emptyDir volumes where the server writes \
                  (/tmp, HF_HOME or ~/.cache/huggingface, ~/.cache/vllm, /tmp/ray; /dev/shm as medium: Memory).",
    inconclusive: "A templated value.",
    options: &[],
};

/// The rule.
pub struct ReadOnlyRoot;

impl Rule for ReadOnlyRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        check_flag(
            model,
            out,
            &FlagCheck {
                field: "readOnlyRootFilesystem",
                wanted: true,
                absent_passes: false,
                wrong: "readOnlyRootFilesystem is not true",
                missing: "readOnlyRootFilesystem is not set (the root filesystem is writable)",
            },
        );
    }
}
