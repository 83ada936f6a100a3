//! Source lines as reports echo them: found through a per-file index of line starts (so that
//! a file with 100,000 findings is not scanned from its start for each one) and cut to a
//! bounded window around the span (so that a 5 MB scalar does not become a 5 MB report line).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::Checked;
use crate::check::Finding;

/// Most characters of a source line a report echoes; the rest is elided with `…`.
pub const MAX_EXCERPT: usize = 200;

/// Byte offsets where the lines of a text start, built once per file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Line `line` (1-based) of `text` without its line break, or `None` past the end.
    pub fn line<'t>(&self, text: &'t str, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start >= text.len() && line > 1 {
            return None;
        }
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        let s = text.get(start..end)?;
        Some(s.strip_suffix('\r').unwrap_or(s))
    }
}

/// Line indexes of the files a report shows, keyed by path.
#[derive(Debug, Default)]
pub struct Lines {
    files: HashMap<String, LineIndex>,
}

impl Lines {
    /// Line `line` of `text` (the text of `path`), indexing the file on first use.
    pub fn get<'t>(&mut self, path: &str, text: &'t str, line: usize) -> Option<&'t str> {
        if !self.files.contains_key(path) {
            self.files.insert(path.to_string(), LineIndex::new(text));
        }
        self.files.get(path)?.line(text, line)
    }
}

/// A line cut for display: the text, and where the span starts in it and how long it is (in
/// characters, 1-based column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The shown text, with `…` where it was cut and tabs as spaces.
    pub text: String,
    /// 1-based column of the span in `text`.
    pub column: usize,
    /// Length of the span in `text` (at least 1).
    pub len: usize,
}

/// At most [`MAX_EXCERPT`] characters of `line` around the span at `column` (1-based, in
/// characters) of `len` characters, with `…` marking what was left out on either side. Tabs
/// become spaces; other control characters are kept for the renderer to escape.
pub fn excerpt(line: &str, column: usize, len: usize) -> Excerpt {
    excerpt_within(line, column, len, MAX_EXCERPT)
}

fn excerpt_within(line: &str, column: usize, len: usize, width: usize) -> Excerpt {
    let chars: Vec<char> = line.chars().collect();
    let total = chars.len();
    let column = column.max(1);
    let span_start = (column - 1).min(total);
    let len = len.max(1);
    // The window: the span's start with some context before it, at most `width` characters.
    let (from, to) = if total <= width {
        (0, total)
    } else {
        let before = (width / 4).min(span_start);
        let from = span_start - before;
        let to = (from + width).min(total);
        let from = to.saturating_sub(width).min(from);
        (from, to)
    };
    let mut text = String::with_capacity((to - from) * 2 + 6);
    let lead = from > 0;
    if lead {
        text.push('…');
    }
    text.extend(
        chars[from..to]
            .iter()
            .map(|&c| if c == '\t' { ' ' } else { c }),
    );
    if to < total {
        text.push('…');
    }
    let col_in = span_start - from + usize::from(lead) + 1;
    // The underline stops at the window's end.
    let visible = (to.max(span_start + 1) - span_start).max(1);
    Excerpt {
        text,
        column: col_in,
        len: len.min(visible),
    }
}

/// The text of the file a finding points into: a loaded document, or `evident.yaml`.
pub fn source_text(checked: &Checked, path: &str) -> Option<Arc<str>> {
    checked.loaded.text(path).or_else(|| {
        checked
            .config
            .text
            .clone()
            .filter(|_| path == crate::config::FILE_NAME)
    })
}

/// A few lines around a finding, for the HTML report.
#[derive(Debug, Clone, Serialize)]
pub struct Around {
    /// In file order.
    pub lines: Vec<ExcerptLine>,
}

/// One line of an [`Around`], split around the span (empty `marked` on the other lines).
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
    /// Whether the line was longer than [`MAX_EXCERPT`] and was cut.
    pub cut: bool,
    /// Whether this is the line of the finding.
    pub at: bool,
}

/// The lines `context` before and after a finding's line, each cut to the same window as the
/// terminal shows, the span marked; `None` when the finding has no line or its file's text is
/// not at hand. `index` is the file's line index (built once per file by the caller).
pub fn lines_around(
    checked: &Checked,
    f: &Finding,
    context: u32,
    lines: &mut Lines,
) -> Option<Around> {
    let path = f.path.as_deref()?;
    let text = source_text(checked, path)?;
    let text = &*text;
    let at = f.line?;
    let first = at.saturating_sub(context).max(1);
    let mut out = Vec::new();
    for number in first..=at.saturating_add(context) {
        let Some(line) = lines.get(path, text, number as usize) else {
            break;
        };
        let (column, len) = if number == at {
            (f.column.unwrap_or(1) as usize, f.span_len.max(1) as usize)
        } else {
            (1, 1)
        };
        let shown = excerpt(line, column, len);
        let cut = shown.text.ends_with('…') || shown.text.starts_with('…');
        let chars: Vec<char> = shown.text.chars().collect();
        let (before, marked, after) = if number == at {
            let start = (shown.column - 1).min(chars.len());
            let end = (start + shown.len).min(chars.len());
            (
                chars[..start].iter().collect(),
                chars[start..end].iter().collect(),
                chars[end..].iter().collect(),
            )
        } else {
            (shown.text.clone(), String::new(), String::new())
        };
        out.push(ExcerptLine {
            number,
            before,
            marked,
            after,
            cut,
            at: number == at,
        });
    }
    (!out.is_empty()).then_some(Around { lines: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_finds_lines() {
        let text = "a\r\nbb\n\nccc";
        let index = LineIndex::new(text);
        assert_eq!(index.line(text, 1), Some("a"));
        assert_eq!(index.line(text, 2), Some("bb"));
        assert_eq!(index.line(text, 3), Some(""));
        assert_eq!(index.line(text, 4), Some("ccc"));
        assert_eq!(index.line(text, 5), None);
        assert_eq!(index.line(text, 0), None);
        let text = "x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line(text, 2), None);
    }

    #[test]
    fn short_lines_are_kept_whole() {
        let e = excerpt("key: value", 6, 5);
        assert_eq!(
            e,
            Excerpt {
                text: "key: value".into(),
                column: 6,
                len: 5
            }
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("key: {}", "x".repeat(5_000_000));
        let e = excerpt(&line, 6, 5_000_000);
        assert!(
            e.text.chars().count() <= MAX_EXCERPT + 2,
            "{}",
            e.text.len()
        );
        assert_eq!(e.column, 6);
        assert!(e.text.ends_with('…'));
        assert!(e.len <= MAX_EXCERPT);
        // A span far to the right: cut on both sides, the column moves with the window.
        let line = format!("{}key: v{}", "y".repeat(10_000), "z".repeat(10_000));
        let e = excerpt_within(&line, 10_001, 3, 40);
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        let shown: String = e.text.chars().skip(e.column - 1).take(3).collect();
        assert_eq!(shown, "key");
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(excerpt("a\tb", 1, 1).text, "a b");
    }
}
