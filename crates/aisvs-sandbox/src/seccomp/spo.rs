//! Security Profiles Operator `SeccompProfile` objects: finding the spec, reading YAML or JSON
//! documents, and writing a recorded profile as an SPO object.

use super::error::{ProfileError, MAX_PROFILE_BYTES};
use super::profile::Profile;
use serde_json::{Map, Value};

/// The SPO API group (`apiVersion` is this plus `/v1beta1` or `/v1`).
pub const SPO_GROUP: &str = "security-profiles-operator.x-k8s.io";

/// Deepest YAML nesting converted (profiles are 4 levels deep; this only stops hostile input).
const MAX_DEPTH: usize = 64;

/// The `spec` of an SPO `SeccompProfile`, or the value itself when it is a bare spec.
pub fn spec_of(object: &Value) -> Result<&Value, ProfileError> {
    let Some(map) = object.as_object() else {
        return Err(ProfileError::NotSpoProfile("not an object".to_string()));
    };
    match map.get("kind").and_then(Value::as_str) {
        Some("SeccompProfile") => map
            .get("spec")
            .ok_or_else(|| ProfileError::NotSpoProfile("SeccompProfile without spec".to_string())),
        Some(other) => Err(ProfileError::NotSpoProfile(format!("kind is {other}"))),
        None if map.contains_key("defaultAction") => Ok(object),
        None => Err(ProfileError::NotSpoProfile(
            "no kind and no defaultAction".to_string(),
        )),
    }
}

/// `spec.baseProfileName`, if set and non-empty.
pub fn base_profile_name(spec: &Value) -> Option<String> {
    spec.get("baseProfileName")
        .and_then(Value::as_str)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
}

/// `metadata.name` and `metadata.namespace` of an object.
pub fn object_name(object: &Value) -> (Option<String>, Option<String>) {
    let field = |key: &str| {
        object
            .get("metadata")
            .and_then(|meta| meta.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    (field("name"), field("namespace"))
}

/// Reads every document of a JSON or YAML text as JSON values (JSON is tried first).
pub fn documents_from_text(text: &str) -> Result<Vec<Value>, ProfileError> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge(text.len(), MAX_PROFILE_BYTES));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => return Ok(vec![value]),
        // Text that starts like JSON gets the JSON parser's message (with line and column).
        Err(err) if text.trim_start().starts_with(['{', '[']) => {
            return Err(ProfileError::NotJson(err.to_string()))
        }
        Err(_) => {}
    }
    use saphyr::LoadableYamlNode;
    let documents =
        saphyr::Yaml::load_from_str(text).map_err(|err| ProfileError::NotYaml(err.to_string()))?;
    documents
        .iter()
        .filter(|document| !document.is_null())
        .map(|document| yaml_to_json(document, 0))
        .collect()
}

fn yaml_to_json(node: &saphyr::Yaml, depth: usize) -> Result<Value, ProfileError> {
    use saphyr::{Scalar, Yaml};
    if depth > MAX_DEPTH {
        return Err(ProfileError::Invalid(format!(
            "nesting deeper than {MAX_DEPTH}"
        )));
    }
    Ok(match node {
        Yaml::Value(Scalar::Null) => Value::Null,
        Yaml::Value(Scalar::Boolean(flag)) => Value::Bool(*flag),
        Yaml::Value(Scalar::Integer(number)) => Value::from(*number),
        Yaml::Value(Scalar::FloatingPoint(number)) => {
            serde_json::Number::from_f64(number.into_inner()).map_or(Value::Null, Value::Number)
        }
        Yaml::Value(Scalar::String(text)) => Value::String(text.to_string()),
        Yaml::Representation(text, _, _) => Value::String(text.to_string()),
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .map(|item| yaml_to_json(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key = match yaml_to_json(key, depth + 1)? {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                map.insert(key, yaml_to_json(value, depth + 1)?);
            }
            Value::Object(map)
        }
        Yaml::Tagged(_, inner) => yaml_to_json(inner, depth + 1)?,
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err(ProfileError::Invalid(
                "unsupported YAML alias or bad value".to_string(),
            ))
        }
    })
}

/// Renders a profile as an SPO `SeccompProfile` (v1beta1) YAML document.
pub fn to_spo_yaml(profile: &Profile, name: &str, namespace: Option<&str>) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "apiVersion: {SPO_GROUP}/v1beta1\nkind: SeccompProfile\nmetadata:\n"
    ));
    out.push_str(&format!("  name: {}\n", quote(name)));
    if let Some(namespace) = namespace {
        out.push_str(&format!("  namespace: {}\n", quote(namespace)));
    }
    out.push_str(&format!(
        "spec:\n  defaultAction: {}\n",
        quote(&profile.default_action)
    ));
    if !profile.architectures.is_empty() {
        out.push_str("  architectures:\n");
        for arch in &profile.architectures {
            out.push_str(&format!("    - {}\n", quote(arch)));
        }
    }
    if !profile.rules.is_empty() {
        out.push_str("  syscalls:\n");
        for rule in &profile.rules {
            out.push_str(&format!(
                "    - action: {}\n      names:\n",
                quote(&rule.action)
            ));
            for syscall in &rule.names {
                out.push_str(&format!("        - {}\n", quote(syscall)));
            }
        }
    }
    out
}

/// JSON string quoting is valid YAML and safe for any name.
fn quote(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}
