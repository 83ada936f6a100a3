//! `attainment`: what the ticket exports show (PRODUCT.md §11).
//!
//! ```yaml
//! applies_to: {kind: ServiceLevelAgreement}
//! check:
//!   attainment: {metrics: [response, resolution]}   # shortfalls against the required share
//! ---
//! applies_to: {kind: TicketSource}
//! check:
//!   attainment: {problems: true}                     # what stopped a measurement
//! ```
//!
//! With `metrics`, every attainment cell (agreement × service × priority × metric × month, and
//! the whole period) below the agreement's required share is a finding on the agreement, at
//! the target, naming the month and the ticket sources. With `problems: true`, every problem
//! the measurement found in an applicable document is: an export that does not exist or
//! cannot be read, a column that is not there, tickets no agreement covers, an agreement that
//! requires a share that no ticket data measures. With `claims: true` (on Records), every
//! measure that names its ticket `source` is recomputed over the record's `period` and a
//! difference beyond its `tolerance` is a finding at the stated value.

use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;
use crate::model;
use crate::tickets::clock::percent;

#[derive(Debug)]
struct Attainment {
    metrics: Vec<String>,
    problems: bool,
    claims: bool,
}

/// Compiles `{metrics: [...]}` or `{problems: true}`.
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let metrics: Vec<String> = params
        .get("metrics")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    for (i, m) in metrics.iter().enumerate() {
        if m != "response" && m != "resolution" {
            return Err(CompileError::at(
                format!("/metrics/{i}"),
                format!("`{m}` is not a metric (`response` or `resolution`)"),
            ));
        }
    }
    let problems = params
        .get("problems")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let claims = params
        .get("claims")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if metrics.is_empty() && !problems && !claims {
        return Err(CompileError::at(
            "",
            "say what to judge: `metrics: [response, resolution]`, `problems: true` or `claims: true`",
        ));
    }
    Ok(Box::new(Attainment {
        metrics,
        problems,
        claims,
    }))
}

impl CheckKind for Attainment {
    fn name(&self) -> &'static str {
        "attainment"
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        let Some(measured) = ctx.tickets() else {
            return;
        };
        for &i in applicable {
            let doc = &ctx.documents[i];
            if self.problems {
                for p in measured
                    .problems
                    .iter()
                    .filter(|p| p.kind == doc.kind && p.id == doc.id)
                {
                    hits.push(Hit::at(i, p.pointer.clone(), p.message.clone()));
                }
            }
            if self.claims {
                claims(measured, i, doc, hits);
            }
            if self.metrics.is_empty() || doc.kind != crate::model::Kind::ServiceLevelAgreement {
                continue;
            }
            for cell in measured
                .of_agreement(&doc.id)
                .iter()
                .filter(|c| self.metrics.contains(&c.metric) && c.short())
            {
                let when = if cell.period == "all" {
                    "over the whole period".to_string()
                } else {
                    format!("in {}", cell.period)
                };
                let sources: Vec<&str> = cell.sources.iter().map(String::as_str).collect();
                let open = if cell.open_breached > 0 {
                    format!(" and {} still open past it", cell.open_breached)
                } else {
                    String::new()
                };
                hits.push(Hit::at(
                    i,
                    cell.at.1.to_string(),
                    format!(
                        "{} {} within {} {when}: {} of {} tickets met it{open} ({}), below the {} required (service `{}`, ticket source {})",
                        cell.priority,
                        cell.metric,
                        cell.target,
                        cell.met,
                        cell.tickets,
                        percent(cell.attainment_bp),
                        percent(cell.required_bp.unwrap_or(0)),
                        cell.service,
                        sources
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
}

/// The days (since 1970-01-01) a record's `period` covers, inclusive.
fn period(doc: &crate::model::Document) -> Option<(i32, i32, String)> {
    use jiff::civil::Date;
    let from: Date = doc.pointer("/spec/period/from")?.as_str()?.parse().ok()?;
    let to: Date = doc.pointer("/spec/period/to")?.as_str()?.parse().ok()?;
    (from <= to).then(|| {
        (
            crate::tickets::day_number(from),
            crate::tickets::day_number(to),
            format!("{from} to {to}"),
        )
    })
}

/// A stated value as a number: `97`, `"97%"`, `"96.5 %"`.
fn number(v: &model::Value) -> Option<f64> {
    match v {
        model::Value::Number(n) => n.as_f64(),
        model::Value::String(s) => s.trim().trim_end_matches('%').trim().parse().ok(),
        _ => None,
    }
}

fn claims(
    measured: &crate::tickets::Measured,
    i: usize,
    doc: &crate::model::Document,
    hits: &mut Vec<Hit>,
) {
    let Some(measures) = doc
        .pointer("/spec/measures")
        .and_then(model::Value::as_array)
    else {
        return;
    };
    for (k, m) in measures.iter().enumerate() {
        let Some(source) = m.get("source").and_then(model::Value::as_str) else {
            continue;
        };
        let at = format!("/spec/measures/{k}");
        if measured.failed_sources.iter().any(|s| s == source) {
            // The source's own problem (SLM-019) is the finding to act on.
            continue;
        }
        if !measured.sources.iter().any(|s| s.id == source) {
            // A source that does not exist or could not be read: SLM-019 and the reference
            // checks say why; the claim cannot be judged.
            hits.push(Hit::at_value(
                i,
                format!("{at}/source"),
                format!(
                    "the figure cannot be checked: TicketSource `{source}` gave no ticket data"
                ),
            ));
            continue;
        }
        let Some((from, to, when)) = period(doc) else {
            hits.push(Hit::at(
                i,
                "/spec",
                "a figure from ticket data needs the record's `period` (`from` and `to` dates) to be recomputed over",
            ));
            continue;
        };
        let metric = m
            .get("metric")
            .and_then(model::Value::as_str)
            .unwrap_or_default();
        let priority = m
            .get("priority")
            .and_then(model::Value::as_str)
            .and_then(|p| p.strip_prefix('P'))
            .and_then(|p| p.parse::<u8>().ok());
        let agreement = m.get("agreement").and_then(model::Value::as_str);
        let Some(stated) = m.get("value").and_then(number) else {
            continue;
        };
        let Some(source_index) = measured.sources.iter().position(|s| s.id == source) else {
            continue;
        };
        if measured.sources[source_index].incomplete {
            // Some of its tickets are not measured because of a finding elsewhere (a
            // misnamed service, a missing calendar): that finding is the one to act on.
            continue;
        }
        let source_index = source_index as u32;
        let (computed, shown, default_tolerance) = match metric {
            "response_attainment" | "resolution_attainment" => {
                let resolution = u8::from(metric == "resolution_attainment");
                let (mut met, mut den) = (0u64, 0u64);
                for o in measured.outcomes_of(source_index).iter().filter(|o| {
                    o.metric == resolution
                        && (from..=to).contains(&o.day)
                        && priority.is_none_or(|p| o.priority == p)
                        && agreement.is_none_or(|a| {
                            measured
                                .agreement_ids
                                .get(o.agreement as usize)
                                .map(String::as_str)
                                == Some(a)
                        })
                }) {
                    met += u64::from(o.met);
                    den += 1;
                }
                if den == 0 {
                    hits.push(Hit::at_value(
                        i,
                        format!("{at}/value"),
                        format!("the ticket data of `{source}` has no tickets measured from {when} to support this figure"),
                    ));
                    continue;
                }
                let pct = met as f64 * 100.0 / den as f64;
                (pct, format!("{pct:.2} % ({met} of {den} tickets)"), 0.5)
            }
            "backlog" | "tickets_opened" | "tickets_resolved" => {
                let days = measured.ticket_days_of(source_index).iter();
                let n = match metric {
                    "backlog" => days.filter(|d| d.1 <= to && d.2 > to).count(),
                    "tickets_opened" => days.filter(|d| (from..=to).contains(&d.1)).count(),
                    _ => days.filter(|d| (from..=to).contains(&d.2)).count(),
                };
                (n as f64, format!("{n}"), 0.0)
            }
            _ => continue,
        };
        let tolerance = m
            .get("tolerance")
            .and_then(model::Value::as_f64)
            .unwrap_or(default_tolerance);
        if (stated - computed).abs() > tolerance + 1e-9 {
            let name = m
                .get("name")
                .and_then(model::Value::as_str)
                .unwrap_or("the figure");
            hits.push(Hit::at_value(
                i,
                format!("{at}/value"),
                format!(
                    "`{name}` states {}, but the tickets of `{source}` give {shown} from {when}{} (tolerance {tolerance})",
                    m.get("value").map(ToString::to_string).unwrap_or_default(),
                    priority.map(|p| format!(" for P{p}")).unwrap_or_default()
                ),
            ));
        }
    }
}
