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
//! requires a share that no ticket data measures.

use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;

#[derive(Debug)]
struct Attainment {
    metrics: Vec<String>,
    problems: bool,
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
    if metrics.is_empty() && !problems {
        return Err(CompileError::at(
            "",
            "say what to judge: `metrics: [response, resolution]` or `problems: true`",
        ));
    }
    Ok(Box::new(Attainment { metrics, problems }))
}

fn percent(bp: i64) -> String {
    if bp % 100 == 0 {
        format!("{} %", bp / 100)
    } else {
        format!("{}.{:02} %", bp / 100, bp % 100)
    }
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
            if self.metrics.is_empty() || doc.kind != crate::model::Kind::ServiceLevelAgreement {
                continue;
            }
            for cell in measured
                .attainment
                .iter()
                .filter(|c| c.agreement == doc.id && self.metrics.contains(&c.metric) && c.short())
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
                    cell.at.1.clone(),
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
