//! Attainment and KPIs, tallied ticket by ticket as the reader derives them (PRODUCT.md
//! §11.3.5–7): resolved tickets are clocked at once; open ones wait for the end of the data,
//! at which they are judged. So memory grows with open tickets, not with events.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::tz::TimeZone;

use super::clock::{self, Clock, Minute};
use super::read::{Ticket, TicketSink};
use super::source::Spec;
use super::{Kpi, Miss, Outcome, Setup, Verdicts, clock_ticket, day_number, pauses_within};

/// An agreement (index), service, priority and metric (0 response, 1 resolution).
pub(super) type Series = (u32, Arc<str>, u8, u8);

/// What every cell of a series shares.
pub(super) struct SeriesMeta {
    pub(super) target: String,
    pub(super) required_bp: Option<i64>,
    pub(super) pointer: String,
    pub(super) sources: BTreeSet<String>,
}

/// The month key of the whole period.
pub(super) const ALL_MONTHS: i32 = i32::MAX;

use crate::FastMap as Fast;

/// Per month of a source: the KPI counters.
#[derive(Debug, Clone, Default)]
struct Month {
    opened: u64,
    resolved: u64,
    backlog_delta: i64,
    reopened: u64,
    reassigned: u64,
    first_contact: u64,
    paused: i64,
    open_time: i64,
    changes: u64,
    changes_successful: u64,
}

/// The tally of one source.
pub(super) struct Tally<'a, 'd> {
    setup: &'a Setup<'d>,
    spec: &'a Spec,
    /// The clocks of the calendars this source's tickets are measured on, laid out on first
    /// use (a repository of a thousand units has a thousand calendars, and a source uses one).
    clocks: Fast<usize, Clock<'a>>,
    source_index: u32,
    tz: TimeZone,
    /// (resolved, met, open breached) per series and month.
    pub(super) counts: Fast<(Series, i32), (u64, u64, u64)>,
    pub(super) metas: Fast<Series, SeriesMeta>,
    pub(super) outcomes: Vec<Outcome>,
    pub(super) missed: Vec<Miss>,
    pub(super) verdicts: Verdicts,
    pub(super) uncovered: BTreeMap<String, u64>,
    /// Tickets under an agreement that sets no target for their priority, per (agreement
    /// index, priority): counted, so that none is left out unsaid.
    pub(super) untargeted: BTreeMap<(usize, u8), u64>,
    pub(super) ticket_days: Vec<(u32, i32, i32)>,
    pub(super) tickets: u64,
    /// Tickets covered by an agreement that cannot be clocked (its calendar is missing or
    /// broken, a finding of its own): figures from this source are incomplete.
    pub(super) incomplete: bool,
    months: BTreeMap<i32, Month>,
    /// Open tickets, judged at the end of the data.
    open: Vec<Ticket>,
}

fn month_of(tz: &TimeZone, t: Minute) -> i32 {
    clock::month_index(clock::local_date(tz, t))
}

impl<'a, 'd> Tally<'a, 'd> {
    /// A tally of source number `source_index`.
    pub(super) fn new(setup: &'a Setup<'d>, spec: &'a Spec, source_index: u32) -> Self {
        Tally {
            setup,
            spec,
            clocks: Fast::default(),
            source_index,
            tz: spec
                .timezone
                .as_deref()
                .and_then(|z| clock::time_zone(z).ok())
                .unwrap_or(TimeZone::UTC),
            counts: Fast::default(),
            metas: Fast::default(),
            outcomes: Vec::new(),
            missed: Vec::new(),
            verdicts: Verdicts::default(),
            uncovered: BTreeMap::new(),
            untargeted: BTreeMap::new(),
            ticket_days: Vec::new(),
            tickets: 0,
            incomplete: false,
            months: BTreeMap::new(),
            open: Vec::new(),
        }
    }

    /// Judges the open tickets at `end` (the latest time in the data) and returns the KPIs
    /// of every month from the first to the last of the data.
    pub(super) fn finish(&mut self, span: Option<(Minute, Minute)>) -> Vec<Kpi> {
        let end = span.map_or(0, |s| s.1);
        for t in std::mem::take(&mut self.open) {
            self.clock(&t, end);
        }
        let Some((start, end)) = span else {
            return Vec::new();
        };
        let (first, last) = (month_of(&self.tz, start), month_of(&self.tz, end));
        let mut backlog = 0i64;
        let mut rows = Vec::new();
        for m in first..=last.min(first + 1200) {
            let c = self.months.get(&m).cloned().unwrap_or_default();
            backlog += c.backlog_delta;
            rows.push(Kpi {
                source: self.spec.id.clone(),
                period: super::month_name(m),
                opened: c.opened,
                resolved: c.resolved,
                backlog: u64::try_from(backlog).unwrap_or(0),
                reopened: c.reopened,
                reassigned: c.reassigned,
                first_contact: self.spec.column("first_contact").map(|_| c.first_contact),
                paused_bp: (c.paused * 10_000).checked_div(c.open_time).unwrap_or(0),
                changes: self.spec.changes.then_some(c.changes),
                changes_successful: self.spec.changes.then_some(c.changes_successful),
                change_success_bp: (c.changes_successful * 10_000)
                    .checked_div(c.changes)
                    .and_then(|v| i64::try_from(v).ok())
                    .filter(|_| self.spec.changes),
            });
        }
        rows
    }

    fn kpis(&mut self, t: &Ticket) {
        let opened = month_of(&self.tz, t.opened);
        let m = self.months.entry(opened).or_default();
        m.opened += 1;
        m.backlog_delta += 1;
        let resolved_day = match t.resolved {
            Some(r) => {
                let rm = month_of(&self.tz, r);
                let m = self.months.entry(rm).or_default();
                m.resolved += 1;
                m.backlog_delta -= 1;
                m.reopened += u64::from(t.reopened > 0);
                m.reassigned += u64::from(t.reassigned > 0);
                m.first_contact += u64::from(t.first_contact == Some(true));
                m.paused += pauses_within(&t.pauses, t.opened, r)
                    .iter()
                    .map(|(a, b)| b - a)
                    .sum::<i64>();
                m.open_time += (r - t.opened).max(0);
                if let Some(s) = t.successful {
                    m.changes += 1;
                    m.changes_successful += u64::from(s);
                }
                day_number(clock::local_date(&self.tz, r))
            }
            None => i32::MAX,
        };
        self.ticket_days.push((
            self.source_index,
            day_number(clock::local_date(&self.tz, t.opened)),
            resolved_day,
        ));
    }

    /// Clocks `ticket` against every agreement that covers it; `end` judges it if open.
    fn clock(&mut self, ticket: &Ticket, end: Minute) {
        let covering = self.setup.covering(ticket);
        if covering.is_empty() {
            *self
                .uncovered
                .entry(ticket.service.to_string())
                .or_default() += 1;
        }
        let measures_response = self.spec.measures_response();
        for (k, &a) in covering.iter().enumerate() {
            let ag = &self.setup.agreements[a];
            let Some(pt) = ag.targets.get(&ticket.priority) else {
                *self.untargeted.entry((a, ticket.priority)).or_default() += 1;
                continue;
            };
            let Some(calendar) = ag.calendar else {
                self.incomplete = true;
                continue;
            };
            let setup = self.setup;
            let clock = self
                .clocks
                .entry(calendar)
                .or_insert_with(|| setup.calendars[calendar].clock());
            for (metric, target, stop, req) in [
                (
                    "response",
                    pt.response.as_ref().filter(|_| measures_response),
                    ticket.responded.or(ticket.resolved),
                    pt.required[0],
                ),
                (
                    "resolution",
                    pt.resolution.as_ref(),
                    ticket.resolved,
                    pt.required[1],
                ),
            ] {
                let Some((target, text)) = target else {
                    continue;
                };
                let c = clock_ticket(clock, ticket, stop, target, end, false);
                if metric == "resolution"
                    && k == 0
                    && c.status != "running"
                    && let Some(tool) = ticket.tool_met
                {
                    let v = &mut self.verdicts;
                    match (tool, c.status == "met") {
                        (true, true) => v.both_met += 1,
                        (false, false) => v.both_missed += 1,
                        (true, false) => v.tool_met_evident_missed += 1,
                        (false, true) => v.tool_missed_evident_met += 1,
                    }
                }
                let Some(counted_at) = c.counted else {
                    continue;
                };
                let date = clock::local_date(&clock.calendar().tz, counted_at);
                let month = clock::month_index(date);
                let metric_index = u8::from(metric == "resolution");
                self.outcomes.push(Outcome {
                    source: self.source_index,
                    agreement: a as u32,
                    priority: ticket.priority,
                    metric: metric_index,
                    day: day_number(date),
                    met: c.status == "met",
                });
                if c.status != "met" {
                    self.missed.push(Miss {
                        agreement: ag.doc.id.clone(),
                        source: self.spec.id.clone(),
                        ticket: ticket.id.clone(),
                        priority: format!("P{}", ticket.priority),
                        metric: metric.to_string(),
                        period: super::month_name(month),
                        elapsed: c.elapsed,
                        target_minutes: c.target,
                        status: if c.status == "missed" {
                            "missed"
                        } else {
                            "open-breached"
                        },
                    });
                }
                let series = (
                    a as u32,
                    Arc::clone(&ticket.service),
                    ticket.priority,
                    metric_index,
                );
                if !self.metas.contains_key(&series) {
                    self.metas.insert(
                        series.clone(),
                        SeriesMeta {
                            target: text.clone(),
                            required_bp: req,
                            pointer: format!("/spec/targets/priorities/{}/{metric}", pt.index),
                            sources: BTreeSet::from([self.spec.id.clone()]),
                        },
                    );
                }
                for m in [month, ALL_MONTHS] {
                    let n = self.counts.entry((series.clone(), m)).or_default();
                    match c.status {
                        "met" => {
                            n.0 += 1;
                            n.1 += 1;
                        }
                        "missed" => n.0 += 1,
                        _ => n.2 += 1,
                    }
                }
            }
        }
    }
}

impl TicketSink for Tally<'_, '_> {
    fn ticket(&mut self, t: Ticket) {
        self.tickets += 1;
        self.kpis(&t);
        if self.spec.changes {
            // Changes give the change success rate; SLA targets are about incidents.
            return;
        }
        if t.resolved.is_some() {
            self.clock(&t, 0);
        } else {
            self.open.push(t);
        }
    }

    fn reset(&mut self) {
        let fresh = Tally::new(self.setup, self.spec, self.source_index);
        *self = fresh;
    }
}
