//! Source excerpts: the lines of a document around a finding, with the span the finding
//! points at. Shared by the terminal report ([`super::text`], one line with carets) and the
//! HTML report ([`super::audit`], a few lines with the span in `<mark>`), so both echo the
//! same text under the same budget.
//!
//! The text is returned raw (tabs as spaces); each sink escapes it for itself.

use serde::Serialize;

use crate::Checked;
use crate::check::Finding;

/// The most characters of one source line that a report echoes; the rest is cut and marked
/// with `…`. A budget, so that a minified or generated file cannot flood a report.
pub const MAX_COLUMNS: usize = 200;

/// The text of the file a finding points into: a loaded document, or `evident.yaml`.
pub fn source_text<'a>(checked: &'a Checked, path: &str) -> Option<&'a str> {
    checked
        .loaded
        .text(path)
        .or(checked
            .config
            .text
            .as_ref()
            .filter(|_| path == crate::config::FILE_NAME))
        .map(|t| &**t)
}

/// Line `number` (1-based) of `text`, tabs as spaces, at most [`MAX_COLUMNS`] characters;
/// with whether it was cut.
pub fn source_line(text: &str, number: u32) -> Option<(String, bool)> {
    let line = text.lines().nth((number as usize).checked_sub(1)?)?;
    let mut chars = line.chars().map(|c| if c == '\t' { ' ' } else { c });
    let kept: String = chars.by_ref().take(MAX_COLUMNS).collect();
    Some((kept, chars.next().is_some()))
}

/// A few lines around a finding.
#[derive(Debug, Clone, Serialize)]
pub struct Excerpt {
    /// In file order.
    pub lines: Vec<ExcerptLine>,
}

/// One line of an [`Excerpt`], split around the span (empty `marked` on the other lines).
#[derive(Debug, Clone, Serialize)]
pub struct ExcerptLine {
    /// 1-based line number.
    pub number: u32,
    /// Text before the span (the whole line when it holds no span).
    pub before: String,
    /// The span the finding points at.
    pub marked: String,
    /// Text after the span.
    pub after: String,
    /// Whether the line was longer than [`MAX_COLUMNS`] and was cut.
    pub cut: bool,
    /// Whether this is the line of the finding.
    pub at: bool,
}

/// The lines `context` before and after a finding's line, the span marked; `None` when the
/// finding has no line or its file's text is not at hand.
pub fn excerpt(checked: &Checked, f: &Finding, context: u32) -> Option<Excerpt> {
    let text = source_text(checked, f.path.as_deref()?)?;
    let at = f.line?;
    let first = at.saturating_sub(context).max(1);
    let mut lines = Vec::new();
    for number in first..=at.saturating_add(context) {
        let Some((line, cut)) = source_line(text, number) else {
            break;
        };
        let (before, marked, after) = if number == at {
            // Columns count characters, 1-based; a span past the cut is not marked.
            let start = f.column.map_or(0, |c| c.saturating_sub(1) as usize);
            let len = f.span_len.max(1) as usize;
            let chars: Vec<char> = line.chars().collect();
            let start = start.min(chars.len());
            let end = start.saturating_add(len).min(chars.len());
            (
                chars[..start].iter().collect(),
                chars[start..end].iter().collect(),
                chars[end..].iter().collect(),
            )
        } else {
            (line, String::new(), String::new())
        };
        lines.push(ExcerptLine {
            number,
            before,
            marked,
            after,
            cut,
            at: number == at,
        });
    }
    (!lines.is_empty()).then_some(Excerpt { lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_at_the_budget_and_tabs_become_spaces() {
        let long = "x".repeat(MAX_COLUMNS + 5);
        assert_eq!(source_line(&long, 1), Some(("x".repeat(MAX_COLUMNS), true)));
        assert_eq!(source_line("a\tb\nc", 1), Some(("a b".to_string(), false)));
        assert_eq!(source_line("a\nc", 2), Some(("c".to_string(), false)));
        assert_eq!(source_line("a", 0), None);
        assert_eq!(source_line("a", 2), None);
    }
}
