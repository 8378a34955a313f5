//! Scan options: every limit that keeps memory and time bounded on hostile input.

/// Options for `scan_path`. `Default` gives the limits used by the CLI.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Compute the SHA-256 of every file (on a second thread, in parallel with the scan). Off by
    /// default: it reads tensor data that the scan itself skips.
    pub hash: bool,
    /// Largest archive member or compressed stream that is inflated into memory for scanning.
    pub max_member_bytes: u64,
    /// Largest safetensors / JSON configuration header accepted.
    pub max_header_bytes: u64,
    /// Most pickle opcodes interpreted per file (beyond: `unknown`).
    pub max_pickle_ops: u64,
    /// Deepest archive-in-archive nesting that is still opened.
    pub max_nesting: u32,
    /// Most archive members looked at per archive.
    pub max_members: u64,
    /// Most files visited when a directory is given.
    pub max_files: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            hash: false,
            max_member_bytes: 256 << 20,
            max_header_bytes: 100 << 20,
            max_pickle_ops: 50_000_000,
            max_nesting: 3,
            max_members: 100_000,
            max_files: 1_000_000,
        }
    }
}
