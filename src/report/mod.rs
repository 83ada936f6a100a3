//! Renderers: one file per output format, all over the same [`Checked`] result.

pub mod coverage;
pub mod json;
pub mod reference;
pub mod text;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use crate::Checked;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable diagnostics.
    Text,
    /// The stable JSON contract.
    Json,
}

impl Format {
    /// Every format, by name.
    pub const ALL: [(&'static str, Format); 2] = [("text", Format::Text), ("json", Format::Json)];
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
    match format {
        Format::Text => text::render(checked, style, out),
        Format::Json => json::render(checked, out),
    }
}
