//! Fixture tests for every rule: `tests/fixtures/<rule-id>/<outcome>-<case>/` is scanned and the outcome the
//! folder name promises is asserted; the rendered evidence is also snapshotted, so an accepted snapshot cannot
//! hide a flipped verdict.
//!
//! Prefixes: `pass-` (the rule passes at least one subject and nothing else), `fail-` (at least one failure),
//! `partial-` (a partial, no failure), `inconclusive-` (an inconclusive, no failure), `na-` (no subject in scope).
//! An optional `expect.txt` lists substrings that must appear in the rule's messages, one per line.
//! An optional `aisvs.toml` in the case folder configures the rule.

use std::path::{Path, PathBuf};

use aisvs::evidence::Outcome;
use aisvs::run::{scan, ScanOptions};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn check_case(rule: &str, case: &Path) -> Result<(), String> {
    let name = case
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let opts = ScanOptions {
        paths: vec![case.to_path_buf()],
        level: Some(3),
        config: None,
        today: time::macros::date!(2026 - 12 - 01),
    };
    let report = scan(&opts).map_err(|e| format!("{rule}/{name}: scan failed: {e}"))?;
    let ev: Vec<_> = report.evidence.iter().filter(|e| e.rule == rule).collect();
    let has = |o: Outcome| ev.iter().any(|e| e.outcome == o && e.suppressed.is_none());
    let summary = ev
        .iter()
        .map(|e| format!("{:?}: {}", e.outcome, e.message))
        .collect::<Vec<_>>()
        .join("\n  ");
    let ok = if name.starts_with("pass-") {
        has(Outcome::Pass)
            && !has(Outcome::Fail)
            && !has(Outcome::Partial)
            && !has(Outcome::Inconclusive)
    } else if name.starts_with("fail-") {
        has(Outcome::Fail)
    } else if name.starts_with("partial-") {
        has(Outcome::Partial) && !has(Outcome::Fail)
    } else if name.starts_with("inconclusive-") {
        has(Outcome::Inconclusive) && !has(Outcome::Fail)
    } else if name.starts_with("na-") {
        ev.is_empty()
    } else {
        return Err(format!("{rule}/{name}: case folder must start with pass-, fail-, partial-, inconclusive- or na-"));
    };
    if !ok {
        return Err(format!(
            "{rule}/{name}: outcome does not match the folder name; evidence:\n  {summary}"
        ));
    }
    if let Ok(expect) = std::fs::read_to_string(case.join("expect.txt")) {
        for line in expect.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !ev.iter().any(|e| e.message.contains(line)) {
                return Err(format!(
                    "{rule}/{name}: no message contains `{line}`; evidence:\n  {summary}"
                ));
            }
        }
    }
    let mut snap = String::new();
    for e in &ev {
        let at = e.location.as_ref().map(|l| {
            let r = report.resolve(l);
            format!("{}:{}:{} {}", r.path, r.start_line, r.start_column, r.route)
        });
        snap.push_str(&format!(
            "{:?} {} @ {}\n  {}\n",
            e.outcome,
            e.subject.display,
            at.unwrap_or_default(),
            e.message
        ));
    }
    insta::with_settings!({snapshot_path => fixtures_root().join(rule).join("snapshots"), prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name.clone(), snap);
    });
    Ok(())
}

#[test]
fn every_rule_fixture_gives_its_promised_outcome() {
    let registered: Vec<&str> = aisvs::rules::registry()
        .iter()
        .map(|r| r.meta().id)
        .collect();
    let mut failures = Vec::new();
    let mut cases = 0;
    for rule in &registered {
        let dir = fixtures_root().join(rule);
        let mut kinds = (false, false);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            failures.push(format!("{rule}: no fixtures folder {}", dir.display()));
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        paths.sort();
        for case in paths {
            let n = case
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if n == "snapshots" {
                continue;
            }
            kinds.0 |= n.starts_with("pass-");
            kinds.1 |= n.starts_with("fail-") || n.starts_with("partial-");
            cases += 1;
            if let Err(e) = check_case(rule, &case) {
                failures.push(e);
            }
        }
        if !(kinds.0 && kinds.1) {
            failures.push(format!(
                "{rule}: needs at least one pass- and one fail- (or partial-) fixture"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} fixture cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
