//! Resolving a pod's `seccompProfile.localhostProfile` to the profile it names: a file below the
//! kubelet's seccomp root (default `/var/lib/kubelet/seccomp`), or an SPO `SeccompProfile` object,
//! which the operator installs as `operator/<namespace>/<name>.json` below that root.

use super::error::ProfileError;
use super::spo;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// The kubelet's default seccomp profile root.
pub const DEFAULT_PROFILE_ROOT: &str = "/var/lib/kubelet/seccomp";

/// Checks that `localhost_profile` is a descending relative path (as the kubelet requires) and
/// joins it to `root`. No file-system access: the caller reads the file.
pub fn localhost_profile_path(
    root: &Path,
    localhost_profile: &str,
) -> Result<PathBuf, ProfileError> {
    let relative = Path::new(localhost_profile);
    let descends = !localhost_profile.is_empty()
        && relative
            .components()
            .all(|component| matches!(component, Component::Normal(_) | Component::CurDir));
    if !descends {
        return Err(ProfileError::UnsafeLocalhostPath(
            localhost_profile.to_string(),
        ));
    }
    Ok(root.join(relative))
}

/// The `localhostProfile` value under which SPO installs a `SeccompProfile`.
pub fn spo_localhost_profile(namespace: &str, name: &str) -> String {
    format!("operator/{namespace}/{name}.json")
}

/// Finds, among parsed objects, the SPO `SeccompProfile` that a `localhostProfile` refers to.
/// Objects without a namespace match any namespace (manifests often leave it to `kubectl -n`).
/// The exact on-node path layout differs between SPO releases, so treat a miss as "not found in
/// the inputs" (inconclusive), never as a failure.
pub fn find_spo_profile<'a>(objects: &'a [Value], localhost_profile: &str) -> Option<&'a Value> {
    let rest = localhost_profile
        .strip_prefix("operator/")?
        .strip_suffix(".json")?;
    // Namespaced SPO (v1beta1 era) writes operator/<namespace>/<name>.json; the cluster-scoped
    // SeccompProfile of current SPO releases writes operator/<name>.json. Accept both.
    let (namespace, name) = match rest.split_once('/') {
        Some((namespace, name)) => (Some(namespace), name),
        None => (None, rest),
    };
    objects.iter().find(|object| {
        let is_profile = object.get("kind").and_then(Value::as_str) == Some("SeccompProfile");
        let (object_name, object_namespace) = spo::object_name(object);
        let namespace_matches = match (namespace, object_namespace.as_deref()) {
            (Some(wanted), Some(actual)) => wanted == actual,
            _ => true,
        };
        is_profile && object_name.as_deref() == Some(name) && namespace_matches
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_descending_paths_are_accepted() {
        let root = Path::new("/var/lib/kubelet/seccomp");
        assert_eq!(
            localhost_profile_path(root, "profiles/model.json").ok(),
            Some(root.join("profiles/model.json"))
        );
        for bad in ["../etc/passwd", "/etc/passwd", "a/../../b", ""] {
            assert!(localhost_profile_path(root, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn spo_objects_are_found_by_operator_path() {
        let objects = vec![
            serde_json::json!({"kind": "SeccompProfile", "metadata": {"name": "other", "namespace": "ml"}}),
            serde_json::json!({"kind": "SeccompProfile", "metadata": {"name": "vllm", "namespace": "ml"}}),
        ];
        let path = spo_localhost_profile("ml", "vllm");
        assert_eq!(path, "operator/ml/vllm.json");
        let found = find_spo_profile(&objects, &path);
        assert_eq!(
            found.map(spo::object_name).and_then(|(n, _)| n).as_deref(),
            Some("vllm")
        );
        assert!(find_spo_profile(&objects, "operator/other-ns/vllm.json").is_none());
        assert!(find_spo_profile(&objects, "profiles/vllm.json").is_none());
        assert!(find_spo_profile(&objects, "operator/vllm.json").is_some());
    }
}
