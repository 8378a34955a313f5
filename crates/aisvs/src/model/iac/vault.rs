//! HashiCorp Vault server configurations and their `seal` stanzas: `*.hcl` files, `*.hcl` keys of ConfigMaps
//! (what the vault-helm chart renders) and the chart's values (`server.standalone.config`, `server.ha.config`,
//! `server.ha.raft.config`). A configuration counts when it has a `storage` (or `backend`) block and no
//! `auto_auth` (Vault Agent); Packer, Nomad or Terragrunt HCL is left alone.

use crate::diag::Diagnostic;
use crate::evidence::Location;
use crate::model::ParsedFile;
use crate::parse::terraform::{parse_hcl, HclBlock};
use crate::parse::{Node, Route};
use crate::source::{FileId, FileKind, SourceFile, Span};

/// One Vault server configuration.
#[derive(Debug)]
pub struct VaultServerConfig {
    /// The file it is in.
    pub file: FileId,
    /// Its name: the file path, with `#<where>` for a configuration embedded in YAML.
    pub name: String,
    /// Every `seal "<type>" { … }` stanza, in order.
    pub seals: Vec<SealStanza>,
    /// The `storage` (or legacy `backend`) block, where findings without a seal stanza point.
    pub storage: Location,
    /// For a configuration embedded in YAML: the index of its document in the file.
    pub doc: Option<usize>,
    /// For a configuration held in a ConfigMap: the ConfigMap's name (workloads mount it by name).
    pub config_map: Option<String>,
}

/// One `seal` stanza.
#[derive(Debug)]
pub struct SealStanza {
    /// The type label (`awskms`, `pkcs11`, `transit` …); an unlabelled stanza is `shamir`.
    pub kind: String,
    /// `disabled = true`: a seal being migrated away from.
    pub disabled: bool,
    /// Where it is.
    pub location: Location,
}

/// The places in a vault-helm values file that hold the server configuration.
const HELM_CONFIG_PATHS: &[&str] = &[
    "server.standalone.config",
    "server.ha.config",
    "server.ha.raft.config",
];

/// Finds every Vault server configuration among the inputs.
pub fn build(files: &[ParsedFile], diags: &mut Vec<Diagnostic>) -> Vec<VaultServerConfig> {
    let mut out = Vec::new();
    for f in files {
        let src = &f.source;
        match src.kind {
            FileKind::Text if src.path.to_ascii_lowercase().ends_with(".hcl") => {
                match parse_hcl(src.id, &src.text) {
                    Ok(blocks) => {
                        let at = |span: Span, route: &str| {
                            Location::bytes(src.id, span.start(), span.end(), route)
                        };
                        out.extend(classify(src.id, src.path.clone(), &blocks, at));
                    }
                    // Any HCL file is read (Vault configs have no fixed name), so a broken one is only a warning.
                    Err(e) => diags.push(Diagnostic::warning(
                        &src.path,
                        e.line(),
                        format!("{e} (read for Vault server settings)"),
                    )),
                }
            }
            FileKind::Yaml | FileKind::Json => {
                for (index, doc) in f.docs.iter().enumerate() {
                    let config_map = (doc.root.get("kind").and_then(Node::as_str)
                        == Some("ConfigMap"))
                    .then(|| doc.root.at("metadata.name").and_then(Node::scalar_text))
                    .flatten();
                    for (node, route) in embedded_configs(&doc.root) {
                        out.extend(embedded(src, node, &route).map(|mut config| {
                            config.doc = Some(index);
                            config.config_map.clone_from(&config_map);
                            config
                        }));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// HCL strings in a ConfigMap's `*.hcl` data keys or at the vault-helm values paths.
fn embedded_configs(root: &Node) -> Vec<(&Node, Route)> {
    let mut found = Vec::new();
    if root.get("kind").and_then(Node::as_str) == Some("ConfigMap") {
        for e in root.get("data").map(Node::entries).unwrap_or(&[]) {
            if e.key.ends_with(".hcl") {
                found.push((&e.value, Route::root().key("data").key(&e.key)));
            }
        }
    } else if root.get("server").is_some() {
        for path in HELM_CONFIG_PATHS {
            if let Some(node) = root.at(path).filter(|n| n.as_str().is_some()) {
                let route = path.split('.').fold(Route::root(), |r, k| r.key(k));
                found.push((node, route));
            }
        }
    }
    found
}

/// Parses an HCL string held in YAML. Offsets inside a literal block scalar (`key: |`) map back to the file;
/// otherwise findings point at the whole string.
fn embedded(src: &SourceFile, node: &Node, route: &Route) -> Option<VaultServerConfig> {
    let hcl = node.as_str()?;
    let blocks = parse_hcl(src.id, hcl).ok()?;
    let whole = Location::node(node, route);
    let literal = literal_block_start(src, node.span);
    let at = |span: Span, _: &str| match literal {
        Some((first_line, indent)) => {
            let map = |offset: usize| {
                let before = &hcl[..offset.min(hcl.len())];
                let line = before.matches('\n').count();
                let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
                (src.line_start(first_line + line) + indent + col).min(src.text.len())
            };
            Location::bytes(
                src.id,
                map(span.start()),
                map(span.end()),
                route.to_string(),
            )
        }
        None => whole.clone(),
    };
    let name = format!("{}#{}", src.path, route);
    classify(src.id, name, &blocks, at)
}

/// For a literal block scalar, the 1-based file line of its first content line and its indentation.
fn literal_block_start(src: &SourceFile, span: Span) -> Option<(usize, usize)> {
    let (line, column) = src.line_col(span.start());
    if line < 2 {
        return None; // a block scalar's content never starts on the first line
    }
    let header = src.line_text(line - 1);
    let indicator = header.trim_end().rsplit(' ').next().unwrap_or_default();
    let literal = indicator.starts_with('|')
        && indicator[1..]
            .chars()
            .all(|c| matches!(c, '-' | '+' | '0'..='9'));
    let indent = src.line_text(line).len() - src.line_text(line).trim_start_matches(' ').len();
    (literal && indent + 1 == column).then_some((line, indent))
}

/// A server stores data; an agent has `auto_auth`. `at` turns a block's span into a location.
fn classify(
    file: FileId,
    name: String,
    blocks: &[HclBlock],
    at: impl Fn(Span, &str) -> Location,
) -> Option<VaultServerConfig> {
    let storage = blocks
        .iter()
        .find(|b| b.kind == "storage" || b.kind == "backend")?;
    if blocks.iter().any(|b| b.kind == "auto_auth") {
        return None;
    }
    let seals = blocks
        .iter()
        .filter(|b| b.kind == "seal")
        .map(|b| {
            let kind = b.labels.first().cloned().unwrap_or_else(|| "shamir".into());
            SealStanza {
                disabled: disabled(&b.body),
                location: at(b.span, &format!("seal.{kind}")),
                kind,
            }
        })
        .collect();
    Some(VaultServerConfig {
        file,
        name,
        seals,
        storage: at(storage.span, "storage"),
        doc: None,
        config_map: None,
    })
}

/// `disabled = true` or `"true"`.
fn disabled(body: &Node) -> bool {
    body.get("disabled").is_some_and(|d| {
        d.as_bool() == Some(true)
            || d.scalar_text()
                .is_some_and(|t| t.eq_ignore_ascii_case("true"))
    })
}

#[cfg(test)]
#[path = "vault_tests.rs"]
mod tests;
