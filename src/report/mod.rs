//! Renderers: one file per output format, all over the same [`Checked`] result.
//!
//! [`audit`] is the auditor's report (HTML and the Markdown conformity matrix), from templates.
//! [`Format`] lists the formats `--format` and `--output FORMAT=FILE` accept; [`github`]
//! holds the GitHub Actions annotations and step summary, which the CLI writes beside them.

pub mod audit;
pub mod coverage;
pub mod excerpt;
pub mod github;
pub mod json;
pub mod junit;
pub mod oscal;
pub mod reference;
pub mod sarif;
pub mod sla;
pub mod svg;
pub mod text;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use crate::Checked;
use crate::check::{Finding, Outcome};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable diagnostics.
    Text,
    /// The stable JSON contract.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// The auditor's report: one self-contained HTML page.
    Html,
    /// The clause-by-clause conformity matrix in Markdown.
    Markdown,
    /// OSCAL 1.1.3 assessment results (JSON).
    OscalAr,
}

impl Format {
    /// Every format, by name.
    pub const ALL: [(&'static str, Format); 7] = [
        ("text", Format::Text),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("junit", Format::Junit),
        ("html", Format::Html),
        ("markdown", Format::Markdown),
        ("oscal-ar", Format::OscalAr),
    ];
}

impl Format {
    /// The format a file name's extension implies: `.json`, `.sarif` (and `.sarif.json`),
    /// `.xml` (JUnit), `.html`/`.htm`, `.md`/`.markdown`, `.txt`; `None` for anything else.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".sarif.json") {
            return Some(Format::Sarif);
        }
        if lower.ends_with(".oscal.json") {
            return Some(Format::OscalAr);
        }
        let ext = std::path::Path::new(&lower).extension()?.to_str()?;
        Some(match ext {
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "xml" => Format::Junit,
            "html" | "htm" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            "txt" | "text" => Format::Text,
            _ => return None,
        })
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown format `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = Format::ALL
            .iter()
            .find(|(_, v)| v == self)
            .map_or("?", |(n, _)| *n);
        f.write_str(name)
    }
}

/// `n` and `noun`, plural unless `n` is 1: `1 finding`, `0 findings`, `2 documents`. Every
/// count Evident prints goes through it (the templates too, as the `count` filter).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// What follows the as-of date in a report, naming where it came from when that is not the
/// obvious (today, or `--as-of` typed by the reader): `, from evident.yaml` or `, the commit
/// date`.
pub fn as_of_note(checked: &Checked) -> &'static str {
    match checked.as_of_source {
        crate::AsOfSource::Config => ", from evident.yaml",
        crate::AsOfSource::Commit => ", the commit date",
        crate::AsOfSource::Today | crate::AsOfSource::Option => "",
    }
}

/// Rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Emit ANSI colours (text only).
    pub color: bool,
    /// Print only the summary line (text only).
    pub quiet: bool,
}

/// Renders `checked` in `format` to `out`.
pub fn render(
    format: Format,
    checked: &Checked,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_shared(format, checked, style, out, &Shared::default())
}

/// What several renderings of one result share, made by the first that needs it: the audit
/// report's context, for the HTML report and the Markdown matrix.
#[derive(Default)]
pub struct Shared {
    audit: std::sync::OnceLock<minijinja::Value>,
}

/// [`render`], sharing with the other renderings of `checked` what `shared` holds.
pub fn render_shared(
    format: Format,
    checked: &Checked,
    style: Style,
    out: &mut dyn Write,
    shared: &Shared,
) -> io::Result<()> {
    let audit = || {
        shared
            .audit
            .get_or_init(|| audit::context(checked, &provenance(checked)))
    };
    match format {
        Format::Text => text::render(checked, style, out),
        Format::Json => json::render(checked, out),
        Format::Sarif => sarif::render(checked, out),
        Format::Junit => junit::render(checked, out),
        Format::Html => audit::html_from(audit(), out).map_err(io_error),
        Format::Markdown => audit::markdown_from(audit(), out).map_err(io_error),
        Format::OscalAr => oscal::render(checked, out),
    }
}

/// `checked` in `format` for a file (no colour, not quiet), in memory.
pub fn render_to_vec(format: Format, checked: &Checked) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    render(
        format,
        checked,
        Style {
            color: false,
            quiet: false,
        },
        &mut buf,
    )?;
    Ok(buf)
}

/// What `check` and `gate` know of where the documents came from: the commit of `--rev` or
/// `--head`, nothing more (`evident pack` fills in the rest from git).
fn provenance(checked: &Checked) -> audit::Provenance {
    audit::Provenance {
        commit: checked.commit.clone(),
        documents: checked.blobs.clone(),
        ..audit::Provenance::default()
    }
}

/// Keeps an I/O error (a broken pipe stays a broken pipe); wraps anything else.
fn io_error(e: anyhow::Error) -> io::Error {
    match e.downcast::<io::Error>() {
        Ok(io) => io,
        Err(other) => io::Error::other(format!("{other:#}")),
    }
}

/// Whether `f` makes the run fail: a failed finding at or above `fail_on` that, in a gate,
/// is new (or any, with `--strict`). The per-finding form of [`Outcome::fails`].
///
/// [`Outcome::fails`]: crate::check::Outcome::fails
pub fn blocks(outcome: &Outcome, f: &Finding) -> bool {
    outcome.blocks(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "finding"), "1 finding");
        assert_eq!(count(0, "finding"), "0 findings");
        assert_eq!(count(2, "document"), "2 documents");
    }

    #[test]
    fn formats_follow_the_file_extension() {
        assert_eq!(Format::from_file_name("report.html"), Some(Format::Html));
        assert_eq!(Format::from_file_name("a/B.HTM"), Some(Format::Html));
        assert_eq!(Format::from_file_name("r.json"), Some(Format::Json));
        assert_eq!(Format::from_file_name("r.sarif.json"), Some(Format::Sarif));
        assert_eq!(Format::from_file_name("r.sarif"), Some(Format::Sarif));
        assert_eq!(Format::from_file_name("junit.xml"), Some(Format::Junit));
        assert_eq!(Format::from_file_name("c.md"), Some(Format::Markdown));
        assert_eq!(Format::from_file_name("r.txt"), Some(Format::Text));
        assert_eq!(Format::from_file_name("report"), None);
        assert_eq!(Format::from_file_name("report.out"), None);
    }
}
