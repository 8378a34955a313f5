//! JSON report, schema version 1 (DESIGN.md); other tools and our own checks read it.

use serde::ser::{SerializeMap, Serializer as _};
use serde_json::{json, Map, Value};

use crate::evidence::{Evidence, Outcome};
use crate::render::Streamed;
use crate::report::Report;
use crate::verdict::{scores, RequirementResult};

/// Renders the report as pretty JSON.
pub fn render(report: &Report) -> String {
    super::collect(report, write)
}

/// Writes the report as pretty JSON, one finding or note at a time: only one item's `Value`
/// exists at once, instead of a document of tens of thousands of items (hundreds of MB).
/// Keys are written in sorted order, as a `serde_json::Map` orders them.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    let mut map = ser.serialize_map(None)?;
    map.serialize_entry(
        "catalog",
        &json!({
            "standard": report.catalog.standard,
            "chapter": report.catalog.chapter,
            "revision": report.catalog.revision,
        }),
    )?;
    map.serialize_entry(
        "diagnostics",
        &Streamed(|| report.diagnostics.iter().map(|d| json!(d))),
    )?;
    map.serialize_entry(
        "findings",
        &Streamed(|| {
            report
                .findings
                .iter()
                .map(|&i| evidence_json(report, &report.evidence[i], false))
        }),
    )?;
    map.serialize_entry(
        "inputs",
        &json!({
            "files": report.files.len(),
            "documents": report.document_count(),
            "by_kind": report.files_by_kind(),
        }),
    )?;
    map.serialize_entry("level", &report.level)?;
    map.serialize_entry(
        "notes",
        &Streamed(|| {
            report
                .evidence
                .iter()
                .filter(|e| matches!(e.outcome, Outcome::Partial | Outcome::Inconclusive))
                .map(|e| evidence_json(report, e, true))
        }),
    )?;
    map.serialize_entry(
        "requirements",
        &Streamed(|| report.results.iter().map(|r| requirement_json(report, r))),
    )?;
    map.serialize_entry("schema_version", &1)?;
    map.serialize_entry("score", &json!(scores(&report.results, report.level)))?;
    map.serialize_entry(
        "tool",
        &json!({"name": "aisvs", "version": env!("CARGO_PKG_VERSION")}),
    )?;
    map.end()?;
    w.write_all(b"\n")
}

fn requirement_json(report: &Report, r: &RequirementResult) -> Value {
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
