//! Verdicts: one precedence table turns the evidence of every rule into one verdict per requirement, plus the score.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Assessment, Catalog, Requirement};
use crate::evidence::{Evidence, Outcome};

/// A requirement's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Met.
    Pass,
    /// Not met.
    Fail,
    /// Partly met, or not fully decidable from the inputs.
    Partial,
    /// Nothing in scope.
    NotApplicable,
    /// Needs evidence or a person.
    ManualReview,
}

impl Verdict {
    /// snake_case name as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Partial => "partial",
            Verdict::NotApplicable => "not_applicable",
            Verdict::ManualReview => "manual_review",
        }
    }
}

/// Subject counts behind a verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Subjects that passed.
    pub passed: usize,
    /// Subjects that failed (unsuppressed).
    pub failed: usize,
    /// Subjects with partial evidence.
    pub partial: usize,
    /// Subjects the rules could not decide.
    pub inconclusive: usize,
    /// Suppressed subjects (inline ignores, annotations, waivers).
    pub waived: usize,
}

/// The verdict of one requirement with what it rests on.
#[derive(Debug, Clone)]
pub struct RequirementResult {
    /// The requirement.
    pub requirement: Requirement,
    /// Its verdict.
    pub verdict: Verdict,
    /// Subject counts.
    pub counts: Counts,
    /// Enabled rules mapped to it.
    pub rules: Vec<&'static str>,
    /// Indices of the evidence items (into the run's evidence list) that speak to it.
    pub evidence: Vec<usize>,
    /// Why, in one sentence.
    pub note: String,
}

/// Computes every requirement's verdict at or below `level`.
/// `rule_map` lists, per requirement id, the enabled rules mapped to it.
pub fn evaluate(
    catalog: &Catalog,
    rule_map: &BTreeMap<String, Vec<&'static str>>,
    evidence: &[Box<Evidence>],
    level: u8,
) -> Vec<RequirementResult> {
    catalog
        .requirement
        .iter()
        .filter(|r| r.level <= level)
        .map(|req| {
            let rules = rule_map.get(&req.id).cloned().unwrap_or_default();
            let idx: Vec<usize> = evidence
                .iter()
                .enumerate()
                .filter(|(_, e)| e.requirements.contains(&req.id.as_str()))
                .map(|(i, _)| i)
                .collect();
            let counts = count(idx.iter().map(|&i| &*evidence[i]));
            let (verdict, note) = decide(req, &rules, &counts, idx.len());
            RequirementResult {
                requirement: req.clone(),
                verdict,
                counts,
                rules,
                evidence: idx,
                note,
            }
        })
        .collect()
}

fn count<'a>(items: impl Iterator<Item = &'a Evidence>) -> Counts {
    let mut c = Counts::default();
    for e in items {
        if e.suppressed.is_some() {
            c.waived += 1;
            continue;
        }
        match e.outcome {
            Outcome::Pass => c.passed += 1,
            Outcome::Fail => c.failed += 1,
            Outcome::Partial => c.partial += 1,
            Outcome::Inconclusive => c.inconclusive += 1,
        }
    }
    c
}

/// The precedence table of DESIGN.md; first match wins.
pub fn decide(
    req: &Requirement,
    rules: &[&str],
    c: &Counts,
    evidence_items: usize,
) -> (Verdict, String) {
    if rules.is_empty() {
        return (
            Verdict::ManualReview,
            format!(
                "No enabled rule covers it yet; decided by: {}.",
                req.decided_by
            ),
        );
    }
    if req.assessment == Assessment::Manual && evidence_items == 0 {
        return (
            Verdict::ManualReview,
            format!(
                "Needs evidence that was not among the inputs: {}.",
                req.decided_by
            ),
        );
    }
    if c.failed > 0 {
        return (
            Verdict::Fail,
            format!("{} of {} subjects fail.", c.failed, total(c)),
        );
    }
    if evidence_items == 0 {
        return (
            Verdict::NotApplicable,
            "The rules ran but found nothing in scope.".into(),
        );
    }
    if c.partial > 0 || c.inconclusive > 0 || c.waived > 0 {
        let mut parts = Vec::new();
        if c.partial > 0 {
            parts.push(format!("{} partial", c.partial));
        }
        if c.inconclusive > 0 {
            parts.push(format!("{} inconclusive", c.inconclusive));
        }
        if c.waived > 0 {
            parts.push(format!("{} waived", c.waived));
        }
        return (
            Verdict::Partial,
            format!(
                "No failures, but {} of {} subjects.",
                parts.join(", "),
                total(c)
            ),
        );
    }
    if req.assessment == Assessment::Partial {
        return (
            Verdict::Partial,
            format!("All {} subjects pass, but configuration alone cannot establish all of it; also needs: {}.", c.passed, req.decided_by),
        );
    }
    (Verdict::Pass, format!("All {} subjects pass.", c.passed))
}

fn total(c: &Counts) -> usize {
    c.passed + c.failed + c.partial + c.inconclusive + c.waived
}

/// Score of one level: pass ÷ (pass + fail + partial); n/a and manual review are left out.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct LevelScore {
    /// Requirements that pass.
    pub pass: usize,
    /// That fail.
    pub fail: usize,
    /// That are partial.
    pub partial: usize,
    /// Not applicable (left out of the denominator).
    pub not_applicable: usize,
    /// Manual review (left out of the denominator).
    pub manual_review: usize,
    /// pass ÷ (pass + fail + partial), `None` when the denominator is 0.
    pub score: Option<f64>,
}

/// Scores per level (1..=max level evaluated), counting requirements of that level and below.
pub fn scores(results: &[RequirementResult], level: u8) -> BTreeMap<String, LevelScore> {
    (1..=level)
        .map(|l| {
            let mut s = LevelScore::default();
            for r in results.iter().filter(|r| r.requirement.level <= l) {
                match r.verdict {
                    Verdict::Pass => s.pass += 1,
                    Verdict::Fail => s.fail += 1,
                    Verdict::Partial => s.partial += 1,
                    Verdict::NotApplicable => s.not_applicable += 1,
                    Verdict::ManualReview => s.manual_review += 1,
                }
            }
            let denom = s.pass + s.fail + s.partial;
            s.score = (denom > 0).then(|| s.pass as f64 / denom as f64);
            (format!("level_{l}"), s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(assessment: Assessment) -> Requirement {
        Requirement {
            id: "4.9.9".into(),
            section: "C4.9".into(),
            level: 1,
            role: "D/V".into(),
            title: "t".into(),
            assessment,
            evidence: vec![],
            decided_by: "some evidence".into(),
        }
    }

    fn counts(
        passed: usize,
        failed: usize,
        partial: usize,
        inconclusive: usize,
        waived: usize,
    ) -> Counts {
        Counts {
            passed,
            failed,
            partial,
            inconclusive,
            waived,
        }
    }

    #[test]
    fn precedence_table() {
        let auto = req(Assessment::Automated);
        let c0 = Counts::default();
        assert_eq!(
            decide(&auto, &[], &counts(5, 0, 0, 0, 0), 5).0,
            Verdict::ManualReview,
            "no rule: manual review, never pass"
        );
        assert_eq!(
            decide(&req(Assessment::Manual), &["r"], &c0, 0).0,
            Verdict::ManualReview
        );
        assert_eq!(
            decide(&auto, &["r"], &counts(9, 1, 3, 0, 0), 13).0,
            Verdict::Fail
        );
        assert_eq!(decide(&auto, &["r"], &c0, 0).0, Verdict::NotApplicable);
        assert_eq!(
            decide(&auto, &["r"], &counts(3, 0, 1, 0, 0), 4).0,
            Verdict::Partial
        );
        assert_eq!(
            decide(&auto, &["r"], &counts(3, 0, 0, 1, 0), 4).0,
            Verdict::Partial
        );
        assert_eq!(
            decide(&auto, &["r"], &counts(3, 0, 0, 0, 1), 4).0,
            Verdict::Partial,
            "waived failures never make a pass"
        );
        assert_eq!(
            decide(&req(Assessment::Partial), &["r"], &counts(3, 0, 0, 0, 0), 3).0,
            Verdict::Partial
        );
        assert_eq!(
            decide(&auto, &["r"], &counts(3, 0, 0, 0, 0), 3).0,
            Verdict::Pass
        );
    }
}
