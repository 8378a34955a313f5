//! Supply-chain evidence (4.2.2, 4.2.3): Sigstore bundles, DSSE attestations, provenance dumps, SBOMs and
//! OCI layouts among the inputs are verified offline against `[evidence]` expectations. An expectation that
//! is not configured makes the result inconclusive (with the key to set), never verified.

use std::path::{Path, PathBuf};

use aisvs_verify::{
    verify_evidence, ArtifactInput, CheckStatus, EvidenceKind, EvidencePolicy, IdentityPolicy,
    Matcher, ProvenancePolicy, PublicKey, Report, Requirement, VerifyError,
};

use crate::evidence::Outcome;

use super::classify::{Found, Recognised};
use super::config::EvidenceConfig;
use super::item::{EvidenceItem, FileIndex};
use super::EvidenceContext;

/// Rule id for SLSA provenance (4.2.2).
pub const PROVENANCE: &str = "supply-provenance";
/// Rule id for signatures and SBOMs (4.2.3).
pub const SIGNATURE: &str = "supply-signature-sbom";

/// File-name suffixes that sit between an artifact's name and its signature bundle.
const BUNDLE_SUFFIXES: &[&str] = &[".sigstore.json", ".sigstore", ".intoto.jsonl", ".bundle"];

/// Verifies every supply-chain evidence file.
pub fn evaluate(
    found: &[Found],
    ctx: &EvidenceContext,
    index: &FileIndex<'_>,
) -> Vec<EvidenceItem> {
    let mut items = Vec::new();
    let supply: Vec<(usize, EvidenceKind)> = found
        .iter()
        .filter_map(|f| match f.what {
            Recognised::Supply(k) => Some((f.file, k)),
            _ => None,
        })
        .collect();
    if supply.is_empty() {
        return items;
    }
    let policies = policies(&ctx.config, &ctx.base);
    for (file, kind) in supply {
        let src = &index.files()[file].source;
        let item = |check, outcome, message: String| EvidenceItem {
            check,
            kind: kind_name(kind),
            // An OCI layout is the directory holding the `oci-layout` marker.
            subject: match kind {
                EvidenceKind::OciLayout => src
                    .path
                    .rsplit_once('/')
                    .map_or_else(|| ".".to_string(), |(dir, _)| dir.to_string()),
                _ => src.path.clone(),
            },
            outcome,
            message,
            file: Some(file),
            line: None,
        };
        let policies = match &policies {
            Ok(p) => p,
            Err(message) => {
                items.push(item(
                    check_for(kind),
                    Outcome::Inconclusive,
                    message.clone(),
                ));
                continue;
            }
        };
        let needs_key = matches!(
            kind,
            EvidenceKind::DsseEnvelope | EvidenceKind::ProvenanceDump
        );
        if needs_key && ctx.config.keys.is_empty() {
            items.push(item(PROVENANCE, Outcome::Inconclusive, "keyed attestation, but no public key to verify it: set [evidence] keys in aisvs.toml".into()));
            continue;
        }
        match verify_with_any(&src.abs, kind, policies) {
            Ok(report) => items.extend(from_report(&report, &ctx.config, kind, &item)),
            Err(VerifyError::Usage(m)) => items.push(item(
                // A bundle whose error is about provenance carries SLSA provenance (4.2.2).
                if m.contains("provenance") || src.path.ends_with(".intoto.jsonl") {
                    PROVENANCE
                } else {
                    check_for(kind)
                },
                Outcome::Inconclusive,
                usage_hint(&m.replace(&src.abs.display().to_string(), &src.path)),
            )),
            Err(e) => items.push(item(
                check_for(kind),
                Outcome::Fail,
                format!(
                    "cannot be verified offline: {}",
                    e.to_string()
                        .replace(&src.abs.display().to_string(), &src.path)
                ),
            )),
        }
    }
    items
}

/// Verifies under each policy in turn: the first verified report wins, else the first policy's result.
fn verify_with_any(
    path: &Path,
    kind: EvidenceKind,
    policies: &[EvidencePolicy],
) -> Result<Report, VerifyError> {
    let mut first = None;
    for policy in policies {
        let result = verify_evidence(path, kind, artifact_of(path), policy);
        if matches!(&result, Ok(r) if r.verified) {
            return result;
        }
        first.get_or_insert(result);
    }
    first.unwrap_or_else(|| Err(VerifyError::usage("no verification policy")))
}

/// One policy per `[evidence] identities` entry (or one without an identity); a key or pattern that cannot be
/// loaded is a message naming it.
fn policies(cfg: &EvidenceConfig, base: &Path) -> Result<Vec<EvidencePolicy>, String> {
    let identities: Vec<Option<&super::config::SignerIdentity>> = if cfg.identities.is_empty() {
        vec![None]
    } else {
        cfg.identities.iter().map(Some).collect()
    };
    identities
        .into_iter()
        .map(|id| policy(cfg, base, id))
        .collect()
}

/// The policy for one signer identity.
fn policy(
    cfg: &EvidenceConfig,
    base: &Path,
    identity: Option<&super::config::SignerIdentity>,
) -> Result<EvidencePolicy, String> {
    let identity = match identity {
        None => None,
        Some(id) => {
            let san = match (&id.san, &id.san_regex) {
                (Some(s), _) => Matcher::Exact(s.clone()),
                (None, Some(r)) => {
                    Matcher::regex(r).map_err(|e| format!("[evidence] identities: {e}"))?
                }
                (None, None) => {
                    return Err(
                        "[evidence] identities: each entry needs `san` or `san_regex`".into(),
                    )
                }
            };
            Some(IdentityPolicy {
                identity: san,
                issuer: Matcher::Exact(id.issuer.clone()),
            })
        }
    };
    let mut keys = Vec::new();
    for k in &cfg.keys {
        let path = EvidenceConfig::resolve(base, k);
        keys.push(PublicKey::load(&path).map_err(|e| format!("[evidence] keys: {e}"))?);
    }
    Ok(EvidencePolicy {
        identity,
        keys,
        provenance: ProvenancePolicy {
            expected_builder_ids: cfg.trusted_builders.clone(),
            source_uri: cfg.source_repo.clone(),
            source_ref: cfg.source_ref.clone(),
            ..ProvenancePolicy::default()
        },
        trusted_root: cfg
            .trusted_root
            .as_ref()
            .map(|p| EvidenceConfig::resolve(base, p)),
    })
}

/// One item per requirement the report speaks to.
fn from_report(
    report: &Report,
    cfg: &EvidenceConfig,
    kind: EvidenceKind,
    item: &dyn Fn(&'static str, Outcome, String) -> EvidenceItem,
) -> Vec<EvidenceItem> {
    let mut out = Vec::new();
    for req in &report.supports {
        let check = match req {
            Requirement::Provenance => PROVENANCE,
            Requirement::SignatureAndSbom => SIGNATURE,
        };
        if check == PROVENANCE && cfg.source_repo.is_none() && !report.verified {
            out.push(item(check, Outcome::Inconclusive, "provenance names a source repository, but none is expected: set [evidence] source_repo in aisvs.toml".into()));
            continue;
        }
        let failed: Vec<String> = report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .map(|c| format!("{}: {}", c.name, c.detail))
            .collect();
        let (outcome, message) = if report.verified {
            let facts: Vec<String> = ["signer", "builder.id", "slsa_build_level"]
                .iter()
                .filter_map(|k| report.facts.get(*k).map(|v| format!("{k} {v}")))
                .collect();
            (
                Outcome::Pass,
                format!("{} verified offline ({})", report.command, facts.join(", ")),
            )
        } else if matches!(kind, EvidenceKind::SbomCycloneDx | EvidenceKind::SbomSpdx) {
            (
                Outcome::Partial,
                format!(
                    "SBOM present but not attached to an image or signed: {}",
                    failed.join("; ")
                ),
            )
        } else {
            (
                Outcome::Fail,
                format!("{} not verified: {}", report.command, failed.join("; ")),
            )
        };
        out.push(item(check, outcome, message));
    }
    out
}

/// The artifact a bundle is about: the same name without the bundle suffix, or an `artifact` file beside it.
fn artifact_of(bundle: &Path) -> Option<ArtifactInput> {
    let name = bundle.file_name()?.to_str()?;
    let stem = BUNDLE_SUFFIXES.iter().find_map(|s| name.strip_suffix(s));
    let candidates: Vec<PathBuf> = stem
        .map(|s| bundle.with_file_name(s))
        .into_iter()
        .chain(std::iter::once(bundle.with_file_name("artifact")))
        .collect();
    candidates
        .into_iter()
        .find(|p| p.is_file() && p != bundle)
        .map(ArtifactInput::File)
}

fn usage_hint(message: &str) -> String {
    if message.contains("no signer") {
        format!("{message}: set [evidence] identities (san + issuer) or keys in aisvs.toml")
    } else if message.contains("artifact is not known") || message.contains("needs --artifact") {
        "the artifact it describes is not among the inputs, so its digest cannot be checked: put the \
         artifact beside the bundle (same name without .sigstore.json / .intoto.jsonl)"
            .to_string()
    } else {
        message.to_string()
    }
}

fn check_for(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::DsseEnvelope | EvidenceKind::ProvenanceDump => PROVENANCE,
        _ => SIGNATURE,
    }
}

fn kind_name(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::SigstoreBundle => "bundle",
        EvidenceKind::DsseEnvelope => "attestation",
        EvidenceKind::ProvenanceDump => "provenance",
        EvidenceKind::SbomCycloneDx | EvidenceKind::SbomSpdx => "sbom",
        EvidenceKind::OciLayout => "image",
    }
}
