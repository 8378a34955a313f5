//! Compressed containers made by the real tools (`tests/fixtures/compressed/make_fixtures.py`:
//! joblib with each of its compressors, the lz4 and zstandard packages, the xz command): payloads
//! inside are found in the `(decompressed)` member, broken streams are never `safe`, and bombs stop
//! at the member limit quickly. The stdlib-generated bzip2/xz/lzma/zlib samples and the bombs of
//! every format are in the generated corpus (`tests/gen/compressed.py`).

use aisvs_modelscan::{scan_bytes, scan_file, FileReport, Finding, Format, ScanOptions, Verdict};
use std::path::Path;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> FileReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/compressed")
        .join(name);
    assert!(path.is_file(), "missing fixture {}", path.display());
    scan_file(&path, &ScanOptions::default())
}

fn mentions(findings: &[Finding], needle: &str) -> bool {
    let needle = needle.to_lowercase();
    findings
        .iter()
        .any(|f| f.detail.to_lowercase().contains(&needle))
}

/// Unsafe, with the import named in a finding located inside the decompressed content.
fn assert_payload_found(name: &str) {
    let report = fixture(name);
    assert_eq!(
        report.verdict,
        Verdict::Unsafe,
        "{name}: {:#?}",
        report.findings
    );
    let located = report.findings.iter().any(|f| {
        f.detail.contains("posix.system")
            && f.member.as_deref() == Some("(decompressed)")
            && f.offset.is_some()
    });
    assert!(
        located,
        "{name}: no located posix.system finding: {:#?}",
        report.findings
    );
}

/// Not safe, with a finding that names the failed decompression and the codec.
fn assert_decompression_failed(name: &str, codec: &str, why: &str) {
    let report = fixture(name);
    assert_ne!(report.verdict, Verdict::Safe, "{name}");
    assert!(
        mentions(&report.findings, &format!("{codec} decompression failed"))
            && mentions(&report.findings, why),
        "{name}: {:#?}",
        report.findings
    );
}

#[test]
fn joblib_payloads_are_found_under_every_joblib_compressor() {
    for comp in ["zlib", "gzip", "bz2", "lzma", "xz", "lz4"] {
        assert_payload_found(&format!("joblib_{comp}_payload.joblib"));
    }
}

#[test]
fn compressed_joblib_numpy_models_are_safe() {
    for comp in ["zlib", "gzip", "bz2", "lzma", "xz", "lz4"] {
        let name = format!("joblib_{comp}_numpy.joblib");
        let report = fixture(&name);
        assert_eq!(
            report.verdict,
            Verdict::Safe,
            "{name}: {:#?}",
            report.findings
        );
        assert_eq!(report.format, Format::Joblib, "{name}");
    }
}

#[test]
fn lz4_and_zstd_pickles_are_scanned_as_pickles() {
    for name in ["benign.pkl.lz4", "benign.pkl.zst"] {
        let report = fixture(name);
        assert_eq!(
            report.verdict,
            Verdict::Safe,
            "{name}: {:#?}",
            report.findings
        );
        assert_eq!(report.format, Format::Pickle, "{name}");
    }
    for name in [
        "payload.pkl.lz4",
        "payload_linked_blocks.pkl.lz4",
        "payload.pkl.zst",
        "payload_multiblock.pkl.xz",
    ] {
        assert_payload_found(name);
    }
}

#[test]
fn every_frame_and_stream_is_scanned() {
    assert_payload_found("benign_then_payload_frames.pkl.zst");
    assert_payload_found("skippable_then_payload.pkl.zst");
}

#[test]
fn truncated_and_corrupt_lz4_and_zstd_are_never_safe() {
    assert_decompression_failed("truncated.pkl.lz4", "lz4", "");
    assert_decompression_failed("checksum_mismatch.pkl.lz4", "lz4", "checksum");
    assert_decompression_failed("truncated.pkl.zst", "zstd", "");
    assert_decompression_failed("checksum_mismatch.pkl.zst", "zstd", "checksum");
}

/// A zstd frame of `mib` MiB of zeros, as 128 KiB RLE blocks (4 bytes per block).
fn zstd_zero_bomb(mib: u32) -> Vec<u8> {
    let mut out = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38];
    let blocks = mib * 8;
    for i in 0..blocks {
        let header = (128u32 * 1024) << 3 | 1 << 1 | u32::from(i + 1 == blocks);
        out.extend_from_slice(&header.to_le_bytes()[..3]);
        out.push(0);
    }
    out
}

#[test]
fn a_one_gib_zstd_bomb_stops_at_the_default_member_limit_quickly() {
    let bomb = zstd_zero_bomb(1024);
    assert!(bomb.len() < 40_000);
    let opts = ScanOptions::default();
    let started = Instant::now();
    let (format, verdict, findings) = scan_bytes(&bomb, &opts);
    let took = started.elapsed();
    assert_eq!(verdict, Verdict::Unknown, "{findings:#?}");
    assert_eq!(format, Format::Zstd);
    let limit = format!("{}-byte limit", opts.max_member_bytes);
    assert!(mentions(&findings, &limit), "{findings:#?}");
    // 256 MiB in a debug build takes a few seconds; the whole GiB would take four times that.
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

#[test]
fn a_payload_before_the_limit_is_still_reported() {
    let mut bomb = zstd_zero_bomb(64);
    // A frame holding the payload first, then the bomb: the payload lies inside the limit.
    let payload = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compressed/payload.pkl.zst"),
    )
    .expect("fixture");
    bomb.splice(0..0, payload);
    let opts = ScanOptions {
        max_member_bytes: 8 << 20,
        ..ScanOptions::default()
    };
    let (_, verdict, findings) = scan_bytes(&bomb, &opts);
    assert_eq!(verdict, Verdict::Unsafe, "{findings:#?}");
    assert!(mentions(&findings, "posix.system") && mentions(&findings, "limit"));
}

#[test]
fn every_truncation_and_byte_flip_is_handled_and_truncations_are_never_safe() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compressed");
    let opts = ScanOptions {
        max_member_bytes: 1 << 20,
        ..ScanOptions::default()
    };
    for name in [
        "joblib_zlib_payload.joblib",
        "joblib_gzip_payload.joblib",
        "joblib_bz2_numpy.joblib",
        "joblib_lzma_numpy.joblib",
        "joblib_xz_numpy.joblib",
        "joblib_lz4_numpy.joblib",
        "payload_linked_blocks.pkl.lz4",
        "benign.pkl.zst",
        "payload_multiblock.pkl.xz",
    ] {
        let bytes = std::fs::read(dir.join(name)).expect("fixture");
        for cut in 4..bytes.len() {
            let (_, verdict, findings) = scan_bytes(&bytes[..cut], &opts);
            assert_ne!(verdict, Verdict::Safe, "{name} cut at {cut}: {findings:#?}");
            assert!(
                !mentions(&findings, "gave up"),
                "{name} cut at {cut}: decoder panicked"
            );
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x41;
            let (_, _, findings) = scan_bytes(&flipped, &opts);
            assert!(
                !mentions(&findings, "gave up"),
                "{name} flipped at {at}: decoder panicked"
            );
        }
    }
}

#[test]
fn text_that_starts_like_a_zlib_header_is_text() {
    // `x^` is a valid zlib header (CMF 0x78, FLG 0x5e); nothing after it inflates.
    let (format, verdict, findings) = scan_bytes(
        b"x^2 + y^2 = r^2\nnotes on the unit circle\n",
        &ScanOptions::default(),
    );
    // Text, as any other text file: skipped in a directory walk, `unknown` when named directly;
    // before, it was reported as a failed zlib stream.
    assert_eq!(format, Format::Text, "{findings:?}");
    assert_eq!(verdict, Verdict::Unknown, "{findings:?}");
    assert!(!mentions(&findings, "zlib"), "{findings:?}");
}

#[test]
fn a_real_zlib_stream_with_the_x_caret_header_is_still_inflated() {
    // zlib header `x^` (level 1), then a stored block holding a protocol-2 pickle of `posix.system`.
    let pickle = b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.";
    let mut data = b"x^".to_vec();
    data.push(0x01); // final stored block
    let len = pickle.len() as u16;
    data.extend_from_slice(&len.to_le_bytes());
    data.extend_from_slice(&(!len).to_le_bytes());
    data.extend_from_slice(pickle);
    let adler = adler32(pickle);
    data.extend_from_slice(&adler.to_be_bytes());
    let (_, verdict, findings) = scan_bytes(&data, &ScanOptions::default());
    assert_eq!(verdict, Verdict::Unsafe, "{findings:?}");
    assert!(mentions(&findings, "posix.system"), "{findings:?}");
}

#[test]
fn printable_bytes_that_inflate_are_treated_as_zlib_not_text() {
    // Every byte printable ASCII, yet a valid start of a deflate stream (it inflates to binary bytes
    // before running out): a loader would decompress it, so it is not waved through as text.
    let data = br#"x^zs]uC2WOrLQTWOf:9(2>>">u"#;
    let (format, verdict, findings) = scan_bytes(data, &ScanOptions::default());
    assert_eq!(format, Format::Zlib, "{findings:?}");
    assert_ne!(verdict, Verdict::Safe, "{findings:?}");
    assert!(
        mentions(&findings, "zlib decompression failed"),
        "{findings:?}"
    );
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}
