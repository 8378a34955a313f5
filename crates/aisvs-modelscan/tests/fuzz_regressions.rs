//! Inputs found by `fuzz/` (cargo fuzz, target `model_scan`) that once hung or crashed the
//! scanner, kept as regression tests. Each must finish within a time bound, without a panic, and
//! with the verdict a loader's behaviour calls for.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use aisvs_modelscan::{scan_bytes, Finding, Format, ScanOptions, Verdict};

/// Far above any honest scan of these few-KiB inputs, even in a debug build on a loaded machine.
const BOUND: Duration = Duration::from_secs(30);

/// Scans on a worker thread so that a hang fails the test instead of stalling the suite.
fn scan_bounded(data: Vec<u8>) -> (Format, Verdict, Vec<Finding>) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(scan_bytes(&data, &ScanOptions::default()));
    });
    rx.recv_timeout(BOUND)
        .expect("the scan neither finished nor panicked within the bound (hang)")
}

fn regression(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const HDF5_MAGIC: &[u8] = b"\x89HDF\r\n\x1a\n";

#[test]
fn hdf5_with_an_object_closed_before_the_needle_finishes() {
    // The fuzzer's input: the `{` nearest before a `"class_name"` opened `{}`, whose end lies
    // before the needle; the search jumped back to it and looped forever.
    let (format, verdict, _) = scan_bounded(regression("hdf5-object-closed-before-needle.h5"));
    assert_eq!(format, Format::Hdf5);
    assert_ne!(verdict, Verdict::Safe);
}

#[test]
fn hdf5_empty_object_before_a_needle_is_not_a_config() {
    let mut data = HDF5_MAGIC.to_vec();
    data.extend_from_slice(&[0; 64]);
    data.extend_from_slice(br#"{"config": {}, "class_name": "x""#);
    let (_, verdict, findings) = scan_bounded(data);
    assert_eq!(verdict, Verdict::Unknown, "{findings:?}");
}

#[test]
fn hdf5_config_after_an_empty_object_is_still_checked() {
    let mut data = HDF5_MAGIC.to_vec();
    data.extend_from_slice(br#"{}, {"class_name": "Sequential", "config": {"layers": [{"class_name": "Lambda", "config": {"function": "x"}}]}}"#);
    let (_, verdict, findings) = scan_bounded(data);
    assert_eq!(verdict, Verdict::Unsafe, "{findings:?}");
}
