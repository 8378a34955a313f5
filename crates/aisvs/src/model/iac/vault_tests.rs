//! Tests for finding Vault server configurations in HCL files, ConfigMaps and vault-helm values.

use super::*;
use crate::parse::yaml::parse_yaml;

fn hcl_file(text: &str) -> Option<VaultServerConfig> {
    let blocks = parse_hcl(0, text).expect("valid HCL");
    classify(0, "vault.hcl".into(), &blocks, |s, r| {
        Location::bytes(0, s.start(), s.end(), r)
    })
}

fn yaml_configs(text: &str) -> (SourceFile, Vec<VaultServerConfig>) {
    let src = SourceFile::new(
        0,
        "v.yaml".into(),
        "v.yaml".into(),
        FileKind::Yaml,
        text.into(),
    );
    let docs = parse_yaml(&src).expect("valid YAML");
    let mut out = Vec::new();
    for doc in &docs {
        for (node, route) in embedded_configs(&doc.root) {
            out.extend(embedded(&src, node, &route));
        }
    }
    (src, out)
}

#[test]
fn servers_are_told_from_agents_and_other_hcl() {
    let c = hcl_file("storage \"raft\" { path = \"/vault\" }\nseal \"awskms\" {\n  kms_key_id = \"k\"\n  disabled = \"true\"\n}\n")
        .expect("a server config");
    assert_eq!(c.seals.len(), 1);
    assert_eq!(c.seals[0].kind, "awskms");
    assert!(c.seals[0].disabled);
    assert!(
        hcl_file("auto_auth {\n  method \"kubernetes\" {}\n}\nstorage \"file\" {}\n").is_none()
    );
    assert!(hcl_file("source \"amazon-ebs\" \"x\" {}\nbuild { sources = [] }\n").is_none());
    assert_eq!(
        hcl_file("storage \"file\" {}\nseal {}\n").unwrap().seals[0].kind,
        "shamir"
    );
}

#[test]
fn configmap_keys_map_back_to_file_lines() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  extraconfig-from-values.hcl: |-\n    storage \"raft\" {\n      path = \"/vault/data\"\n    }\n    seal \"gcpckms\" {\n      key_ring = \"vault\"\n    }\n";
    let (src, configs) = yaml_configs(text);
    assert_eq!(configs.len(), 1);
    let c = &configs[0];
    assert_eq!(c.name, "v.yaml#data.extraconfig-from-values.hcl");
    let seal = &c.seals[0];
    assert_eq!(seal.kind, "gcpckms");
    let start = seal.location.span.start();
    assert_eq!(src.line_col(start), (10, 5));
    assert!(text[start..].starts_with("seal \"gcpckms\""));
}

#[test]
fn helm_values_are_read_and_quoted_strings_point_at_the_string() {
    let text = "server:\n  ha:\n    enabled: true\n    raft:\n      enabled: true\n      config: \"storage \\\"raft\\\" {}\\n\"\n";
    let (src, configs) = yaml_configs(text);
    assert_eq!(configs.len(), 1);
    assert_eq!(configs[0].name, "v.yaml#server.ha.raft.config");
    assert!(configs[0].seals.is_empty());
    assert_eq!(src.line_col(configs[0].storage.span.start()).0, 6);
    // Not Vault: a `server` key without a config string, a ConfigMap without HCL keys.
    assert!(yaml_configs("server:\n  port: 8080\n").1.is_empty());
    assert!(yaml_configs("kind: ConfigMap\ndata:\n  app.conf: x\n")
        .1
        .is_empty());
}
