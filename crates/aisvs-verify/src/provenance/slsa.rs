//! Reading SLSA provenance predicates (v1 and legacy v0.2): builder id, build type, external
//! parameters and the source repository/ref they name.

use serde_json::Value;

/// SLSA Provenance v1 predicate type.
pub const PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// Legacy SLSA Provenance v0.2 predicate type.
pub const PROVENANCE_V02: &str = "https://slsa.dev/provenance/v0.2";

/// The fields of a provenance predicate that verification looks at.
#[derive(Debug, Clone, Default)]
pub struct ProvenanceFacts {
    /// `runDetails.builder.id` (v1) or `builder.id` (v0.2).
    pub builder_id: Option<String>,
    /// `buildDefinition.buildType` (v1) or `buildType` (v0.2).
    pub build_type: Option<String>,
    /// Top-level keys of `externalParameters` (v1) or `invocation.parameters` (v0.2).
    pub external_parameter_keys: Vec<String>,
    /// Source repository the provenance names, normalised to `host/owner/repo`.
    pub source_repository: Option<String>,
    /// Source ref the provenance names (`refs/heads/…`, `refs/tags/…`).
    pub source_ref: Option<String>,
    /// Where the source was read from (for the report).
    pub source_field: Option<&'static str>,
}

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut node = value;
    for key in path {
        node = node.get(key)?;
    }
    node.as_str()
}

/// Extracts the facts from a predicate of the given type (`None` when not SLSA provenance).
pub fn read_predicate(predicate_type: &str, predicate: &Value) -> Option<ProvenanceFacts> {
    if predicate_type == PROVENANCE_V1 {
        Some(read_v1(predicate))
    } else if predicate_type == PROVENANCE_V02 {
        Some(read_v02(predicate))
    } else {
        None
    }
}

fn object_keys(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn read_v1(predicate: &Value) -> ProvenanceFacts {
    let definition = predicate.get("buildDefinition").unwrap_or(&Value::Null);
    let external = definition.get("externalParameters");
    let mut facts = ProvenanceFacts {
        builder_id: text(predicate, &["runDetails", "builder", "id"]).map(str::to_string),
        build_type: text(definition, &["buildType"]).map(str::to_string),
        external_parameter_keys: object_keys(external),
        ..ProvenanceFacts::default()
    };
    let external = external.unwrap_or(&Value::Null);
    // Source locations in the order the known build types use them.
    if let Some(repo) = text(external, &["workflow", "repository"]) {
        set_source(
            &mut facts,
            repo,
            text(external, &["workflow", "ref"]),
            "externalParameters.workflow",
        );
    } else if let Some(uri) = text(external, &["source", "uri"]) {
        set_source(&mut facts, uri, None, "externalParameters.source.uri");
    } else if let Some(repo) = text(external, &["buildConfigSource", "repository"]) {
        let git_ref = text(external, &["buildConfigSource", "ref"]);
        set_source(
            &mut facts,
            repo,
            git_ref,
            "externalParameters.buildConfigSource",
        );
    } else if let Some(uri) = definition
        .get("resolvedDependencies")
        .and_then(|d| d.get(0))
        .and_then(|d| text(d, &["uri"]))
    {
        set_source(&mut facts, uri, None, "resolvedDependencies[0].uri");
    }
    facts
}

fn read_v02(predicate: &Value) -> ProvenanceFacts {
    let mut facts = ProvenanceFacts {
        builder_id: text(predicate, &["builder", "id"]).map(str::to_string),
        build_type: text(predicate, &["buildType"]).map(str::to_string),
        external_parameter_keys: object_keys(
            predicate
                .get("invocation")
                .and_then(|i| i.get("parameters")),
        ),
        ..ProvenanceFacts::default()
    };
    if let Some(uri) = text(predicate, &["invocation", "configSource", "uri"]) {
        set_source(&mut facts, uri, None, "invocation.configSource.uri");
    } else if let Some(uri) = predicate
        .get("materials")
        .and_then(|m| m.get(0))
        .and_then(|m| text(m, &["uri"]))
    {
        set_source(&mut facts, uri, None, "materials[0].uri");
    }
    facts
}

fn set_source(facts: &mut ProvenanceFacts, uri: &str, git_ref: Option<&str>, field: &'static str) {
    let (repo, embedded_ref) = normalise_repository(uri);
    facts.source_repository = Some(repo);
    facts.source_ref = git_ref.map(str::to_string).or(embedded_ref);
    facts.source_field = Some(field);
}

/// `git+https://github.com/o/r.git@refs/tags/v1` → (`github.com/o/r`, Some(`refs/tags/v1`)).
pub fn normalise_repository(uri: &str) -> (String, Option<String>) {
    let without_git = uri.strip_prefix("git+").unwrap_or(uri);
    let without_scheme = without_git
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(without_git);
    let (repo, git_ref) = match without_scheme.split_once('@') {
        Some((repo, r)) => (repo, Some(r.to_string())),
        None => (without_scheme, None),
    };
    let repo = repo.trim_end_matches('/');
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    (repo.to_ascii_lowercase(), git_ref)
}

/// External-parameter keys each known build type is expected to carry. Anything else is
/// "unexpected" (SLSA: unrecognised externalParameters SHOULD fail verification).
pub fn expected_external_parameters(build_type: &str) -> Option<&'static [&'static str]> {
    Some(match build_type {
        "https://actions.github.io/buildtypes/workflow/v1" => &["workflow", "inputs"],
        "https://slsa.dev/container-based-build/v0.1?draft" => {
            &["source", "builderImage", "configPath", "buildConfig"]
        }
        "https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0" => {
            &["inputs", "vars"]
        }
        "https://cloud.google.com/build/gcb-buildtypes/google-worker/v1" => {
            &["buildConfigSource", "substitutions"]
        }
        // v0.2 generators record workflow inputs in invocation.parameters (usually none).
        "https://github.com/slsa-framework/slsa-github-generator/generic@v1"
        | "https://github.com/slsa-framework/slsa-github-generator/container@v1"
        | "https://github.com/slsa-framework/slsa-github-generator/go@v1" => &[],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_uris_normalise() {
        assert_eq!(
            normalise_repository("git+https://github.com/O/r.git@refs/tags/v1"),
            (
                "github.com/o/r".to_string(),
                Some("refs/tags/v1".to_string())
            )
        );
        assert_eq!(normalise_repository("github.com/o/r").0, "github.com/o/r");
    }

    #[test]
    fn v1_github_workflow_source_is_read() {
        let predicate = serde_json::json!({
            "buildDefinition": {"buildType": "https://actions.github.io/buildtypes/workflow/v1",
              "externalParameters": {"workflow": {"repository": "https://github.com/a/b", "ref": "refs/heads/x", "path": "p"}}},
            "runDetails": {"builder": {"id": "https://github.com/a/b/.github/workflows/w.yml@refs/heads/x"}}});
        let facts = read_predicate(PROVENANCE_V1, &predicate).expect("slsa");
        assert_eq!(facts.source_repository.as_deref(), Some("github.com/a/b"));
        assert_eq!(facts.source_ref.as_deref(), Some("refs/heads/x"));
        assert_eq!(facts.external_parameter_keys, vec!["workflow".to_string()]);
        assert!(read_predicate("https://example.com/other", &predicate).is_none());
    }
}
