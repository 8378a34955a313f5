//! JUnit XML: one test suite, one test case per requirement; fail → failure, manual review → skipped.

use quick_junit::{NonSuccessKind, Report as JReport, TestCase, TestCaseStatus, TestSuite};

use crate::report::Report;
use crate::verdict::Verdict;

/// Renders JUnit XML.
pub fn render(report: &Report) -> String {
    let mut suite = TestSuite::new("aisvs C4");
    for r in &report.results {
        let name = format!("{} {}", r.requirement.id, r.requirement.title);
        let status = match r.verdict {
            Verdict::Fail => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let details: Vec<String> = r
                    .evidence
                    .iter()
                    .map(|&i| &report.evidence[i])
                    .filter(|e| {
                        e.outcome == crate::evidence::Outcome::Fail && e.suppressed.is_none()
                    })
                    .map(|e| {
                        let at = e.location.as_ref().map(|l| {
                            let rr = report.resolve(l);
                            format!("{}:{}:{}: ", rr.path, rr.start_line, rr.start_column)
                        });
                        format!("{}[{}] {}", at.unwrap_or_default(), e.rule, e.message)
                    })
                    .collect();
                s.set_message(r.note.clone());
                s.set_description(details.join("\n"));
                s
            }
            Verdict::ManualReview | Verdict::NotApplicable => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("{}: {}", r.verdict.as_str(), r.note));
                s
            }
            Verdict::Pass | Verdict::Partial => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(name, status);
        case.set_classname(format!("aisvs.{}", r.requirement.section));
        if r.verdict == Verdict::Partial {
            case.set_system_out(format!("partial: {}", r.note));
        }
        suite.add_test_case(case);
    }
    let mut rep = JReport::new("aisvs");
    rep.add_test_suite(suite);
    rep.to_string().unwrap_or_default()
}
