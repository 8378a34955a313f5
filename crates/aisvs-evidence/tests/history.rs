//! The history store: ingestion, duplicates, missing timestamps, corruption handling,
//! concurrent writers and an interrupted (killed) writer.

mod common;

use aisvs_evidence::{parse_trivy, EvidenceError, History, IngestOutcome, ScanReport};
use common::{t, trivy_at, vector};
use std::path::Path;
use time::Duration;

const ALPINE: &str = "trivy/alpine-39-high-critical.json";

fn report_at(hours: i64) -> ScanReport {
    let text = trivy_at(
        ALPINE,
        t("2026-01-01T00:00:00Z") + Duration::hours(hours),
        None,
    );
    parse_trivy(&vector(ALPINE), &text).expect("derived report parses")
}

#[test]
fn ingest_records_scans_and_skips_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut history = History::open(&dir.path().join("h.sqlite")).expect("open");
    let first = history.ingest(&report_at(0)).expect("ingest");
    assert!(
        matches!(first, IngestOutcome::Added { findings: 2, .. }),
        "{first:?}"
    );
    let again = history.ingest(&report_at(0)).expect("ingest duplicate");
    assert!(
        matches!(again, IngestOutcome::Duplicate { .. }),
        "{again:?}"
    );
    history.ingest(&report_at(24)).expect("ingest second");
    let scans = history.scans().expect("scans");
    assert_eq!(scans.len(), 2);
    assert_eq!(
        scans[1].scanned_at - scans[0].scanned_at,
        Duration::hours(24)
    );
    assert_eq!(history.findings_of(scans[0].id).expect("findings").len(), 2);
}

#[test]
fn report_without_timestamp_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut history = History::open(&dir.path().join("h.sqlite")).expect("open");
    let mut report = report_at(0);
    report.scanned_at = None;
    let err = history.ingest(&report).expect_err("no timestamp");
    assert!(matches!(err, EvidenceError::NoTimestamp { .. }));
    assert!(err.to_string().contains("--scanned-at"));
    assert_eq!(history.scan_count().expect("count"), 0);
}

#[test]
fn corrupted_history_is_kept_and_backed_up_never_reset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.sqlite");
    {
        let mut history = History::open(&path).expect("open");
        history.ingest(&report_at(0)).expect("ingest");
    }
    // Checkpoint state is irrelevant: overwrite the middle of the file with garbage.
    let mut bytes = std::fs::read(&path).expect("read");
    let len = bytes.len();
    for b in &mut bytes[100..len.min(4096)] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).expect("write garbage");
    let err = History::open(&path).expect_err("corruption detected");
    let EvidenceError::CorruptHistory { backup, .. } = &err else {
        panic!("unexpected error {err}")
    };
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(
        std::fs::read(&path).expect("still there"),
        bytes,
        "original file unchanged"
    );
    assert_eq!(std::fs::read(backup).expect("backup exists"), bytes);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.sqlite");
    std::fs::write(&path, "this is a text file, not SQLite\n".repeat(200)).expect("write");
    assert!(matches!(
        History::open(&path),
        Err(EvidenceError::CorruptHistory { .. })
    ));
    assert!(std::fs::read_to_string(&path)
        .expect("kept")
        .starts_with("this is a text file"));
}

#[test]
fn concurrent_writers_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.sqlite");
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut history = History::open(&path).expect("open in thread");
                for i in 0..6 {
                    history
                        .ingest(&report_at(w * 100 + i))
                        .expect("concurrent ingest");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer thread");
    }
    let history = History::open(&path).expect("reopen");
    let scans = history.scans().expect("scans");
    assert_eq!(scans.len(), 24);
    for scan in &scans {
        assert_eq!(
            history.findings_of(scan.id).expect("findings").len(),
            2,
            "scan {} complete",
            scan.id
        );
    }
}

/// Child mode of the interrupted-writer test: ingests forever until killed.
#[test]
fn interrupted_writer_child() {
    let Ok(path) = std::env::var("AISVS_EVIDENCE_CHILD_HISTORY") else {
        return;
    };
    let mut history = History::open(Path::new(&path)).expect("child open");
    for i in 0.. {
        history.ingest(&report_at(i)).expect("child ingest");
    }
}

#[test]
fn killed_writer_leaves_only_complete_scans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.sqlite");
    let exe = std::env::current_exe().expect("test binary");
    let mut child = std::process::Command::new(exe)
        .args([
            "--exact",
            "interrupted_writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("AISVS_EVIDENCE_CHILD_HISTORY", &path)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn child writer");
    // Wait (bounded) until the child has committed a few scans, then kill it mid-stream.
    let mut committed = 0;
    for _ in 0..600 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        if let Ok(h) = History::open(&path) {
            committed = h.scan_count().unwrap_or(0);
        }
        if committed >= 20 {
            break;
        }
    }
    child.kill().expect("kill child");
    child.wait().expect("reap child");
    assert!(committed >= 20, "child committed only {committed} scans");
    let history = History::open(&path).expect("reopen after kill passes the integrity check");
    let scans = history.scans().expect("scans");
    assert!(scans.len() as i64 >= committed);
    for scan in &scans {
        assert_eq!(
            history.findings_of(scan.id).expect("findings").len(),
            2,
            "scan {} has all its findings",
            scan.id
        );
    }
}
