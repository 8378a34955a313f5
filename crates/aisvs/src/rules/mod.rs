//! Rules: the registry (one explicit line per rule), the rule trait and the helpers rules report through.

mod container_flag;
mod evidence_files;
mod iac;
mod k8s_allow_privilege_escalation;
mod k8s_capabilities;
mod k8s_host_namespaces;
mod k8s_host_path;
mod k8s_privileged;
mod k8s_proc_mount_sysctls;
mod k8s_read_only_root;
mod k8s_resource_limits;
mod k8s_run_as_non_root;
mod k8s_sandbox_runtime;
mod k8s_seccomp;
mod network;
mod runtime;
pub mod sink;

pub use sink::EvidenceSink;

use crate::evidence::Severity;
use crate::model::Model;

/// One configurable option of a rule, for docs and config validation.
#[derive(Debug)]
pub struct RuleOption {
    /// Key in `[rules.<id>]`.
    pub name: &'static str,
    /// Default value as TOML text.
    pub default: &'static str,
    /// What it does.
    pub doc: &'static str,
}

/// Static description of a rule; `aisvs rules ID` prints it.
#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case id with a domain prefix.
    pub id: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// AISVS requirement ids.
    pub requirements: &'static [&'static str],
    /// Which inputs it reads.
    pub inputs: &'static str,
    /// Default severity of its failures.
    pub severity: Severity,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters (which requirement, which attack).
    pub why: &'static str,
    /// A failing example.
    pub fail_example: &'static str,
    /// A passing example.
    pub pass_example: &'static str,
    /// How to fix a failure.
    pub remediation: &'static str,
    /// When it reports inconclusive instead of a verdict.
    pub inconclusive: &'static str,
    /// Its options.
    pub options: &'static [RuleOption],
}

/// A rule: a pure function of the model that reports on every subject it examined.
pub trait Rule: Send + Sync {
    /// Its static description.
    fn meta(&self) -> &'static RuleMeta;
    /// Applies `[rules.<id>]` options from the config; unknown or ill-typed options are an error.
    fn configure(&mut self, options: &toml::Table) -> Result<(), String> {
        match options.keys().next() {
            Some(k) => Err(format!("unknown option `{k}`")),
            None => Ok(()),
        }
    }
    /// Examines the model.
    fn check(&self, model: &Model<'_>, out: &mut EvidenceSink);
}

/// Every rule, in registration order. Adding a rule is one line here.
pub fn registry() -> Vec<Box<dyn Rule>> {
    let core: Vec<Box<dyn Rule>> = vec![
        Box::new(k8s_seccomp::Seccomp::default()),
        Box::new(k8s_capabilities::Capabilities::default()),
        Box::new(k8s_privileged::Privileged),
        Box::new(k8s_allow_privilege_escalation::AllowPrivilegeEscalation),
        Box::new(k8s_host_namespaces::HostNamespaces),
        Box::new(k8s_host_path::HostPath::default()),
        Box::new(k8s_read_only_root::ReadOnlyRoot),
        Box::new(k8s_proc_mount_sysctls::ProcMountSysctls),
        Box::new(k8s_resource_limits::ResourceLimits),
        Box::new(k8s_run_as_non_root::RunAsNonRoot),
        Box::new(k8s_sandbox_runtime::SandboxRuntime::default()),
    ];
    core.into_iter()
        .chain(runtime::rules())
        .chain(network::rules())
        .chain(iac::rules())
        .chain(evidence_files::rules())
        .collect()
}

/// Reads a typed option value from a rule's option table.
pub fn option<T: serde::de::DeserializeOwned>(
    options: &toml::Table,
    name: &str,
) -> Result<Option<T>, String> {
    match options.get(name) {
        None => Ok(None),
        Some(v) => v
            .clone()
            .try_into()
            .map(Some)
            .map_err(|e| format!("option `{name}`: {e}")),
    }
}

/// Rejects option keys a rule does not know.
pub fn reject_unknown(options: &toml::Table, known: &[&str]) -> Result<(), String> {
    match options.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "unknown option `{k}` (known: {})",
            known.join(", ")
        )),
        None => Ok(()),
    }
}
