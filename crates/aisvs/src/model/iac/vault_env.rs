//! `VAULT_SEAL_TYPE` settings among the inputs. Vault activates a seal when this environment variable names its
//! type, without any `seal` stanza, so a server configuration without one is not necessarily Shamir-sealed.
//! Read from YAML/JSON (Kubernetes `env` items, vault-helm `server.extraEnvironmentVars`, Compose `environment`
//! maps and `KEY=value` lists), Dockerfile `ENV` instructions and `.env` files.

use crate::evidence::Location;
use crate::model::ParsedFile;
use crate::parse::dockerfile::key_values;
use crate::parse::{Node, Route, Value};
use crate::source::{FileId, FileKind};

use super::Dockerfile;

/// The variable's name.
pub const VAULT_SEAL_TYPE: &str = "VAULT_SEAL_TYPE";

/// One place that sets `VAULT_SEAL_TYPE`.
#[derive(Debug)]
pub struct SealTypeEnv {
    /// The file it is in.
    pub file: FileId,
    /// The seal type it selects (lower-cased, as Vault compares it), or [`FROM_ELSEWHERE`].
    pub kind: String,
    /// Where it is set.
    pub location: Location,
    /// For a setting in YAML: the index of its document in the file.
    pub doc: Option<usize>,
    /// ConfigMaps mounted by that document (`volumes[].configMap.name`, projected sources): a Vault
    /// configuration in one of them is the configuration this environment belongs to.
    pub mounted_config_maps: Vec<String>,
}

/// The kind recorded for a setting whose value comes from `valueFrom` (no seal type has this name).
pub const FROM_ELSEWHERE: &str = "(valueFrom)";

/// Deeper YAML than this is not searched (manifests and values files are far shallower).
const MAX_DEPTH: usize = 64;

/// Every `VAULT_SEAL_TYPE` setting in YAML/JSON documents, Dockerfiles and `.env` files.
pub fn find(
    files: &[ParsedFile],
    dockerfiles: &[Dockerfile],
    env_files: &[FileId],
) -> Vec<SealTypeEnv> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| env_files.contains(&f.source.id)) {
        let mut offset = 0;
        for line in f.source.text.split_inclusive('\n') {
            let assignment = line.trim_start().trim_start_matches("export ").trim_start();
            if let Some(value) = assignment
                .strip_prefix(VAULT_SEAL_TYPE)
                .and_then(|rest| rest.strip_prefix('='))
            {
                let end = offset + line.trim_end().len();
                let at = Location::bytes(f.source.id, offset, end, "");
                out.push(setting(f.source.id, value, at));
            }
            offset += line.len();
        }
    }
    for f in files {
        if matches!(f.source.kind, FileKind::Yaml | FileKind::Json)
            && f.source.text.contains(VAULT_SEAL_TYPE)
        {
            for (index, doc) in f.docs.iter().enumerate() {
                let first = out.len();
                walk(f.source.id, &doc.root, &Route::root(), 0, &mut out);
                if out.len() > first {
                    let mut mounted = Vec::new();
                    config_map_refs(&doc.root, 0, &mut mounted);
                    for found in &mut out[first..] {
                        found.doc = Some(index);
                        found.mounted_config_maps.clone_from(&mounted);
                    }
                }
            }
        }
    }
    for docker in dockerfiles {
        for (index, instruction) in docker.instructions.iter().enumerate() {
            if !instruction.keyword.eq_ignore_ascii_case("ENV") {
                continue;
            }
            for (key, value) in key_values("ENV", &instruction.args) {
                if let (true, Some(value), Some(location)) =
                    (key == VAULT_SEAL_TYPE, value, docker.location(index))
                {
                    out.push(setting(docker.file, &value, location));
                }
            }
        }
    }
    out
}

fn setting(file: FileId, value: &str, location: Location) -> SealTypeEnv {
    SealTypeEnv {
        file,
        kind: value.trim().trim_matches(['"', '\'']).to_ascii_lowercase(),
        location,
        doc: None,
        mounted_config_maps: Vec::new(),
    }
}

/// Names under every `configMap: {name: …}` in a document.
fn config_map_refs(node: &Node, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    for e in node.entries() {
        match e.value.get("name").and_then(Node::scalar_text) {
            Some(name) if e.key == "configMap" => out.push(name),
            _ => config_map_refs(&e.value, depth + 1, out),
        }
    }
    for item in node.items() {
        config_map_refs(item, depth + 1, out);
    }
}

fn walk(file: FileId, node: &Node, route: &Route, depth: usize, out: &mut Vec<SealTypeEnv>) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            // Kubernetes: `- name: VAULT_SEAL_TYPE` / `value: awskms`.
            if node.get("name").and_then(Node::as_str) == Some(VAULT_SEAL_TYPE) {
                let at = Location::node(node, route);
                if let Some(value) = node.get("value").and_then(Node::as_str) {
                    out.push(setting(file, value, at));
                } else if node.get("valueFrom").is_some() {
                    // Read from a Secret, ConfigMap or field at run time: set, but to a value the files do not show.
                    let mut found = setting(file, "", at);
                    found.kind = FROM_ELSEWHERE.into();
                    out.push(found);
                }
            }
            for e in entries {
                let here = route.key(&e.key);
                match e.value.as_str() {
                    // vault-helm `extraEnvironmentVars`, Compose `environment:` maps.
                    Some(value) if e.key == VAULT_SEAL_TYPE => {
                        out.push(setting(file, value, Location::node(&e.value, &here)));
                    }
                    _ => walk(file, &e.value, &here, depth + 1, out),
                }
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let here = route.index(i);
                // Compose `environment:` lists: `- VAULT_SEAL_TYPE=awskms`.
                let assignment = item
                    .as_str()
                    .and_then(|s| s.strip_prefix(VAULT_SEAL_TYPE))
                    .and_then(|rest| rest.strip_prefix('='));
                match assignment {
                    Some(value) => out.push(setting(file, value, Location::node(item, &here))),
                    None => walk(file, item, &here, depth + 1, out),
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml::parse_yaml;
    use crate::source::SourceFile;

    fn kinds_in(kind: FileKind, name: &str, text: &str) -> Vec<String> {
        let source = SourceFile::new(0, name.into(), name.into(), kind, text.into());
        let mut diags = Vec::new();
        let dockerfiles = match kind {
            FileKind::Dockerfile => vec![Dockerfile::build(&source, &mut diags)],
            _ => Vec::new(),
        };
        let docs = match kind {
            FileKind::Yaml => parse_yaml(&source).expect("valid YAML"),
            _ => Vec::new(),
        };
        let files = [ParsedFile {
            source,
            docs,
            parse_failed: false,
        }];
        let env_files: Vec<FileId> = match kind {
            FileKind::Text => vec![0],
            _ => Vec::new(),
        };
        find(&files, &dockerfiles, &env_files)
            .into_iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn every_way_of_setting_the_variable_is_found() {
        let k8s = "spec:\n  containers:\n    - env:\n        - name: VAULT_SEAL_TYPE\n          value: AWSKMS\n";
        assert_eq!(kinds_in(FileKind::Yaml, "d.yaml", k8s), ["awskms"]);
        let helm = "server:\n  extraEnvironmentVars:\n    VAULT_SEAL_TYPE: \"gcpckms\"\n";
        assert_eq!(kinds_in(FileKind::Yaml, "values.yaml", helm), ["gcpckms"]);
        let compose = "services:\n  vault:\n    environment:\n      - VAULT_SEAL_TYPE=transit\n";
        assert_eq!(
            kinds_in(FileKind::Yaml, "compose.yaml", compose),
            ["transit"]
        );
        let docker =
            "FROM hashicorp/vault:1.18\nENV VAULT_SEAL_TYPE=pkcs11 VAULT_HSM_LIB=/usr/lib/hsm.so\n";
        assert_eq!(
            kinds_in(FileKind::Dockerfile, "Dockerfile", docker),
            ["pkcs11"]
        );
    }

    #[test]
    fn a_value_read_at_run_time_is_a_setting_of_unknown_type() {
        let k8s = "env:\n  - name: VAULT_SEAL_TYPE\n    valueFrom:\n      secretKeyRef: {name: seal, key: VAULT_SEAL_TYPE}\n";
        assert_eq!(kinds_in(FileKind::Yaml, "d.yaml", k8s), [FROM_ELSEWHERE]);
    }

    #[test]
    fn other_variables_and_mentions_are_not_settings() {
        let yaml = "env:\n  - name: VAULT_ADDR\n    value: https://vault:8200\n  - name: NOTE\n    value: VAULT_SEAL_TYPE is unset\n  - VAULT_SEAL_TYPEX=awskms\n";
        assert!(kinds_in(FileKind::Yaml, "d.yaml", yaml).is_empty());
        let docker =
            "FROM vault\nENV VAULT_ADDR=https://vault:8200\nRUN echo VAULT_SEAL_TYPE=awskms\n";
        assert!(kinds_in(FileKind::Dockerfile, "Dockerfile", docker).is_empty());
        let dotenv = "# VAULT_SEAL_TYPE=awskms\nMY_VAULT_SEAL_TYPE=awskms\n";
        assert!(kinds_in(FileKind::Text, "vault.env", dotenv).is_empty());
    }
}
