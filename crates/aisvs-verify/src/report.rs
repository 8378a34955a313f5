//! The result of one verification: named checks with pass/fail/skipped and a reason each.
//!
//! `verified` is never true by default: [`Report::finish`] sets it only when no check failed
//! and every check the command requires is present and passed.

use serde::Serialize;
use std::collections::BTreeMap;

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The check ran and succeeded.
    Pass,
    /// The check ran and failed; the detail says why.
    Fail,
    /// The check did not apply or could not run; the detail says why. Never counts as a pass.
    Skipped,
}

/// One named check with its outcome and a human-readable reason.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Short stable name ("signature", "identity", "subject digest", …).
    pub name: String,
    /// Outcome.
    pub status: CheckStatus,
    /// Why it passed or failed, in one line.
    pub detail: String,
}

/// The AISVS requirement a result is evidence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Requirement {
    /// 4.2.2: builds are reproducible and carry SLSA Build L3 provenance.
    #[serde(rename = "4.2.2")]
    Provenance,
    /// 4.2.3: images are signed (Cosign/Sigstore) and embed an SBOM.
    #[serde(rename = "4.2.3")]
    SignatureAndSbom,
}

/// Verification result of one `bundle`, `provenance` or `image` run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Which verification ran: "bundle", "provenance" or "image".
    pub command: &'static str,
    /// The file or directory that was verified.
    pub input: String,
    /// True only when every required check passed and none failed.
    pub verified: bool,
    /// AISVS requirements this result is evidence for.
    pub supports: Vec<Requirement>,
    /// Every check in the order it ran.
    pub checks: Vec<Check>,
    /// Names of the checks that failed; when none failed but a required check never passed,
    /// those required checks (so an unverified result always names a reason).
    pub failed_checks: Vec<String>,
    /// Required checks that never ran or were skipped (e.g. after an earlier failure).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_evaluated: Vec<String>,
    /// Facts established along the way (signer identity, builder id, SLSA level, …).
    pub facts: BTreeMap<String, String>,
    /// Per-item results (one per signature/attestation/SBOM found in an image); they inform
    /// the aggregate checks above but do not gate `verified` themselves.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Check>,
}

impl Report {
    /// Starts an empty, unverified report.
    pub fn new(
        command: &'static str,
        input: impl Into<String>,
        supports: Vec<Requirement>,
    ) -> Self {
        Report {
            command,
            input: input.into(),
            verified: false,
            supports,
            checks: Vec::new(),
            failed_checks: Vec::new(),
            not_evaluated: Vec::new(),
            facts: BTreeMap::new(),
            evidence: Vec::new(),
        }
    }

    /// Records a check.
    pub fn push(
        &mut self,
        name: impl Into<String>,
        status: CheckStatus,
        detail: impl Into<String>,
    ) {
        self.checks.push(Check {
            name: name.into(),
            status,
            detail: detail.into().replace(['\n', '\r'], " "),
        });
    }

    /// Records a passing check.
    pub fn pass(&mut self, name: impl Into<String>, detail: impl Into<String>) {
        self.push(name, CheckStatus::Pass, detail);
    }

    /// Records a failing check.
    pub fn fail(&mut self, name: impl Into<String>, detail: impl Into<String>) {
        self.push(name, CheckStatus::Fail, detail);
    }

    /// Records a check that did not run, with the reason.
    pub fn skip(&mut self, name: impl Into<String>, detail: impl Into<String>) {
        self.push(name, CheckStatus::Skipped, detail);
    }

    /// Records a fact (later values for the same key replace earlier ones).
    pub fn fact(&mut self, key: &str, value: impl Into<String>) {
        self.facts.insert(key.to_string(), value.into());
    }

    /// Whether a check of this name failed.
    pub fn has_failed(&self, name: &str) -> bool {
        self.checks
            .iter()
            .any(|c| c.name == name && c.status == CheckStatus::Fail)
    }

    /// Whether a check of this name passed (and none of that name failed).
    pub fn has_passed(&self, name: &str) -> bool {
        !self.has_failed(name)
            && self
                .checks
                .iter()
                .any(|c| c.name == name && c.status == CheckStatus::Pass)
    }

    /// Computes `verified`, `failed_checks` and `not_evaluated`: verified iff nothing failed and
    /// every name in `required` passed.
    pub fn finish(mut self, required: &[&str]) -> Self {
        let mut failed: Vec<String> = Vec::new();
        for check in &self.checks {
            if check.status == CheckStatus::Fail && !failed.contains(&check.name) {
                failed.push(check.name.clone());
            }
        }
        let missing: Vec<String> = required
            .iter()
            .filter(|name| !self.has_passed(name) && !failed.iter().any(|f| f == *name))
            .map(|name| (*name).to_string())
            .collect();
        self.verified = failed.is_empty() && missing.is_empty() && !required.is_empty();
        if failed.is_empty() {
            failed.clone_from(&missing);
        }
        self.failed_checks = failed;
        self.not_evaluated = missing;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_report_is_not_verified() {
        let report = Report::new("bundle", "x", vec![]).finish(&["signature"]);
        assert!(!report.verified);
        assert_eq!(report.failed_checks, vec!["signature".to_string()]);
    }

    #[test]
    fn skipped_required_check_is_not_a_pass() {
        let mut report = Report::new("bundle", "x", vec![]);
        report.skip("signature", "no key");
        let report = report.finish(&["signature"]);
        assert!(!report.verified);
    }

    #[test]
    fn any_failure_blocks_verification() {
        let mut report = Report::new("bundle", "x", vec![]);
        report.pass("signature", "ok");
        report.fail("identity", "wrong SAN");
        let report = report.finish(&["signature"]);
        assert!(!report.verified);
        assert_eq!(report.failed_checks, vec!["identity".to_string()]);
    }

    #[test]
    fn all_required_passing_verifies() {
        let mut report = Report::new("bundle", "x", vec![Requirement::SignatureAndSbom]);
        report.pass("signature", "ok");
        report.skip("sct", "keyed");
        assert!(report.finish(&["signature"]).verified);
    }
}
