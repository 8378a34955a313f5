//! Rules that turn evidence files (reports, signatures, provenance, vetting records) into verdicts.

use super::Rule;

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
