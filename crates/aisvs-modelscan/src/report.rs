//! Result types of a scan: one `FileReport` per file, with a verdict and the findings behind it.

use serde::Serialize;

/// The verdict for one file. `Unknown` is never a pass: it means the scanner could not establish safety.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every byte that a loader would interpret was understood, and nothing outside the allow-list appeared.
    Safe,
    /// The format was understood (or not) and could not be proven harmless: the reason is in the findings.
    Unknown,
    /// A code payload, a disallowed import or a parser-evasion trick was found.
    Unsafe,
}

/// How a finding bears on the verdict.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Makes the file `unsafe`.
    Unsafe,
    /// Makes the file at least `unknown`.
    Unknown,
    /// Informational; does not change the verdict.
    Note,
}

/// What was found. The kebab-case name is stable and appears in JSON output.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    DisallowedImport,
    DisallowedCall,
    ComputedCall,
    ExtensionCode,
    BuildOnGlobal,
    FrameViolation,
    MemoMiss,
    TypeConfusion,
    MalformedPickle,
    TrailingData,
    ResourceLimit,
    ZipCrcMismatch,
    ZipEncryptedFlag,
    ZipNameMismatch,
    ZipDuplicateName,
    PathTraversal,
    NestedArchive,
    MalformedContainer,
    UnsupportedEncoding,
    ArchiveLink,
    MalformedHeader,
    TemplateInjection,
    ExternalDataEscape,
    CustomOperatorDomain,
    KerasLambda,
    KerasModuleReference,
    KerasCustomObject,
    PythonSource,
    UnknownFormat,
    SymlinkOutsideRoot,
    NotRegularFile,
    ReadError,
    Note,
}

impl FindingKind {
    /// The verdict effect of this kind of finding (one table, one place).
    pub fn effect(self) -> Effect {
        use FindingKind::*;
        match self {
            DisallowedImport | DisallowedCall | ComputedCall | ExtensionCode | BuildOnGlobal
            | FrameViolation | MemoMiss | TypeConfusion | ZipCrcMismatch | ZipEncryptedFlag
            | ZipNameMismatch | ZipDuplicateName | PathTraversal | ArchiveLink
            | MalformedHeader | TemplateInjection | ExternalDataEscape | KerasLambda
            | KerasModuleReference => Effect::Unsafe,
            MalformedPickle | TrailingData | ResourceLimit | NestedArchive | MalformedContainer
            | UnsupportedEncoding | CustomOperatorDomain | KerasCustomObject | PythonSource
            | UnknownFormat | SymlinkOutsideRoot | NotRegularFile | ReadError => Effect::Unknown,
            Note => Effect::Note,
        }
    }
}

/// One observation, located by byte offset (within the member, when `member` is set).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub effect: Effect,
    pub detail: String,
    /// Byte offset of the opcode / header / record, relative to the start of `member` (or the file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Archive member path (nested members joined with `!`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
}

impl Finding {
    /// A finding at an optional offset; the member is attached by the container scanner.
    pub fn new(kind: FindingKind, detail: impl Into<String>, offset: Option<u64>) -> Self {
        Finding {
            kind,
            effect: kind.effect(),
            detail: detail.into(),
            offset,
            member: None,
        }
    }
}

/// The format recognised from the file's content (never from its extension).
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Pickle,
    PytorchLegacy,
    PytorchZip,
    PytorchTar,
    Joblib,
    Npy,
    Npz,
    Keras,
    KerasConfig,
    Hdf5,
    Safetensors,
    Gguf,
    Onnx,
    Zip,
    Gzip,
    /// A bare zlib stream (joblib's default compression, legacy `ZF` files).
    Zlib,
    Bzip2,
    Xz,
    Lzma,
    Lz4,
    Zstd,
    PythonSource,
    Text,
    Unknown,
}

/// The scan result for one file.
#[derive(Serialize, Debug, Clone)]
pub struct FileReport {
    pub path: String,
    pub format: Format,
    pub verdict: Verdict,
    pub size: u64,
    /// Hex SHA-256 of the whole file (absent when hashing was disabled or the file was not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub findings: Vec<Finding>,
}

/// Derives a verdict from findings: any unsafe effect wins, then unknown, else safe.
pub fn verdict_of(findings: &[Finding]) -> Verdict {
    let mut verdict = Verdict::Safe;
    for finding in findings {
        let this = match finding.effect {
            Effect::Unsafe => Verdict::Unsafe,
            Effect::Unknown => Verdict::Unknown,
            Effect::Note => Verdict::Safe,
        };
        verdict = verdict.max(this);
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_outranks_unknown_and_notes_do_not_count() {
        let note = Finding::new(FindingKind::Note, "n", None);
        let unknown = Finding::new(FindingKind::MalformedPickle, "m", Some(3));
        let bad = Finding::new(FindingKind::DisallowedImport, "posix.system", Some(2));
        assert_eq!(verdict_of(&[]), Verdict::Safe);
        assert_eq!(verdict_of(std::slice::from_ref(&note)), Verdict::Safe);
        assert_eq!(
            verdict_of(&[note.clone(), unknown.clone()]),
            Verdict::Unknown
        );
        assert_eq!(verdict_of(&[unknown, bad, note]), Verdict::Unsafe);
    }
}
