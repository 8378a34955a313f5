//! `[evidence]` in aisvs.toml: what evidence files must satisfy (signers, builders, keys) and scan-history settings.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The `[evidence]` section. Every expectation is optional; evidence that needs a missing one is
/// reported inconclusive with the key to set, never verified.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceConfig {
    /// Keyless signers (certificate SAN + OIDC issuer) trusted for Sigstore bundles and images.
    #[serde(default)]
    pub identities: Vec<SignerIdentity>,
    /// Public keys (PEM, relative to the config file) for keyed signatures and attestations.
    #[serde(default)]
    pub keys: Vec<PathBuf>,
    /// Builder ids (`id` or `id@ref`) trusted beyond the built-in SLSA L3 builder map.
    #[serde(default)]
    pub trusted_builders: Vec<String>,
    /// The source repository provenance must name (`github.com/org/repo`).
    #[serde(default)]
    pub source_repo: Option<String>,
    /// The full source ref provenance must name (`refs/tags/v1`), when pinned.
    #[serde(default)]
    pub source_ref: Option<String>,
    /// A Sigstore trusted root (JSON) instead of the shipped production root.
    #[serde(default)]
    pub trusted_root: Option<PathBuf>,
    /// Ed25519 public keys that sign sandbox vetting records and gate decisions.
    #[serde(default)]
    pub vetting_keys: Vec<PathBuf>,
    /// `sha256:<hex>` digests of the models a vetting record must cover.
    #[serde(default)]
    pub model_digests: Vec<String>,
    /// A directory of evidence files to read beside the scanned paths (it may lie outside the scan root).
    #[serde(default)]
    pub dir: Option<PathBuf>,
    /// Findings history file (default `<root>/.aisvs/history.sqlite`); `--history` overrides it.
    #[serde(default)]
    pub history: Option<PathBuf>,
    /// Host names that must be scanned daily (4.6.1), beside the images workloads reference.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Host name given to kube-bench output (which names no host) when it is recorded in the history.
    #[serde(default)]
    pub bench_host: Option<String>,
    /// Extra SSH service-account names (beyond system UIDs) for 4.4.4.
    #[serde(default)]
    pub service_accounts: Vec<String>,
    /// Break-glass users allowed a single SSH factor (reported partial, never pass).
    #[serde(default)]
    pub break_glass: Vec<String>,
}

/// One trusted keyless signer; `san` and `issuer` match exactly, `san_regex` matches the whole SAN.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignerIdentity {
    /// Exact certificate SAN (email or URI).
    #[serde(default)]
    pub san: Option<String>,
    /// Regular expression the whole SAN must match.
    #[serde(default)]
    pub san_regex: Option<String>,
    /// Exact OIDC issuer.
    pub issuer: String,
}

impl EvidenceConfig {
    /// Resolves a configured path against the directory of the config file (or the scan root).
    pub fn resolve(base: &Path, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            base.join(path)
        }
    }

    /// Whether any signature expectation (identity or key) is set.
    pub fn has_signers(&self) -> bool {
        !self.identities.is_empty() || !self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_section_and_rejects_unknown_keys() {
        let cfg: EvidenceConfig = toml::from_str(
            "identities = [{ san = \"a@b.c\", issuer = \"https://accounts.google.com\" }]\n\
             keys = [\"k.pub\"]\nsource_repo = \"github.com/o/r\"\nhosts = [\"node-1\"]\n",
        )
        .expect("valid section");
        assert_eq!(cfg.identities.len(), 1);
        assert!(cfg.has_signers());
        assert_eq!(cfg.hosts, vec!["node-1".to_string()]);
        assert!(toml::from_str::<EvidenceConfig>("signer = 1").is_err());
    }

    #[test]
    fn relative_paths_resolve_against_the_base() {
        assert_eq!(
            EvidenceConfig::resolve(Path::new("/r"), Path::new("k.pub")),
            PathBuf::from("/r/k.pub")
        );
        assert_eq!(
            EvidenceConfig::resolve(Path::new("/r"), Path::new("/abs.pub")),
            PathBuf::from("/abs.pub")
        );
    }
}
