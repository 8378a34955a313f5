//! The trusted-builder map: which builders are rated SLSA Build L3, and how the signer of a
//! provenance is matched against it.
//!
//! L3 is not a field of the provenance; it is a property of the builder the consumer trusts.
//! Keyless GitHub builders are identified by the certificate SAN (the reusable workflow that
//! signed); key-signed builders (Google Cloud Build) by their `builder.id` plus the configured key.

use serde::Serialize;

/// GitHub Actions OIDC issuer.
pub const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";
const GENERATOR: &str =
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/";

/// How a builder proves itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BuilderKind {
    /// A GitHub reusable workflow signing keylessly; SAN = workflow@ref = builder.id.
    GithubWorkflow,
    /// slsa-github-generator BYOB delegator: the SAN is the delegator, `builder.id` the
    /// trusted reusable workflow (TRW) that called it.
    GithubDelegator,
    /// A hosted builder signing with a key (Cloud Build KMS keys).
    KeySigned,
}

/// One entry of the trusted-builder map.
#[derive(Debug, Clone, Serialize)]
pub struct TrustedBuilder {
    /// Builder id without `@ref`.
    pub id: String,
    /// Required OIDC issuer for keyless builders.
    pub issuer: Option<String>,
    /// How it signs.
    pub kind: BuilderKind,
    /// When true, the builder must be pinned to a release tag (`refs/tags/v…`).
    pub require_release_tag: bool,
}

impl TrustedBuilder {
    fn github(file: &str, kind: BuilderKind) -> Self {
        TrustedBuilder {
            id: format!("{GENERATOR}{file}"),
            issuer: Some(GITHUB_ISSUER.to_string()),
            kind,
            require_release_tag: true,
        }
    }

    /// A builder named with `--builder-id` (optionally `id@ref`).
    pub fn from_user(id: &str) -> Self {
        let (bare, _) = split_ref(id);
        if bare.starts_with("https://github.com/") {
            let kind = if bare.contains("/delegator_") {
                BuilderKind::GithubDelegator
            } else {
                BuilderKind::GithubWorkflow
            };
            TrustedBuilder {
                id: bare.to_string(),
                issuer: Some(GITHUB_ISSUER.to_string()),
                kind,
                require_release_tag: true,
            }
        } else {
            TrustedBuilder {
                id: bare.to_string(),
                issuer: None,
                kind: BuilderKind::KeySigned,
                require_release_tag: false,
            }
        }
    }
}

/// The default L3 map: slsa-github-generator reusable workflows and BYOB delegators (tag-pinned),
/// and Google Cloud Build's hosted worker (key-signed). GitHub artifact attestations are
/// trusted only when the signing reusable workflow is added with `--builder-id`.
pub fn default_trusted_builders() -> Vec<TrustedBuilder> {
    let mut builders: Vec<TrustedBuilder> = [
        "generator_generic_slsa3.yml",
        "builder_go_slsa3.yml",
        "builder_container-based_slsa3.yml",
        "generator_container_slsa3.yml",
    ]
    .iter()
    .map(|f| TrustedBuilder::github(f, BuilderKind::GithubWorkflow))
    .collect();
    for f in [
        "delegator_generic_slsa3.yml",
        "delegator_lowperms-generic_slsa3.yml",
    ] {
        builders.push(TrustedBuilder::github(f, BuilderKind::GithubDelegator));
    }
    builders.push(TrustedBuilder {
        id: "https://cloudbuild.googleapis.com/GoogleHostedWorker".to_string(),
        issuer: None,
        kind: BuilderKind::KeySigned,
        require_release_tag: false,
    });
    builders
}

/// Splits `id@ref` into `(id, Some(ref))`.
pub fn split_ref(id: &str) -> (&str, Option<&str>) {
    match id.rsplit_once('@') {
        // Only treat the suffix as a ref when it looks like one (ids may contain '@').
        Some((bare, git_ref)) if git_ref.starts_with("refs/") => (bare, Some(git_ref)),
        _ => (id, None),
    }
}

/// Whether `git_ref` is a release tag (`refs/tags/v…` or `refs/tags/<digit>…`).
pub fn is_release_tag(git_ref: &str) -> bool {
    git_ref
        .strip_prefix("refs/tags/")
        .is_some_and(|t| t.starts_with('v') || t.starts_with(|c: char| c.is_ascii_digit()))
}

/// Finds the keyless builder entry for a certificate SAN and issuer.
pub fn find_keyless<'a>(
    builders: &'a [TrustedBuilder],
    san: &str,
    issuer: Option<&str>,
) -> Option<&'a TrustedBuilder> {
    let (signer_id, _) = split_ref(san);
    builders.iter().find(|b| {
        b.kind != BuilderKind::KeySigned
            && b.id == signer_id
            && b.issuer.as_deref().is_none_or(|want| Some(want) == issuer)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_workflow_is_trusted_and_untrusted_one_is_not() {
        let map = default_trusted_builders();
        let san = format!("{GENERATOR}generator_generic_slsa3.yml@refs/tags/v2.1.0");
        assert!(find_keyless(&map, &san, Some(GITHUB_ISSUER)).is_some());
        assert!(find_keyless(&map, &san, Some("https://evil.example")).is_none());
        let other = format!("{GENERATOR}not-trusted.yml@refs/tags/v2.1.0");
        assert!(find_keyless(&map, &other, Some(GITHUB_ISSUER)).is_none());
    }

    #[test]
    fn refs_split_and_tags_recognised() {
        assert_eq!(split_ref("a@refs/tags/v1"), ("a", Some("refs/tags/v1")));
        assert_eq!(split_ref("user@example.com"), ("user@example.com", None));
        assert!(is_release_tag("refs/tags/v2.1.0"));
        assert!(!is_release_tag("refs/heads/main"));
    }
}
