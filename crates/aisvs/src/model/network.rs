//! Network model (4.3.x): policies, services and exposure. Filled in by the attack-surface work.

use crate::diag::Diagnostic;

use super::Model;

/// Network policies, services, ingresses and what they select.
#[derive(Debug, Default)]
pub struct NetworkModel<'a> {
    _marker: std::marker::PhantomData<&'a ()>,
}

impl<'a> NetworkModel<'a> {
    /// Builds the network model from the Kubernetes objects.
    pub fn build(_model: &Model<'a>, _diags: &mut Vec<Diagnostic>) -> Self {
        NetworkModel::default()
    }
}
