//! SARIF 2.1.0: one run, every rule that ran with its AISVS ids, results with locations and fingerprints,
//! and per-requirement verdicts in `run.properties`.

use serde::ser::{Serialize, SerializeMap, Serializer as _};
use serde_json::{json, Value};

use crate::render::Streamed;

use crate::evidence::Severity;
use crate::report::{Report, Resolved};

/// Renders SARIF 2.1.0 JSON.
pub fn render(report: &Report) -> String {
    super::collect(report, write)
}

/// Writes SARIF 2.1.0 JSON with the results streamed one at a time (keys in sorted order, as a
/// `serde_json::Map` would write them).
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    let mut map = ser.serialize_map(None)?;
    map.serialize_entry("$schema", "https://json.schemastore.org/sarif-2.1.0.json")?;
    map.serialize_entry("runs", &[Run(report)])?;
    map.serialize_entry("version", "2.1.0")?;
    map.end()?;
    w.write_all(b"\n")
}

/// The single SARIF run.
struct Run<'a>(&'a Report);

impl Serialize for Run<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let verdicts: Vec<Value> = report
            .results
            .iter()
            .map(|r| json!({"id": r.requirement.id, "verdict": r.verdict.as_str(), "note": r.note}))
            .collect();
        let root = format!(
            "{}/",
            report.root.display().to_string().trim_end_matches('/')
        );
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("originalUriBaseIds", &json!({"%SRCROOT%": {"uri": root}}))?;
        map.serialize_entry(
            "properties",
            &json!({"aisvs": {"level": report.level, "requirements": verdicts}}),
        )?;
        map.serialize_entry(
            "results",
            &Streamed(|| report.findings.iter().map(|&i| result(report, i))),
        )?;
        map.serialize_entry(
            "tool",
            &json!({"driver": {
                "name": "aisvs",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://owasp.org/www-project-artificial-intelligence-security-verification-standard-aisvs-docs/",
                "rules": rules(report),
            }}),
        )?;
        map.end()
    }
}

fn rules(report: &Report) -> Vec<Value> {
    report
        .rules
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": {"text": m.title},
                "fullDescription": {"text": m.what},
                "help": {"text": format!("{}\n\nWhy: {}\n\nRemediation: {}", m.what, m.why, m.remediation)},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"aisvs": m.requirements, "tags": m.requirements.iter().map(|r| format!("AISVS-{r}")).collect::<Vec<_>>()},
            })
        })
        .collect()
}

/// One finding as a SARIF result.
fn result(report: &Report, i: usize) -> Value {
    let e = &report.evidence[i];
    let rule_index = report.rules.iter().position(|m| m.id == e.rule);
    let locations: Vec<Value> = e
        .location
        .iter()
        .map(|l| location(&report.resolve(l), None))
        .collect();
    let related: Vec<Value> = e
        .related
        .iter()
        .enumerate()
        .map(|(n, (l, note))| location(&report.resolve(l), Some((n, note))))
        .collect();
    let mut r = json!({
        "ruleId": e.rule,
        "level": level(e.severity),
        "message": {"text": format!("{} [AISVS {}] ({})", e.message, e.requirements.join(", "), e.subject.display)},
        "locations": locations,
        "relatedLocations": related,
        "partialFingerprints": {"aisvs/v1": report.fingerprint(e)},
        "properties": {"aisvs": e.requirements, "subject": e.subject.display},
    });
    if let (Some(idx), Value::Object(m)) = (rule_index, &mut r) {
        m.insert("ruleIndex".into(), json!(idx));
    }
    if let (Some(s), Value::Object(m)) = (&e.suppressed, &mut r) {
        m.insert(
            "suppressions".into(),
            json!([{"kind": if s.kind == "waiver" { "external" } else { "inSource" }, "justification": s.reason}]),
        );
    }
    r
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn location(r: &Resolved, related: Option<(usize, &String)>) -> Value {
    let mut v = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": r.path, "uriBaseId": "%SRCROOT%"},
            "region": {
                "startLine": r.start_line,
                "startColumn": r.start_column,
                "endLine": r.end_line,
                "endColumn": r.end_column.max(1),
            },
        },
        "logicalLocations": [{"fullyQualifiedName": r.route}],
    });
    if let (Some((id, note)), Value::Object(m)) = (related, &mut v) {
        m.insert("id".into(), json!(id));
        m.insert("message".into(), json!({"text": note}));
    }
    v
}
