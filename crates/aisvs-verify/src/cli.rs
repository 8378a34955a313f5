//! Command-line surface of `aisvs verify bundle|provenance|image`.
//!
//! Exit codes (DESIGN.md): 0 verified, 1 not verified (the failed check named), 2 usage/input error.

use crate::artifact::{ArtifactDigest, ArtifactInput};
use crate::bundle::{verify_bundle, BundleRequest};
use crate::error::VerifyError;
use crate::identity::{IdentityPolicy, Matcher};
use crate::image::{verify_image, ImageRequest};
use crate::keyed::PublicKey;
use crate::provenance::vsa::VsaPolicy;
use crate::provenance::{verify_provenance, ProvenancePolicy, ProvenanceRequest};
use crate::render::{render_json, render_text};
use crate::report::Report;
use crate::sigstore_check::Signer;
use std::path::PathBuf;

/// Output format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum Format {
    /// One line per check with ✓/✗ and the reason.
    #[default]
    Text,
    /// The report as JSON.
    Json,
}

/// Subcommands of `aisvs verify` (all offline: nothing contacts the network).
#[derive(clap::Subcommand, Debug)]
pub enum VerifyCommand {
    /// Verify a Sigstore bundle (v0.1–v0.3) for an artifact and a signer identity or key.
    Bundle(BundleArgs),
    /// Verify SLSA provenance (v1, v0.2) against the SLSA Build L3 conditions.
    Provenance(ProvenanceArgs),
    /// Verify signatures, attestations and the SBOM of an OCI image layout on disk.
    Image(ImageArgs),
}

/// Signer policy and trust options shared by the subcommands.
#[derive(clap::Args, Debug)]
pub struct SignerArgs {
    /// Expected certificate identity (SAN: email or URI), exact.
    #[arg(long)]
    pub identity: Option<String>,
    /// Expected certificate identity as a regular expression (anchored).
    #[arg(long)]
    pub identity_regex: Option<String>,
    /// Expected OIDC issuer, exact.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Expected OIDC issuer as a regular expression (anchored).
    #[arg(long)]
    pub issuer_regex: Option<String>,
    /// PEM public key for keyed signatures (instead of an identity).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// Sigstore trusted_root.json to use instead of the shipped production root.
    #[arg(long)]
    pub trusted_root: Option<PathBuf>,
    /// Fail on any RFC 3161 timestamp that does not authenticate. By default such a timestamp
    /// is set aside (and reported) when other verified signing times remain, as sigstore-go
    /// and sigstore-python do.
    #[arg(long)]
    pub strict_timestamps: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl SignerArgs {
    fn signer(&self) -> Result<Signer, VerifyError> {
        if let Some(key) = &self.key {
            if self.identity.is_some() || self.identity_regex.is_some() {
                return Err(VerifyError::usage(
                    "give either --key or --identity, not both",
                ));
            }
            return Ok(Signer::Key(PublicKey::load(key)?));
        }
        Ok(Signer::Identity(IdentityPolicy {
            identity: Matcher::from_options(
                "identity",
                self.identity.as_deref(),
                self.identity_regex.as_deref(),
            )?,
            issuer: Matcher::from_options(
                "issuer",
                self.issuer.as_deref(),
                self.issuer_regex.as_deref(),
            )?,
        }))
    }
}

/// `aisvs verify bundle`.
#[derive(clap::Args, Debug)]
pub struct BundleArgs {
    /// The Sigstore bundle (`.sigstore.json`, `.sigstore`, first line of `.intoto.jsonl`).
    #[arg(long)]
    pub bundle: PathBuf,
    /// The signed artifact file.
    #[arg(long, conflicts_with = "digest", required_unless_present = "digest")]
    pub artifact: Option<PathBuf>,
    /// The artifact digest instead of the file (`sha256:<hex>` or `sha512:<hex>`).
    #[arg(long)]
    pub digest: Option<String>,
    #[command(flatten)]
    pub signer: SignerArgs,
}

/// `aisvs verify provenance`.
#[derive(clap::Args, Debug)]
pub struct ProvenanceArgs {
    /// Provenance: Sigstore bundle / `.intoto.jsonl`, bare DSSE envelope, or a gcloud
    /// `--show-provenance` JSON dump.
    #[arg(long)]
    pub provenance: PathBuf,
    /// The artifact the provenance must describe.
    #[arg(long, conflicts_with = "digest")]
    pub artifact: Option<PathBuf>,
    /// The artifact digest instead of the file (`sha256:<hex>`).
    #[arg(long)]
    pub digest: Option<String>,
    /// Expected source repository, e.g. `github.com/org/repo` (required for a verified result).
    #[arg(long)]
    pub source_uri: Option<String>,
    /// Expected full source ref (`refs/tags/v1.2.3`, `refs/heads/main`).
    #[arg(long, conflicts_with_all = ["source_tag", "source_branch"])]
    pub source_ref: Option<String>,
    /// Expected source tag (shorthand for `--source-ref refs/tags/TAG`).
    #[arg(long, conflicts_with = "source_branch")]
    pub source_tag: Option<String>,
    /// Expected source branch (shorthand for `--source-ref refs/heads/BRANCH`).
    #[arg(long)]
    pub source_branch: Option<String>,
    /// The builder must be this one (`id` or `id@ref`); it is added to the trusted L3 list.
    #[arg(long)]
    pub builder_id: Vec<String>,
    /// Allow this external parameter beyond those known for the build type (repeatable).
    #[arg(long)]
    pub allow_param: Vec<String>,
    /// PEM public key for keyed DSSE signatures (repeatable; any one verifying suffices).
    #[arg(long)]
    pub key: Vec<PathBuf>,
    /// Required DSSE `keyid` of the keyed signature.
    #[arg(long)]
    pub key_id: Option<String>,
    /// VSA: trusted `verifier.id` (repeatable).
    #[arg(long)]
    pub vsa_verifier_id: Vec<String>,
    /// VSA: expected `resourceUri`.
    #[arg(long)]
    pub resource_uri: Option<String>,
    /// VSA: level that must be in `verifiedLevels` (repeatable).
    #[arg(long)]
    pub verified_level: Vec<String>,
    /// VSA: expected subject digest `alg:value` (e.g. `gce_image_id:123`).
    #[arg(long)]
    pub vsa_subject: Option<String>,
    /// Sigstore trusted_root.json to use instead of the shipped production root.
    #[arg(long)]
    pub trusted_root: Option<PathBuf>,
    /// Fail on any RFC 3161 timestamp that does not authenticate. By default such a timestamp
    /// is set aside (and reported) when other verified signing times remain, as sigstore-go
    /// and sigstore-python do.
    #[arg(long)]
    pub strict_timestamps: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `aisvs verify image`.
#[derive(clap::Args, Debug)]
pub struct ImageArgs {
    /// OCI image layout directory (`skopeo copy … oci:DIR`, `cosign save --dir DIR`).
    #[arg(long)]
    pub oci_layout: PathBuf,
    /// Which image in the layout (`sha256:<hex>`); needed when it holds more than one.
    #[arg(long)]
    pub image_digest: Option<String>,
    #[command(flatten)]
    pub signer: SignerArgs,
}

fn artifact_of(
    file: &Option<PathBuf>,
    digest: &Option<String>,
) -> Result<Option<ArtifactInput>, VerifyError> {
    Ok(match (file, digest) {
        (Some(path), _) => Some(ArtifactInput::File(path.clone())),
        (None, Some(text)) => Some(ArtifactInput::Digest(ArtifactDigest::parse(text)?)),
        (None, None) => None,
    })
}

fn provenance_request(args: &ProvenanceArgs) -> Result<ProvenanceRequest, VerifyError> {
    let source_ref = args
        .source_ref
        .clone()
        .or_else(|| args.source_tag.as_ref().map(|t| format!("refs/tags/{t}")))
        .or_else(|| {
            args.source_branch
                .as_ref()
                .map(|b| format!("refs/heads/{b}"))
        });
    let keys = args
        .key
        .iter()
        .map(|k| PublicKey::load(k))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProvenanceRequest {
        provenance: args.provenance.clone(),
        artifact: artifact_of(&args.artifact, &args.digest)?,
        policy: ProvenancePolicy {
            expected_builder_ids: args.builder_id.clone(),
            source_uri: args.source_uri.clone(),
            source_ref,
            allowed_parameters: args.allow_param.clone(),
            vsa: VsaPolicy {
                verifier_ids: args.vsa_verifier_id.clone(),
                resource_uri: args.resource_uri.clone(),
                levels: args.verified_level.clone(),
                subject: args.vsa_subject.clone(),
            },
            ..ProvenancePolicy::default()
        },
        keys,
        key_id: args.key_id.clone(),
        trusted_root: args.trusted_root.clone(),
        strict_timestamps: args.strict_timestamps,
    })
}

fn execute(cmd: &VerifyCommand) -> Result<(Report, Format), VerifyError> {
    match cmd {
        VerifyCommand::Bundle(args) => {
            let artifact = artifact_of(&args.artifact, &args.digest)?
                .ok_or_else(|| VerifyError::usage("--artifact or --digest is required"))?;
            let request = BundleRequest {
                bundle: args.bundle.clone(),
                artifact,
                signer: args.signer.signer()?,
                trusted_root: args.signer.trusted_root.clone(),
                strict_timestamps: args.signer.strict_timestamps,
            };
            Ok((verify_bundle(&request)?, args.signer.format))
        }
        VerifyCommand::Provenance(args) => {
            Ok((verify_provenance(&provenance_request(args)?)?, args.format))
        }
        VerifyCommand::Image(args) => {
            let image_digest = args
                .image_digest
                .as_deref()
                .map(ArtifactDigest::parse)
                .transpose()?;
            let request = ImageRequest {
                layout: args.oci_layout.clone(),
                image_digest,
                signer: args.signer.signer()?,
                trusted_root: args.signer.trusted_root.clone(),
                strict_timestamps: args.signer.strict_timestamps,
            };
            Ok((verify_image(&request)?, args.signer.format))
        }
    }
}

/// Runs a subcommand and returns the process exit code.
pub fn run(cmd: VerifyCommand) -> i32 {
    match execute(&cmd) {
        Ok((report, format)) => {
            let text = match format {
                Format::Text => render_text(&report),
                Format::Json => format!("{}\n", render_json(&report)),
            };
            if let Err(e) = print_stdout(&text) {
                eprintln!("error: cannot write to stdout: {e}");
                return 2;
            }
            if report.verified {
                0
            } else {
                1
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            2
        }
    }
}

/// Writes `text` to stdout. A reader that went away (`… | head`) is not an error; any other failure is.
fn print_stdout(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
