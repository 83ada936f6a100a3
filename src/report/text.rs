//! Human-readable diagnostics, in the style of a good compiler:
//!
//! ```text
//! error[CHG-003]: emergency changes have an approval authority
//!   --> policies/processes/change-enablement.yaml:41:7
//!    |
//! 41 |       emergency:
//!    |       ^^^^^^^^^ `approval_authority` is required here
//!    |
//!    = ISO/IEC 20000-1:2018 8.5.1.3 · ITIL 4 change enablement
//!    = help: name the role that authorises emergency changes
//! ```
//!
//! The headline is the requirement (the control's title), the label says what is wrong at
//! that spot, `help` how to fix it. Failed findings below `fail_on` print as warnings.
//!
//! Every piece of text that comes from the repository (paths, messages that quote values, the
//! source line, waiver reasons, ids) goes through [`escape`]: a control character never
//! reaches the terminal or a CI log raw, so a document cannot move the cursor, recolour the
//! output or start a new line that a CI runner would read as a workflow command
//! (`\n::add-mask::…`).

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style as Ansi};

use super::Style;
use super::excerpt::{Lines, excerpt};
use crate::Checked;
use crate::check::{Finding, Status};

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: Ansi, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

/// `text` with every control character (C0, DEL, C1) and every bidirectional-override
/// character written as a Rust-style escape: `\n`, `\r`, `\t`, `\u{1b}`, `\u{202e}`.
/// Borrowed when there is nothing to escape, which is almost always.
pub fn escape(text: &str) -> Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c)
            if !s.starts_with(|c: char| {
                c.is_uppercase() && s.chars().nth(1).is_some_and(char::is_uppercase)
            }) =>
        {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_string(),
    }
}

/// Writes every finding and a summary line.
pub fn render(checked: &Checked, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint { on: style.color };
    let outcome = &checked.outcome;
    if let Some(gate) = &checked.gate {
        return gate_report(checked, gate, style, &p, out);
    }
    if !style.quiet {
        let mut lines = Lines::default();
        for f in &outcome.findings {
            finding(checked, f, &p, &mut lines, out)?;
        }
    }
    let s = &outcome.summary;
    let bold = Ansi::new().effects(Effects::BOLD);
    if s.findings == 0 {
        writeln!(
            out,
            "{} {}, {}, no findings (as of {}{})",
            p.paint(bold.fg_color(Some(AnsiColor::Green.into())), "ok:"),
            super::count(s.documents, "document"),
            super::count(s.controls, "control"),
            outcome.as_of,
            super::as_of_note(checked)
        )
    } else {
        let blocking = outcome.blocking();
        let verdict = if blocking > 0 {
            p.paint(bold.fg_color(Some(AnsiColor::Red.into())), "failed:")
        } else {
            p.paint(bold.fg_color(Some(AnsiColor::Green.into())), "passed:")
        };
        let mut parts = vec![format!("{} failed", s.failed)];
        if blocking != s.failed {
            parts.push(format!("{blocking} at or above `{}`", outcome.fail_on));
        }
        if s.waived > 0 {
            parts.push(format!("{} waived", s.waived));
        }
        writeln!(
            out,
            "{verdict} {} ({}) in {}, {} (as of {}{})",
            super::count(s.findings, "finding"),
            parts.join(", "),
            super::count(s.documents, "document"),
            super::count(s.controls, "control"),
            outcome.as_of,
            super::as_of_note(checked)
        )
    }
}

fn finding(
    checked: &Checked,
    f: &Finding,
    p: &Paint,
    lines: &mut Lines,
    out: &mut dyn Write,
) -> io::Result<()> {
    let bold = Ansi::new().effects(Effects::BOLD);
    let (level, color) = match f.status {
        Status::Waived => ("waived", AnsiColor::Cyan),
        Status::Fail if checked.outcome.blocks(f) => ("error", AnsiColor::Red),
        Status::Fail => ("warning", AnsiColor::Yellow),
    };
    let blue = bold.fg_color(Some(AnsiColor::Blue.into()));
    writeln!(
        out,
        "{}{} {}",
        p.paint(
            bold.fg_color(Some(color.into())),
            &format!("{level}[{}]", f.control)
        ),
        p.paint(bold, ":"),
        p.paint(bold, &escape(&lower_first(&f.title)))
    )?;
    let source = f
        .path
        .as_deref()
        .and_then(|path| super::excerpt::source_text(checked, path));
    let line_text = match (&f.path, f.line, &source) {
        (Some(path), Some(line), Some(text)) => lines.get(path, text, line as usize),
        _ => None,
    };
    let gutter = f.line.map_or(1, |l| l.to_string().len());
    let pad = " ".repeat(gutter);
    match (&f.path, f.line, f.column) {
        (Some(path), Some(line), Some(col)) => {
            let path = escape(path);
            writeln!(out, "{pad}{} {path}:{line}:{col}", p.paint(blue, "-->"))?;
        }
        (Some(path), _, _) => writeln!(out, "{pad}{} {}", p.paint(blue, "-->"), escape(path))?,
        (None, _, _) => writeln!(out, "{pad}{} (repository)", p.paint(blue, "-->"))?,
    }
    let bar = p.paint(blue, "|");
    match (line_text, f.line, f.column) {
        (Some(text), Some(line), Some(col)) => {
            // A bounded window of the line around the span, never the whole of a long line,
            // escaped; the carets stay under the spot when escapes widen what comes before it.
            let shown = excerpt(text, col as usize, f.span_len as usize);
            let before: String = shown.text.chars().take(shown.column - 1).collect();
            let width = escape(&before).chars().count();
            writeln!(out, "{pad} {bar}")?;
            writeln!(
                out,
                "{} {bar} {}",
                p.paint(blue, &line.to_string()),
                escape(&shown.text)
            )?;
            let indent = " ".repeat(width);
            let carets = "^".repeat(shown.len);
            writeln!(
                out,
                "{pad} {bar} {indent}{} {}",
                p.paint(bold.fg_color(Some(color.into())), &carets),
                p.paint(bold.fg_color(Some(color.into())), &escape(&f.message))
            )?;
            writeln!(out, "{pad} {bar}")?;
        }
        _ => {
            writeln!(out, "{pad} {bar}")?;
            writeln!(out, "{pad} {bar} {}", escape(&f.message))?;
            writeln!(out, "{pad} {bar}")?;
        }
    }
    let eq = p.paint(blue, "=");
    let mut refs = Vec::new();
    if !f.iso20000.is_empty() {
        refs.push(format!("ISO/IEC 20000-1:2018 {}", f.iso20000.join(", ")));
    }
    if !f.itil4.is_empty() {
        let names: Vec<String> = f
            .itil4
            .iter()
            .map(|id| checked.library.frameworks.practice_name(id).to_lowercase())
            .collect();
        refs.push(format!("ITIL 4 {}", names.join(", ")));
    }
    refs.push(format!("severity {}", f.severity));
    writeln!(out, "{pad} {eq} {}", refs.join(" · "))?;
    if let Some(w) = &f.waiver {
        writeln!(
            out,
            "{pad} {eq} waived until {} by `{}`: {}",
            w.expires,
            escape(&w.approved_by),
            escape(&w.reason)
        )?;
    }
    if !f.help.is_empty() {
        let help = f.help.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(
            out,
            "{pad} {eq} {} {}",
            p.paint(bold, "help:"),
            escape(&help)
        )?;
    }
    writeln!(out)
}

fn one_line(f: &Finding) -> String {
    let place = match (&f.path, f.line, f.column) {
        (Some(p), Some(l), Some(c)) => format!("{p}:{l}:{c}"),
        (Some(p), _, _) => p.clone(),
        (None, _, _) => "(repository)".to_string(),
    };
    format!(
        "{} {}: {}",
        escape(&f.control),
        escape(&place),
        escape(&f.message)
    )
}

/// The gate: new findings in full, unchanged and fixed ones a line each, then the verdict.
fn gate_report(
    checked: &Checked,
    gate: &crate::gate::GateInfo,
    style: Style,
    p: &Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    use crate::check::Baseline;
    let outcome = &checked.outcome;
    let new: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.baseline == Some(Baseline::New))
        .collect();
    let unchanged: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.baseline == Some(Baseline::Unchanged))
        .collect();
    let bold = Ansi::new().effects(Effects::BOLD);
    if !style.quiet {
        let mut lines = Lines::default();
        for f in &new {
            finding(checked, f, p, &mut lines, out)?;
        }
        if !unchanged.is_empty() {
            writeln!(
                out,
                "{}",
                p.paint(
                    bold,
                    &format!(
                        "unchanged ({}), already present at {}:",
                        unchanged.len(),
                        escape(&gate.base)
                    )
                )
            )?;
            for f in &unchanged {
                writeln!(out, "  {}", one_line(f))?;
            }
            writeln!(out)?;
        }
        if !gate.fixed.is_empty() {
            writeln!(
                out,
                "{}",
                p.paint(
                    bold.fg_color(Some(AnsiColor::Green.into())),
                    &format!("fixed ({}):", gate.fixed.len())
                )
            )?;
            for f in &gate.fixed {
                writeln!(out, "  {}", one_line(f))?;
            }
            writeln!(out)?;
        }
        if !gate.changed.is_empty() {
            writeln!(
                out,
                "{}",
                p.paint(
                    bold,
                    &format!("changed documents ({}):", gate.changed.len())
                )
            )?;
            for c in &gate.changed {
                writeln!(
                    out,
                    "  {:<8} {}/{} ({})",
                    format!("{:?}", c.change).to_lowercase(),
                    c.kind,
                    escape(&c.id),
                    escape(&c.path)
                )?;
            }
            if !gate.clauses.is_empty() {
                writeln!(
                    out,
                    "  ISO/IEC 20000-1:2018 clauses touched: {}",
                    gate.clauses.join(", ")
                )?;
            }
            writeln!(out)?;
        }
    }
    let blocking = outcome.blocking();
    let verdict = if blocking > 0 {
        p.paint(bold.fg_color(Some(AnsiColor::Red.into())), "gate failed:")
    } else {
        p.paint(bold.fg_color(Some(AnsiColor::Green.into())), "gate passed:")
    };
    writeln!(
        out,
        "{verdict} {} new, {} fixed, {} unchanged ({} blocking at or above `{}`{}) — {} → {}, as of {}{}",
        new.len(),
        gate.fixed.len(),
        unchanged.len(),
        blocking,
        outcome.fail_on,
        if outcome.strict { ", strict" } else { "" },
        escape(&gate.base),
        escape(&gate.head),
        outcome.as_of,
        super::as_of_note(checked)
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_characters_are_escaped_and_plain_text_is_borrowed() {
        assert!(matches!(
            escape("plain `text` é"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(escape("a\n::error::x"), "a\\n::error::x");
        assert_eq!(escape("\r\t\u{1b}[31m"), "\\r\\t\\u{1b}[31m");
        assert_eq!(
            escape("\u{202e}abc\u{7f}\u{85}"),
            "\\u{202e}abc\\u{7f}\\u{85}"
        );
    }
}
