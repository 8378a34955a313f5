//! Infrastructure-as-code model: Terraform, Dockerfiles, Compose files and CI pipelines. Filled in by the IaC work.

use crate::diag::Diagnostic;

use super::ParsedFile;

/// Typed views over Terraform, Dockerfiles, Compose files and CI workflows.
#[derive(Debug, Default)]
pub struct IacModel<'a> {
    _marker: std::marker::PhantomData<&'a ()>,
}

impl<'a> IacModel<'a> {
    /// Builds the IaC model from the parsed files.
    pub fn build(_files: &'a [ParsedFile], _diags: &mut Vec<Diagnostic>) -> Self {
        IacModel::default()
    }
}
