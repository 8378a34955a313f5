//! Offline verification of Sigstore bundles, SLSA provenance, OCI image signatures and SBOMs.
//!
//! Entry points: [`verify_bundle`], [`verify_provenance`], [`verify_image`] (each returns a
//! [`Report`] whose `verified` is true only when every required check passed), and [`sniff`]
//! to recognise evidence files among scan inputs. Nothing here touches the network.
#![forbid(unsafe_code)]

pub mod artifact;
pub mod bundle;
pub mod cli;
pub mod dsse;
pub mod error;
pub mod evidence;
pub mod identity;
pub mod image;
pub mod input;
pub mod keyed;
pub mod provenance;
pub mod render;
pub mod report;
pub mod sigstore_check;
pub mod sigstore_errors;
pub mod sniff;
pub mod statement;
pub mod timestamps;
pub mod trust;

pub use artifact::{ArtifactDigest, ArtifactInput};
pub use bundle::{verify_bundle, BundleRequest};
pub use error::VerifyError;
pub use evidence::{verify_evidence, EvidencePolicy};
pub use identity::{IdentityPolicy, Matcher};
pub use image::{verify_image, ImageRequest};
pub use keyed::PublicKey;
pub use provenance::{verify_provenance, ProvenancePolicy, ProvenanceRequest};
pub use report::{Check, CheckStatus, Report, Requirement};
pub use sigstore_check::Signer;
pub use sniff::{sniff, EvidenceKind};
