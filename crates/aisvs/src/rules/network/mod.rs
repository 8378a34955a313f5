//! Attack-surface rules (4.3.x) and manifest secret/key rules (4.4.2, 4.4.3).

use super::Rule;

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
