//! vault-seal-kms (4.4.2): a Vault server's root key is wrapped by a cloud KMS or an HSM (auto-unseal), not left
//! to Shamir key shares held by people.

use crate::evidence::{Severity, Subject};
use crate::model::iac::vault::{SealStanza, VaultServerConfig};
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "vault-seal-kms",
    title: "Vault servers keep their root key in a cloud KMS or HSM (auto-unseal)",
    requirements: &["4.4.2"],
    inputs: "Vault server configurations: *.hcl files, *.hcl keys of ConfigMaps, vault-helm values (server.*.config)",
    severity: Severity::High,
    what: "For each Vault server configuration, the seal stanzas that are not `disabled`: awskms, gcpckms, \
           azurekeyvault, ocikms and alicloudkms (cloud KMS) or pkcs11 (HSM) pass; transit (another Vault holds \
           the key) is partial; no seal stanza, `seal \"shamir\"`, or only disabled seals (a migration back to \
           Shamir) fail. An unknown seal type is inconclusive.",
    why: "4.4.2: encryption keys live in a TPM, HSM or cloud KMS. Vault's root key protects every secret it \
          stores; with Shamir sealing it is reassembled from shares held by people at every unseal instead.",
    fail_example: "storage \"raft\" {\n  path = \"/vault/data\"\n}\nlistener \"tcp\" {\n  address = \"0.0.0.0:8200\"\n}",
    pass_example: "storage \"raft\" {\n  path = \"/vault/data\"\n}\nseal \"awskms\" {\n  region     = \"eu-west-1\"\n  kms_key_id = \"alias/vault-unseal\"\n}",
    remediation: "Configure auto-unseal with a cloud KMS key or an HSM (`seal \"awskms\"`, `\"gcpckms\"`, \
                  `\"azurekeyvault\"` or `\"pkcs11\"`), and rotate and audit that key in the KMS.",
    inconclusive: "A seal type this rule does not know. The seal can also be set through the server's environment \
                   (VAULT_SEAL_TYPE), which a configuration file does not show: waive the finding with that evidence.",
    options: &[],
};

/// Seal types whose key lives in a cloud KMS.
const KMS_SEALS: &[&str] = &[
    "awskms",
    "gcpckms",
    "azurekeyvault",
    "ocikms",
    "alicloudkms",
];

/// The rule.
pub struct VaultSealKms;

impl Rule for VaultSealKms {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink) {
        for config in &model.iac.vault {
            judge(config, out);
        }
    }
}

fn judge(config: &VaultServerConfig, out: &mut EvidenceSink) {
    let subject = Subject {
        kind: "VaultServerConfig".into(),
        namespace: None,
        name: config.name.clone(),
        container: None,
        display: format!("vault:{}", config.name),
    };
    let active: Vec<&SealStanza> = config.seals.iter().filter(|s| !s.disabled).collect();
    let find = |pred: &dyn Fn(&str) -> bool| active.iter().find(|s| pred(&s.kind)).copied();
    let at = |s: &SealStanza| Some(s.location.clone());
    if let Some(hsm) = find(&|k| k == "pkcs11") {
        out.pass(
            subject,
            at(hsm),
            "root key wrapped by an HSM (seal \"pkcs11\")",
        );
    } else if let Some(kms) = find(&|k| KMS_SEALS.contains(&k)) {
        let why = format!(
            "root key wrapped by a cloud KMS key (seal \"{}\")",
            kms.kind
        );
        out.pass(subject, at(kms), why);
    } else if let Some(transit) = find(&|k| k == "transit") {
        out.partial(
            subject,
            at(transit),
            "root key wrapped by another Vault's transit engine (seal \"transit\"): only as safe as that Vault's own seal",
        );
    } else if let Some(other) = find(&|k| k != "shamir") {
        let why = format!("seal \"{}\" is not a seal type this rule knows", other.kind);
        out.inconclusive(subject, at(other), why);
    } else {
        let why = if config.seals.is_empty() {
            "no seal stanza: the root key is protected by Shamir key shares held by people, not a TPM, HSM or KMS \
             (unless VAULT_SEAL_TYPE is set in the server's environment)"
        } else if active.is_empty() {
            "every seal stanza is disabled (a migration back to Shamir): the root key will be protected by key \
             shares held by people, not a TPM, HSM or KMS"
        } else {
            "seal \"shamir\": the root key is protected by key shares held by people, not a TPM, HSM or KMS"
        };
        let location = config
            .seals
            .first()
            .map_or_else(|| config.storage.clone(), |s| s.location.clone());
        out.fail(subject, Some(location), why);
    }
}
