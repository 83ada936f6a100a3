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
            "{} {} documents, {} controls, no findings (as of {})",
            p.paint(bold.fg_color(Some(AnsiColor::Green.into())), "ok:"),
            s.documents,
            s.controls,
            outcome.as_of
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
            "{verdict} {} finding{} ({}) in {} documents, {} controls (as of {})",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            parts.join(", "),
            s.documents,
            s.controls,
            outcome.as_of
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
        p.paint(bold, &lower_first(&f.title))
    )?;
    let line_text = match (&f.path, f.line) {
        (Some(path), Some(line)) => checked
            .loaded
            .text(path)
            .or(checked
                .config
                .text
                .as_ref()
                .filter(|_| path == crate::config::FILE_NAME))
            .and_then(|t| lines.get(path, t, line as usize)),
        _ => None,
    };
    let gutter = f.line.map_or(1, |l| l.to_string().len());
    let pad = " ".repeat(gutter);
    match (&f.path, f.line, f.column) {
        (Some(path), Some(line), Some(col)) => {
            writeln!(out, "{pad}{} {path}:{line}:{col}", p.paint(blue, "-->"))?;
        }
        (Some(path), _, _) => writeln!(out, "{pad}{} {path}", p.paint(blue, "-->"))?,
        (None, _, _) => writeln!(out, "{pad}{} (repository)", p.paint(blue, "-->"))?,
    }
    let bar = p.paint(blue, "|");
    match (line_text, f.line, f.column) {
        (Some(text), Some(line), Some(col)) => {
            // A bounded window of the line around the span, never the whole of a long line.
            let shown = excerpt(text, col as usize, f.span_len as usize);
            writeln!(out, "{pad} {bar}")?;
            writeln!(
                out,
                "{} {bar} {}",
                p.paint(blue, &line.to_string()),
                shown.text
            )?;
            let indent = " ".repeat(shown.column - 1);
            let carets = "^".repeat(shown.len);
            writeln!(
                out,
                "{pad} {bar} {indent}{} {}",
                p.paint(bold.fg_color(Some(color.into())), &carets),
                p.paint(bold.fg_color(Some(color.into())), &f.message)
            )?;
            writeln!(out, "{pad} {bar}")?;
        }
        _ => {
            writeln!(out, "{pad} {bar}")?;
            writeln!(out, "{pad} {bar} {}", f.message)?;
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
            w.expires, w.approved_by, w.reason
        )?;
    }
    if !f.help.is_empty() {
        let help = f.help.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(out, "{pad} {eq} {} {help}", p.paint(bold, "help:"))?;
    }
    writeln!(out)
}

fn one_line(f: &Finding) -> String {
    let place = match (&f.path, f.line, f.column) {
        (Some(p), Some(l), Some(c)) => format!("{p}:{l}:{c}"),
        (Some(p), _, _) => p.clone(),
        (None, _, _) => "(repository)".to_string(),
    };
    format!("{} {place}: {}", f.control, f.message)
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
                        gate.base
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
                    c.id,
                    c.path
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
        "{verdict} {} new, {} fixed, {} unchanged ({} blocking at or above `{}`{}) — {} → {}, as of {}",
        new.len(),
        gate.fixed.len(),
        unchanged.len(),
        blocking,
        outcome.fail_on,
        if outcome.strict { ", strict" } else { "" },
        gate.base,
        gate.head,
        outcome.as_of
    )
}
