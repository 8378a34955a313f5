//! Runtime confinement rules: Localhost seccomp profiles (4.1.1) and eBPF runtime policies (4.1.4).

mod coverage;
mod profile_index;
mod runtime_policy_enforcement;
mod runtime_priv_esc_coverage;
mod seccomp_localhost_profile;

use super::Rule;

/// The rules of this group, in registration order (one line per rule).
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(seccomp_localhost_profile::SeccompLocalhostProfile::default()),
        Box::new(runtime_priv_esc_coverage::PrivEscCoverage::default()),
        Box::new(runtime_policy_enforcement::PolicyEnforcement),
    ]
}
