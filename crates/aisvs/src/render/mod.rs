//! Renderers: one module per output format.

pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::report::Report;

/// Output formats of `aisvs scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames, then the requirement table and score.
    Text,
    /// JSON report, schema v1.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML, one test case per requirement.
    Junit,
    /// Markdown summary for pull-request comments and audit files.
    Markdown,
    /// A standalone HTML page for auditors.
    Html,
}

/// Renders a report in a format.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    }
}

/// Writes a report in a format to `w`; text, JSON and SARIF are streamed, the others are rendered
/// whole first (they are documents that are only valid once complete).
pub fn write(report: &Report, format: Format, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    match format {
        Format::Text => text::write(report, w),
        Format::Json => json::write(report, w),
        Format::Sarif => sarif::write(report, w),
        other => w.write_all(render(report, other).as_bytes()),
    }
}

/// A JSON array whose items are produced while it is written, so a long list of findings is
/// never held as one `serde_json::Value` document.
pub(crate) struct Streamed<F>(pub F);

impl<F, I> serde::Serialize for Streamed<F>
where
    F: Fn() -> I,
    I: Iterator<Item = serde_json::Value>,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Runs a streaming writer into memory (for `render`, tests and `--output` of small formats).
pub(crate) fn collect(
    report: &Report,
    write: fn(&Report, &mut dyn std::io::Write) -> std::io::Result<()>,
) -> String {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail, and the writers only emit UTF-8.
    let _ = write(report, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}
