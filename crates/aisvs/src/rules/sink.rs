//! Where rules put their evidence, plus subject builders shared by the Kubernetes rules.

use crate::evidence::{Evidence, Location, Outcome, Subject};
use crate::model::{Container, K8sObject, Workload};

use super::RuleMeta;

/// Collects the evidence of one rule.
pub struct EvidenceSink {
    meta: &'static RuleMeta,
    items: Vec<Box<Evidence>>,
}

impl EvidenceSink {
    /// A sink for one rule.
    pub fn new(meta: &'static RuleMeta) -> Self {
        EvidenceSink {
            meta,
            items: Vec::new(),
        }
    }

    /// Records one conclusion and returns it for further detail (related locations, a narrower requirement list).
    pub fn push(
        &mut self,
        outcome: Outcome,
        subject: Subject,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> &mut Evidence {
        self.items.push(Box::new(Evidence {
            rule: self.meta.id,
            requirements: self.meta.requirements,
            subject,
            outcome,
            message: message.into(),
            severity: self.meta.severity,
            location,
            related: Vec::new(),
            remediation: self.meta.remediation,
            suppressed: None,
            sensitive: false,
        }));
        let last = self.items.len() - 1;
        &mut self.items[last]
    }
    /// The subject meets the requirement.
    pub fn pass(
        &mut self,
        subject: Subject,
        location: Option<Location>,
        note: impl Into<String>,
    ) -> &mut Evidence {
        self.push(Outcome::Pass, subject, location, note)
    }
    /// The subject fails.
    pub fn fail(
        &mut self,
        subject: Subject,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> &mut Evidence {
        self.push(Outcome::Fail, subject, location, message)
    }
    /// The control is there but weaker than required.
    pub fn partial(
        &mut self,
        subject: Subject,
        location: Option<Location>,
        reason: impl Into<String>,
    ) -> &mut Evidence {
        self.push(Outcome::Partial, subject, location, reason)
    }
    /// Cannot tell.
    pub fn inconclusive(
        &mut self,
        subject: Subject,
        location: Option<Location>,
        reason: impl Into<String>,
    ) -> &mut Evidence {
        self.push(Outcome::Inconclusive, subject, location, reason)
    }
    /// The rule's metadata.
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
    /// Everything recorded.
    pub fn into_evidence(self) -> Vec<Box<Evidence>> {
        self.items
    }
}

/// Subject for one container of a workload: `ns/Kind/name[/role]/container:name`.
pub fn container_subject(w: &Workload<'_>, c: &Container<'_>) -> Subject {
    Subject {
        kind: w.kind.to_string(),
        namespace: Some(w.namespace.clone()),
        name: w.name.clone(),
        container: Some(c.name.clone()),
        display: format!("{}/container:{}", w.display(), c.name),
    }
}

/// Subject for a whole pod template.
pub fn workload_subject(w: &Workload<'_>) -> Subject {
    Subject {
        kind: w.kind.to_string(),
        namespace: Some(w.namespace.clone()),
        name: w.name.clone(),
        container: None,
        display: w.display(),
    }
}

/// Subject for a Kubernetes object.
pub fn object_subject(o: &K8sObject<'_>) -> Subject {
    Subject {
        kind: o.kind.to_string(),
        namespace: o.namespace.clone(),
        name: o.name.clone(),
        container: None,
        display: o.display(),
    }
}

/// Location of a container's node (its first line), used when a field is missing.
pub fn container_location(c: &Container<'_>) -> Location {
    Location::node(c.node, &c.route)
}

/// Location of a workload's PodSpec.
pub fn pod_location(w: &Workload<'_>) -> Location {
    Location::node(w.pod_spec, &w.pod_route)
}
