//! `evident sla explain TICKET`: one ticket's rows, and for each agreement and target the
//! clock interval by interval — what a service manager needs when a customer disputes a
//! breach.

use serde::Serialize;

use super::clock::{self, Calendar, Minute};
use super::read::TraceRow;
use super::{Clocked, Files, Setup, clock_ticket, pauses_within, read_source};
use crate::model::Document;

/// A stretch of the clock.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    /// Start (local time of the calendar).
    pub from: String,
    /// End.
    pub to: String,
    /// `counted` (working time) or `paused` (working time in a pause state).
    pub kind: &'static str,
    /// Business minutes.
    pub minutes: i64,
}

/// One target, clocked.
#[derive(Debug, Clone, Serialize)]
pub struct MetricClock {
    /// The agreement.
    pub agreement: String,
    /// Its calendar (`24x7` when it names none).
    pub calendar: String,
    /// `response` or `resolution`.
    pub metric: String,
    /// The target as written.
    pub target: String,
    /// The outcome.
    #[serde(flatten)]
    pub clocked: Clocked,
    /// The deadline in the calendar's local time.
    pub deadline_local: Option<String>,
    /// The working stretches counted and paused, in order.
    pub segments: Vec<Segment>,
}

/// Everything about one ticket in one source.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The source.
    pub source: String,
    /// The ticket.
    pub ticket: String,
    /// Its rows, in file order, with the reason for any that is not used.
    pub rows: Vec<TraceRow>,
    /// Why the whole ticket is not measured, when it is not.
    pub rejected: Option<String>,
    /// Derived facts: opened, resolved, responded (UTC), priority, service, pauses.
    pub opened: Option<String>,
    /// When resolved.
    pub resolved: Option<String>,
    /// When first responded to.
    pub responded: Option<String>,
    /// `P1`…
    pub priority: Option<String>,
    /// Service id.
    pub service: Option<String>,
    /// Paused intervals (UTC).
    pub pauses: Vec<(String, String)>,
    /// The end of the data, at which open tickets are judged.
    pub end_of_data: Option<String>,
    /// Per agreement and metric.
    pub clocks: Vec<MetricClock>,
}

fn utc(t: Minute) -> String {
    if t == Minute::MAX {
        return "end of data".into();
    }
    clock::display(&jiff::tz::TimeZone::UTC, t)
}

fn segments(cal: &Calendar, from: Minute, to: Minute, paused: &[(Minute, Minute)]) -> Vec<Segment> {
    let mut c = cal.clock();
    let mut out = Vec::new();
    for (a, b) in c.spans(from, to) {
        // Split the working span at pause boundaries.
        let mut t = a;
        let mut cuts: Vec<Minute> = paused
            .iter()
            .flat_map(|&(p, q)| [p, q])
            .filter(|&x| x > a && x < b)
            .collect();
        cuts.push(b);
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts {
            if cut <= t {
                continue;
            }
            let is_paused = paused.iter().any(|&(p, q)| p <= t && t < q);
            let kind = if is_paused { "paused" } else { "counted" };
            match out.last_mut() {
                Some(Segment {
                    kind: k,
                    to,
                    minutes,
                    ..
                }) if *k == kind && *to == clock::display(&cal.tz, t) => {
                    *to = clock::display(&cal.tz, cut);
                    *minutes += cut - t;
                }
                _ => out.push(Segment {
                    from: clock::display(&cal.tz, t),
                    to: clock::display(&cal.tz, cut),
                    kind,
                    minutes: cut - t,
                }),
            }
            t = cut;
        }
    }
    out
}

/// Explains `ticket` from every source that has it (or only `source`).
pub fn explain(
    docs: &[Document],
    files: &dyn Files,
    ticket: &str,
    source: Option<&str>,
) -> anyhow::Result<Vec<Explanation>> {
    let setup = Setup::new(docs);
    if let Some(p) = setup
        .problems
        .iter()
        .find(|p| p.kind == crate::model::Kind::TicketSource)
    {
        anyhow::bail!("TicketSource `{}` at {}: {}", p.id, p.pointer, p.message);
    }
    let mut out = Vec::new();
    for (_, spec) in setup.sources() {
        if source.is_some_and(|s| s != spec.id) {
            continue;
        }
        let export = read_source(spec, files, Some(ticket))
            .map_err(|p| anyhow::anyhow!("TicketSource `{}`: {}", p.id, p.message))?;
        if export.trace.is_empty() {
            continue;
        }
        let end = export.end.unwrap_or(0);
        let mut e = Explanation {
            source: spec.id.clone(),
            ticket: ticket.to_string(),
            rows: export.trace.clone(),
            rejected: None,
            opened: None,
            resolved: None,
            responded: None,
            priority: None,
            service: None,
            pauses: Vec::new(),
            end_of_data: export.end.map(utc),
            clocks: Vec::new(),
        };
        let Some(t) = export.tickets.iter().find(|t| t.id == ticket) else {
            let reasons: Vec<String> = export
                .rejected
                .iter()
                .filter(|(_, r)| {
                    r.first.iter().any(|l| {
                        export
                            .trace
                            .iter()
                            .any(|row| row.row == l.row && row.path == l.path)
                    })
                })
                .map(|(k, r)| {
                    let l = r.first.iter().find(|l| {
                        export
                            .trace
                            .iter()
                            .any(|row| row.row == l.row && row.path == l.path)
                    });
                    match l {
                        Some(l) => format!("{k} (at {l})"),
                        None => k.to_string(),
                    }
                })
                .collect();
            e.rejected = Some(if reasons.is_empty() {
                "the ticket is not measured: every row of it was rejected (see the rows)".into()
            } else {
                format!("the ticket is not measured: {}", reasons.join("; "))
            });
            out.push(e);
            continue;
        };
        e.opened = Some(utc(t.opened));
        e.resolved = t.resolved.map(utc);
        e.responded = t.responded.map(utc);
        e.priority = Some(format!("P{}", t.priority));
        e.service = Some(t.service.to_string());
        e.pauses = t.pauses.iter().map(|&(a, b)| (utc(a), utc(b))).collect();
        for &a in &setup.covering(t) {
            let ag = &setup.agreements[a];
            let Some(calendar) = ag.calendar else {
                continue;
            };
            let cal = &setup.calendars[calendar];
            let Some(pt) = ag.targets.get(&t.priority) else {
                continue;
            };
            for (metric, target, stop) in [
                (
                    "response",
                    pt.response.as_ref().filter(|_| spec.measures_response()),
                    t.responded.or(t.resolved),
                ),
                ("resolution", pt.resolution.as_ref(), t.resolved),
            ] {
                let Some((target, text)) = target else {
                    continue;
                };
                let mut c = cal.clock();
                let clocked = clock_ticket(&mut c, t, stop, target, end, true);
                let until = stop.unwrap_or(end).max(t.opened);
                let paused = pauses_within(&t.pauses, t.opened, until);
                e.clocks.push(MetricClock {
                    agreement: ag.doc.id.clone(),
                    calendar: cal.id.clone(),
                    metric: metric.to_string(),
                    target: text.clone(),
                    deadline_local: clocked.deadline.map(|d| clock::display(&cal.tz, d)),
                    clocked,
                    segments: segments(cal, t.opened, until, &paused),
                });
            }
        }
        out.push(e);
    }
    Ok(out)
}
