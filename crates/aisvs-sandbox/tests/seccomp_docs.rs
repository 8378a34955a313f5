//! docs/seccomp.md documents the dangerous-syscall list and the base sets; keep them in step
//! with the code so the published reasons and weights are the ones `check` applies.

use aisvs_sandbox::seccomp::base_set::BaseSet;
use aisvs_sandbox::seccomp::dangerous::{Risk, DANGEROUS_SYSCALLS};
use std::path::Path;

fn docs() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/seccomp.md");
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn every_dangerous_syscall_is_documented_with_its_weight_and_reason() {
    let text = docs();
    for entry in DANGEROUS_SYSCALLS {
        let risk = match entry.risk {
            Risk::High => "high",
            Risk::Medium => "medium",
        };
        let row = format!("| `{}` | {risk} | {} |", entry.name, entry.reason);
        assert!(text.contains(&row), "docs/seccomp.md lacks the row {row}");
    }
    let rows = text.lines().filter(|line| line.starts_with("| `")).count();
    let command_rows = text
        .lines()
        .filter(|line| line.starts_with("| `aisvs"))
        .count();
    assert_eq!(
        rows - command_rows,
        DANGEROUS_SYSCALLS.len(),
        "extra rows in the docs table"
    );
}

#[test]
fn the_documented_runc_base_set_size_matches() {
    let text = docs();
    // 40 runc syscalls; with the minimal set (exit and restart_syscall are not in runc's list).
    let runc = BaseSet::Runc.syscalls();
    assert_eq!(runc.len(), 42, "{runc:?}");
    assert!(text.contains("runc v1.4.2\n  (40 syscalls"));
}
