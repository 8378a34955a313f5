//! Offline verification of Sigstore bundles, SLSA provenance, OCI image signatures and SBOMs.
#![forbid(unsafe_code)]

pub mod cli;
