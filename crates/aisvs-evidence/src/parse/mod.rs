//! Parsers for the report formats, each lenient about fields it does not use.

pub mod grype;
pub mod kube_bench;
pub mod kube_bench_text;
pub mod trivy;

use serde_json::Value;

/// Largest report we read (hostile input bound); real reports are far below this.
pub const MAX_REPORT_BYTES: usize = 256 * 1024 * 1024;

/// String value of `key` in an object, if it is a string.
pub(crate) fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// Array value of `key`, or an empty slice.
pub(crate) fn array_of<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Strings of an array value of `key`.
pub(crate) fn strings_of(value: &Value, key: &str) -> Vec<String> {
    array_of(value, key)
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Major CVSS version from a version string (`3.1` → 3).
pub(crate) fn major_version(version: &str) -> Option<u8> {
    version
        .split('.')
        .next()
        .and_then(|m| m.trim().parse().ok())
}
