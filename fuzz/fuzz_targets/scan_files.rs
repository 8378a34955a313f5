//! Fuzzes the whole `aisvs scan` pipeline (discovery, YAML/HCL/Dockerfile/workflow parsers, the
//! resource model, every rule, evidence sniffing, the renderers) over up to four files.
//!
//! Input layout: segments separated by 0xFF (a byte UTF-8 text never contains); each segment's
//! first byte picks the file name, the rest is the file's content. Files are written to a private
//! directory in /dev/shm so that discovery and the real `scan` entry point are exercised.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aisvs::render::{write, Format};
use aisvs::run::{scan, ScanOptions};
use libfuzzer_sys::fuzz_target;

/// Names chosen so that discovery classifies each as a different file kind.
const NAMES: [&str; 16] = [
    "deploy.yaml",
    ".github/workflows/ci.yml",
    "main.tf",
    "Dockerfile",
    "compose.yaml",
    ".gitlab-ci.yml",
    "vault.hcl",
    "plan.json",
    "trivy.json",
    "aisvs.toml",
    "profiles/seccomp.json",
    "chart/values.yaml",
    "release.sigstore.json",
    "provenance.intoto.jsonl",
    ".github/actions/setup/action.yml",
    "evidence/sbom.cdx.json",
];

const FORMATS: [Format; 6] = [
    Format::Text,
    Format::Json,
    Format::Sarif,
    Format::Junit,
    Format::Markdown,
    Format::Html,
];

fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| PathBuf::from(format!("/dev/shm/aisvs-fuzz-{}", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).expect("fuzz scratch directory");
    for segment in data.split(|b| *b == 0xFF).take(4) {
        let Some((&pick, content)) = segment.split_first() else {
            continue;
        };
        let path = root.join(NAMES[usize::from(pick) % NAMES.len()]);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(&path, content).expect("write fuzz file");
    }
    let opts = ScanOptions {
        paths: vec![root.to_path_buf()],
        level: None,
        config: None,
        today: time::macros::date!(2026 - 12 - 04),
    };
    if let Ok(report) = scan(&opts) {
        let format = FORMATS[data.len() % FORMATS.len()];
        let _ = write(&report, format, &mut std::io::sink());
    }
});
