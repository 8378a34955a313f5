//! End-to-end behaviour of `aisvs model scan` through `cli::run`: exit codes, JSON and text
//! output, directory walking, symlinks out of the root, special files and missing paths.

use aisvs_modelscan::cli::{run, ModelCommand, OutputFormat, ScanArgs};
use std::path::{Path, PathBuf};

const EVIL: &[u8] = b"\x80\x02cposix\nsystem\nX\x02\x00\x00\x00id\x85R.";
const BENIGN: &[u8] = b"\x80\x04\x95\x0a\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s.";

fn scan(paths: &[&Path], format: OutputFormat, out: &Path) -> (i32, String) {
    let args = ScanArgs {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        format,
        output: Some(out.to_path_buf()),
        sha256: true,
        max_member_mib: 16,
    };
    let code = run(ModelCommand::Scan(args));
    (code, std::fs::read_to_string(out).unwrap_or_default())
}

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, data).expect("write sample");
    path
}

#[test]
fn benign_file_exits_0_and_malicious_exits_1_with_offset_in_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.pkl", BENIGN);
    let bad = write(dir.path(), "bad.bin", EVIL);
    let report = dir.path().join("r.json");
    let (code, _) = scan(&[&good], OutputFormat::Json, &report);
    assert_eq!(code, 0);
    let (code, json) = scan(&[&good, &bad], OutputFormat::Json, &report);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["summary"]["unsafe"], 1);
    assert_eq!(doc["summary"]["safe"], 1);
    let bad_report = doc["files"]
        .as_array()
        .and_then(|f| f.iter().find(|r| r["verdict"] == "unsafe"))
        .expect("unsafe file");
    assert_eq!(bad_report["format"], "pickle");
    let import = bad_report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["kind"] == "disallowed-import"))
        .expect("import finding");
    assert_eq!(import["offset"], 2);
    assert!(import["detail"]
        .as_str()
        .unwrap_or("")
        .contains("posix.system"));
    assert_eq!(bad_report["sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn text_output_names_verdicts_and_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = write(dir.path(), "model.pt", EVIL);
    let (code, text) = scan(&[&bad], OutputFormat::Text, &dir.path().join("r.txt"));
    assert_eq!(code, 1);
    assert!(text.contains("UNSAFE"), "{text}");
    assert!(text.contains("disallowed-import @2"), "{text}");
    assert!(
        text.contains("1 file(s): 0 safe, 1 unsafe, 0 unknown"),
        "{text}"
    );
}

#[test]
fn missing_path_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _) = scan(
        &[&dir.path().join("nope.pt")],
        OutputFormat::Text,
        &dir.path().join("r"),
    );
    assert_eq!(code, 2);
}

#[test]
fn directories_skip_text_and_refuse_symlinks_leaving_the_root() {
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = write(outside.path(), "weights.bin", BENIGN);
    let dir = tempfile::tempdir().expect("tempdir");
    let model = dir.path().join("model");
    std::fs::create_dir_all(model.join("sub")).expect("mkdir");
    write(&model, "README.md", b"# A model\nSome text.\n");
    write(&model.join("sub"), "a.pkl", BENIGN);
    std::os::unix::fs::symlink(&secret, model.join("escape.bin")).expect("symlink");
    std::os::unix::fs::symlink(model.join("sub/a.pkl"), model.join("alias.pkl")).expect("symlink");
    std::os::unix::fs::symlink(&model, model.join("sub/loop")).expect("symlink");
    let report = dir.path().join("r.json");
    let (code, json) = scan(&[&model], OutputFormat::Json, &report);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(code, 1, "{json}");
    let files = doc["files"].as_array().expect("files");
    let verdict = |suffix: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
            .map(|f| f["verdict"].clone())
    };
    assert_eq!(verdict("escape.bin"), Some("unknown".into()));
    assert_eq!(verdict("alias.pkl"), Some("safe".into()));
    assert_eq!(verdict("sub/a.pkl"), Some("safe".into()));
    assert_eq!(files.len(), 3, "the directory loop is not followed: {json}");
    assert_eq!(doc["summary"]["skipped"], 1);
}

#[test]
fn special_files_are_not_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.pt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo unavailable");
        return;
    }
    let (code, json) = scan(
        &[dir.path()],
        OutputFormat::Json,
        &dir.path().join("r.json"),
    );
    assert_eq!(code, 1);
    assert!(json.contains("not-regular-file"), "{json}");
}
