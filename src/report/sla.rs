//! `evident sla report`: attainment and KPIs from ticket exports (PRODUCT.md §11.4), as text,
//! JSON (the contract), CSV, Markdown or an HTML section with charts.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::tickets::{Attainment, Measured};

pub use crate::tickets::clock::percent;

/// A required share as JSON: an integer percentage when whole (`95`), else a number.
fn required_json(bp: i64) -> Value {
    if bp % 100 == 0 {
        json!(bp / 100)
    } else {
        json!(bp as f64 / 100.0)
    }
}

/// The JSON contract: keys sorted, integers only (except a fractional required share).
pub fn json(measured: &Measured, as_of: &str) -> Value {
    let attainment: Vec<Value> = measured
        .attainment
        .iter()
        .map(|a| {
            let mut v = json!({
                "agreement": a.agreement, "service": a.service, "priority": a.priority,
                "metric": a.metric, "period": a.period, "target": a.target,
                "tickets": a.tickets, "met": a.met, "open_breached": a.open_breached,
                "attainment_bp": a.attainment_bp,
            });
            if let Some(r) = a.required_bp {
                v["required"] = required_json(r);
            }
            v
        })
        .collect();
    json!({
        "as_of": as_of,
        "sources": measured.sources,
        "attainment": attainment,
        "kpis": measured.kpis,
        "missed": measured.missed.len(),
        "problems": measured.problems,
    })
}

/// One CSV line, quoting where needed (RFC 4180).
fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

/// The attainment table as CSV.
pub fn attainment_csv(measured: &Measured) -> String {
    let mut out = csv_line(
        &[
            "agreement",
            "service",
            "priority",
            "metric",
            "period",
            "target",
            "required_bp",
            "tickets",
            "met",
            "open_breached",
            "attainment_bp",
        ]
        .map(String::from),
    );
    for a in &measured.attainment {
        out.push_str(&csv_line(&[
            a.agreement.clone(),
            a.service.clone(),
            a.priority.clone(),
            a.metric.clone(),
            a.period.clone(),
            a.target.clone(),
            a.required_bp.map(|r| r.to_string()).unwrap_or_default(),
            a.tickets.to_string(),
            a.met.to_string(),
            a.open_breached.to_string(),
            a.attainment_bp.to_string(),
        ]));
    }
    out
}

/// The KPIs as CSV.
pub fn kpis_csv(measured: &Measured) -> String {
    let mut out = csv_line(
        &[
            "source",
            "period",
            "opened",
            "resolved",
            "backlog",
            "reopened",
            "reassigned",
            "first_contact",
            "paused_bp",
            "changes",
            "changes_successful",
            "change_success_bp",
        ]
        .map(String::from),
    );
    for k in &measured.kpis {
        out.push_str(&csv_line(&[
            k.source.clone(),
            k.period.clone(),
            k.opened.to_string(),
            k.resolved.to_string(),
            k.backlog.to_string(),
            k.reopened.to_string(),
            k.reassigned.to_string(),
            k.first_contact.map(|f| f.to_string()).unwrap_or_default(),
            k.paused_bp.to_string(),
            k.changes.map(|v| v.to_string()).unwrap_or_default(),
            k.changes_successful
                .map(|v| v.to_string())
                .unwrap_or_default(),
            k.change_success_bp
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ]));
    }
    out
}

/// The missed tickets as CSV (for `results/sla/missed.csv`).
pub fn missed_csv(measured: &Measured) -> String {
    let mut out = csv_line(
        &[
            "agreement",
            "source",
            "ticket",
            "priority",
            "metric",
            "period",
            "status",
            "elapsed_minutes",
            "target_minutes",
        ]
        .map(String::from),
    );
    for m in &measured.missed {
        out.push_str(&csv_line(&[
            m.agreement.clone(),
            m.source.clone(),
            m.ticket.clone(),
            m.priority.clone(),
            m.metric.clone(),
            m.period.clone(),
            m.status.to_string(),
            m.elapsed.to_string(),
            m.target_minutes.to_string(),
        ]));
    }
    out
}

/// Agreement, service, metric.
type GroupKey<'a> = (&'a str, &'a str, &'a str);

/// The cells of one agreement × service × metric, grouped for tables.
fn groups(measured: &Measured) -> Vec<(GroupKey<'_>, Vec<&Attainment>)> {
    let mut out: Vec<(GroupKey<'_>, Vec<&Attainment>)> = Vec::new();
    for a in &measured.attainment {
        let key = (a.agreement.as_str(), a.service.as_str(), a.metric.as_str());
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(a),
            None => out.push((key, vec![a])),
        }
    }
    out
}

fn status(a: &Attainment) -> &'static str {
    match a.required_bp {
        None => "",
        Some(_) if a.short() => "SHORT",
        Some(_) => "ok",
    }
}

/// For a terminal.
pub fn text(measured: &Measured, as_of: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Ticket data as of {as_of}");
    for s in &measured.sources {
        let files: Vec<String> = s
            .files
            .iter()
            .map(|f| format!("{} ({} rows, {} bytes)", f.path, f.rows, f.bytes))
            .collect();
        let _ = writeln!(
            out,
            "\nsource {}: {} tickets from {} rows of {}",
            s.id,
            s.tickets,
            s.rows,
            files.join(", ")
        );
        let rejected: u64 = s.rejected.values().sum();
        if rejected > 0 {
            let _ = writeln!(
                out,
                "  rejected {rejected} rows ({} of rows; limit {}):",
                percent(s.rejected_bp),
                percent(s.max_rejected_bp)
            );
            for (reason, n) in &s.rejected {
                let _ = writeln!(out, "    {reason}: {n}");
                for l in s.rejected_at.get(reason).into_iter().flatten() {
                    let _ = writeln!(out, "      at {l}");
                }
            }
        }
        for w in &s.warnings {
            let _ = writeln!(out, "  warning: {w}");
        }
        if let Some(v) = &s.verdicts {
            let _ = writeln!(
                out,
                "  against the tool's own verdict (resolution): both met {}, both missed {}, tool met but Evident missed {}, tool missed but Evident met {}",
                v.both_met, v.both_missed, v.tool_met_evident_missed, v.tool_missed_evident_met
            );
        }
    }
    for ((agreement, service, metric), cells) in groups(measured) {
        let _ = writeln!(out, "\n{agreement} · {service} · {metric}");
        let _ = writeln!(
            out,
            "  {:<8} {:<8} {:>7} {:>7} {:>6} {:>5} {:>9} {:>9}  status",
            "priority", "period", "target", "tickets", "met", "open", "attained", "required"
        );
        for a in cells.iter().filter(|a| a.period == "all" || a.short()) {
            let _ = writeln!(
                out,
                "  {:<8} {:<8} {:>7} {:>7} {:>6} {:>5} {:>9} {:>9}  {}",
                a.priority,
                a.period,
                a.target,
                a.tickets,
                a.met,
                a.open_breached,
                percent(a.attainment_bp),
                a.required_bp.map(percent).unwrap_or_else(|| "-".into()),
                status(a)
            );
        }
    }
    if !measured.kpis.is_empty() {
        let _ = writeln!(out, "\nKPIs per month");
        let _ = writeln!(
            out,
            "  {:<24} {:<8} {:>7} {:>8} {:>8} {:>8} {:>10} {:>7}",
            "source", "period", "opened", "resolved", "backlog", "reopened", "reassigned", "paused"
        );
        for k in &measured.kpis {
            let changes = change_success(k)
                .map(|(s, n, rate)| format!("  changes: {s} of {n} successful ({rate})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<24} {:<8} {:>7} {:>8} {:>8} {:>8} {:>10} {:>7}{changes}",
                k.source,
                k.period,
                k.opened,
                k.resolved,
                k.backlog,
                k.reopened,
                k.reassigned,
                percent(k.paused_bp)
            );
        }
    }
    for p in &measured.problems {
        let _ = writeln!(
            out,
            "\nproblem: {} `{}` at {}: {}",
            p.kind, p.id, p.pointer, p.message
        );
    }
    let short = measured.attainment.iter().filter(|a| a.short()).count();
    let _ = writeln!(
        out,
        "\n{} attainment cells, {short} below the required share; {} missed tickets",
        measured.attainment.len(),
        measured.missed.len()
    );
    out
}

/// Markdown tables.
pub fn markdown(measured: &Measured, as_of: &str) -> String {
    let mut out = format!("# Service level attainment (as of {as_of})\n\n## Sources\n\n");
    out.push_str(
        "| source | tickets | rows | rejected | files |\n| --- | ---: | ---: | --- | --- |\n",
    );
    for s in &measured.sources {
        let rejected: Vec<String> = s
            .rejected
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect();
        let files: Vec<String> = s
            .files
            .iter()
            .map(|f| {
                format!(
                    "`{}` ({} rows, sha256 `{}…`)",
                    f.path,
                    f.rows,
                    &f.sha256[..12]
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            s.id,
            s.tickets,
            s.rows,
            if rejected.is_empty() {
                "none".into()
            } else {
                rejected.join(", ")
            },
            files.join("<br>")
        );
    }
    for ((agreement, service, metric), cells) in groups(measured) {
        let _ = writeln!(out, "\n## {agreement} · {service} · {metric}\n");
        out.push_str("| priority | period | target | tickets | met | open breached | attained | required | status |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for a in cells {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                a.priority,
                a.period,
                a.target,
                a.tickets,
                a.met,
                a.open_breached,
                percent(a.attainment_bp),
                a.required_bp.map(percent).unwrap_or_else(|| "–".into()),
                status(a)
            );
        }
    }
    if !measured.kpis.is_empty() {
        out.push_str("\n## KPIs per month\n\n| source | period | opened | resolved | backlog | reopened | reassigned | paused |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for k in &measured.kpis {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                k.source,
                k.period,
                k.opened,
                k.resolved,
                k.backlog,
                k.reopened,
                k.reassigned,
                percent(k.paused_bp)
            );
        }
    }
    out
}

/// The charts of one agreement × service × metric: attainment per priority per month
/// against the required share (when all priorities share one), and a backlog trend per
/// source. Inline SVG, no external asset.
pub fn charts(measured: &Measured) -> Vec<(String, String)> {
    use crate::report::svg;
    let mut out = Vec::new();
    for (n, ((agreement, service, metric), cells)) in groups(measured).into_iter().enumerate() {
        let mut months: Vec<String> = cells
            .iter()
            .filter(|a| a.period != "all")
            .map(|a| a.period.clone())
            .collect();
        months.sort();
        months.dedup();
        let mut priorities: Vec<&str> = cells.iter().map(|a| a.priority.as_str()).collect();
        priorities.sort_unstable();
        priorities.dedup();
        let series: Vec<svg::Series> = priorities
            .iter()
            .map(|p| svg::Series {
                label: (*p).to_string(),
                points: months
                    .iter()
                    .map(|m| {
                        cells
                            .iter()
                            .find(|a| {
                                a.priority == *p
                                    && a.period == *m
                                    && a.tickets + a.open_breached > 0
                            })
                            .map(|a| a.attainment_bp)
                    })
                    .collect(),
            })
            .collect();
        let mut required: Vec<Option<i64>> = cells.iter().map(|a| a.required_bp).collect();
        required.sort_unstable();
        required.dedup();
        let required = if required.len() == 1 {
            required[0]
        } else {
            None
        };
        let title = format!("{metric} attainment per priority per month: {agreement}, {service}");
        out.push((
            title.clone(),
            svg::lines(&format!("sla-{n}"), &title, &months, &series, required),
        ));
    }
    let mut sources: Vec<&str> = measured.kpis.iter().map(|k| k.source.as_str()).collect();
    sources.dedup();
    for (n, s) in sources.into_iter().enumerate() {
        let rows: Vec<&crate::tickets::Kpi> =
            measured.kpis.iter().filter(|k| k.source == s).collect();
        let months: Vec<String> = rows.iter().map(|k| k.period.clone()).collect();
        let values: Vec<u64> = rows.iter().map(|k| k.backlog).collect();
        let title = format!("Backlog at month end: {s}");
        out.push((
            title.clone(),
            svg::columns(&format!("backlog-{n}"), &title, &months, &values),
        ));
    }
    out
}

/// (successful, closed, rate) of a month's changes, when the source holds changes and some
/// closed.
fn change_success(k: &crate::tickets::Kpi) -> Option<(u64, u64, String)> {
    match (k.changes, k.changes_successful) {
        (Some(n), Some(s)) if n > 0 => Some((s, n, percent(k.change_success_bp.unwrap_or(0)))),
        _ => None,
    }
}

/// A chart with its title as the caption.
fn figure(out: &mut String, title: &str, svg: &str) {
    let _ = write!(
        out,
        "<figure class=\"chart\">{svg}<figcaption>{}</figcaption></figure>",
        crate::report::svg::xml(title)
    );
}

/// The HTML section (tables and charts) for the auditor's report and `sla report --format html`.
pub fn html_section(measured: &Measured) -> String {
    use crate::report::svg::xml;
    let mut out = String::new();
    out.push_str("<h3>Sources</h3><table><thead><tr><th>source</th><th>tickets</th><th>rows</th><th>rejected</th><th>files (SHA-256)</th></tr></thead><tbody>");
    for s in &measured.sources {
        let rejected: Vec<String> = s
            .rejected
            .iter()
            .map(|(k, n)| {
                let at = s
                    .rejected_at
                    .get(k)
                    .and_then(|l| l.first())
                    .map(|l| format!(" (first at {l})"))
                    .unwrap_or_default();
                format!("{k}: {n}{at}")
            })
            .collect();
        let files: Vec<String> = s
            .files
            .iter()
            .map(|f| {
                format!(
                    "<code>{}</code> {} rows <code>{}</code>",
                    xml(&f.path),
                    f.rows,
                    f.sha256
                )
            })
            .collect();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            xml(&s.id),
            s.tickets,
            s.rows,
            if rejected.is_empty() {
                "none".into()
            } else {
                xml(&rejected.join("; "))
            },
            files.join("<br>")
        );
    }
    out.push_str("</tbody></table>");
    let charts = charts(measured);
    let groups = groups(measured);
    for (n, ((agreement, service, metric), cells)) in groups.iter().enumerate() {
        let _ = write!(
            out,
            "<h3>{} · {} · {}</h3>",
            xml(agreement),
            xml(service),
            xml(metric)
        );
        if let Some((title, svg)) = charts.get(n) {
            figure(&mut out, title, svg);
        }
        out.push_str("<table><thead><tr><th>priority</th><th>period</th><th>target</th><th>tickets</th><th>met</th><th>open breached</th><th>attained</th><th>required</th><th>status</th></tr></thead><tbody>");
        for a in cells.iter().filter(|a| a.period == "all" || a.short()) {
            let _ = write!(
                out,
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if a.short() { "fail" } else { "pass" },
                xml(&a.priority),
                xml(&a.period),
                xml(&a.target),
                a.tickets,
                a.met,
                a.open_breached,
                percent(a.attainment_bp),
                a.required_bp.map(percent).unwrap_or_else(|| "–".into()),
                status(a)
            );
        }
        out.push_str("</tbody></table>");
    }
    if !measured.kpis.is_empty() {
        out.push_str("<h3>KPIs per month</h3><table><thead><tr><th>source</th><th>month</th><th>opened</th><th>resolved</th><th>backlog</th><th>reopened</th><th>reassigned</th><th>paused</th><th>change success</th></tr></thead><tbody>");
        for k in &measured.kpis {
            let changes = change_success(k)
                .map(|(s, n, rate)| format!("{s} of {n} ({rate})"))
                .unwrap_or_else(|| "–".into());
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                xml(&k.source),
                xml(&k.period),
                k.opened,
                k.resolved,
                k.backlog,
                k.reopened,
                k.reassigned,
                percent(k.paused_bp),
                changes
            );
        }
        out.push_str("</tbody></table>");
        // The backlog charts follow the attainment charts.
        for (title, svg) in charts.iter().skip(groups.len()) {
            figure(&mut out, title, svg);
        }
    }
    out
}
