//! Fuzzes `aisvs model scan` on arbitrary bytes: every format sniffer, the pickle VM and the
//! container walkers must finish without panicking, and `safe` must never hide an unsafe finding.
#![no_main]

use aisvs_modelscan::{scan_bytes, verdict_of, Effect, ScanOptions, Verdict};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A small member limit keeps decompression bombs among the inputs from dominating the run;
    // the limit paths themselves are still exercised.
    let opts = ScanOptions {
        hash: false,
        max_member_bytes: 1 << 20,
        ..ScanOptions::default()
    };
    let (_format, verdict, findings) = scan_bytes(data, &opts);
    // The verdict is derived from the findings; a mismatch would mean a finding was dropped.
    assert_eq!(verdict, verdict_of(&findings));
    if verdict == Verdict::Safe {
        assert!(findings.iter().all(|f| f.effect == Effect::Note));
    }
});
