//! k8s-encryption-at-rest (4.4.2): the API server's EncryptionConfiguration encrypts Secrets with KMS v2 first.

use crate::evidence::{Location, Severity};
use crate::model::Model;
use crate::parse::Node;

use crate::rules::sink::object_subject;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "k8s-encryption-at-rest",
    title: "Secrets are encrypted at rest by a KMS v2 provider",
    requirements: &["4.4.2"],
    inputs: "EncryptionConfiguration (apiserver.config.k8s.io)",
    severity: Severity::High,
    what: "Finds the first `resources[]` entry that covers `secrets` (or `*.` / `*.*`); lists are matched in \
           order and the FIRST provider encrypts new writes. It must be `kms` with `apiVersion: v2`. \
           `identity` (no encryption), `aescbc`, `aesgcm` or `secretbox` (key in a file on the control-plane \
           disk), and `kms` v1 (deprecated, off by default since 1.29) fail and are named.",
    why: "4.4.2: keys must live in a KMS/HSM with rotation and audit, not beside the data they protect.",
    fail_example: "resources:\n- resources: [secrets]\n  providers:\n  - aescbc: {keys: [{name: k1, secret: …}]}\n  - identity: {}",
    pass_example: "resources:\n- resources: [secrets]\n  providers:\n  - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}\n  - identity: {}",
    remediation: "Put a `kms` provider with `apiVersion: v2` first for secrets, backed by a cloud KMS or HSM \
                  plugin; keep `identity` only last, for reading old data during migration.",
    inconclusive: "The provider list is a template expression.",
    options: &[],
};

/// The rule.
pub struct EncryptionAtRest;

/// Whether a `resources[].resources` list covers Secrets.
fn covers_secrets(entry: &Node) -> bool {
    entry
        .get("resources")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .any(|r| matches!(r, "secrets" | "*." | "*.*"))
}

impl Rule for EncryptionAtRest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for o in model
            .objects
            .iter()
            .filter(|o| o.kind == "EncryptionConfiguration" && o.group == "apiserver.config.k8s.io")
        {
            let subject = object_subject(o);
            let base = o.base.key("resources");
            let entries = o.root.get("resources").map(Node::items).unwrap_or(&[]);
            let Some((ei, entry)) = entries.iter().enumerate().find(|(_, e)| covers_secrets(e))
            else {
                out.fail(
                    subject,
                    Some(Location::node(o.root, &o.base)),
                    "no resources[] entry covers `secrets`: Secrets are stored unencrypted (identity)",
                );
                continue;
            };
            let route = base.index(ei).key("providers");
            let Some(first) = entry.get("providers").and_then(|p| p.items().first()) else {
                out.fail(
                    subject,
                    Some(Location::node(entry, &base.index(ei))),
                    "the entry covering secrets lists no providers",
                );
                continue;
            };
            let loc = Some(Location::node(first, &route.index(0)));
            if first.is_templated() {
                out.inconclusive(subject, loc, "the first provider is a template expression");
                continue;
            }
            let Some(kind) = first.entries().first().map(|e| e.key.as_str()) else {
                out.inconclusive(subject, loc, "the first provider is not a mapping");
                continue;
            };
            match kind {
                "kms" => {
                    let version = first
                        .at("kms.apiVersion")
                        .and_then(Node::as_str)
                        .unwrap_or("v1 (unset)");
                    if version == "v2" {
                        out.pass(
                            subject,
                            loc,
                            "secrets are encrypted first by a KMS v2 provider",
                        );
                    } else {
                        out.fail(subject, loc, format!(
                            "the first provider for secrets is kms {version}: KMS v1 is deprecated and disabled by default since Kubernetes 1.29 (set apiVersion: v2)"
                        ));
                    }
                }
                "identity" => {
                    out.fail(subject, loc, "the first provider for secrets is `identity`: new Secrets are written unencrypted");
                }
                other => {
                    out.fail(subject, loc, format!(
                        "the first provider for secrets is `{other}`: its key sits in a file on the control-plane disk, not in a KMS/HSM"
                    ));
                }
            }
        }
    }
}
