//! JSON report, schema version 1 (DESIGN.md); other tools and our own checks read it.

use serde_json::{json, Map, Value};

use crate::evidence::Evidence;
use crate::report::Report;
use crate::verdict::scores;

/// Renders the report as pretty JSON.
pub fn render(report: &Report) -> String {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|&i| evidence_json(report, &report.evidence[i], false))
        .collect();
    let notes: Vec<Value> = report
        .evidence
        .iter()
        .filter(|e| {
            matches!(
                e.outcome,
                crate::evidence::Outcome::Partial | crate::evidence::Outcome::Inconclusive
            )
        })
        .map(|e| evidence_json(report, e, true))
        .collect();
    let requirements: Vec<Value> = report
        .results
        .iter()
        .map(|r| {
            let idx: Vec<usize> = r
                .evidence
                .iter()
                .filter_map(|&i| report.finding_index(i))
                .collect();
            json!({
                "id": r.requirement.id,
                "level": r.requirement.level,
                "role": r.requirement.role,
                "title": r.requirement.title,
                "verdict": r.verdict.as_str(),
                "subjects": r.counts,
                "rules": r.rules,
                "findings": idx,
                "note": r.note,
            })
        })
        .collect();
    let doc = json!({
        "schema_version": 1,
        "tool": {"name": "aisvs", "version": env!("CARGO_PKG_VERSION")},
        "catalog": {
            "standard": report.catalog.standard,
            "chapter": report.catalog.chapter,
            "revision": report.catalog.revision,
        },
        "level": report.level,
        "inputs": {
            "files": report.files.len(),
            "documents": report.document_count(),
            "by_kind": report.files_by_kind(),
        },
        "requirements": requirements,
        "findings": findings,
        "notes": notes,
        "score": scores(&report.results, report.level),
        "diagnostics": report.diagnostics,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// One evidence item in the JSON shape of a finding; notes add `outcome`.
pub fn evidence_json(report: &Report, e: &Evidence, with_outcome: bool) -> Value {
    let mut subject = Map::new();
    subject.insert("kind".into(), json!(e.subject.kind));
    if let Some(ns) = &e.subject.namespace {
        subject.insert("namespace".into(), json!(ns));
    }
    subject.insert("name".into(), json!(e.subject.name));
    if let Some(c) = &e.subject.container {
        subject.insert("container".into(), json!(c));
    }
    let related: Vec<Value> = e
        .related
        .iter()
        .map(|(l, note)| {
            let mut v = serde_json::to_value(report.resolve(l)).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("message".into(), json!(note));
            }
            v
        })
        .collect();
    let mut v = json!({
        "rule": e.rule,
        "requirements": e.requirements,
        "severity": e.severity.as_str(),
        "message": e.message,
        "subject": subject,
        "location": e.location.as_ref().map(|l| report.resolve(l)),
        "related": related,
        "remediation": e.remediation,
        "fingerprint": report.fingerprint(e),
        "suppressed": e.suppressed,
    });
    if with_outcome {
        if let Value::Object(m) = &mut v {
            m.insert("outcome".into(), json!(e.outcome));
        }
    }
    v
}
