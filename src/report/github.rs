//! GitHub Actions output: workflow-command annotations on the lines of the files, and a
//! Markdown job summary (for `$GITHUB_STEP_SUMMARY`). Not `--format`s: the CLI writes them
//! beside the chosen format when `GITHUB_ACTIONS=true`.
//!
//! ```text
//! ::error file=policies/processes/change-enablement.yaml,line=41,col=7,title=CHG-003%3A emergency changes have an approval authority::`approval_authority` is required here%0Ahelp: …
//! ```
//!
//! A finding that fails the run is an `error`, one below the threshold (or, in a gate without
//! `--strict`, one that was already there) a `warning`, a waived one a `notice`. Fixed findings
//! of a gate are not annotated: their lines are gone. Escaping follows the runner's rules (as
//! in `@actions/core`'s `command.ts`): `%`, CR and LF everywhere; `:` and `,` in properties too.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::blocks;
use super::text::escape;
use crate::Checked;
use crate::check::{Baseline, Finding, Status};

/// Rows shown per table in the summary; GitHub caps a step summary at 1 MiB.
pub const MAX_ROWS: usize = 100;

/// Escapes a workflow command's message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow command of a finding: `error`, `warning` or `notice`.
fn command(checked: &Checked, f: &Finding) -> &'static str {
    if f.status == Status::Waived {
        "notice"
    } else if blocks(&checked.outcome, f) {
        "error"
    } else {
        "warning"
    }
}

/// Whether a finding is annotated: every finding of a check; in a gate, only the new ones
/// (an unchanged finding is not the change's doing, and would bury the new ones), plus, with
/// `--strict`, the unchanged ones that fail the run. Fixed findings never: their lines are gone.
pub fn annotated(checked: &Checked, f: &Finding) -> bool {
    match f.baseline {
        None | Some(Baseline::New) => true,
        Some(Baseline::Unchanged) => checked.outcome.strict && blocks(&checked.outcome, f),
        Some(Baseline::Fixed) => false,
    }
}

/// Prints one workflow-command annotation per [annotated] finding. `file=` is relative to the
/// git repository root (the runner resolves it there), so a subfolder's path is prefixed.
/// Everything that comes from the repository is escaped for the runner ([`escape_data`],
/// [`escape_property`]), so no document text can end the command and start another.
pub fn annotations(checked: &Checked, out: &mut dyn Write) -> io::Result<()> {
    for f in &checked.outcome.findings {
        if !annotated(checked, f) {
            continue;
        }
        let mut props = Vec::new();
        if let Some(path) = &f.path {
            props.push(format!(
                "file={}",
                escape_property(&checked.repo_path(path))
            ));
            if let Some(line) = f.line {
                props.push(format!("line={line}"));
                if let Some(col) = f.column {
                    props.push(format!("col={col}"));
                }
            }
        }
        let title = if f.title.is_empty() {
            f.control.clone()
        } else {
            format!("{}: {}", f.control, f.title)
        };
        props.push(format!("title={}", escape_property(&escape(&title))));
        // Repository text is first made visible ([`escape`]: its own line breaks and control
        // characters become `\n`, `\u{1b}`…); the line breaks Evident adds between the parts
        // then become `%0A` with the rest of the runner's escaping.
        let mut message = escape(&f.message).into_owned();
        if let Some(w) = &f.waiver {
            message.push_str(&format!(
                "\nwaived until {} by {}: {}",
                w.expires,
                escape(&w.approved_by),
                escape(&w.reason)
            ));
        }
        if !f.help.is_empty() {
            let help = f.help.split_whitespace().collect::<Vec<_>>().join(" ");
            message.push_str(&format!("\nhelp: {}", escape(&help)));
        }
        writeln!(
            out,
            "::{} {}::{}",
            command(checked, f),
            props.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Text for a Markdown table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn location(f: &Finding) -> String {
    match (&f.path, f.line, f.column) {
        (Some(p), Some(l), Some(c)) => format!("`{}:{l}:{c}`", cell(p)),
        (Some(p), Some(l), None) => format!("`{}:{l}`", cell(p)),
        (Some(p), None, _) => format!("`{}`", cell(p)),
        (None, _, _) => "(repository)".to_string(),
    }
}

fn level(checked: &Checked, f: &Finding) -> &'static str {
    if f.baseline == Some(Baseline::Fixed) {
        "fixed"
    } else if f.status == Status::Waived {
        "waived"
    } else if blocks(&checked.outcome, f) {
        "error"
    } else {
        "warning"
    }
}

fn table(
    checked: &Checked,
    heading: &str,
    findings: &[&Finding],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "### {heading} ({})\n", findings.len())?;
    if findings.is_empty() {
        return writeln!(out, "None.\n");
    }
    writeln!(out, "| | severity | code | location | finding |")?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for f in findings.iter().take(MAX_ROWS) {
        writeln!(
            out,
            "| {} | {} | `{}` | {} | {} |",
            level(checked, f),
            f.severity,
            cell(&f.control),
            location(f),
            cell(&f.message)
        )?;
    }
    if findings.len() > MAX_ROWS {
        writeln!(
            out,
            "\n…and {} more: see the full report.",
            findings.len() - MAX_ROWS
        )?;
    }
    writeln!(out)
}

/// Writes the Markdown job summary: the result, counts, and the findings; in a gate, the new,
/// fixed and unchanged findings, the changed documents and the clauses they touch.
pub fn summary(checked: &Checked, out: &mut dyn Write) -> io::Result<()> {
    let outcome = &checked.outcome;
    let s = &outcome.summary;
    let verdict = if outcome.fails() { "failed" } else { "passed" };
    let command = if checked.gate.is_some() {
        "gate"
    } else {
        "check"
    };
    writeln!(out, "## Evident {command}: {verdict}\n")?;
    let blocking = outcome
        .findings
        .iter()
        .filter(|f| blocks(outcome, f))
        .count();
    let mut parts = vec![format!("{} failed", s.failed)];
    if blocking != s.failed {
        let which = if checked.gate.is_some() && !outcome.strict {
            "new and "
        } else {
            ""
        };
        parts.push(format!(
            "{blocking} {which}at or above `{}` fail the run",
            outcome.fail_on
        ));
    }
    if s.waived > 0 {
        parts.push(format!("{} waived", s.waived));
    }
    writeln!(
        out,
        "{} ({}) in {}, {}; as of {}{}, failing at `{}` and above.\n",
        super::count(s.findings, "finding"),
        parts.join(", "),
        super::count(s.documents, "document"),
        super::count(s.controls, "control"),
        outcome.as_of,
        super::as_of_note(checked),
        outcome.fail_on
    )?;

    let Some(gate) = &checked.gate else {
        let all: Vec<&Finding> = outcome.findings.iter().collect();
        return table(checked, "Findings", &all, out);
    };
    let head = match &gate.head_commit {
        Some(c) => format!("`{}` (`{}`)", cell(&gate.head), short(c)),
        None => cell(&gate.head),
    };
    writeln!(
        out,
        "Base `{}` (`{}`) → head {head}{}.\n",
        cell(&gate.base),
        short(&gate.base_commit),
        if outcome.strict { ", strict" } else { "" }
    )?;
    let of = |b: Baseline| -> Vec<&Finding> {
        outcome
            .findings
            .iter()
            .filter(|f| f.baseline == Some(b))
            .collect()
    };
    let (new, unchanged) = (of(Baseline::New), of(Baseline::Unchanged));
    let fixed: Vec<&Finding> = gate.fixed.iter().collect();
    writeln!(out, "| new | fixed | unchanged |")?;
    writeln!(out, "| ---: | ---: | ---: |")?;
    writeln!(
        out,
        "| {} | {} | {} |\n",
        new.len(),
        fixed.len(),
        unchanged.len()
    )?;
    table(checked, "New findings", &new, out)?;
    table(checked, "Fixed findings", &fixed, out)?;
    table(checked, "Unchanged findings", &unchanged, out)?;

    writeln!(out, "### Changed documents ({})\n", gate.changed.len())?;
    if gate.changed.is_empty() {
        writeln!(out, "None.\n")?;
    } else {
        writeln!(out, "| change | document | path |")?;
        writeln!(out, "| --- | --- | --- |")?;
        for d in gate.changed.iter().take(MAX_ROWS) {
            let change = serde_json::to_value(d.change)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            writeln!(
                out,
                "| {change} | `{}/{}` | `{}` |",
                d.kind,
                cell(&d.id),
                cell(&d.path)
            )?;
        }
        if gate.changed.len() > MAX_ROWS {
            writeln!(out, "\n…and {} more.", gate.changed.len() - MAX_ROWS)?;
        }
        writeln!(out)?;
    }

    writeln!(
        out,
        "### ISO/IEC 20000-1:2018 clauses touched ({})\n",
        gate.clauses.len()
    )?;
    if gate.clauses.is_empty() {
        return writeln!(out, "None.");
    }
    let titles: BTreeMap<&str, &str> = checked
        .library
        .frameworks
        .clauses
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    for id in &gate.clauses {
        match titles.get(id.as_str()) {
            Some(title) => writeln!(out, "- {id} {}", cell(title))?,
            None => writeln!(out, "- {id}")?,
        }
    }
    Ok(())
}

/// The first 12 characters of a commit id.
fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("CHG-003: a, b%\n"),
            "CHG-003%3A a%2C b%25%0A"
        );
    }

    #[test]
    fn percent_is_escaped_first() {
        // `%0A` in the input must not read back as a line break.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn cells_are_one_line_with_pipes_escaped() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }
}
