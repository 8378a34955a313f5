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

/// Writes a report in a format to `w`; the text report is streamed, the others are rendered
/// whole first (they are documents that are only valid once complete).
pub fn write(report: &Report, format: Format, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    match format {
        Format::Text => text::write(report, w),
        other => w.write_all(render(report, other).as_bytes()),
    }
}
