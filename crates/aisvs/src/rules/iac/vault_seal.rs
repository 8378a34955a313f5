//! vault-seal-kms (4.4.2): a Vault server's root key is wrapped by a cloud KMS or an HSM (auto-unseal), not left
//! to Shamir key shares held by people.

use crate::evidence::{Location, Outcome, Severity, Subject};
use crate::model::iac::vault::VaultServerConfig;
use crate::model::iac::vault_env::FROM_ELSEWHERE;
use crate::model::Model;
use crate::rules::{EvidenceSink, Rule, RuleMeta};

static META: RuleMeta = RuleMeta {
    id: "vault-seal-kms",
    title: "Vault servers keep their root key in a cloud KMS or HSM (auto-unseal)",
    requirements: &["4.4.2"],
    inputs: "Vault server configurations: *.hcl files, *.hcl keys of ConfigMaps, vault-helm values (server.*.config); \
             VAULT_SEAL_TYPE in container env, vault-helm extraEnvironmentVars, Compose environment, Dockerfile ENV, .env files",
    severity: Severity::High,
    what: "For each Vault server configuration, the seal stanzas that are not `disabled`: awskms, gcpckms, \
           azurekeyvault, ocikms and alicloudkms (cloud KMS) or pkcs11 (HSM) pass; transit (another Vault holds \
           the key) is partial; no seal stanza, `seal \"shamir\"`, or only disabled seals (a migration back to \
           Shamir) fail. An unknown seal type is inconclusive. Without a seal stanza, VAULT_SEAL_TYPE (which \
           activates a seal on its own) is judged like a stanza when it is tied to the configuration: in the same \
           vault-helm values document, or on a workload in the same file that mounts the ConfigMap holding it. Set \
           anywhere else it makes the result inconclusive.",
    why: "4.4.2: encryption keys live in a TPM, HSM or cloud KMS. Vault's root key protects every secret it \
          stores; with Shamir sealing it is reassembled from shares held by people at every unseal instead.",
    fail_example: "storage \"raft\" {\n  path = \"/vault/data\"\n}\nlistener \"tcp\" {\n  address = \"0.0.0.0:8200\"\n}",
    pass_example: "storage \"raft\" {\n  path = \"/vault/data\"\n}\nseal \"awskms\" {\n  region     = \"eu-west-1\"\n  kms_key_id = \"alias/vault-unseal\"\n}",
    remediation: "Configure auto-unseal with a cloud KMS key or an HSM (`seal \"awskms\"`, `\"gcpckms\"`, \
                  `\"azurekeyvault\"` or `\"pkcs11\"`), and rotate and audit that key in the KMS.",
    inconclusive: "A seal type this rule does not know (or VAULT_SEAL_TYPE read from `valueFrom` at run time), or no \
                   seal stanza while VAULT_SEAL_TYPE is set somewhere not \
                   tied to the configuration: whether that environment is the server's is not in the files. Render the \
                   workload and its ConfigMap into one manifest, or waive the finding with the deployment as evidence.",
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
            judge(model, config, out);
        }
    }
}

/// How a seal type protects the root key.
enum Protection {
    Hsm,
    Kms,
    Transit,
    Shamir,
    Unknown,
}

fn protection(kind: &str) -> Protection {
    match kind {
        "pkcs11" => Protection::Hsm,
        k if KMS_SEALS.contains(&k) => Protection::Kms,
        "transit" => Protection::Transit,
        "shamir" => Protection::Shamir,
        _ => Protection::Unknown,
    }
}

/// The strongest of several seal types (an HSM over a KMS over transit over an unknown type over Shamir).
fn rank(kind: &str) -> u8 {
    match protection(kind) {
        Protection::Hsm => 4,
        Protection::Kms => 3,
        Protection::Transit => 2,
        Protection::Unknown => 1,
        Protection::Shamir => 0,
    }
}

fn judge(model: &Model<'_>, config: &VaultServerConfig, out: &mut EvidenceSink) {
    let subject = Subject {
        kind: "VaultServerConfig".into(),
        namespace: None,
        name: config.name.clone(),
        container: None,
        display: format!("vault:{}", config.name),
    };
    let active = config.seals.iter().filter(|s| !s.disabled);
    if let Some(stanza) = active.clone().max_by_key(|s| rank(&s.kind)) {
        let how = format!("seal \"{}\"", stanza.kind);
        by_kind(subject, &stanza.kind, &how, stanza.location.clone(), out);
        return;
    }
    if !config.seals.is_empty() {
        let why = "every seal stanza is disabled (a migration back to Shamir): the root key will be protected by key \
                   shares held by people, not a TPM, HSM or KMS";
        out.fail(subject, Some(config.seals[0].location.clone()), why);
        return;
    }
    // No seal stanza: VAULT_SEAL_TYPE in the server's environment would still select a seal.
    let env = &model.iac.vault_seal_env;
    // Tied to this configuration: set in the same YAML document (vault-helm values), or by a workload in the same
    // file that mounts the ConfigMap holding it. Conflicting settings count as the weakest.
    let tied = env.iter().filter(|e| {
        e.file == config.file
            && (e.doc.is_some() && e.doc == config.doc
                || config
                    .config_map
                    .as_ref()
                    .is_some_and(|cm| e.mounted_config_maps.contains(cm)))
    });
    if let Some(setting) = tied.min_by_key(|e| rank(&e.kind)) {
        let how = match &config.config_map {
            Some(cm) if setting.doc != config.doc => format!(
                "{} in the environment of the workload that mounts ConfigMap {cm}",
                shown(&setting.kind)
            ),
            _ => format!("{} set beside the configuration", shown(&setting.kind)),
        };
        by_kind(subject, &setting.kind, &how, setting.location.clone(), out);
        return;
    }
    if let Some(setting) = env.iter().max_by_key(|e| rank(&e.kind)) {
        let path = &model.file(setting.location.span.file()).path;
        let why = format!(
            "no seal stanza, but {} is set in {path}: it selects the seal if it is this server's environment, \
             which the files do not show",
            shown(&setting.kind)
        );
        out.inconclusive(subject, Some(config.storage.clone()), why);
        return;
    }
    let why = "no seal stanza: the root key is protected by Shamir key shares held by people, not a TPM, HSM or KMS \
               (and no VAULT_SEAL_TYPE is set among the inputs)";
    out.fail(subject, Some(config.storage.clone()), why);
}

/// How a `VAULT_SEAL_TYPE` setting reads in a message.
fn shown(kind: &str) -> String {
    if kind == FROM_ELSEWHERE {
        "VAULT_SEAL_TYPE from valueFrom (read at run time)".into()
    } else {
        format!("VAULT_SEAL_TYPE={kind}")
    }
}

/// The verdict for a seal selected by a stanza or by `VAULT_SEAL_TYPE` (`how` says which).
fn by_kind(subject: Subject, kind: &str, how: &str, at: Location, out: &mut EvidenceSink) {
    let (outcome, message) = match protection(kind) {
        Protection::Hsm => (Outcome::Pass, format!("root key wrapped by an HSM ({how})")),
        Protection::Kms => (
            Outcome::Pass,
            format!("root key wrapped by a cloud KMS key ({how})"),
        ),
        Protection::Transit => (
            Outcome::Partial,
            format!("root key wrapped by another Vault's transit engine ({how}): only as safe as that Vault's own seal"),
        ),
        Protection::Unknown => (
            Outcome::Inconclusive,
            format!("{how}: a seal type this rule cannot judge"),
        ),
        Protection::Shamir => (
            Outcome::Fail,
            format!("{how}: the root key is protected by key shares held by people, not a TPM, HSM or KMS"),
        ),
    };
    out.push(outcome, subject, Some(at), message);
}
