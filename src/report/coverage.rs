//! `evident coverage`: the clause × control × result matrix and the practice view, as text,
//! JSON or Markdown.

use std::io::{self, Write};

use crate::check::coverage::{ControlResult, Coverage, ExternalView, Result as R};

fn mark(result: Option<R>) -> &'static str {
    match result {
        None => "not covered",
        Some(R::Pass) => "pass",
        Some(R::Fail) => "FAIL",
        Some(R::Waived) => "waived",
    }
}

fn ids(controls: &[ControlResult]) -> String {
    let list: Vec<String> = controls
        .iter()
        .map(|c| match c.result {
            R::Pass => c.id.clone(),
            R::Fail => format!("{} ✗{}", c.id, c.failed),
            R::Waived => format!("{} (waived)", c.id),
        })
        .collect();
    if list.is_empty() {
        "—".to_string()
    } else {
        list.join(", ")
    }
}

fn percent(c: &Coverage) -> usize {
    (c.covered * 100).checked_div(c.subclauses).unwrap_or(100)
}

/// One text row: the heading padded to a column, the result, the controls.
fn text_row(
    out: &mut dyn Write,
    head: &str,
    result: Option<R>,
    controls: &[ControlResult],
) -> io::Result<()> {
    writeln!(out, "{head:<72} {:<12} {}", mark(result), ids(controls))
}

/// Plain text.
pub fn text(c: &Coverage, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "ISO/IEC 20000-1:2018 clauses\n")?;
    for row in &c.clauses {
        let indent = "  ".repeat(row.id.matches('.').count());
        let head = format!("{indent}{} {}", row.id, row.title);
        text_row(out, &head, row.result, &row.controls)?;
    }
    writeln!(out, "\nITIL 4 practices\n")?;
    for p in &c.practices {
        let head = format!("{} ({})", p.name, p.clauses.join(", "));
        text_row(out, &head, p.result, &p.controls)?;
    }
    writeln!(
        out,
        "\ncoverage: {} of {} subclauses have a control ({}%)",
        c.covered,
        c.subclauses,
        percent(c)
    )
}

/// Markdown tables.
pub fn markdown(c: &Coverage, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Coverage\n")?;
    writeln!(
        out,
        "{} of {} subclauses of ISO/IEC 20000-1:2018 have a control ({}%).\n",
        c.covered,
        c.subclauses,
        percent(c)
    )?;
    writeln!(out, "## ISO/IEC 20000-1:2018\n")?;
    writeln!(
        out,
        "| clause | title | result | controls |\n| --- | --- | --- | --- |"
    )?;
    for row in &c.clauses {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.id,
            row.title,
            mark(row.result),
            ids(&row.controls)
        )?;
    }
    writeln!(out, "\n## ITIL 4\n")?;
    writeln!(
        out,
        "| practice | category | clauses | result | controls |\n| --- | --- | --- | --- | --- |"
    )?;
    for p in &c.practices {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            p.name,
            p.category,
            p.clauses.join(", "),
            mark(p.result),
            ids(&p.controls)
        )?;
    }
    Ok(())
}

/// The view of one external framework (`coverage --framework fitsm|cobit2019`), as text.
pub fn external_text(view: &ExternalView, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} ({})\n", view.title, view.attribution)?;
    for row in &view.rows {
        let head = format!("{:<6} {} ({})", row.id, row.title, row.clauses.join(", "));
        text_row(out, &head, row.result, &row.controls)?;
    }
    let reached = view.rows.iter().filter(|r| r.result.is_some()).count();
    writeln!(
        out,
        "\n{reached} of {} reached by a control through ISO/IEC 20000-1",
        view.rows.len()
    )
}

/// The view of one external framework, as a Markdown table.
pub fn external_markdown(view: &ExternalView, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}\n\n{}.\n", view.title, view.attribution)?;
    writeln!(
        out,
        "| id | title | ISO/IEC 20000-1 | result | controls |\n| --- | --- | --- | --- | --- |"
    )?;
    for row in &view.rows {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.id,
            row.title,
            row.clauses.join(", "),
            mark(row.result),
            ids(&row.controls)
        )?;
    }
    Ok(())
}

/// JSON.
pub fn json(c: &Coverage, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, c)?;
    writeln!(out)
}
