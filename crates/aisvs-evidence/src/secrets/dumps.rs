//! Secret/key metadata dumps → [`SecretRecord`]s: AWS `secretsmanager describe-secret` and
//! `list-secret-version-ids`, `kms get-key-rotation-status` / `list-key-rotations`, GCP
//! `kms keys describe`, Vault `kv metadata get`, Kubernetes Secrets and External Secrets.

use crate::error::{EvidenceError, Result};
use crate::parse::{array_of, str_of};
use crate::timestamp::{parse_time, time_from_json};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// What one dump says about one secret or key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecretRecord {
    /// `aws-secretsmanager`, `aws-kms`, `gcp-kms`, `vault-kv`, `kubernetes`, `external-secrets`.
    pub source: &'static str,
    /// Name / ARN / resource name.
    pub id: String,
    /// Since when the current value exists, when the dump shows it.
    #[serde(with = "time::serde::rfc3339::option")]
    pub current_since: Option<OffsetDateTime>,
    /// Field the time was taken from.
    pub field: &'static str,
    /// Configured automatic rotation period in days, when the dump shows one.
    pub rotation_period_days: Option<f64>,
    /// Configured rotation on/off, when shown.
    pub rotation_enabled: Option<bool>,
    /// File read.
    pub path: PathBuf,
}

/// Whether a JSON value is one of the supported dumps.
pub fn looks_like_secret_metadata(v: &Value) -> bool {
    let has = |k: &str| v.get(k).is_some();
    (has("ARN")
        && has("Name")
        && (has("CreatedDate") || has("LastRotatedDate") || has("VersionIdsToStages")))
        || (has("Versions")
            && array_of(v, "Versions")
                .iter()
                .any(|x| x.get("VersionStages").is_some()))
        || has("KeyRotationEnabled")
        || (has("Rotations")
            && array_of(v, "Rotations")
                .iter()
                .any(|x| x.get("RotationDate").is_some()))
        || (v
            .get("primary")
            .is_some_and(|p| p.get("createTime").is_some())
            && str_of(v, "name").is_some_and(|n| n.contains("/cryptoKeys/")))
        || v.get("data")
            .is_some_and(|d| d.get("current_version").is_some() && d.get("versions").is_some())
        || matches!(
            str_of(v, "kind"),
            Some("Secret" | "SecretList" | "ExternalSecret")
        )
        || (str_of(v, "kind") == Some("List")
            && array_of(v, "items")
                .iter()
                .any(|i| matches!(str_of(i, "kind"), Some("Secret" | "ExternalSecret"))))
}

/// Parses every record a dump file contains.
pub fn parse_secret_metadata(path: &Path, text: &str) -> Result<Vec<SecretRecord>> {
    let root: Value = serde_json::from_str(text).map_err(|e| EvidenceError::json(path, &e))?;
    let items: Vec<&Value> = match &root {
        Value::Array(items) => items.iter().collect(),
        v if matches!(
            str_of(v, "kind"),
            Some("List" | "SecretList" | "ExternalSecretList")
        ) =>
        {
            array_of(v, "items").iter().collect()
        }
        v => vec![v],
    };
    let fallback_id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("secret");
    let records: Vec<SecretRecord> = items
        .into_iter()
        .filter_map(|v| record_of(v, path, fallback_id))
        .collect();
    if records.is_empty() {
        return Err(EvidenceError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            message: "no secret or key metadata recognised in this dump".into(),
        });
    }
    Ok(records)
}

/// Builds a record with the common fields filled in.
fn record(
    source: &'static str,
    id: &str,
    since: Option<OffsetDateTime>,
    field: &'static str,
    path: &Path,
) -> SecretRecord {
    SecretRecord {
        source,
        id: id.to_string(),
        current_since: since,
        field,
        rotation_period_days: None,
        rotation_enabled: None,
        path: path.to_path_buf(),
    }
}

/// One dump object.
fn record_of(v: &Value, path: &Path, fallback_id: &str) -> Option<SecretRecord> {
    let time_of = |key: &str| v.get(key).and_then(time_from_json);
    // list-secret-version-ids also carries ARN and Name, so it is recognised first.
    if let Some(versions) = v.get("Versions").and_then(Value::as_array) {
        let id = str_of(v, "Name")
            .or_else(|| str_of(v, "ARN"))
            .unwrap_or(fallback_id);
        let current = versions.iter().find(|x| {
            array_of(x, "VersionStages")
                .iter()
                .any(|s| s.as_str() == Some("AWSCURRENT"))
        });
        let since = current
            .and_then(|c| c.get("CreatedDate"))
            .and_then(time_from_json);
        return Some(record(
            "aws-secretsmanager",
            id,
            since,
            "Versions[AWSCURRENT].CreatedDate",
            path,
        ));
    }
    if v.get("ARN").is_some() && v.get("Name").is_some() {
        let id = str_of(v, "Name").unwrap_or(fallback_id);
        let (since, field) = match time_of("LastRotatedDate") {
            Some(t) => (Some(t), "LastRotatedDate"),
            None => (time_of("CreatedDate"), "CreatedDate"),
        };
        let mut r = record("aws-secretsmanager", id, since, field, path);
        r.rotation_enabled = v.get("RotationEnabled").and_then(Value::as_bool);
        r.rotation_period_days = v
            .get("RotationRules")
            .and_then(|rr| rr.get("AutomaticallyAfterDays"))
            .and_then(Value::as_f64);
        return Some(r);
    }
    if let Some(enabled) = v.get("KeyRotationEnabled").and_then(Value::as_bool) {
        let mut r = record(
            "aws-kms",
            str_of(v, "KeyId").unwrap_or(fallback_id),
            None,
            "KeyRotationEnabled",
            path,
        );
        r.rotation_enabled = Some(enabled);
        // AWS's period when rotation is on but no period is printed is 365 days.
        r.rotation_period_days = v
            .get("RotationPeriodInDays")
            .and_then(Value::as_f64)
            .or(enabled.then_some(365.0));
        return Some(r);
    }
    if let Some(rotations) = v.get("Rotations").and_then(Value::as_array) {
        let newest = rotations
            .iter()
            .filter_map(|r| r.get("RotationDate").and_then(time_from_json))
            .max();
        let id = rotations
            .first()
            .and_then(|r| str_of(r, "KeyId"))
            .unwrap_or(fallback_id);
        return Some(record(
            "aws-kms",
            id,
            newest,
            "Rotations[].RotationDate",
            path,
        ));
    }
    if let Some(primary) = v.get("primary") {
        let since = str_of(primary, "createTime").and_then(parse_time);
        let mut r = record(
            "gcp-kms",
            str_of(v, "name").unwrap_or(fallback_id),
            since,
            "primary.createTime",
            path,
        );
        r.rotation_period_days = str_of(v, "rotationPeriod")
            .and_then(|p| p.trim_end_matches('s').parse::<f64>().ok())
            .map(|s| s / 86_400.0);
        return Some(r);
    }
    if let Some(data) = v.get("data").filter(|d| d.get("current_version").is_some()) {
        let current = data
            .get("current_version")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .to_string();
        let since = data
            .get("versions")
            .and_then(|vs| vs.get(&current))
            .and_then(|ver| str_of(ver, "created_time"))
            .and_then(parse_time);
        return Some(record(
            "vault-kv",
            fallback_id,
            since,
            "versions[current_version].created_time",
            path,
        ));
    }
    let meta = v.get("metadata").unwrap_or(&Value::Null);
    let name = format!(
        "{}/{}",
        str_of(meta, "namespace").unwrap_or("default"),
        str_of(meta, "name").unwrap_or(fallback_id)
    );
    match str_of(v, "kind") {
        Some("Secret") => Some(kubernetes_secret(meta, &name, path)),
        Some("ExternalSecret") => {
            let status = v.get("status").unwrap_or(&Value::Null);
            Some(record(
                "external-secrets",
                &name,
                str_of(status, "refreshTime").and_then(parse_time),
                "status.refreshTime",
                path,
            ))
        }
        _ => None,
    }
}

/// A Secret's value changes in place on update; the newest managedFields entry touching
/// `data`/`stringData` is the best time we have, else `creationTimestamp`.
fn kubernetes_secret(meta: &Value, name: &str, path: &Path) -> SecretRecord {
    let updated = array_of(meta, "managedFields")
        .iter()
        .filter(|m| {
            m.get("fieldsV1")
                .is_some_and(|f| f.get("f:data").is_some() || f.get("f:stringData").is_some())
        })
        .filter_map(|m| str_of(m, "time").and_then(parse_time))
        .max();
    let created = str_of(meta, "creationTimestamp").and_then(parse_time);
    match (updated, created) {
        (Some(u), Some(c)) if u > c => record(
            "kubernetes",
            name,
            Some(u),
            "metadata.managedFields[].time",
            path,
        ),
        (_, c) => record("kubernetes", name, c, "metadata.creationTimestamp", path),
    }
}
