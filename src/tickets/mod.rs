//! Operational evidence (PRODUCT.md §11): ticket exports measured against the SLAs in git.
//!
//! ```text
//! TicketSource → source (compiled spec) → read (rows → tickets) → clock (business time)
//!              → attainment per SLA × service × priority × metric × month, and KPIs
//! ```
//!
//! - [`source`]: a TicketSource with its preset;
//! - [`time`]: timestamps in exports;
//! - [`read`]: streaming rows into tickets, counting every rejected row;
//! - [`clock`]: business time on a Calendar;
//! - [`measure`] (here): clocks per ticket and agreement, attainment, KPIs.

pub mod attain;
pub mod clock;
pub mod explain;
pub mod read;
pub mod source;
pub mod time;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::model::Value;
use serde::Serialize;

use attain::{ALL_MONTHS, Series, SeriesMeta, Tally};
use clock::{Calendar, Clock, Minute};
use read::{Export, FileInfo, Location, Ticket};
use source::Spec;

use crate::model::{Document, Kind};

/// Where export files come from: the working tree or a commit.
pub trait Files {
    /// Repository-relative paths of the files matching `pattern` (a path or a glob), sorted.
    fn glob(&self, pattern: &str) -> Result<Vec<String>, String>;
    /// Opens one file for reading, with its size in bytes.
    fn open(&self, path: &str) -> Result<(Box<dyn std::io::Read + Send + '_>, u64), String>;
    /// The same files, when they can be read from several threads at once.
    fn concurrent(&self) -> Option<&(dyn Files + Sync)> {
        None
    }
}

fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '{'])
}

fn matcher(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| e.to_string())
}

/// The literal folder a glob starts in (`data` for `data/*.csv`).
fn glob_base(pattern: &str) -> &str {
    let cut = pattern.find(['*', '?', '[', '{']).unwrap_or(pattern.len());
    match pattern[..cut].rfind('/') {
        Some(i) => &pattern[..i],
        None => "",
    }
}

/// The files under a folder on disk.
#[derive(Debug, Clone)]
pub struct WorkTree<'a>(pub &'a Path);

impl Files for WorkTree<'_> {
    fn glob(&self, pattern: &str) -> Result<Vec<String>, String> {
        if !is_glob(pattern) {
            return Ok(if self.0.join(pattern).exists() {
                vec![pattern.to_string()]
            } else {
                Vec::new()
            });
        }
        let m = matcher(pattern)?;
        let base = glob_base(pattern);
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(self.0.join(base))
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .flatten()
        {
            if entry.file_type().is_dir() {
                continue;
            }
            if let Ok(rel) = entry.path().strip_prefix(self.0) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if m.is_match(&rel) {
                    out.push(rel);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn open(&self, path: &str) -> Result<(Box<dyn std::io::Read + Send + '_>, u64), String> {
        let full = self.0.join(path);
        // A symbolic link may not lead out of the repository.
        if let (Ok(root), Ok(target)) = (self.0.canonicalize(), full.canonicalize())
            && !target.starts_with(&root)
        {
            return Err(format!("`{path}` leads outside the repository"));
        }
        // The CSV reader buffers: no second buffer in between.
        let (file, size) = crate::fsread::open(&full).map_err(|e| e.to_string())?;
        Ok((Box::new(file), size))
    }

    fn concurrent(&self) -> Option<&(dyn Files + Sync)> {
        Some(self)
    }
}

/// The files of a commit.
pub struct Revision<'a> {
    /// The repository.
    pub repo: &'a crate::git::Repo,
    /// The commit.
    pub rev: &'a crate::git::Revision,
}

impl Files for Revision<'_> {
    fn glob(&self, pattern: &str) -> Result<Vec<String>, String> {
        if !is_glob(pattern) {
            return Ok(if self.repo.has_file(self.rev, pattern) {
                vec![pattern.to_string()]
            } else {
                Vec::new()
            });
        }
        let m = matcher(pattern)?;
        let mut out: Vec<String> = self
            .repo
            .blob_paths(self.rev, glob_base(pattern))
            .map_err(|e| format!("{e:#}"))?
            .into_iter()
            .filter(|p| m.is_match(p))
            .collect();
        out.sort();
        Ok(out)
    }

    fn open(&self, path: &str) -> Result<(Box<dyn std::io::Read + Send + '_>, u64), String> {
        match self.repo.read(self.rev, path) {
            Ok(Some(bytes)) => {
                let size = bytes.len() as u64;
                Ok((Box::new(std::io::Cursor::new(bytes)), size))
            }
            Ok(None) => Err(format!("`{path}` is not in the commit")),
            Err(e) => Err(format!("{e:#}")),
        }
    }
}

/// A problem found while measuring, located in a document: it becomes a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The document's kind.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Where in it.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// How Evident's verdicts compare with the tool's own (`made_sla`, `has_breached`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Verdicts {
    /// Both say met.
    pub both_met: u64,
    /// Both say missed.
    pub both_missed: u64,
    /// The tool says met, Evident missed.
    pub tool_met_evident_missed: u64,
    /// The tool says missed, Evident met.
    pub tool_missed_evident_met: u64,
}

/// What one source gave.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    /// `metadata.id`.
    pub id: String,
    /// The TicketSource document's file.
    #[serde(skip)]
    pub document: String,
    /// The files read.
    pub files: Vec<FileInfo>,
    /// Data rows.
    pub rows: u64,
    /// Tickets measured.
    pub tickets: u64,
    /// Rejected rows by reason.
    pub rejected: BTreeMap<String, u64>,
    /// Where the first rejected rows of each reason are.
    pub rejected_at: BTreeMap<String, Vec<Location>>,
    /// Rejected rows in basis points of all rows.
    pub rejected_bp: i64,
    /// The limit (basis points).
    pub max_rejected_bp: i64,
    /// Warnings.
    pub warnings: Vec<String>,
    /// The first and last time in the data.
    #[serde(skip)]
    pub span: Option<(Minute, Minute)>,
    /// Against the tool's verdict, when the export has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdicts: Option<Verdicts>,
    /// Whether `pack` copies the raw files (`include_in_bundle`).
    #[serde(skip)]
    pub include_in_bundle: bool,
    /// Some tickets could not be measured because of a problem reported elsewhere (an
    /// agreement naming a service that does not exist, a calendar that cannot be read):
    /// figures recomputed from this source would blame the report for that problem.
    #[serde(skip)]
    pub incomplete: bool,
}

/// Counts for one attainment cell.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attainment {
    /// The ServiceLevelAgreement.
    pub agreement: String,
    /// The Service.
    pub service: String,
    /// `P1`…`P5`.
    pub priority: String,
    /// `response` or `resolution`.
    pub metric: String,
    /// `YYYY-MM` or `all`.
    pub period: String,
    /// The target as written.
    pub target: String,
    /// Required share in basis points, when the agreement states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_bp: Option<i64>,
    /// Resolved (responded) tickets in the period.
    pub tickets: u64,
    /// Of them, within target.
    pub met: u64,
    /// Unresolved tickets whose deadline fell in the period.
    pub open_breached: u64,
    /// met ÷ (tickets + open_breached), basis points, rounded down.
    pub attainment_bp: i64,
    /// Where the target is: the agreement's file and the JSON pointer.
    #[serde(skip)]
    pub at: (Arc<str>, Arc<str>),
    /// The TicketSources whose tickets are counted, sorted (shared by the cells of a series).
    #[serde(skip)]
    pub sources: Arc<[String]>,
}

impl Attainment {
    /// Whether the required share is missed.
    pub fn short(&self) -> bool {
        let den = self.tickets + self.open_breached;
        match self.required_bp {
            Some(req) if den > 0 => (self.met as i128) * 10_000 < i128::from(req) * den as i128,
            _ => false,
        }
    }
}

/// Monthly service KPIs of one source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Kpi {
    /// The source.
    pub source: String,
    /// `YYYY-MM`.
    pub period: String,
    /// Tickets opened in the month.
    pub opened: u64,
    /// Tickets resolved in the month.
    pub resolved: u64,
    /// Open at the end of the month.
    pub backlog: u64,
    /// Resolved in the month after being reopened.
    pub reopened: u64,
    /// Resolved in the month after at least one reassignment.
    pub reassigned: u64,
    /// Resolved in the month at first contact, when the export says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_contact: Option<u64>,
    /// Paused share of the open time of the tickets resolved in the month, basis points.
    pub paused_bp: i64,
    /// Changes closed in the month (a source of changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<u64>,
    /// Of them, successful.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes_successful: Option<u64>,
    /// The change success rate, basis points (none without closed changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_success_bp: Option<i64>,
}

/// A ticket that missed a target.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The agreement.
    pub agreement: String,
    /// The source.
    pub source: String,
    /// The ticket.
    pub ticket: String,
    /// `P1`…
    pub priority: String,
    /// `response` or `resolution`.
    pub metric: String,
    /// The month it counts in.
    pub period: String,
    /// Business minutes elapsed (at the end of the data, for open tickets).
    pub elapsed: i64,
    /// The target in business minutes.
    pub target_minutes: i64,
    /// `missed` or `open-breached`.
    pub status: &'static str,
}

/// Everything measured from the ticket sources of a repository.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    /// Per source.
    pub sources: Vec<SourceReport>,
    /// Attainment cells, sorted.
    pub attainment: Vec<Attainment>,
    /// KPIs, sorted by source and month.
    pub kpis: Vec<Kpi>,
    /// Every ticket that missed a target.
    pub missed: Vec<Miss>,
    /// Problems in documents (findings).
    pub problems: Vec<Problem>,
    /// Sources over their rejected-row limit: the run cannot be trusted (exit 2).
    pub over_limit: Vec<String>,
    /// Every clocked target of every ticket, compactly, for figures over any period (a
    /// service report's claims); source by source, in the order of [`Measured::sources`].
    pub outcomes: Vec<Outcome>,
    /// The agreement ids [`Outcome::agreement`] indexes.
    pub agreement_ids: Vec<String>,
    /// TicketSources that gave no data (a problem reported on each): figures that name them
    /// cannot be judged, and agreements they may measure are not called unmeasured.
    pub failed_sources: Vec<String>,
    /// Per measured ticket: (source index, local day opened, local day resolved or
    /// `i32::MAX`), days since 1970-01-01 in the source's zone; source by source, in order.
    pub ticket_days: Vec<(u32, i32, i32)>,
}

impl Measured {
    /// Whether any TicketSource exists.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.problems.is_empty()
    }

    /// The attainment cells of one agreement (they are sorted by agreement first).
    pub fn of_agreement(&self, id: &str) -> &[Attainment] {
        let start = self
            .attainment
            .partition_point(|c| c.agreement.as_str() < id);
        let len = self.attainment[start..]
            .iter()
            .take_while(|c| c.agreement == id)
            .count();
        &self.attainment[start..start + len]
    }

    /// The outcomes of one source (they are merged source by source, in order).
    pub fn outcomes_of(&self, source: u32) -> &[Outcome] {
        let start = self.outcomes.partition_point(|o| o.source < source);
        let end = self.outcomes.partition_point(|o| o.source <= source);
        &self.outcomes[start..end]
    }

    /// The ticket days of one source (merged source by source, in order).
    pub fn ticket_days_of(&self, source: u32) -> &[(u32, i32, i32)] {
        let start = self.ticket_days.partition_point(|d| d.0 < source);
        let end = self.ticket_days.partition_point(|d| d.0 <= source);
        &self.ticket_days[start..end]
    }
}

/// One ticket's outcome against one target, for figures over any period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Index into [`Measured::sources`].
    pub source: u32,
    /// Index into [`Measured::agreement_ids`].
    pub agreement: u32,
    /// 1..=5.
    pub priority: u8,
    /// 0 response, 1 resolution.
    pub metric: u8,
    /// The local day (agreement's calendar, days since 1970-01-01) it counts on: the stop, or
    /// for an open ticket past its target the deadline.
    pub day: i32,
    /// Within target.
    pub met: bool,
}

/// Days since 1970-01-01 of a civil date.
pub fn day_number(d: jiff::civil::Date) -> i32 {
    i32::try_from(time::days_from_civil(
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    ))
    .unwrap_or(i32::MAX)
}

/// A target, compiled: business minutes, or working days (and weeks) plus minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    days: i64,
    weeks: i64,
    minutes: i64,
}

impl Target {
    /// Parses `4h`, `30m`, `3d`, `1w`, `PT4H`; months and years are not clock targets.
    pub fn parse(text: &str) -> Result<Target, String> {
        let span = crate::model::duration::parse(text)?;
        if span.get_years() != 0 || span.get_months() != 0 {
            return Err(format!(
                "`{text}` is in months or years, which is not a response or resolution time"
            ));
        }
        Ok(Target {
            days: i64::from(span.get_days()),
            weeks: i64::from(span.get_weeks()),
            minutes: i64::from(span.get_hours()) * 60
                + span.get_minutes()
                + span.get_seconds() / 60,
        })
    }

    /// The target in business minutes for a clock started at `start` (§11.3.6).
    pub fn minutes(&self, clock: &mut Clock<'_>, start: Minute) -> i64 {
        let days = self.days + self.weeks * clock.calendar().working_days_per_week();
        if days == 0 {
            return self.minutes;
        }
        if clock.calendar().is_always_on() {
            return (self.days + self.weeks * 7) * 1440 + self.minutes;
        }
        let from = clock.next_opening(start);
        let until = clock.add_working_days(start, days);
        clock.between(from, until) + self.minutes
    }
}

/// The paused intervals of a ticket clipped to `[from, to)`, merged.
pub fn pauses_within(
    pauses: &[(Minute, Minute)],
    from: Minute,
    to: Minute,
) -> Vec<(Minute, Minute)> {
    clock::merge(
        pauses
            .iter()
            .map(|&(a, b)| (a.max(from), b.min(to)))
            .filter(|(a, b)| a < b)
            .collect(),
    )
}

/// Business minutes from `from` to `to` less the paused ones.
pub fn elapsed(
    clock: &mut Clock<'_>,
    from: Minute,
    to: Minute,
    paused: &[(Minute, Minute)],
) -> i64 {
    let mut total = clock.between(from, to);
    for &(a, b) in paused {
        total -= clock.between(a.max(from), b.min(to));
    }
    total
}

/// The deadline of a clock started at `from`: the last instant at which it has run no more
/// than `target` minutes (`paused`, merged, not counted) — one minute before it first passes
/// the target. So a `3d` clock started at an opening ends at the same time of day three
/// working days later (PRODUCT.md §11.3.6), not at the close of the evening before, and a
/// ticket resolved at the deadline has met its target.
pub fn deadline(
    clock: &mut Clock<'_>,
    from: Minute,
    target: i64,
    paused: &[(Minute, Minute)],
) -> Minute {
    let over = target + 1;
    let mut hi = from + over;
    let mut guard = 0;
    while elapsed(clock, from, hi, paused) < over && guard < 40 {
        hi = from + (hi - from) * 2;
        guard += 1;
    }
    let mut lo = from;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if elapsed(clock, from, mid, paused) >= over {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo - 1
}

/// `YYYY-MM` of a month index (year × 12 + month − 1).
fn month_name(m: i32) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// One agreement, compiled for measuring.
struct Agreement<'d> {
    doc: &'d Document,
    /// Its calendar; `None` when it cannot be clocked (its tickets are covered, not measured).
    calendar: Option<usize>,
    from: Option<jiff::civil::Date>,
    to: Option<jiff::civil::Date>,
    /// Per priority 1..=5: (index in `priorities`, response, resolution) targets.
    targets: HashMap<u8, PriorityTargets>,
}

#[derive(Clone)]
struct PriorityTargets {
    index: usize,
    response: Option<(Target, String)>,
    resolution: Option<(Target, String)>,
    required: [Option<i64>; 2],
}

fn percent_bp(v: &Value) -> Option<i64> {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "a percentage, in basis points"
    )]
    v.as_f64().map(|p| (p * 100.0).round() as i64)
}

/// Per-ticket outcome for one metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clocked {
    /// Business minutes elapsed.
    pub elapsed: i64,
    /// Target, business minutes.
    #[serde(rename = "target_minutes")]
    pub target: i64,
    /// Where the clock stopped (`None`: still running at the end of the data).
    pub stop: Option<Minute>,
    /// The deadline: the instant the clock reaches the target.
    pub deadline: Option<Minute>,
    /// `met`, `missed`, `open-breached` or `running`.
    pub status: &'static str,
    /// The instant it counts at: the stop, or the deadline of an open ticket past it.
    #[serde(skip)]
    pub counted: Option<Minute>,
    /// The month it counts in (filled for explanations).
    pub period: Option<String>,
}

/// Clocks one ticket against one target; with `detail`, also the deadline and month of
/// every outcome (for explanations).
pub fn clock_ticket(
    clock: &mut Clock<'_>,
    ticket: &Ticket,
    stop: Option<Minute>,
    target: &Target,
    end: Minute,
    detail: bool,
) -> Clocked {
    let until = stop.unwrap_or(end).max(ticket.opened);
    let paused = pauses_within(&ticket.pauses, ticket.opened, until);
    let elapsed = elapsed(clock, ticket.opened, until, &paused);
    let target_minutes = target.minutes(clock, ticket.opened);
    let tz = clock.calendar().tz.clone();
    let month = |t: Minute| detail.then(|| clock::month_of(&tz, t));
    match stop {
        Some(s) => {
            let met = elapsed <= target_minutes;
            Clocked {
                elapsed,
                target: target_minutes,
                stop: Some(s),
                deadline: detail.then(|| deadline(clock, ticket.opened, target_minutes, &paused)),
                status: if met { "met" } else { "missed" },
                counted: Some(s),
                period: month(s),
            }
        }
        None if elapsed > target_minutes => {
            let d = deadline(clock, ticket.opened, target_minutes, &paused);
            Clocked {
                elapsed,
                target: target_minutes,
                stop: None,
                deadline: Some(d),
                status: "open-breached",
                counted: Some(d),
                period: month(d),
            }
        }
        None => Clocked {
            elapsed,
            target: target_minutes,
            stop: None,
            deadline: detail.then(|| deadline(clock, ticket.opened, target_minutes, &paused)),
            status: "running",
            counted: None,
            period: None,
        },
    }
}

/// The sources, agreements and calendars of a repository, compiled.
pub struct Setup<'d> {
    specs: Vec<(usize, Spec)>,
    calendars: Vec<Calendar>,
    agreements: Vec<Agreement<'d>>,
    by_service: HashMap<String, Vec<usize>>,
    /// Problems in documents.
    pub problems: Vec<Problem>,
    /// Indexes (into the documents) of the TicketSources that cannot be compiled.
    failed: Vec<usize>,
}

impl<'d> Setup<'d> {
    /// Compiles the TicketSources, and the SLAs and Calendars they are measured on.
    pub fn new(docs: &'d [Document]) -> Setup<'d> {
        let mut problems = Vec::new();
        let mut specs = Vec::new();
        let mut failed = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            if d.kind != Kind::TicketSource {
                continue;
            }
            match Spec::compile(d) {
                Ok(s) => specs.push((i, s)),
                Err(errors) => {
                    failed.push(i);
                    problems.extend(
                        errors
                            .into_iter()
                            .filter(|e| !e.schema_reports_it)
                            .map(|e| Problem {
                                kind: Kind::TicketSource,
                                id: d.id.clone(),
                                pointer: e.pointer,
                                message: e.message,
                            }),
                    );
                }
            }
        }
        let mut calendars: Vec<Calendar> = Vec::new();
        let mut calendar_index: HashMap<String, usize> = HashMap::new();
        let mut agreements = Vec::new();
        let mut by_service: HashMap<String, Vec<usize>> = HashMap::new();
        // The first Calendar with an id is the one agreements name.
        let mut calendar_docs: HashMap<&str, &Document> = HashMap::new();
        for d in docs.iter().filter(|d| d.kind == Kind::Calendar) {
            calendar_docs.entry(d.id.as_str()).or_insert(d);
        }
        {
            for d in docs
                .iter()
                .filter(|d| d.kind == Kind::ServiceLevelAgreement)
            {
                if d.status() == Some("retired") {
                    continue;
                }
                if let Some(a) = Self::agreement(
                    d,
                    &calendar_docs,
                    &mut calendars,
                    &mut calendar_index,
                    &mut problems,
                ) {
                    let index = agreements.len();
                    for s in d
                        .pointer("/spec/services")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        by_service.entry(s.to_string()).or_default().push(index);
                    }
                    agreements.push(a);
                }
            }
        }
        Setup {
            specs,
            calendars,
            agreements,
            by_service,
            problems,
            failed,
        }
    }

    fn agreement(
        d: &'d Document,
        calendar_docs: &HashMap<&str, &Document>,
        calendars: &mut Vec<Calendar>,
        calendar_index: &mut HashMap<String, usize>,
        problems: &mut Vec<Problem>,
    ) -> Option<Agreement<'d>> {
        let problem = |pointer: &str, message: String| Problem {
            kind: Kind::ServiceLevelAgreement,
            id: d.id.clone(),
            pointer: pointer.to_string(),
            message,
        };
        // An agreement whose calendar does not exist (reported by the reference checks) or
        // cannot be clocked still covers its tickets: they are not "under no agreement".
        let calendar = match d.pointer("/spec/calendar").and_then(Value::as_str) {
            Some(id) => match calendar_index.get(id) {
                Some(&i) => Some(i),
                None => match calendar_docs.get(id) {
                    None => None,
                    Some(doc) => {
                        match Calendar::from_spec(id, doc.pointer("/spec").unwrap_or(&Value::Null))
                        {
                            Ok(c) => {
                                calendars.push(c);
                                calendar_index.insert(id.to_string(), calendars.len() - 1);
                                Some(calendars.len() - 1)
                            }
                            Err(e) => {
                                problems.push(problem(
                                    "/spec/calendar",
                                    format!("tickets cannot be clocked on calendar `{id}`: {e}"),
                                ));
                                None
                            }
                        }
                    }
                },
            },
            None => Some(match calendar_index.get("24x7") {
                Some(&i) => i,
                None => {
                    calendars.push(Calendar::always_on());
                    calendar_index.insert("24x7".into(), calendars.len() - 1);
                    calendars.len() - 1
                }
            }),
        };
        let date = |p: &str| {
            d.pointer(p)
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<jiff::civil::Date>().ok())
        };
        let all_required = [
            d.pointer("/spec/targets/attainment/response")
                .and_then(percent_bp),
            d.pointer("/spec/targets/attainment/resolution")
                .and_then(percent_bp),
        ];
        let mut targets = HashMap::new();
        for (i, p) in d
            .pointer("/spec/targets/priorities")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(n) = p
                .get("priority")
                .and_then(Value::as_str)
                .and_then(|s| s.strip_prefix('P'))
                .and_then(|s| s.parse::<u8>().ok())
            else {
                continue;
            };
            let mut target = |metric: &str| -> Option<(Target, String)> {
                let text = p.get(metric)?.as_str()?;
                match Target::parse(text) {
                    Ok(t) => Some((t, text.to_string())),
                    Err(e) => {
                        problems.push(problem(
                            &format!("/spec/targets/priorities/{i}/{metric}"),
                            e,
                        ));
                        None
                    }
                }
            };
            let response = target("response");
            let resolution = target("resolution");
            let required = [
                p.pointer("/attainment/response")
                    .and_then(percent_bp)
                    .or(all_required[0]),
                p.pointer("/attainment/resolution")
                    .and_then(percent_bp)
                    .or(all_required[1]),
            ];
            targets.insert(
                n,
                PriorityTargets {
                    index: i,
                    response,
                    resolution,
                    required,
                },
            );
        }
        Some(Agreement {
            doc: d,
            calendar,
            from: date("/spec/validity/from"),
            to: date("/spec/validity/to"),
            targets,
        })
    }

    /// Whether there is anything to measure.
    pub fn has_sources(&self) -> bool {
        !self.specs.is_empty()
    }

    /// The compiled sources with the index of their document.
    pub fn sources(&self) -> impl Iterator<Item = (usize, &Spec)> {
        self.specs.iter().map(|(i, s)| (*i, s))
    }

    /// The agreements (indexes into this setup) that cover `ticket`: its service, valid when
    /// it was opened (in the agreement's calendar's zone).
    fn covering(&self, ticket: &Ticket) -> Vec<usize> {
        let Some(list) = self.by_service.get(&*ticket.service) else {
            return Vec::new();
        };
        list.iter()
            .copied()
            .filter(|&a| {
                let ag = &self.agreements[a];
                let day = match ag.calendar {
                    Some(c) => clock::local_date(&self.calendars[c].tz, ticket.opened),
                    None => clock::local_date(&jiff::tz::TimeZone::UTC, ticket.opened),
                };
                ag.from.is_none_or(|f| day >= f) && ag.to.is_none_or(|t| day <= t)
            })
            .collect()
    }
}

/// Reads one source's files. `Err` when a file cannot be read as the source says (located
/// at the source's `files`). Tickets are derived as their rows end (memory grows with the
/// tickets, not the events); an export whose rows of one ticket are apart is read again,
/// holding every event.
pub fn read_source(
    spec: &Spec,
    files: &dyn Files,
    explain: Option<&str>,
) -> Result<Export, Problem> {
    let mut tickets: Vec<Ticket> = Vec::new();
    let mut export = read_source_into(spec, files, explain, &mut tickets)?;
    export.tickets = tickets;
    Ok(export)
}

/// Reads one source's files, sending each ticket to `sink` as its rows end (the export's
/// summary comes back without tickets); with `explain`, the rows of that ticket are traced.
/// An export whose rows of one ticket are apart is read again, holding every event, after
/// `sink` forgets what it got.
pub fn read_source_into(
    spec: &Spec,
    files: &dyn Files,
    explain: Option<&str>,
    sink: &mut dyn read::TicketSink,
) -> Result<Export, Problem> {
    if let Some(export) = read_files(spec, files, read::Reader::new(spec, explain, sink))? {
        return Ok(export);
    }
    sink.reset();
    read_files(
        spec,
        files,
        read::Reader::new(spec, explain, sink).buffered(),
    )?
    .ok_or_else(|| Problem {
        kind: Kind::TicketSource,
        id: spec.id.clone(),
        pointer: "/spec/files".into(),
        message: "the export could not be read in one pass".into(),
    })
}

/// One pass over a source's files; `None` when a streaming reader found an ungrouped export.
fn read_files(
    spec: &Spec,
    files: &dyn Files,
    mut reader: read::Reader<'_>,
) -> Result<Option<Export>, Problem> {
    let problem = |pointer: String, message: String| Problem {
        kind: Kind::TicketSource,
        id: spec.id.clone(),
        pointer,
        message,
    };
    for (i, pattern) in spec.files.iter().enumerate() {
        let paths = files
            .glob(pattern)
            .map_err(|e| problem(format!("/spec/files/{i}"), e))?;
        if paths.is_empty() {
            return Err(problem(
                format!("/spec/files/{i}"),
                if is_glob(pattern) {
                    format!(
                        "no export file matches `{pattern}`, so there is no ticket data to measure"
                    )
                } else {
                    format!(
                        "the export file `{pattern}` does not exist, so there is no ticket data to measure"
                    )
                },
            ));
        }
        for path in paths {
            let (mut input, size) = files
                .open(&path)
                .map_err(|e| problem(format!("/spec/files/{i}"), e))?;
            reader.file(&path, &mut input, size).map_err(|e| {
                problem(
                    e.pointer.unwrap_or_else(|| format!("/spec/files/{i}")),
                    e.message,
                )
            })?;
            if reader.ungrouped() {
                return Ok(None);
            }
        }
    }
    if let Some(loc) = reader.naive_without_zone() {
        return Err(problem(
            "/spec".into(),
            format!(
                "timestamps without an offset (first at {loc}) need the zone they are in: set `timezone` (Evident never guesses one)"
            ),
        ));
    }
    Ok(Some(reader.finish()))
}

/// The export files (paths or globs, as written) of every TicketSource in `docs`.
pub fn export_patterns(docs: &[Document]) -> Vec<String> {
    Setup::new(docs)
        .sources()
        .flat_map(|(_, spec)| spec.files.iter().cloned())
        .collect()
}

/// Reads one source and tallies its tickets; the tally's source number is set on merging.
fn read_and_tally<'a, 'd>(
    setup: &'a Setup<'d>,
    doc: &Document,
    spec: &'a Spec,
    files: &dyn Files,
) -> Result<(Tally<'a, 'd>, Vec<Kpi>, SourceReport), Problem> {
    let mut tally = Tally::new(setup, spec, 0);
    let export = read_source_into(spec, files, None, &mut tally)?;
    let kpis = tally.finish(export.start.zip(export.end));
    let report = source_report(spec, doc, &export, tally.tickets);
    Ok((tally, kpis, report))
}

/// Measures every TicketSource in `docs` against the agreements that cover its tickets.
pub fn measure(docs: &[Document], files: &dyn Files) -> Measured {
    let mut clock = std::time::Instant::now();
    let setup = Setup::new(docs);
    crate::timing("  ticket setup", &mut clock);
    let mut out = Measured {
        problems: setup.problems.clone(),
        ..Measured::default()
    };
    // Service ids agreements name that no Service has (a typo, reported by the reference
    // checks): an agreement naming one, and tickets of the service it was probably meant to
    // be, are left to that finding rather than reported again here.
    let services: Vec<&str> = docs
        .iter()
        .filter(|d| d.kind == Kind::Service)
        .map(|d| d.id.as_str())
        .collect();
    let mut misnamed: Vec<&str> = Vec::new();
    let mut meant: Vec<&str> = Vec::new();
    for ag in &setup.agreements {
        for s in ag
            .doc
            .pointer("/spec/services")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !services.contains(&s) {
                misnamed.push(ag.doc.id.as_str());
                meant.extend(crate::suggest::closest(s, services.iter().copied()));
            }
        }
    }
    // Counts per series (agreement, service, priority, metric) and month, `ALL_MONTHS` for
    // the whole period: (resolved, met, open breached).
    let mut counts: HashMap<(Series, i32), (u64, u64, u64), foldhash::fast::RandomState> =
        HashMap::default();
    let mut metas: HashMap<Series, SeriesMeta, foldhash::fast::RandomState> = HashMap::default();
    let mut failed_docs: Vec<usize> = setup.failed.clone();
    out.failed_sources
        .extend(setup.failed.iter().map(|&i| docs[i].id.clone()));
    // Sources are read and tallied independently (in parallel when the files allow it), then
    // merged in their order, so the figures do not depend on the threads.
    let sources: Vec<(usize, &Spec)> = setup.sources().collect();
    let read_sources: Vec<Result<_, Problem>> = match files.concurrent() {
        Some(files) => {
            use rayon::prelude::*;
            sources
                .par_iter()
                .map(|&(i, spec)| read_and_tally(&setup, &docs[i], spec, files))
                .collect()
        }
        None => sources
            .iter()
            .map(|&(i, spec)| read_and_tally(&setup, &docs[i], spec, files))
            .collect(),
    };
    // Sized once: at 10,000 documents the outcomes alone are megabytes, and growing by
    // doubling would leave up to half of that unused.
    let read = read_sources.iter().filter_map(|r| r.as_ref().ok());
    out.outcomes
        .reserve_exact(read.clone().map(|(t, ..)| t.outcomes.len()).sum());
    out.missed
        .reserve_exact(read.clone().map(|(t, ..)| t.missed.len()).sum());
    out.ticket_days
        .reserve_exact(read.map(|(t, ..)| t.ticket_days.len()).sum());
    for (&(doc_index, spec), result) in sources.iter().zip(read_sources) {
        let (mut tally, kpis, mut report) = match result {
            Ok(read) => read,
            Err(p) => {
                out.problems.push(p);
                out.failed_sources.push(spec.id.clone());
                failed_docs.push(doc_index);
                continue;
            }
        };
        // The source's number among those that could be read.
        let number = out.sources.len() as u32;
        tally.outcomes.iter_mut().for_each(|o| o.source = number);
        tally.ticket_days.iter_mut().for_each(|d| d.0 = number);
        if report.rejected_bp > report.max_rejected_bp {
            out.over_limit.push(over_limit_message(&report));
        }
        let before = tally.uncovered.len();
        tally.uncovered.retain(|s, _| !meant.contains(&s.as_str()));
        report.incomplete = tally.incomplete || tally.uncovered.len() < before;
        if !tally.uncovered.is_empty() {
            let list: Vec<String> = tally
                .uncovered
                .iter()
                .map(|(s, n)| format!("{n} of service `{s}`"))
                .collect();
            out.problems.push(Problem {
                kind: Kind::TicketSource,
                id: spec.id.clone(),
                pointer: "/spec".into(),
                message: format!(
                    "{} tickets fall under no agreement valid when they were opened ({}): they are measured against nothing",
                    tally.uncovered.values().sum::<u64>(),
                    list.join(", ")
                ),
            });
        }
        for ((a, priority), n) in std::mem::take(&mut tally.untargeted) {
            let ag = &setup.agreements[a];
            out.problems.push(Problem {
                kind: Kind::ServiceLevelAgreement,
                id: ag.doc.id.clone(),
                pointer: "/spec/targets/priorities".into(),
                message: format!(
                    "{n} tickets of TicketSource `{}` fall under this agreement with priority P{priority}, for which it sets no target: they are not measured",
                    spec.id
                ),
            });
        }
        if tally.verdicts != Verdicts::default() {
            report.verdicts = Some(std::mem::take(&mut tally.verdicts));
        }
        for (key, n) in tally.counts.drain() {
            let c = counts.entry(key).or_default();
            c.0 += n.0;
            c.1 += n.1;
            c.2 += n.2;
        }
        for (series, meta) in tally.metas.drain() {
            match metas.get_mut(&series) {
                Some(m) => m.sources.extend(meta.sources),
                None => {
                    metas.insert(series, meta);
                }
            }
        }
        out.outcomes.append(&mut tally.outcomes);
        out.missed.append(&mut tally.missed);
        out.ticket_days.append(&mut tally.ticket_days);
        out.kpis.extend(kpis);
        out.sources.push(report);
    }
    crate::timing("  ticket sources", &mut clock);
    out.agreement_ids = setup.agreements.iter().map(|a| a.doc.id.clone()).collect();
    // What the cells of a series (one per month and one for the whole period) share, once.
    let paths: Vec<Arc<str>> = setup
        .agreements
        .iter()
        .map(|a| Arc::from(a.doc.path.as_str()))
        .collect();
    let shared = metas
        .iter()
        .map(|(series, meta)| {
            let sources: Arc<[String]> = meta.sources.iter().cloned().collect();
            (series, (Arc::<str>::from(meta.pointer.as_str()), sources))
        })
        .collect::<HashMap<_, _, foldhash::fast::RandomState>>();
    out.attainment = counts
        .into_iter()
        .map(|((series, month), (tickets, met, open_breached))| {
            let meta = &metas[&series];
            let (pointer, sources) = &shared[&series];
            let ag = &setup.agreements[series.0 as usize];
            let den = tickets + open_breached;
            Attainment {
                agreement: ag.doc.id.clone(),
                service: series.1.to_string(),
                priority: format!("P{}", series.2),
                metric: if series.3 == 1 {
                    "resolution"
                } else {
                    "response"
                }
                .to_string(),
                period: if month == ALL_MONTHS {
                    "all".to_string()
                } else {
                    month_name(month)
                },
                target: meta.target.clone(),
                required_bp: meta.required_bp,
                tickets,
                met,
                open_breached,
                attainment_bp: (met * 10_000)
                    .checked_div(den)
                    .and_then(|v| i64::try_from(v).ok())
                    .unwrap_or(0),
                at: (Arc::clone(&paths[series.0 as usize]), Arc::clone(pointer)),
                sources: Arc::clone(sources),
            }
        })
        .collect();
    // Months in order, `all` last, within each agreement × service × priority × metric (and
    // the agreement's file, for agreements sharing an id). No two cells compare equal, so an
    // unstable sort gives the one order, without a scratch copy of the cells (megabytes at
    // 10,000 documents, at the run's peak).
    out.attainment.sort_unstable_by(|a, b| {
        (
            &a.agreement,
            &a.service,
            &a.priority,
            &a.metric,
            a.period == "all",
            &a.period,
            &a.at.0,
        )
            .cmp(&(
                &b.agreement,
                &b.service,
                &b.priority,
                &b.metric,
                b.period == "all",
                &b.period,
                &b.at.0,
            ))
    });
    out.missed.sort_by(|a, b| {
        (&a.agreement, &a.metric, &a.period, &a.priority, &a.ticket).cmp(&(
            &b.agreement,
            &b.metric,
            &b.period,
            &b.priority,
            &b.ticket,
        ))
    });
    // The services the sources that gave no data were meant to measure (`None`: unknown, so
    // any): their agreements are not reported as unmeasured on top of that problem.
    let mut failed_services: Option<Vec<String>> = Some(Vec::new());
    for &i in &failed_docs {
        let spec = docs[i].pointer("/spec");
        let fixed = spec.and_then(|s| s.get("service")).and_then(Value::as_str);
        let mapped: Vec<&str> = spec
            .and_then(|s| s.get("services"))
            .and_then(Value::as_object)
            .map(|m| m.values().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match (fixed, mapped.is_empty(), failed_services.as_mut()) {
            (Some(s), _, Some(list)) => list.push(s.to_string()),
            (None, false, Some(list)) => list.extend(mapped.iter().map(|s| s.to_string())),
            _ => failed_services = None,
        }
    }
    // An agreement that requires a share of tickets to meet its targets with no ticket data
    // measuring it gives no assurance.
    for ag in &setup.agreements {
        let requires = ag
            .targets
            .values()
            .any(|t| t.required.iter().any(Option::is_some));
        let measured = !out.of_agreement(&ag.doc.id).is_empty();
        let maybe_failed = ag
            .doc
            .pointer("/spec/services")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|s| {
                failed_services
                    .as_ref()
                    .is_none_or(|f| f.iter().any(|x| x == s))
            });
        if requires
            && !measured
            && !maybe_failed
            && ag.calendar.is_some()
            && !misnamed.contains(&ag.doc.id.as_str())
        {
            let pointer = if ag.doc.pointer("/spec/targets/attainment").is_some() {
                "/spec/targets/attainment".to_string()
            } else {
                "/spec/targets/priorities".to_string()
            };
            out.problems.push(Problem {
                kind: Kind::ServiceLevelAgreement,
                id: ag.doc.id.clone(),
                pointer,
                message: "the agreement requires a share of tickets within target, but no ticket data measures it (no TicketSource has tickets of its services within its validity)".into(),
            });
        }
    }
    out
}

fn source_report(spec: &Spec, doc: &Document, export: &Export, tickets: u64) -> SourceReport {
    let rejected_rows = export.rejected_rows();
    SourceReport {
        id: spec.id.clone(),
        document: doc.path.clone(),
        files: export.files.clone(),
        rows: export.rows,
        tickets,
        rejected: export
            .rejected
            .iter()
            .map(|(k, v)| (k.to_string(), v.rows))
            .collect(),
        rejected_at: export
            .rejected
            .iter()
            .map(|(k, v)| (k.to_string(), v.first.clone()))
            .collect(),
        rejected_bp: (rejected_rows * 10_000)
            .checked_div(export.rows)
            .and_then(|v| i64::try_from(v).ok())
            .unwrap_or(0),
        max_rejected_bp: spec.max_rejected_bp,
        warnings: export.warnings.clone(),
        span: export.start.zip(export.end),
        verdicts: None,
        include_in_bundle: spec.include_in_bundle,
        incomplete: false,
    }
}

fn over_limit_message(r: &SourceReport) -> String {
    let reasons: Vec<String> = r
        .rejected
        .iter()
        .map(|(k, n)| {
            let first = r.rejected_at.get(k).and_then(|l| l.first());
            match first {
                Some(l) => format!("{k}: {n} (first at {l})"),
                None => format!("{k}: {n}"),
            }
        })
        .collect();
    format!(
        "TicketSource `{}` ({}): {} of {} rows were rejected ({}.{:02} %), more than `max_rejected` allows ({}.{:02} %); {}",
        r.id,
        r.document,
        r.rejected.values().sum::<u64>(),
        r.rows,
        r.rejected_bp / 100,
        r.rejected_bp % 100,
        r.max_rejected_bp / 100,
        r.max_rejected_bp % 100,
        reasons.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn office() -> Calendar {
        let day = json!([{"from": "08:00", "to": "18:00"}]);
        Calendar::from_spec(
            "office",
            &json!({"timezone": "UTC", "working_hours": {
                "monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day}})
            .into(),
        )
        .expect("calendar")
    }

    fn at(text: &str) -> Minute {
        text.parse::<jiff::Timestamp>().expect("ts").as_second() / 60
    }

    #[test]
    fn deadlines_fall_at_the_same_point_of_the_working_day() {
        let cal = office();
        let mut c = cal.clock();
        // 3d from Monday 01:16 (before opening): the clock starts at 08:00, the deadline is
        // Thursday 08:00, not Wednesday 18:00.
        let from = at("2016-02-29T01:16:00Z");
        let target = Target::parse("3d").expect("target").minutes(&mut c, from);
        assert_eq!(target, 1800);
        assert_eq!(
            deadline(&mut c, from, target, &[]),
            at("2016-03-03T08:00:00Z")
        );
        // 4h from Monday 16:00: two hours on Monday, two on Tuesday.
        let from = at("2016-02-29T16:00:00Z");
        assert_eq!(deadline(&mut c, from, 240, &[]), at("2016-03-01T10:00:00Z"));
        // A pause of one working hour on Tuesday moves it an hour.
        let paused = [(at("2016-03-01T08:30:00Z"), at("2016-03-01T09:30:00Z"))];
        assert_eq!(
            deadline(&mut c, from, 240, &paused),
            at("2016-03-01T11:00:00Z")
        );
        assert_eq!(
            elapsed(&mut c, from, at("2016-03-01T11:00:00Z"), &paused),
            240
        );
    }

    #[test]
    fn targets_in_months_are_refused_and_weeks_count_working_days() {
        assert!(Target::parse("1mo").is_err());
        let cal = office();
        let mut c = cal.clock();
        let from = at("2016-03-01T10:00:00Z");
        // One week = five working days on a Monday-to-Friday calendar.
        assert_eq!(
            Target::parse("1w").expect("target").minutes(&mut c, from),
            3000
        );
        let always = Calendar::always_on();
        let mut c = always.clock();
        assert_eq!(
            Target::parse("2d").expect("target").minutes(&mut c, from),
            2880
        );
    }
}
