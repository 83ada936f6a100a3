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

pub mod clock;
pub mod explain;
pub mod read;
pub mod source;
pub mod time;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use clock::{Calendar, Clock, Minute};
use read::{Export, FileInfo, Location, Ticket};
use source::Spec;

use crate::model::{Document, Kind};

/// Where export files come from: the working tree or a commit.
pub trait Files {
    /// Repository-relative paths of the files matching `pattern` (a path or a glob), sorted.
    fn glob(&self, pattern: &str) -> Result<Vec<String>, String>;
    /// Opens one file for reading.
    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + '_>, String>;
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

    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + '_>, String> {
        let full = self.0.join(path);
        // A symbolic link may not lead out of the repository.
        if let (Ok(root), Ok(target)) = (self.0.canonicalize(), full.canonicalize())
            && !target.starts_with(&root)
        {
            return Err(format!("`{path}` leads outside the repository"));
        }
        let (file, _) = crate::fsread::open(&full).map_err(|e| e.to_string())?;
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
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
            return Ok(match self.repo.read(self.rev, pattern) {
                Ok(Some(_)) => vec![pattern.to_string()],
                _ => Vec::new(),
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

    fn open(&self, path: &str) -> Result<Box<dyn std::io::Read + '_>, String> {
        match self.repo.read(self.rev, path) {
            Ok(Some(bytes)) => Ok(Box::new(std::io::Cursor::new(bytes))),
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
    pub at: (String, String),
    /// The TicketSources whose tickets are counted.
    #[serde(skip)]
    pub sources: std::collections::BTreeSet<String>,
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
}

impl Measured {
    /// Whether any TicketSource exists.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.problems.is_empty()
    }
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
    let mut v: Vec<(Minute, Minute)> = pauses
        .iter()
        .map(|&(a, b)| (a.max(from), b.min(to)))
        .filter(|(a, b)| a < b)
        .collect();
    v.sort_unstable();
    let mut merged: Vec<(Minute, Minute)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
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

/// The first instant at which the clock started at `from` reaches `target` minutes, with
/// `paused` (merged) intervals not counted.
pub fn deadline(
    clock: &mut Clock<'_>,
    from: Minute,
    target: i64,
    paused: &[(Minute, Minute)],
) -> Minute {
    let mut hi = from + target.max(1);
    let mut guard = 0;
    while elapsed(clock, from, hi, paused) < target && guard < 40 {
        hi = from + (hi - from) * 2;
        guard += 1;
    }
    let mut lo = from;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if elapsed(clock, from, mid, paused) >= target {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// One agreement, compiled for measuring.
struct Agreement<'d> {
    doc: &'d Document,
    calendar: usize,
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
    pub target: i64,
    /// Where the clock stopped (`None`: still running at the end of the data).
    pub stop: Option<Minute>,
    /// The deadline: the instant the clock reaches the target.
    pub deadline: Option<Minute>,
    /// `met`, `missed`, `open-breached` or `running`.
    pub status: &'static str,
    /// The month it counts in.
    pub period: Option<String>,
}

/// Clocks one ticket against one target.
pub fn clock_ticket(
    clock: &mut Clock<'_>,
    ticket: &Ticket,
    stop: Option<Minute>,
    target: &Target,
    end: Minute,
    want_deadline: bool,
) -> Clocked {
    let until = stop.unwrap_or(end).max(ticket.opened);
    let paused = pauses_within(&ticket.pauses, ticket.opened, until);
    let elapsed = elapsed(clock, ticket.opened, until, &paused);
    let target_minutes = target.minutes(clock, ticket.opened);
    let tz = clock.calendar().tz.clone();
    match stop {
        Some(s) => {
            let met = elapsed <= target_minutes;
            Clocked {
                elapsed,
                target: target_minutes,
                stop: Some(s),
                deadline: want_deadline
                    .then(|| deadline(clock, ticket.opened, target_minutes, &paused)),
                status: if met { "met" } else { "missed" },
                period: Some(clock::month_of(&tz, s)),
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
                period: Some(clock::month_of(&tz, d)),
            }
        }
        None => Clocked {
            elapsed,
            target: target_minutes,
            stop: None,
            deadline: want_deadline
                .then(|| deadline(clock, ticket.opened, target_minutes, &paused)),
            status: "running",
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
}

impl<'d> Setup<'d> {
    /// Compiles the TicketSources, and the SLAs and Calendars they are measured on.
    pub fn new(docs: &'d [Document]) -> Setup<'d> {
        let mut problems = Vec::new();
        let mut specs = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            if d.kind != Kind::TicketSource {
                continue;
            }
            match Spec::compile(d) {
                Ok(s) => specs.push((i, s)),
                Err(errors) => problems.extend(errors.into_iter().map(|e| Problem {
                    kind: Kind::TicketSource,
                    id: d.id.clone(),
                    pointer: e.pointer,
                    message: e.message,
                })),
            }
        }
        let mut calendars: Vec<Calendar> = Vec::new();
        let mut calendar_index: HashMap<String, usize> = HashMap::new();
        let mut agreements = Vec::new();
        let mut by_service: HashMap<String, Vec<usize>> = HashMap::new();
        if !specs.is_empty() {
            for d in docs
                .iter()
                .filter(|d| d.kind == Kind::ServiceLevelAgreement)
            {
                if d.status() == Some("retired") {
                    continue;
                }
                if let Some(a) =
                    Self::agreement(d, docs, &mut calendars, &mut calendar_index, &mut problems)
                {
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
        }
    }

    fn agreement(
        d: &'d Document,
        docs: &'d [Document],
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
        let calendar = match d.pointer("/spec/calendar").and_then(Value::as_str) {
            Some(id) => match calendar_index.get(id) {
                Some(&i) => i,
                None => {
                    let doc = docs
                        .iter()
                        .find(|c| c.kind == Kind::Calendar && c.id == id)?;
                    match Calendar::from_spec(id, doc.pointer("/spec").unwrap_or(&Value::Null)) {
                        Ok(c) => {
                            calendars.push(c);
                            calendar_index.insert(id.to_string(), calendars.len() - 1);
                            calendars.len() - 1
                        }
                        Err(e) => {
                            problems.push(Problem {
                                kind: Kind::Calendar,
                                id: id.to_string(),
                                pointer: "/spec".into(),
                                message: format!("tickets cannot be clocked on this calendar: {e}"),
                            });
                            return None;
                        }
                    }
                }
            },
            None => match calendar_index.get("24x7") {
                Some(&i) => i,
                None => {
                    calendars.push(Calendar::always_on());
                    calendar_index.insert("24x7".into(), calendars.len() - 1);
                    calendars.len() - 1
                }
            },
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
        let Some(list) = self.by_service.get(&ticket.service) else {
            return Vec::new();
        };
        list.iter()
            .copied()
            .filter(|&a| {
                let ag = &self.agreements[a];
                let day = clock::local_date(&self.calendars[ag.calendar].tz, ticket.opened);
                ag.from.is_none_or(|f| day >= f) && ag.to.is_none_or(|t| day <= t)
            })
            .collect()
    }
}

/// Reads one source's files. `Err` when a file cannot be read as the source says (its
/// problem is also recorded, located at the source's `files`).
pub fn read_source(
    spec: &Spec,
    files: &dyn Files,
    explain: Option<&str>,
) -> Result<Export, Problem> {
    let problem = |pointer: String, message: String| Problem {
        kind: Kind::TicketSource,
        id: spec.id.clone(),
        pointer,
        message,
    };
    let mut reader = read::Reader::new(spec, explain);
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
            let mut input = files
                .open(&path)
                .map_err(|e| problem(format!("/spec/files/{i}"), e))?;
            reader
                .file(&path, &mut input)
                .map_err(|e| problem(format!("/spec/files/{i}"), e.0))?;
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
    Ok(reader.finish())
}

/// Measures every TicketSource in `docs` against the agreements that cover its tickets.
pub fn measure(docs: &[Document], files: &dyn Files) -> Measured {
    let setup = Setup::new(docs);
    let mut out = Measured {
        problems: setup.problems.clone(),
        ..Measured::default()
    };
    if !setup.has_sources() {
        return out;
    }
    let mut cells: BTreeMap<(String, String, u8, &'static str, String), Attainment> =
        BTreeMap::new();
    let mut clocks: Vec<Clock<'_>> = setup.calendars.iter().map(Calendar::clock).collect();
    for (doc_index, spec) in setup.sources() {
        let export = match read_source(spec, files, None) {
            Ok(e) => e,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let report = source_report(spec, &docs[doc_index], &export);
        if report.rejected_bp > report.max_rejected_bp {
            out.over_limit.push(over_limit_message(&report));
        }
        let end = export.end.unwrap_or(0);
        let mut verdicts = Verdicts::default();
        let mut uncovered: BTreeMap<&str, u64> = BTreeMap::new();
        for ticket in &export.tickets {
            let covering = setup.covering(ticket);
            if covering.is_empty() {
                *uncovered.entry(ticket.service.as_str()).or_default() += 1;
            }
            for (k, &a) in covering.iter().enumerate() {
                let ag = &setup.agreements[a];
                let Some(pt) = ag.targets.get(&ticket.priority) else {
                    continue;
                };
                let clock = &mut clocks[ag.calendar];
                for (metric, target, stop, req) in [
                    (
                        "response",
                        pt.response.as_ref().filter(|_| spec.measures_response()),
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
                        let ours = c.status == "met";
                        match (tool, ours) {
                            (true, true) => verdicts.both_met += 1,
                            (false, false) => verdicts.both_missed += 1,
                            (true, false) => verdicts.tool_met_evident_missed += 1,
                            (false, true) => verdicts.tool_missed_evident_met += 1,
                        }
                    }
                    let Some(period) = c.period.clone() else {
                        continue;
                    };
                    if c.status != "met" {
                        out.missed.push(Miss {
                            agreement: ag.doc.id.clone(),
                            source: spec.id.clone(),
                            ticket: ticket.id.clone(),
                            priority: format!("P{}", ticket.priority),
                            metric: metric.to_string(),
                            period: period.clone(),
                            elapsed: c.elapsed,
                            target_minutes: c.target,
                            status: if c.status == "missed" {
                                "missed"
                            } else {
                                "open-breached"
                            },
                        });
                    }
                    for p in [period, "all".to_string()] {
                        let cell = cells
                            .entry((
                                ag.doc.id.clone(),
                                ticket.service.clone(),
                                ticket.priority,
                                metric,
                                p.clone(),
                            ))
                            .or_insert_with(|| Attainment {
                                agreement: ag.doc.id.clone(),
                                service: ticket.service.clone(),
                                priority: format!("P{}", ticket.priority),
                                metric: metric.to_string(),
                                period: p,
                                target: text.clone(),
                                required_bp: req,
                                at: (
                                    ag.doc.path.clone(),
                                    format!("/spec/targets/priorities/{}/{metric}", pt.index),
                                ),
                                ..Attainment::default()
                            });
                        if !cell.sources.contains(&spec.id) {
                            cell.sources.insert(spec.id.clone());
                        }
                        match c.status {
                            "met" => {
                                cell.tickets += 1;
                                cell.met += 1;
                            }
                            "missed" => cell.tickets += 1,
                            _ => cell.open_breached += 1,
                        }
                    }
                }
            }
        }
        if !uncovered.is_empty() {
            let list: Vec<String> = uncovered
                .iter()
                .map(|(s, n)| format!("{n} of service `{s}`"))
                .collect();
            out.problems.push(Problem {
                kind: Kind::TicketSource,
                id: spec.id.clone(),
                pointer: "/spec".into(),
                message: format!(
                    "{} tickets fall under no agreement valid when they were opened ({}): they are measured against nothing",
                    uncovered.values().sum::<u64>(),
                    list.join(", ")
                ),
            });
        }
        let mut report = report;
        if verdicts != Verdicts::default() {
            report.verdicts = Some(verdicts);
        }
        out.kpis.extend(kpis(spec, &export));
        out.sources.push(report);
    }
    out.attainment = cells
        .into_values()
        .map(|mut c| {
            let den = c.tickets + c.open_breached;
            c.attainment_bp = (c.met * 10_000)
                .checked_div(den)
                .and_then(|v| i64::try_from(v).ok())
                .unwrap_or(0);
            c
        })
        .collect();
    // Months in order, `all` last, within each agreement × service × priority × metric.
    out.attainment.sort_by(|a, b| {
        (
            &a.agreement,
            &a.service,
            &a.priority,
            &a.metric,
            a.period == "all",
            &a.period,
        )
            .cmp(&(
                &b.agreement,
                &b.service,
                &b.priority,
                &b.metric,
                b.period == "all",
                &b.period,
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
    // An agreement that requires a share of tickets to meet its targets with no ticket data
    // measuring it gives no assurance.
    for ag in &setup.agreements {
        let requires = ag
            .targets
            .values()
            .any(|t| t.required.iter().any(Option::is_some));
        let measured = out.attainment.iter().any(|c| c.agreement == ag.doc.id);
        if requires && !measured {
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

fn source_report(spec: &Spec, doc: &Document, export: &Export) -> SourceReport {
    let rejected_rows = export.rejected_rows();
    SourceReport {
        id: spec.id.clone(),
        document: doc.path.clone(),
        files: export.files.clone(),
        rows: export.rows,
        tickets: export.tickets.len() as u64,
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

/// Monthly KPIs of one source (months in the source's `timezone`, else UTC).
fn kpis(spec: &Spec, export: &Export) -> Vec<Kpi> {
    let tz = spec
        .timezone
        .as_deref()
        .and_then(|t| clock::time_zone(t).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let month_index = |t: Minute| {
        let d = clock::local_date(&tz, t);
        i64::from(d.year()) * 12 + i64::from(d.month()) - 1
    };
    let Some((start, end)) = export.start.zip(export.end) else {
        return Vec::new();
    };
    let (first, last) = (month_index(start), month_index(end));
    if last < first || last - first > 1200 {
        return Vec::new();
    }
    let n = usize::try_from(last - first + 1).unwrap_or(0);
    let mut rows: Vec<Kpi> = (0..n)
        .map(|i| {
            let m = first + i as i64;
            Kpi {
                source: spec.id.clone(),
                period: format!("{:04}-{:02}", m / 12, m % 12 + 1),
                first_contact: spec.column("first_contact").map(|_| 0),
                ..Kpi::default()
            }
        })
        .collect();
    let mut backlog_delta = vec![0i64; n + 1];
    let mut paused = vec![(0i64, 0i64); n];
    let idx = |t: Minute| {
        usize::try_from(month_index(t) - first)
            .ok()
            .filter(|&i| i < n)
    };
    for t in &export.tickets {
        let o = idx(t.opened);
        if let Some(o) = o {
            rows[o].opened += 1;
            backlog_delta[o] += 1;
        }
        if let Some(r) = t.resolved
            && let Some(ri) = idx(r)
        {
            let row = &mut rows[ri];
            row.resolved += 1;
            row.reopened += u64::from(t.reopened > 0);
            row.reassigned += u64::from(t.reassigned > 0);
            if let Some(fc) = row.first_contact.as_mut() {
                *fc += u64::from(t.first_contact == Some(true));
            }
            let open = (r - t.opened).max(0);
            let p: i64 = pauses_within(&t.pauses, t.opened, r)
                .iter()
                .map(|(a, b)| b - a)
                .sum();
            paused[ri].0 += p;
            paused[ri].1 += open;
            if o.is_some() {
                backlog_delta[ri] -= 1;
            }
        }
    }
    let mut backlog = 0i64;
    for (i, row) in rows.iter_mut().enumerate() {
        backlog += backlog_delta[i];
        row.backlog = u64::try_from(backlog).unwrap_or(0);
        row.paused_bp = if paused[i].1 > 0 {
            paused[i].0 * 10_000 / paused[i].1
        } else {
            0
        };
    }
    rows
}
