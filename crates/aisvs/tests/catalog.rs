//! Consistency of rules, catalog and docs: ids unique and well-formed, every rule mapped to catalog ids that
//! exist, every rule documented, every requirement covered or manual, and the README's rule list current.

use std::collections::BTreeSet;

use aisvs::catalog::{Assessment, Catalog};
use aisvs::rules::registry;

const PREFIXES: &[&str] = &[
    "k8s-", "tf-", "docker-", "compose-", "gha-", "gitlab-", "ci-", "script-", "seccomp-",
    "runtime-", "report-", "host-", "model-", "supply-", "vault-",
];

#[test]
fn rule_ids_are_unique_prefixed_and_documented() {
    let catalog = Catalog::load();
    let ids: BTreeSet<&str> = catalog.requirement.iter().map(|r| r.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for rule in registry() {
        let m = rule.meta();
        assert!(seen.insert(m.id), "duplicate rule id {}", m.id);
        assert!(
            PREFIXES.iter().any(|p| m.id.starts_with(p)),
            "{}: id needs a domain prefix",
            m.id
        );
        assert!(
            m.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: kebab-case",
            m.id
        );
        assert!(
            !m.requirements.is_empty(),
            "{}: maps to no requirement",
            m.id
        );
        for r in m.requirements {
            assert!(ids.contains(r), "{}: maps to unknown requirement {r}", m.id);
        }
        for (field, text) in [
            ("title", m.title),
            ("what", m.what),
            ("why", m.why),
            ("fail_example", m.fail_example),
            ("pass_example", m.pass_example),
            ("remediation", m.remediation),
            ("inconclusive", m.inconclusive),
        ] {
            assert!(
                !text.trim().is_empty(),
                "{}: empty `{field}` in its documentation",
                m.id
            );
        }
    }
}

#[test]
fn every_requirement_is_covered_by_a_rule_or_marked_manual() {
    let rules = registry();
    for r in Catalog::load().requirement {
        let covered = rules
            .iter()
            .any(|rule| rule.meta().requirements.contains(&r.id.as_str()));
        assert!(
            covered || r.assessment == Assessment::Manual,
            "{} has no rule and is not manual",
            r.id
        );
        assert!(
            !r.decided_by.trim().is_empty(),
            "{}: says nothing about the evidence that decides it",
            r.id
        );
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let missing: Vec<&str> = registry()
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| !readme.contains(&format!("{id} ")))
        .collect();
    assert!(
        missing.is_empty(),
        "README's rule list lacks {missing:?}: regenerate it from `aisvs rules`"
    );
}
