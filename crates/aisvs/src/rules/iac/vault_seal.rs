//! vault-seal-kms (4.4.2): a Vault server's root key is wrapped by a cloud KMS or an HSM (auto-unseal), not left
//! to Shamir key shares held by people.

use crate::evidence::{Location, Severity, Subject};
use crate::model::iac::VaultServerConfig;
use crate::model::Model;
use crate::parse::terraform::HclBlock;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "vault-seal-kms",
    title: "Vault servers keep their root key in a cloud KMS or HSM (auto-unseal)",
    requirements: &["4.4.2"],
    inputs: "Vault server configuration files (*.hcl with a storage block)",
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
        name: config.path.clone(),
        container: None,
        display: format!("vault:{}", config.path),
    };
    let active: Vec<&HclBlock> = config.seals.iter().filter(|s| !disabled(s)).collect();
    let at = |b: &HclBlock| {
        Some(Location::bytes(
            config.file,
            b.span.start(),
            b.span.end(),
            seal_route(b),
        ))
    };
    if let Some(hsm) = active.iter().find(|s| seal_type(s) == "pkcs11") {
        out.pass(
            subject,
            at(hsm),
            "root key wrapped by an HSM (seal \"pkcs11\")",
        );
        return;
    }
    if let Some(kms) = active.iter().find(|s| KMS_SEALS.contains(&seal_type(s))) {
        let kind = seal_type(kms);
        out.pass(
            subject,
            at(kms),
            format!("root key wrapped by a cloud KMS key (seal \"{kind}\")"),
        );
        return;
    }
    if let Some(transit) = active.iter().find(|s| seal_type(s) == "transit") {
        out.partial(
            subject,
            at(transit),
            "root key wrapped by another Vault's transit engine (seal \"transit\"): only as safe as that Vault's own seal",
        );
        return;
    }
    if let Some(other) = active.iter().find(|s| seal_type(s) != "shamir") {
        let kind = seal_type(other);
        out.inconclusive(
            subject,
            at(other),
            format!("seal \"{kind}\" is not a seal type this rule knows"),
        );
        return;
    }
    let storage = Some(Location::bytes(
        config.file,
        config.storage.start(),
        config.storage.end(),
        "storage",
    ));
    let why = if config.seals.is_empty() {
        "no seal stanza: the root key is protected by Shamir key shares held by people, not a TPM, HSM or KMS \
         (unless VAULT_SEAL_TYPE is set in the server's environment)"
    } else if active.is_empty() {
        "every seal stanza is disabled (a migration back to Shamir): the root key will be protected by key shares \
         held by people, not a TPM, HSM or KMS"
    } else {
        "seal \"shamir\": the root key is protected by key shares held by people, not a TPM, HSM or KMS"
    };
    let location = config.seals.first().map_or(storage, at);
    out.fail(subject, location, why);
}

/// The seal's type label (`seal "awskms" { … }`); an unlabelled seal block is read as Shamir.
fn seal_type(seal: &HclBlock) -> &str {
    seal.labels.first().map_or("shamir", String::as_str)
}

fn seal_route(seal: &HclBlock) -> String {
    format!("seal.{}", seal_type(seal))
}

/// `disabled = true` or `"true"` marks a seal being migrated away from.
fn disabled(seal: &HclBlock) -> bool {
    seal.body.get("disabled").is_some_and(|d| {
        d.as_bool() == Some(true)
            || d.scalar_text()
                .is_some_and(|t| t.eq_ignore_ascii_case("true"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::terraform::parse_hcl;

    fn seal(text: &str) -> HclBlock {
        parse_hcl(0, text).expect("valid HCL").remove(0)
    }

    #[test]
    fn seal_type_and_disabled_flag() {
        let s = seal("seal \"awskms\" {\n  disabled = \"true\"\n}\n");
        assert_eq!(seal_type(&s), "awskms");
        assert!(disabled(&s));
        assert!(!disabled(&seal("seal \"gcpckms\" { disabled = false }\n")));
        assert_eq!(seal_type(&seal("seal {}\n")), "shamir");
    }
}
