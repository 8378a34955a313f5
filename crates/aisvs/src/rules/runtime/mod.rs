//! Runtime confinement rules: Localhost seccomp profiles (4.1.1) and eBPF runtime policies (4.1.4).

use super::Rule;

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
