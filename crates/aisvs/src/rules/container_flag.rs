//! Shared check for container-level boolean securityContext fields (privileged, allowPrivilegeEscalation, readOnlyRootFilesystem).

use crate::evidence::Location;
use crate::model::Model;

use super::sink::{container_location, container_subject};
use super::EvidenceSink;

/// What a boolean field must be.
pub struct FlagCheck {
    /// Field under `securityContext`.
    pub field: &'static str,
    /// The value that passes.
    pub wanted: bool,
    /// Whether leaving the field out passes (true for `privileged`, whose default is false).
    pub absent_passes: bool,
    /// Failure text when the field has the wrong value.
    pub wrong: &'static str,
    /// Failure text when the field is missing.
    pub missing: &'static str,
}

/// Runs the check over every container of every workload.
pub fn check_flag(model: &Model<'_>, out: &mut EvidenceSink, check: &FlagCheck) {
    for w in &model.workloads {
        for c in &w.containers {
            let subject = container_subject(w, c);
            let route = c.route.keys("securityContext").key(check.field);
            match c.sc(check.field) {
                Some(n) if n.is_templated() => {
                    out.inconclusive(
                        subject,
                        Some(Location::node(n, &route)),
                        format!("{} is a template expression", check.field),
                    );
                }
                Some(n) => match n.as_bool() {
                    Some(v) if v == check.wanted => {
                        out.pass(
                            subject,
                            Some(Location::node(n, &route)),
                            format!("{}: {v}", check.field),
                        );
                    }
                    _ => {
                        out.fail(
                            subject,
                            Some(Location::node(n, &route)),
                            format!("container `{}`: {}", c.name, check.wrong),
                        );
                    }
                },
                None if check.absent_passes => {
                    out.pass(
                        subject,
                        Some(container_location(c)),
                        format!("{} not set (defaults to {})", check.field, check.wanted),
                    );
                }
                None => {
                    out.fail(
                        subject,
                        Some(container_location(c)),
                        format!("container `{}`: {}", c.name, check.missing),
                    );
                }
            }
        }
    }
}
