//! Terraform, Dockerfile, Compose and CI pipeline rules.

use super::Rule;

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
