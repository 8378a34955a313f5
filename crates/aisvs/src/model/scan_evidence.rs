//! Evidence files among the scan inputs (scanner reports, Sigstore bundles, provenance, vetting records).

use crate::diag::Diagnostic;

use super::ParsedFile;

/// Evidence recognised among the inputs.
#[derive(Debug, Default)]
pub struct EvidenceModel {}

impl EvidenceModel {
    /// Recognises evidence files by content.
    pub fn build(_files: &[ParsedFile], _diags: &mut Vec<Diagnostic>) -> Self {
        EvidenceModel {}
    }
}
