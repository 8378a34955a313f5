//! The whole shared corpus of real AI-platform configuration scans without a panic and without exit code 2.

use std::path::Path;

#[test]
fn whole_corpus_scans_without_panic_or_error_exit() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        corpus.is_dir(),
        "shared/corpus is expected beside the repository: {}",
        corpus.display()
    );
    let out = assert_cmd::Command::cargo_bin("aisvs")
        .unwrap()
        .args(["scan", "--format", "json"])
        .arg(&corpus)
        .timeout(std::time::Duration::from_secs(600))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let files = v["inputs"]["files"].as_u64().unwrap();
    assert!(files > 4000, "the corpus has 4,466 files, scanned {files}");
    assert!(v["findings"].as_array().unwrap().len() > 100);
}
