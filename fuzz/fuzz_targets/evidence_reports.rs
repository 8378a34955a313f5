//! Fuzzes the evidence readers (Trivy, Grype, kube-bench JSON and text, secret metadata, VEX and
//! ignore files, offboarding lists, our own evidence JSON, `sshd -T` output, times and durations).
#![no_main]

use std::path::Path;

use aisvs_evidence::load::parse_as;
use aisvs_evidence::{sniff, ReportKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for name in [
        "report.json",
        ".trivyignore",
        ".trivyignore.yaml",
        "kube-bench.txt",
    ] {
        let path = Path::new(name);
        if let Some(kind) = sniff(path, &text) {
            let _ = parse_as(kind, path, &text);
        }
    }
    for kind in ReportKind::ALL {
        let _ = parse_as(kind, Path::new("report.json"), &text);
    }
    let _ = aisvs_evidence::host::sshd_tool::parse_sshd_t(&text);
    let _ = aisvs_evidence::timestamp::parse_time(&text);
    let _ = aisvs_evidence::timestamp::parse_duration(&text);
});
