//! Keras model configs (`config.json` in `.keras`, `model_config` in legacy HDF5): Lambda layers
//! carry marshalled Python bytecode; `module` references outside Keras import arbitrary code
//! (CVE-2025-1550 class); registered custom objects need user code the scan cannot see.

use crate::dispatch::Ctx;
use crate::report::{Finding, FindingKind, Format};
use crate::stream::Stream;
use serde_json::Value;

/// Reads a JSON document; returns `Some(KerasConfig)` when it is a Keras config (and checks it).
pub fn scan_json_config(s: &mut Stream, ctx: &Ctx, out: &mut Vec<Finding>) -> Option<Format> {
    let len = s.len();
    if len > ctx.opts.max_header_bytes {
        return None;
    }
    let raw = s
        .seek_to(0)
        .and_then(|_| s.bytes(len, ctx.opts.max_header_bytes, "json"))
        .ok()?;
    let value: Value = serde_json::from_slice(&raw).ok()?;
    let obj = value.as_object()?;
    if !(obj.contains_key("class_name") && obj.contains_key("config")) {
        return None;
    }
    check_config(&value, None, out);
    Some(Format::KerasConfig)
}

fn module_allowed(module: &str) -> bool {
    ["keras", "tf_keras", "tensorflow.keras"]
        .iter()
        .any(|root| module == *root || module.starts_with(&format!("{root}.")))
}

/// Walks a Keras config tree and reports code-bearing constructs, located by JSON pointer. Iterative: hostile depth cannot
/// exhaust the stack (serde_json already caps nesting at 128).
pub fn check_config(root: &Value, offset: Option<u64>, out: &mut Vec<Finding>) {
    let mut pending = vec![(String::new(), root)];
    while let Some((path, v)) = pending.pop() {
        match v {
            Value::Array(items) => pending.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (format!("{path}/{i}"), item)),
            ),
            Value::Object(map) => {
                let class = map.get("class_name").and_then(Value::as_str).unwrap_or("");
                let name = map
                    .get("config")
                    .and_then(|c| c.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                if class == "Lambda"
                    || class == "__lambda__"
                    || map.get("function_type").and_then(Value::as_str) == Some("lambda")
                {
                    let detail = format!("{path}: Lambda layer {name:?} carries serialized Python code (run at load with safe_mode off or in legacy HDF5)");
                    out.push(Finding::new(FindingKind::KerasLambda, detail, offset));
                }
                if let Some(module) = map.get("module").and_then(Value::as_str) {
                    if !module_allowed(module) {
                        let detail = format!("{path}: config references module {module:?} (class {class:?}): Keras imports it at load time");
                        out.push(Finding::new(
                            FindingKind::KerasModuleReference,
                            detail,
                            offset,
                        ));
                    }
                }
                if let Some(registered) = map.get("registered_name").and_then(Value::as_str) {
                    if registered.contains('>') {
                        let detail = format!("{path}: custom object {registered:?} needs user code that this scan cannot see");
                        out.push(Finding::new(FindingKind::KerasCustomObject, detail, offset));
                    }
                }
                pending.extend(map.iter().map(|(k, item)| (format!("{path}/{k}"), item)));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(json: &str) -> Vec<FindingKind> {
        let mut out = Vec::new();
        check_config(&serde_json::from_str(json).unwrap(), None, &mut out);
        out.into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn lambda_and_foreign_modules_are_flagged() {
        let dense = r#"{"module":"keras.layers","class_name":"Dense","config":{"name":"d"},"registered_name":null}"#;
        assert!(kinds(dense).is_empty());
        let lambda = r#"{"class_name":"Sequential","config":{"layers":[{"module":"keras.layers","class_name":"Lambda","config":{"name":"l","function":{"class_name":"__lambda__"}}}]}}"#;
        assert!(kinds(lambda).contains(&FindingKind::KerasLambda));
        let foreign = r#"{"class_name":"Model","config":{"layers":[{"module":"os","class_name":"system","config":{}}]}}"#;
        assert_eq!(kinds(foreign), vec![FindingKind::KerasModuleReference]);
        let custom = r#"{"module":null,"class_name":"X","config":{},"registered_name":"pkg>X"}"#;
        assert_eq!(kinds(custom), vec![FindingKind::KerasCustomObject]);
    }
}
