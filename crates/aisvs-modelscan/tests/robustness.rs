//! Hostile-input robustness: every generated sample is truncated and bit-flipped many times and
//! scanned from memory. The scanner must never panic, and a strict prefix of a single malicious
//! pickle (no STOP yet) must never be called safe.

use aisvs_modelscan::{scan_bytes, ScanOptions, Verdict};
use std::path::Path;
use std::process::Command;

/// Deterministic xorshift so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn corpus(dir: &Path) -> bool {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gen/make_corpus.py");
    match Command::new("python3").arg(script).arg(dir).status() {
        Ok(status) => status.success(),
        Err(e) => {
            eprintln!("SKIPPED: python3 is not available ({e})");
            false
        }
    }
}

#[test]
fn truncated_and_mutated_samples_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    if !corpus(dir.path()) {
        return;
    }
    let opts = ScanOptions {
        hash: false,
        max_member_bytes: 4 << 20,
        ..ScanOptions::default()
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut scanned = 0u32;
    let mut entries: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read corpus")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let data = std::fs::read(&path).expect("read sample");
        if data.len() > 64 * 1024 {
            continue;
        }
        for _ in 0..40 {
            let cut = (rng.next() % (data.len() as u64 + 1)) as usize;
            scan_bytes(&data[..cut], &opts);
            let mut mutated = data.clone();
            for _ in 0..1 + rng.next() % 4 {
                if let Some(len) = std::num::NonZeroUsize::new(mutated.len()) {
                    let at = (rng.next() % len.get() as u64) as usize;
                    mutated[at] ^= 1 << (rng.next() % 8);
                }
            }
            scan_bytes(&mutated, &opts);
            scanned += 2;
        }
    }
    assert!(scanned > 1000, "only {scanned} variants scanned");
}

#[test]
fn no_strict_prefix_of_a_malicious_pickle_is_safe() {
    let evil: &[u8] = b"\x80\x02cposix\nsystem\nX\x02\x00\x00\x00id\x85R.";
    let opts = ScanOptions::default();
    for cut in 0..evil.len() {
        let (_, verdict, findings) = scan_bytes(&evil[..cut], &opts);
        assert_ne!(
            verdict,
            Verdict::Safe,
            "prefix of {cut} bytes called safe: {findings:?}"
        );
    }
    let (_, verdict, _) = scan_bytes(evil, &opts);
    assert_eq!(verdict, Verdict::Unsafe);
}

#[test]
fn deeply_nested_zip_recursion_is_bounded() {
    // 200 levels of zip-in-zip built in memory: scanning must stop at the nesting limit.
    let mut data = b"\x80\x02K\x01.".to_vec();
    for level in 0..200u32 {
        data = stored_zip(&format!("l{level}"), &data);
    }
    let (_, verdict, findings) = scan_bytes(&data, &ScanOptions::default());
    assert_eq!(verdict, Verdict::Unknown);
    assert!(
        findings
            .iter()
            .any(|f| f.detail.contains("nested more than")),
        "{findings:?}"
    );
}

/// A one-member stored zip (CRC included), written by hand to keep the test dependency-free.
fn stored_zip(name: &str, data: &[u8]) -> Vec<u8> {
    let crc = crc32(data);
    let (n, len) = (name.len() as u16, data.len() as u32);
    let mut out = Vec::new();
    out.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    let cd_start = out.len() as u32;
    out.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&[0u8; 12]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let cd_len = out.len() as u32 - cd_start;
    out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
