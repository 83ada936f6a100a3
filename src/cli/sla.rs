//! `evident sla report` and `evident sla explain`: ticket exports measured against the SLAs
//! (PRODUCT.md §11).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};
use jiff::civil::Date;

use evident::report::sla;
use evident::report::text::escape;
use evident::tickets::explain::Explanation;

use super::output::write_atomically;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, parse_date, repository_root, today};

#[derive(Subcommand, Debug)]
pub(crate) enum SlaCommand {
    /// Attainment per agreement × service × priority × metric × month, and KPIs per month,
    /// from the exports the repository's TicketSources declare.
    #[command(
        after_help = "Exit codes: 0 every required share met · 1 a share below what an agreement requires · 2 the data cannot be measured (a missing export, a missing column, too many rejected rows) or a usage error."
    )]
    Report {
        /// Repository root (default: the nearest folder up holding `evident.yaml`).
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SlaFormat::Text, env = "EVIDENT_FORMAT")]
        format: SlaFormat,
        /// Write the report to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Measure the documents and exports as they are at this git revision.
        #[arg(long, value_name = "REV")]
        rev: Option<String>,
        /// The date printed in the report (default: `as_of` in `evident.yaml`, else today).
        #[arg(long, value_parser = parse_date, env = "EVIDENT_AS_OF")]
        as_of: Option<Date>,
    },
    /// One ticket's clock: its rows, the intervals counted and paused, the deadline, met or
    /// missed, for every agreement that covers it.
    Explain {
        /// The ticket number, e.g. `INC0000045`.
        ticket: String,
        /// Repository root (default: the nearest folder up holding `evident.yaml`).
        path: Option<PathBuf>,
        /// Only this TicketSource.
        #[arg(long, value_name = "ID")]
        source: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
    },
    /// List the presets of `TicketSource.spec.preset` and the columns each reads.
    Presets,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SlaFormat {
    Text,
    Json,
    /// The attainment table (one row per cell).
    Csv,
    Markdown,
    /// A self-contained page with the tables and charts.
    Html,
    /// Every ticket that missed a target (CSV): agreement, ticket, month, elapsed, target.
    Missed,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExplainFormat {
    Text,
    Json,
}

pub(crate) fn run(cmd: &SlaCommand, quiet: bool) -> Result<u8> {
    match cmd {
        SlaCommand::Report {
            path,
            format,
            output,
            rev,
            as_of,
        } => report(
            path.as_deref(),
            *format,
            output.as_deref(),
            rev.as_deref(),
            *as_of,
            quiet,
        ),
        SlaCommand::Explain {
            ticket,
            path,
            source,
            format,
        } => explain(ticket, path.as_deref(), source.as_deref(), *format, quiet),
        SlaCommand::Presets => presets(),
    }
}

fn report(
    path: Option<&std::path::Path>,
    format: SlaFormat,
    output: Option<&std::path::Path>,
    rev: Option<&str>,
    as_of: Option<Date>,
    quiet: bool,
) -> Result<u8> {
    let root = repository_root(path, quiet)?;
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    let run = evident::sla_report(&root, rev, today(), as_of)?;
    let measured = &run.measured;
    if measured.sources.is_empty() && measured.problems.is_empty() {
        bail!(
            "`{}` has no TicketSource document, so there is no ticket data to measure (see `evident schema TicketSource` and `evident sla presets`)",
            root.display()
        );
    }
    let as_of = run.as_of.to_string();
    let body = match format {
        SlaFormat::Text => sla::text(measured, &as_of),
        SlaFormat::Json => {
            let mut s = serde_json::to_string_pretty(&sla::json(measured, &as_of))?;
            s.push('\n');
            s
        }
        SlaFormat::Csv => sla::attainment_csv(measured),
        SlaFormat::Missed => sla::missed_csv(measured),
        SlaFormat::Markdown => sla::markdown(measured, &as_of),
        SlaFormat::Html => format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Service level attainment</title><style>{}</style></head><body><h1>Service level attainment</h1><p>As of {}.</p>{}</body></html>\n",
            STYLE,
            evident::report::svg::xml(&as_of),
            sla::html_section(measured)
        ),
    };
    match output {
        Some(file) => write_atomically(file, body.as_bytes())?,
        None => {
            let mut out = anstream::stdout().lock();
            let body = if matches!(format, SlaFormat::Text) {
                escape_lines(&body)
            } else {
                body
            };
            out.write_all(body.as_bytes())?;
            out.flush()?;
        }
    }
    if measured
        .problems
        .iter()
        .any(|p| p.kind == evident::model::Kind::TicketSource)
    {
        if !quiet {
            for p in &measured.problems {
                let _ = writeln!(
                    anstream::stderr(),
                    "error: {} `{}` at {}: {}",
                    p.kind,
                    escape(&p.id),
                    p.pointer,
                    escape(&p.message)
                );
            }
        }
        return Ok(EXIT_ERROR);
    }
    Ok(if measured.attainment.iter().any(|a| a.short()) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Text for a terminal: what the exports say (states, ids) is escaped line by line, so that
/// no control character from a file reaches the terminal.
fn escape_lines(text: &str) -> String {
    text.lines()
        .map(|l| escape(l).into_owned() + "\n")
        .collect()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2933}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #c9d3dd;padding:.25rem .5rem;text-align:left}tr.fail td{font-weight:600}figure.chart{margin:1rem 0}";

fn explain(
    ticket: &str,
    path: Option<&std::path::Path>,
    source: Option<&str>,
    format: ExplainFormat,
    quiet: bool,
) -> Result<u8> {
    let root = repository_root(path, quiet)?;
    let found = evident::sla_explain(&root, ticket, source)?;
    if found.is_empty() {
        bail!(
            "no ticket `{ticket}` in the exports of `{}`",
            root.display()
        );
    }
    let mut out = anstream::stdout().lock();
    match format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &found)?;
            writeln!(out)?;
        }
        ExplainFormat::Text => {
            for e in &found {
                out.write_all(escape_lines(&explain_text(e)).as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn explain_text(e: &Explanation) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "ticket {} in source {}", e.ticket, e.source);
    let _ = writeln!(s, "\nrows (file order):");
    for r in &e.rows {
        let when = r
            .time
            .map(|t| evident::tickets::clock::display(&jiff::tz::TimeZone::UTC, t))
            .unwrap_or_else(|| "-".into());
        let order = r.order.map(|o| format!(" #{o}")).unwrap_or_default();
        let sub = if r.substate.is_empty() {
            String::new()
        } else {
            format!(" / {}", r.substate)
        };
        let rejected = r
            .rejected
            .map(|x| format!("  [rejected: {x}]"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {}:{}{order}  {when}  {}{sub}{rejected}",
            r.path, r.row, r.state
        );
    }
    if let Some(why) = &e.rejected {
        let _ = writeln!(s, "\n{why}");
        return s;
    }
    let _ = writeln!(
        s,
        "\npriority {}, service {}\nopened    {}\nresponded {}\nresolved  {}\nend of data {}",
        e.priority.as_deref().unwrap_or("-"),
        e.service.as_deref().unwrap_or("-"),
        e.opened.as_deref().unwrap_or("-"),
        e.responded.as_deref().unwrap_or("-"),
        e.resolved.as_deref().unwrap_or("(open)"),
        e.end_of_data.as_deref().unwrap_or("-"),
    );
    for (a, b) in &e.pauses {
        let _ = writeln!(s, "paused    {a} → {b}");
    }
    if e.clocks.is_empty() {
        let _ = writeln!(
            s,
            "\nno agreement covers this ticket's service and priority at its opening"
        );
    }
    for c in &e.clocks {
        let _ = writeln!(
            s,
            "\n{} {} (target {} = {} business minutes on calendar {}):",
            c.agreement, c.metric, c.target, c.clocked.target, c.calendar
        );
        for seg in &c.segments {
            let _ = writeln!(
                s,
                "  {:<7} {} → {}  {:>6} min",
                seg.kind, seg.from, seg.to, seg.minutes
            );
        }
        let _ = writeln!(
            s,
            "  elapsed {} business minutes; deadline {}; {}{}",
            c.clocked.elapsed,
            c.deadline_local.as_deref().unwrap_or("-"),
            c.clocked.status.to_uppercase(),
            c.clocked
                .period
                .as_deref()
                .map(|p| format!(" (counts in {p})"))
                .unwrap_or_default()
        );
    }
    s
}

fn presets() -> Result<u8> {
    let mut out = anstream::stdout().lock();
    for p in evident::tickets::source::PRESETS {
        writeln!(out, "{} (system {}, layout {})", p.name, p.system, p.layout)?;
        writeln!(out, "  {}", p.about)?;
        writeln!(
            out,
            "  timestamps: {}",
            p.timestamp_format.unwrap_or("ISO 8601 / RFC 3339")
        )?;
        for (field, column) in p.fields {
            writeln!(out, "  {field:<20} ← {column}")?;
        }
        let prios: Vec<String> = p
            .priorities
            .iter()
            .map(|(k, v)| format!("{k} → {v}"))
            .collect();
        writeln!(out, "  priorities: {}", prios.join(", "))?;
        writeln!(
            out,
            "  pause: {}; resolved: {}; rejected: {}\n",
            p.pause_states.join(", "),
            p.resolved_states.join(", "),
            if p.reject_states.is_empty() {
                "none".into()
            } else {
                p.reject_states.join(", ")
            }
        )?;
    }
    Ok(EXIT_OK)
}
