//! HashiCorp Vault server configuration files (`*.hcl` with a `storage` or `backend` block): which `seal` stanzas
//! protect the root key. Vault Agent and other HCL files (Packer, Nomad, Terragrunt) are not Vault servers.

use crate::diag::Diagnostic;
use crate::model::ParsedFile;
use crate::parse::terraform::{parse_hcl, HclBlock};
use crate::source::{FileId, FileKind, Span};

/// One Vault server configuration file.
#[derive(Debug)]
pub struct VaultServerConfig {
    /// The file.
    pub file: FileId,
    /// Its path (the subject name).
    pub path: String,
    /// Every `seal "<type>" { … }` block, in file order.
    pub seals: Vec<HclBlock>,
    /// The `storage` (or legacy `backend`) block, where findings without a seal block point.
    pub storage: Span,
}

/// Reads the `.hcl` files among the inputs and keeps the Vault server configurations.
pub fn build(files: &[ParsedFile], diags: &mut Vec<Diagnostic>) -> Vec<VaultServerConfig> {
    let mut out = Vec::new();
    for f in files {
        let src = &f.source;
        if src.kind != FileKind::Text || !src.path.to_ascii_lowercase().ends_with(".hcl") {
            continue;
        }
        let blocks = match parse_hcl(src.id, &src.text) {
            Ok(blocks) => blocks,
            Err(e) => {
                // Any HCL file is read (Vault configs have no fixed name), so a broken one is only a warning.
                diags.push(Diagnostic::warning(
                    &src.path,
                    e.line(),
                    format!("{e} (read for Vault server settings)"),
                ));
                continue;
            }
        };
        if let Some(config) = classify(src.id, &src.path, blocks) {
            out.push(config);
        }
    }
    out
}

/// A server config stores data (`storage`/`backend`); Vault Agent configs have `auto_auth` and no storage.
fn classify(file: FileId, path: &str, blocks: Vec<HclBlock>) -> Option<VaultServerConfig> {
    let storage = blocks
        .iter()
        .find(|b| b.kind == "storage" || b.kind == "backend")?
        .span;
    if blocks.iter().any(|b| b.kind == "auto_auth") {
        return None;
    }
    Some(VaultServerConfig {
        file,
        path: path.to_string(),
        seals: blocks.into_iter().filter(|b| b.kind == "seal").collect(),
        storage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<HclBlock> {
        parse_hcl(0, text).expect("valid HCL")
    }

    #[test]
    fn servers_are_told_from_agents_and_other_hcl() {
        let server =
            "storage \"raft\" { path = \"/vault\" }\nseal \"awskms\" { kms_key_id = \"k\" }\n";
        let c = classify(0, "vault.hcl", blocks(server)).expect("a server config");
        assert_eq!(c.seals.len(), 1);
        assert_eq!(c.seals[0].labels, ["awskms"]);
        let agent = "auto_auth {\n  method \"kubernetes\" {}\n}\nstorage \"file\" {}\n";
        assert!(classify(0, "agent.hcl", blocks(agent)).is_none());
        let packer = "source \"amazon-ebs\" \"x\" {}\nbuild { sources = [] }\n";
        assert!(classify(0, "x.pkr.hcl", blocks(packer)).is_none());
    }
}
