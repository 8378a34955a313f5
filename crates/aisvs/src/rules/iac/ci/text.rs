//! Walks a YAML subtree for its string values with routes, and finds `secrets.NAME` / `$NAME` references in them.

use crate::parse::{Node, Route, Value};

/// Every string value below `node` (depth-bounded), with its route.
pub fn strings_in<'n>(node: &'n Node, route: &Route) -> Vec<(&'n Node, Route)> {
    let mut out = Vec::new();
    collect(node, route.clone(), &mut out, 0);
    out
}

fn collect<'n>(node: &'n Node, route: Route, out: &mut Vec<(&'n Node, Route)>, depth: usize) {
    if depth > 32 {
        return;
    }
    match &node.value {
        Value::Str(_) => out.push((node, route)),
        Value::Seq(items) => {
            for (i, x) in items.iter().enumerate() {
                collect(x, route.index(i), out, depth + 1);
            }
        }
        Value::Map(entries) => {
            for e in entries {
                collect(&e.value, route.key(&e.key), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Names referenced as `secrets.NAME` (GitHub) in a string.
pub fn github_secret_refs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(pos) = rest.find("secrets.") {
        let after = &rest[pos + 8..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        if end > 0 {
            out.push(&after[..end]);
        }
        rest = &after[end..];
    }
    out
}

/// Names referenced as `$NAME` / `${NAME}` (GitLab variables, shell) in a string.
pub fn variable_refs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(pos) = rest.find('$') {
        let after = rest[pos + 1..].trim_start_matches('{');
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if end > 0 {
            out.push(&after[..end]);
        }
        rest = &after[end..];
    }
    out
}

/// Whether a secret / variable name denotes a long-lived cloud credential.
pub fn is_long_lived_cloud_credential(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    const EXACT: &[&str] = &[
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AZURE_CREDENTIALS",
        "GOOGLE_CREDENTIALS",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "GCP_CREDENTIALS",
        "GCLOUD_SERVICE_KEY",
        "VAULT_TOKEN",
    ];
    const PARTS: &[&str] = &[
        "SECRET_ACCESS_KEY",
        "SA_KEY",
        "SERVICE_ACCOUNT_KEY",
        "CREDENTIALS_JSON",
        "CLIENT_SECRET",
        "GCP_KEY",
    ];
    EXACT.contains(&n.as_str()) || PARTS.iter().any(|p| n.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references() {
        assert_eq!(
            github_secret_refs("${{ secrets.AWS_ACCESS_KEY_ID }} ${{secrets.X}}"),
            vec!["AWS_ACCESS_KEY_ID", "X"]
        );
        assert_eq!(
            variable_refs("echo ${VAULT_TOKEN} $A_B"),
            vec!["VAULT_TOKEN", "A_B"]
        );
        assert!(is_long_lived_cloud_credential("prod_aws_secret_access_key"));
        assert!(!is_long_lived_cloud_credential("GITHUB_TOKEN"));
    }
}
