//! Reading one source's export files into tickets (PRODUCT.md §11.3.1–4, 8).
//!
//! Rows stream through once. Each row becomes a compact event (time, order, position,
//! state flags, assignment); the fields of a ticket's final record are kept from the row
//! that sorts last, so nothing but those events is held. Every row that cannot be used is
//! counted under a reason, with the location of the first few.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::Arc;

/// Hash maps keyed by cells of the export, looked up once or more per row: foldhash, not
/// SipHash (the keys come from the organization's own export, not from an attacker).
use crate::FastMap;
use std::io::Read;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::clock::Minute;
use super::source::{Layout, ServiceRule, Spec};

/// How many locations are kept per rejection reason.
pub const LOCATIONS_KEPT: usize = 5;

/// A place in an export: file, row (the line the row starts on) and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Repository-relative path of the file.
    pub path: String,
    /// 1-based line of the row (CSV), or 1-based index of the object (JSON).
    pub row: u64,
    /// 1-based column (CSV field number; for JSON, 1 for the object).
    pub column: u64,
    /// The column's name.
    pub field: String,
    /// The value found, shortened.
    pub value: String,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{} ({} = `{}`)",
            self.path, self.row, self.column, self.field, self.value
        )
    }
}

/// Rows rejected for one reason.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rejected {
    /// How many rows.
    pub rows: u64,
    /// Where the first few are.
    pub first: Vec<Location>,
}

/// One export file read.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    /// Repository-relative path.
    pub path: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Data rows (CSV records after the header, or JSON objects).
    pub rows: u64,
}

/// A ticket, from its events.
#[derive(Debug, Clone)]
pub struct Ticket {
    /// Its number.
    pub id: String,
    /// The Service id it belongs to.
    pub service: Arc<str>,
    /// 1..=5.
    pub priority: u8,
    /// When it was opened.
    pub opened: Minute,
    /// When it was resolved; `None`: still open.
    pub resolved: Option<Minute>,
    /// When it was first responded to, if the source says.
    pub responded: Option<Minute>,
    /// Paused intervals, as recorded (`Minute::MAX`: still paused at the end of the data).
    pub pauses: Vec<(Minute, Minute)>,
    /// Times it was reopened.
    pub reopened: u32,
    /// Times it was reassigned.
    pub reassigned: u32,
    /// Resolved at first contact, when the source says.
    pub first_contact: Option<bool>,
    /// The tool's own verdict: `true` when the tool says the SLA was met.
    pub tool_met: Option<bool>,
    /// A change: whether its outcome is a successful one (`None`: not a change).
    pub successful: Option<bool>,
    /// Rows it was read from.
    pub rows: u32,
}

/// Where derived tickets go, one at a time as their rows end.
pub trait TicketSink {
    /// A ticket is complete.
    fn ticket(&mut self, ticket: Ticket);
    /// Forget every ticket received: the export is read again from the start.
    fn reset(&mut self);
}

/// Keeps the tickets (for `sla explain`).
impl TicketSink for Vec<Ticket> {
    fn ticket(&mut self, ticket: Ticket) {
        self.push(ticket);
    }

    fn reset(&mut self) {
        self.clear();
    }
}

/// One row of a ticket, for `sla explain`.
#[derive(Debug, Clone, Serialize)]
pub struct TraceRow {
    /// Where it is.
    pub path: String,
    /// Its line.
    pub row: u64,
    /// Event time (`None`: unreadable).
    pub time: Option<Minute>,
    /// Order field value.
    pub order: Option<i64>,
    /// State.
    pub state: String,
    /// Sub-state.
    pub substate: String,
    /// Why the row is not used, if it is not.
    pub rejected: Option<&'static str>,
}

/// Everything read from one source.
#[derive(Debug, Clone, Default)]
pub struct Export {
    /// The files, in the order read.
    pub files: Vec<FileInfo>,
    /// Data rows in all files.
    pub rows: u64,
    /// Rejected rows by reason.
    pub rejected: BTreeMap<&'static str, Rejected>,
    /// The tickets that can be measured, when kept ([`super::read_source`]).
    pub tickets: Vec<Ticket>,
    /// The latest time in the data: open tickets are judged at this instant.
    pub end: Option<Minute>,
    /// The first time in the data.
    pub start: Option<Minute>,
    /// Things the reader noticed that are not errors.
    pub warnings: Vec<String>,
    /// With a ticket to explain: its rows in file order.
    pub trace: Vec<TraceRow>,
}

impl Export {
    /// Rejected rows, all reasons.
    pub fn rejected_rows(&self) -> u64 {
        self.rejected.values().map(|r| r.rows).sum()
    }
}

/// Why a file could not be read at all (not a row: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

// Event state flags.
const PAUSE: u8 = 1;
const RESOLVED: u8 = 2;
const RESPONSE: u8 = 4;

#[derive(Debug, Clone, Copy)]
struct Event {
    ticket: u32,
    order: i64,
    time: Minute,
    seq: u32,
    flags: u8,
    group: u32,
}

impl Event {
    fn key(&self) -> (i64, Minute, u32) {
        (self.order, self.time, self.seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mapped<T> {
    Missing(Box<Location>),
    Unknown(Box<Location>),
    Known(T),
}

/// The final-record candidate of a ticket: the fields of its row that sorts last.
#[derive(Debug, Clone)]
struct Final {
    key: (i64, Minute, u32),
    priority: Mapped<u8>,
    service: Mapped<u32>,
    opened: Option<Minute>,
    opened_loc: Option<Box<Location>>,
    resolved: Option<Minute>,
    resolved_loc: Option<Box<Location>>,
    responded: Option<Minute>,
    resolved_state: bool,
    reassignment_count: Option<u32>,
    reopen_count: Option<u32>,
    first_contact: Option<bool>,
    tool_met: Option<bool>,
    outcome: Mapped<bool>,
}

impl Final {
    fn empty() -> Final {
        Final {
            key: (i64::MIN, Minute::MIN, 0),
            // Every row read replaces this: a ticket exists only once a row of it is read.
            priority: Mapped::Known(0),
            service: Mapped::Known(0),
            opened: None,
            opened_loc: None,
            resolved: None,
            resolved_loc: None,
            responded: None,
            resolved_state: false,
            reassignment_count: None,
            reopen_count: None,
            first_contact: None,
            tool_met: None,
            outcome: Mapped::Known(false),
        }
    }
}

struct Acc {
    id: String,
    rows: u32,
    last: Final,
}

/// Column indexes of the mapped fields in one file.
#[derive(Default, Clone)]
struct Columns {
    id: usize,
    state: Option<usize>,
    substate: Option<usize>,
    order: Option<usize>,
    updated: Option<usize>,
    opened: Option<usize>,
    responded: Option<usize>,
    resolved: Option<usize>,
    priority: Option<usize>,
    service: Option<usize>,
    assignee: Option<usize>,
    group: Option<usize>,
    reassignment_count: Option<usize>,
    reopen_count: Option<usize>,
    first_contact: Option<usize>,
    breached: Option<usize>,
    made_sla: Option<usize>,
    outcome: Option<usize>,
    resolution_remaining: Option<usize>,
    names: Vec<String>,
}

fn shorten(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.into_owned()
    }
}

fn parse_int(bytes: &[u8]) -> Option<i64> {
    std::str::from_utf8(bytes).ok()?.trim().parse().ok()
}

/// Jira's remaining time of an SLA cycle (`hh:mm`, `-hh:mm` once breached; empty when the SLA
/// does not apply): whether the target was met.
fn remaining_met(bytes: &[u8]) -> Option<bool> {
    let s = std::str::from_utf8(bytes).ok()?.trim();
    let (negative, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r.trim()),
        None => (false, s),
    };
    let (h, m) = rest.split_once(':')?;
    (h.trim().parse::<u32>().is_ok() && m.trim().parse::<u32>().is_ok()).then_some(!negative)
}

fn parse_bool(bytes: &[u8]) -> Option<bool> {
    match bytes.to_ascii_lowercase().as_slice() {
        b"true" | b"yes" | b"1" | b"y" => Some(true),
        b"false" | b"no" | b"0" | b"n" => Some(false),
        _ => None,
    }
}

/// The reader of one source: call [`Reader::file`] per file, then [`Reader::finish`].
pub struct Reader<'s> {
    spec: &'s Spec,
    resolver: super::time::Resolver,
    missing: Vec<Vec<u8>>,
    out: Export,
    ids: FastMap<Box<[u8]>, u32>,
    last_id: Option<(Vec<u8>, u32)>,
    /// Streaming: a 64-bit hash of every ticket id seen, to notice one that comes back (a
    /// collision only costs a second, buffered read).
    seen: std::collections::HashSet<u64, foldhash::fast::FixedState>,
    /// Export priority → 1..=5, by the cell's bytes.
    priorities: FastMap<Vec<u8>, u8>,
    /// Per ticket seen: its state while it is being read; `None` once derived (streaming).
    accs: Vec<Option<Box<Acc>>>,
    /// Streaming: a ticket is derived as soon as the next ticket's rows start, and only its
    /// events are held. Rows of a ticket that come back later (an export not grouped by
    /// ticket) stop the read; [`super::read_source`] then reads again, buffered.
    streaming: bool,
    /// The ticket whose rows are being read (streaming).
    current: Option<u32>,
    /// Streaming found a ticket's rows apart from each other.
    ungrouped: bool,
    /// A reused key buffer for the state-flags cache.
    key: Vec<u8>,
    /// Where tickets go.
    sink: &'s mut dyn TicketSink,
    events: Vec<Event>,
    flags: FastMap<Vec<u8>, Option<u8>>,
    groups: FastMap<Vec<u8>, u32>,
    services: Vec<Arc<str>>,
    service_index: FastMap<String, u32>,
    seq: u32,
    explain: Option<String>,
    naive_without_zone: Option<Location>,
}

/// A fatal problem in a file: it cannot be read as the source says.
#[derive(Debug, Clone)]
pub struct Fatal {
    /// What is wrong.
    pub message: String,
    /// Where in the TicketSource to fix it, when one place is to blame (a column mapping).
    pub pointer: Option<String>,
}

impl From<String> for Fatal {
    fn from(message: String) -> Fatal {
        Fatal {
            message,
            pointer: None,
        }
    }
}

impl<'s> Reader<'s> {
    /// Holds every event until the end instead of deriving tickets as their rows end: for
    /// exports whose rows of one ticket are not together.
    pub fn buffered(mut self) -> Self {
        self.streaming = false;
        self
    }

    /// Whether streaming found a ticket's rows apart (read again with [`Reader::buffered`]).
    pub fn ungrouped(&self) -> bool {
        self.ungrouped
    }

    /// A reader for `spec` that sends each ticket to `sink` as it is derived; with
    /// `explain`, the rows of that ticket are kept in the trace.
    pub fn new(spec: &'s Spec, explain: Option<&str>, sink: &'s mut dyn TicketSink) -> Reader<'s> {
        let mut missing: Vec<Vec<u8>> =
            spec.missing.iter().map(|m| m.as_bytes().to_vec()).collect();
        missing.push(Vec::new());
        Reader {
            spec,
            resolver: spec.resolver(),
            missing,
            out: Export::default(),
            ids: FastMap::default(),
            last_id: None,
            seen: std::collections::HashSet::with_hasher(foldhash::fast::FixedState::with_seed(0)),
            priorities: spec
                .priorities
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), *v))
                .collect(),
            accs: Vec::new(),
            streaming: true,
            current: None,
            ungrouped: false,
            key: Vec::new(),
            sink,
            events: Vec::new(),
            flags: FastMap::default(),
            groups: FastMap::default(),
            services: Vec::new(),
            service_index: FastMap::default(),
            seq: 0,
            explain: explain.map(str::to_string),
            naive_without_zone: None,
        }
    }

    fn reject(&mut self, reason: &'static str, loc: Location) {
        let r = self.out.rejected.entry(reason).or_default();
        r.rows += 1;
        if r.first.len() < LOCATIONS_KEPT {
            r.first.push(loc);
        }
    }

    fn columns(&self, path: &str, header: &[String]) -> Result<Columns, Fatal> {
        let find = |name: &str| header.iter().position(|h| h == name);
        let explicit = |field: &str| -> bool {
            // A field the preset maps may be absent from an export; one the document maps
            // must be there.
            self.spec.preset.is_none()
                || crate::tickets::source::preset(self.spec.preset.unwrap_or_default()).is_none_or(
                    |p| {
                        !p.fields
                            .iter()
                            .any(|(f, c)| *f == field && Some(*c) == self.spec.column(field))
                    },
                )
        };
        let mut missing_required = Vec::new();
        let mut col = |field: &str, required: bool| -> Option<usize> {
            let name = self.spec.column(field)?;
            match find(name) {
                Some(i) => Some(i),
                None => {
                    if required || explicit(field) {
                        missing_required.push((field.to_string(), name.to_string()));
                    }
                    None
                }
            }
        };
        let id = col("id", true);
        let layout_events = self.spec.layout == Layout::Events;
        let c = Columns {
            id: id.unwrap_or(0),
            state: col("state", false),
            substate: col("substate", false),
            order: col("order", false),
            updated: col("updated", layout_events),
            opened: col("opened", !layout_events),
            responded: col("responded", false),
            resolved: col("resolved", false),
            priority: col("priority", !self.spec.changes),
            service: None,
            assignee: col("assignee", false),
            group: col("group", false),
            reassignment_count: col("reassignment_count", false),
            reopen_count: col("reopen_count", false),
            first_contact: col("first_contact", false),
            breached: col("breached", false),
            made_sla: col("made_sla", false),
            outcome: col("outcome", self.spec.changes),
            resolution_remaining: col("resolution_remaining", false),
            names: header.to_vec(),
        };
        let mut c = c;
        if let ServiceRule::Field { column, .. } = &self.spec.service {
            c.service = find(column);
            if c.service.is_none() {
                missing_required.push(("service_field".into(), column.clone()));
            }
        }
        if !missing_required.is_empty() {
            let list: Vec<String> = missing_required
                .iter()
                .map(|(field, name)| {
                    let hint = crate::suggest::closest(name, header.iter().map(String::as_str))
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    format!("`{name}` for `{field}`{hint}")
                })
                .collect();
            let shown: Vec<&str> = header.iter().take(40).map(String::as_str).collect();
            // One column the document names: point at its name there.
            let pointer = match missing_required.as_slice() {
                [(field, _)] if field == "service_field" => Some("/spec/service_field".to_string()),
                [(field, _)] if explicit(field) => Some(format!("/spec/fields/{field}")),
                _ => None,
            };
            return Err(Fatal {
                message: format!(
                    "`{path}` has no column {}; its columns are: {}",
                    list.join(", "),
                    shown.join(", ")
                ),
                pointer,
            });
        }
        Ok(c)
    }

    /// Reads one file (CSV or JSON by the source's `format` or the file's extension).
    /// Reads one file of `size` bytes (CSV or JSON by the source's `format` or the file's
    /// extension).
    pub fn file(&mut self, path: &str, input: impl Read + Send, size: u64) -> Result<(), Fatal> {
        let json = match self.spec.format.as_deref() {
            Some(f) => f == "json",
            None => path.to_ascii_lowercase().ends_with(".json"),
        };
        let before = self.out.rows;
        let (digest, bytes) = if json {
            let mut hashing = Hashing {
                inner: input,
                hasher: Sha256::new(),
                bytes: 0,
            };
            self.json(path, &mut hashing)?;
            std::io::copy(&mut hashing, &mut std::io::sink())
                .map_err(|e| Fatal::from(format!("reading `{path}`: {e}")))?;
            (format!("{:x}", hashing.hasher.finalize()), hashing.bytes)
        } else {
            self.csv(path, input, size)?
        };
        if self.ungrouped {
            // Read again, buffered: this pass's figures are discarded.
            return Ok(());
        }
        let rows = self.out.rows - before;
        if self.spec.system == "servicenow" && rows == 10_000 {
            self.out.warnings.push(format!(
                "`{path}` has exactly 10,000 rows, ServiceNow's default export limit (glide.csv.export.limit): the export may be cut short"
            ));
        }
        self.out.files.push(FileInfo {
            path: path.to_string(),
            sha256: digest,
            bytes,
            rows,
        });
        Ok(())
    }

    /// Reads a CSV file: a second thread reads it, hashes it and splits it into records, in
    /// batches; this one interprets the rows (the two cores of a small CI machine each take
    /// about half of the work). Returns the file's SHA-256 and size.
    fn csv(
        &mut self,
        path: &str,
        input: impl Read + Send,
        size: u64,
    ) -> Result<(String, u64), Fatal> {
        let delimiter = self.spec.delimiter;
        let outcome = |me: &mut Self, parsed: Result<(), Fatal>, digest: Option<(String, u64)>| {
            parsed?;
            match digest {
                Some(d) => Ok(d),
                // Only when this side stopped early: an ungrouped export (read again).
                None if me.ungrouped => Ok((String::new(), 0)),
                None => Err(Fatal::from(format!(
                    "reading `{path}` stopped unexpectedly"
                ))),
            }
        };
        if size < SMALL_FILE {
            // A thread of its own costs more than it saves on a small file: split it first,
            // here, then read the rows.
            let (tx, rx) = std::sync::mpsc::channel::<Batch>();
            let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
            let digest = split(input, delimiter, &|b| tx.send(b).is_ok(), &back_rx);
            drop(tx);
            let parsed = self.csv_rows(path, &rx, &back_tx);
            return outcome(self, parsed, digest);
        }
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
            // Used batches go back to the splitting thread: their records are reused.
            let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
            let splitter =
                scope.spawn(move || split(input, delimiter, &|b| tx.send(b).is_ok(), &back_rx));
            let parsed = self.csv_rows(path, &rx, &back_tx);
            // Stop the splitter if this side stopped early, then wait for it.
            drop(rx);
            let digest = splitter.join().ok().flatten();
            outcome(self, parsed, digest)
        })
    }

    fn csv_rows(
        &mut self,
        path: &str,
        rx: &std::sync::mpsc::Receiver<Batch>,
        back: &std::sync::mpsc::Sender<Vec<csv::ByteRecord>>,
    ) -> Result<(), Fatal> {
        let header: Vec<String> = match rx.recv() {
            Ok(Batch::Header(h)) => h,
            Ok(Batch::Failed(e)) => return Err(Fatal::from(format!("`{path}`{e}"))),
            _ => return Err(Fatal::from(format!("`{path}` is empty: no header row"))),
        };
        if header.iter().all(String::is_empty) {
            return Err(Fatal::from(format!("`{path}` is empty: no header row")));
        }
        let cols = self.columns(path, &header)?;
        loop {
            match rx.recv() {
                Ok(Batch::Records(records, n)) => {
                    for record in &records[..n] {
                        if self.ungrouped {
                            return Ok(());
                        }
                        let line = record.position().map_or(0, csv::Position::line);
                        self.out.rows += 1;
                        let cells = |i: Option<usize>| {
                            i.and_then(|i| record.get(i)).map(super::time::trim_bytes)
                        };
                        self.row(path, line, &cols, &cells);
                    }
                    let _ = back.send(records);
                }
                Ok(Batch::Failed(e)) => return Err(Fatal::from(format!("`{path}`{e}"))),
                Ok(Batch::Header(_)) | Err(_) => return Ok(()),
            }
        }
    }

    fn json(&mut self, path: &str, input: &mut impl Read) -> Result<(), Fatal> {
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(|e| Fatal::from(format!("reading `{path}`: {e}")))?;
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
            Fatal::from(format!(
                "`{path}`:{}:{}: not JSON: {e}",
                e.line(),
                e.column()
            ))
        })?;
        let rows = match &value {
            serde_json::Value::Array(a) => a.as_slice(),
            serde_json::Value::Object(o) => match o.get("records").or(o.get("result")) {
                Some(serde_json::Value::Array(a)) => a.as_slice(),
                _ => {
                    return Err(Fatal::from(format!(
                        "`{path}` is a JSON object without a `records` or `result` array of tickets"
                    )));
                }
            },
            _ => {
                return Err(Fatal::from(format!(
                    "`{path}` is not a JSON array of tickets"
                )));
            }
        };
        let mut header: Vec<String> = Vec::new();
        for r in rows {
            if let Some(o) = r.as_object() {
                for k in o.keys() {
                    if !header.contains(k) {
                        header.push(k.clone());
                    }
                }
            }
        }
        let cols = self.columns(path, &header)?;
        for (n, r) in rows.iter().enumerate() {
            if self.ungrouped {
                return Ok(());
            }
            self.out.rows += 1;
            let text: Vec<Option<Vec<u8>>> = header
                .iter()
                .map(|k| {
                    let v = r.get(k)?;
                    // ServiceNow's `sysparm_display_value=all`: {display_value, value}.
                    let v = v.get("display_value").unwrap_or(v);
                    match v {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(s) => Some(s.as_bytes().to_vec()),
                        other => Some(other.to_string().into_bytes()),
                    }
                })
                .collect();
            let cells = |i: Option<usize>| i.and_then(|i| text.get(i)?.as_deref());
            self.row(path, n as u64 + 1, &cols, &cells);
        }
        Ok(())
    }

    fn is_missing(&self, v: &[u8]) -> bool {
        let v = super::time::trim_bytes(v);
        self.missing.iter().any(|m| m.as_slice() == v)
    }

    fn loc(cols: &Columns, path: &str, line: u64, col: Option<usize>, value: &[u8]) -> Location {
        let i = col.unwrap_or(0);
        Location {
            path: path.to_string(),
            row: line,
            column: i as u64 + 1,
            field: cols.names.get(i).cloned().unwrap_or_default(),
            value: shorten(value),
        }
    }

    fn state_flags(&mut self, state: &[u8], substate: &[u8]) -> Option<u8> {
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        key.extend_from_slice(state);
        key.push(0);
        key.extend_from_slice(substate);
        if let Some(f) = self.flags.get(&key) {
            let f = *f;
            self.key = key;
            return f;
        }
        let s = String::from_utf8_lossy(state);
        let sub = String::from_utf8_lossy(substate);
        let spec = self.spec;
        let f = if spec.reject.matches(&s) {
            None
        } else {
            let mut f = 0;
            if spec.pause.matches(&s) || (!sub.is_empty() && spec.pause.matches(&sub)) {
                f |= PAUSE;
            }
            if spec.resolved.matches(&s) {
                f |= RESOLVED;
            }
            if spec.response.matches(&s) {
                f |= RESPONSE;
            }
            Some(f)
        };
        self.flags.insert(key.clone(), f);
        self.key = key;
        f
    }

    /// A timestamp cell: `Ok(None)` when missing, `Err` when unreadable.
    fn time(
        &mut self,
        v: Option<&[u8]>,
        loc: impl FnOnce() -> Location,
    ) -> Result<Option<Minute>, Location> {
        let Some(v) = v else { return Ok(None) };
        if self.is_missing(v) {
            return Ok(None);
        }
        match self.spec.timestamps.parse(v) {
            Some(p) => match self.resolver.instant(p) {
                Some(t) => Ok(Some(t)),
                None => {
                    let l = loc();
                    if self.naive_without_zone.is_none() {
                        self.naive_without_zone = Some(l.clone());
                    }
                    Err(l)
                }
            },
            None => Err(loc()),
        }
    }

    fn row<'r>(
        &mut self,
        path: &str,
        line: u64,
        cols: &Columns,
        cell: &dyn Fn(Option<usize>) -> Option<&'r [u8]>,
    ) {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        let id = cell(Some(cols.id))
            .map(super::time::trim_bytes)
            .unwrap_or_default();
        let state = cell(cols.state).unwrap_or_default();
        let substate = cell(cols.substate).unwrap_or_default();
        let explaining = self.explain.as_deref().is_some_and(|e| e.as_bytes() == id);
        let mut trace = explaining.then(|| TraceRow {
            path: path.to_string(),
            row: line,
            time: None,
            order: None,
            state: String::from_utf8_lossy(state).into_owned(),
            substate: String::from_utf8_lossy(substate).into_owned(),
            rejected: None,
        });
        let result = self.event(
            path,
            line,
            cols,
            cell,
            id,
            state,
            substate,
            seq,
            trace.as_mut(),
        );
        if let Err((reason, loc)) = result {
            self.reject(reason, loc);
            if let Some(t) = trace.as_mut() {
                t.rejected = Some(reason);
            }
        }
        if let Some(t) = trace {
            self.out.trace.push(t);
        }
    }

    #[allow(clippy::too_many_arguments, reason = "one row's parts, read once")]
    fn event<'r>(
        &mut self,
        path: &str,
        line: u64,
        cols: &Columns,
        cell: &dyn Fn(Option<usize>) -> Option<&'r [u8]>,
        id: &[u8],
        state: &[u8],
        substate: &[u8],
        seq: u32,
        trace: Option<&mut TraceRow>,
    ) -> Result<(), (&'static str, Location)> {
        let at = |col: Option<usize>, v: &[u8]| Self::loc(cols, path, line, col, v);
        if id.is_empty() || self.is_missing(id) {
            return Err(("missing-id", at(Some(cols.id), id)));
        }
        let Some(flags) = self.state_flags(state, substate) else {
            return Err(("reject-state", at(cols.state, state)));
        };
        let updated = cell(cols.updated);
        let time = match self.time(updated, || at(cols.updated, updated.unwrap_or_default())) {
            Ok(t) => t,
            Err(l) => return Err(("bad-timestamp", l)),
        };
        let order = match cell(cols.order) {
            Some(v) if !self.is_missing(v) => match parse_int(v) {
                Some(n) => n,
                None => return Err(("bad-number", at(cols.order, v))),
            },
            _ => i64::MIN,
        };
        let mut times = [None; 3];
        for (i, c) in [cols.opened, cols.resolved, cols.responded]
            .into_iter()
            .enumerate()
        {
            let v = cell(c);
            times[i] = match self.time(v, || at(c, v.unwrap_or_default())) {
                Ok(t) => t,
                Err(l) => return Err(("bad-timestamp", l)),
            };
        }
        let [opened, resolved, responded] = times;
        let time = match (time, self.spec.layout) {
            (Some(t), _) => t,
            (None, Layout::Table) => opened.or(resolved).unwrap_or(Minute::MIN),
            (None, Layout::Events) => {
                return Err(("missing-timestamp", at(cols.updated, b"")));
            }
        };
        if let Some(t) = trace {
            t.time = Some(time);
            t.order = (order != i64::MIN).then_some(order);
        }
        for t in [Some(time), opened, resolved, responded]
            .into_iter()
            .flatten()
        {
            if t != Minute::MIN {
                self.out.end = Some(self.out.end.map_or(t, |e| e.max(t)));
                self.out.start = Some(self.out.start.map_or(t, |s| s.min(t)));
            }
        }
        let Some(ticket) = self.ticket(id) else {
            return Ok(());
        };
        let key = (order, time, seq);
        let group_col = cols.group.or(cols.assignee);
        let group = match cell(group_col) {
            Some(v) if !self.is_missing(v) => match self.groups.get(v) {
                Some(&g) => g,
                None => {
                    let next = self.groups.len() as u32 + 1;
                    self.groups.insert(v.to_vec(), next);
                    next
                }
            },
            _ => 0,
        };
        self.events.push(Event {
            ticket,
            order,
            time,
            seq,
            flags,
            group,
        });
        let Some(acc) = self.accs[ticket as usize].as_mut() else {
            return Ok(());
        };
        acc.rows += 1;
        if key < acc.last.key {
            return Ok(());
        }
        // This row is the ticket's final record so far: keep its fields.
        let priority = match cell(cols.priority) {
            Some(v) if !self.is_missing(v) => {
                match self.priorities.get(super::time::trim_bytes(v)) {
                    Some(&p) => Mapped::Known(p),
                    None => Mapped::Unknown(Box::new(at(cols.priority, v))),
                }
            }
            v => Mapped::Missing(Box::new(at(cols.priority, v.unwrap_or_default()))),
        };
        let service = match &self.spec.service {
            ServiceRule::Fixed(s) => {
                let s = s.clone();
                Mapped::Known(self.service_id(&s))
            }
            ServiceRule::Field { map, .. } => match cell(cols.service) {
                Some(v) if !self.is_missing(v) => {
                    match std::str::from_utf8(super::time::trim_bytes(v))
                        .ok()
                        .and_then(|s| map.get(s))
                    {
                        Some(s) => {
                            let s = s.clone();
                            Mapped::Known(self.service_id(&s))
                        }
                        None => Mapped::Unknown(Box::new(at(cols.service, v))),
                    }
                }
                v => Mapped::Missing(Box::new(at(cols.service, v.unwrap_or_default()))),
            },
        };
        let count = |c: Option<usize>| {
            cell(c)
                .and_then(parse_int)
                .and_then(|n| u32::try_from(n).ok())
        };
        let breached = cell(cols.breached).and_then(parse_bool);
        let last = Final {
            key,
            priority,
            service,
            opened,
            opened_loc: opened
                .is_none()
                .then(|| Box::new(at(cols.opened, cell(cols.opened).unwrap_or_default()))),
            resolved,
            // Where the resolution time is (or is missing): a ticket rejected for it is located
            // at this cell.
            resolved_loc: cols
                .resolved
                .map(|c| Box::new(at(Some(c), cell(Some(c)).unwrap_or_default()))),
            responded,
            resolved_state: flags & RESOLVED != 0,
            reassignment_count: count(cols.reassignment_count),
            reopen_count: count(cols.reopen_count),
            first_contact: cell(cols.first_contact).and_then(parse_bool),
            outcome: match cell(cols.outcome) {
                Some(v) if !self.is_missing(v) => {
                    Mapped::Known(self.spec.successful.matches(&String::from_utf8_lossy(v)))
                }
                v => Mapped::Missing(Box::new(at(cols.outcome, v.unwrap_or_default()))),
            },
            // `made_sla` says met; `has_breached` says the opposite.
            tool_met: cell(cols.made_sla)
                .and_then(parse_bool)
                .or(breached.map(|b| !b))
                .or(cell(cols.resolution_remaining).and_then(remaining_met)),
        };
        if let Some(acc) = self.accs[ticket as usize].as_mut() {
            acc.last = last;
        }
        Ok(())
    }

    fn service_id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.service_index.get(s) {
            return i;
        }
        let i = self.services.len() as u32;
        self.services.push(Arc::from(s));
        self.service_index.insert(s.to_string(), i);
        i
    }

    fn ticket(&mut self, id: &[u8]) -> Option<u32> {
        if let Some((last, i)) = &self.last_id
            && last.as_slice() == id
        {
            return Some(*i);
        }
        let i = if self.streaming {
            // A new ticket's rows start: the previous ticket is complete. Only the current
            // ticket is held (in slot 0), and of the others only a hash of their ids.
            if let Some(previous) = self.current {
                self.derive_current(previous);
            }
            if !self.seen.insert(self.seen.hasher().hash_one(id)) {
                self.ungrouped = true;
                return None;
            }
            let acc = Some(Box::new(Acc {
                id: String::from_utf8_lossy(id).into_owned(),
                rows: 0,
                last: Final::empty(),
            }));
            match self.accs.first_mut() {
                Some(slot) => *slot = acc,
                None => self.accs.push(acc),
            }
            0
        } else {
            match self.ids.get(id) {
                Some(&i) => i,
                None => {
                    let i = self.accs.len() as u32;
                    self.ids.insert(id.into(), i);
                    self.accs.push(Some(Box::new(Acc {
                        id: String::from_utf8_lossy(id).into_owned(),
                        rows: 0,
                        last: Final::empty(),
                    })));
                    i
                }
            }
        };
        self.current = Some(i);
        match &mut self.last_id {
            Some((last, n)) => {
                last.clear();
                last.extend_from_slice(id);
                *n = i;
            }
            None => self.last_id = Some((id.to_vec(), i)),
        }
        Some(i)
    }

    /// Streaming: the rows of ticket `i` have ended; derive it from its events.
    fn derive_current(&mut self, i: u32) {
        let mut events = std::mem::take(&mut self.events);
        if let Some(acc) = self.accs[i as usize].take() {
            self.derive(*acc, &mut events);
        }
        events.clear();
        self.events = events;
    }

    /// A timestamp without an offset was found and the source has no `timezone`.
    pub fn naive_without_zone(&self) -> Option<&Location> {
        self.naive_without_zone.as_ref()
    }

    /// Orders each remaining ticket's events and derives its times (PRODUCT.md §11.3).
    pub fn finish(mut self) -> Export {
        if self.streaming {
            if let Some(i) = self.current.take() {
                self.derive_current(i);
            }
            return self.out;
        }
        let n = self.accs.len();
        // Counting sort of the events by ticket, keeping file order within a ticket.
        let mut starts = vec![0usize; n + 1];
        for e in &self.events {
            starts[e.ticket as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut sorted = vec![
            Event {
                ticket: 0,
                order: 0,
                time: 0,
                seq: 0,
                flags: 0,
                group: 0
            };
            self.events.len()
        ];
        for e in self.events.drain(..) {
            let slot = &mut next[e.ticket as usize];
            sorted[*slot] = e;
            *slot += 1;
        }
        drop(next);
        let accs = std::mem::take(&mut self.accs);
        for (i, acc) in accs.into_iter().enumerate() {
            if let Some(acc) = acc {
                self.derive(*acc, &mut sorted[starts[i]..starts[i + 1]]);
            }
        }
        self.out
    }

    /// Derives one ticket from its events (in file order) and its final record.
    fn derive(&mut self, acc: Acc, evs: &mut [Event]) {
        if evs.is_empty() {
            return;
        }
        evs.sort_unstable_by_key(Event::key);
        let events_layout = self.spec.layout == Layout::Events;
        let measures_response = self.spec.measures_response();
        let rows = acc.rows;
        let last = acc.last;
        let reject = |reason: &'static str, loc: Location, out: &mut Export| {
            let r = out.rejected.entry(reason).or_default();
            r.rows += u64::from(rows);
            if r.first.len() < LOCATIONS_KEPT {
                r.first.push(loc);
            }
        };
        let priority = match last.priority {
            Mapped::Known(p) => p,
            // A change's priority is not measured against a target.
            _ if self.spec.changes => 0,
            Mapped::Unknown(l) => {
                reject("unknown-priority", *l, &mut self.out);
                return;
            }
            Mapped::Missing(l) => {
                reject("missing-priority", *l, &mut self.out);
                return;
            }
        };
        let service = match last.service {
            Mapped::Known(s) => self.services.get(s as usize).cloned().unwrap_or_default(),
            Mapped::Unknown(l) => {
                reject("unknown-service", *l, &mut self.out);
                return;
            }
            Mapped::Missing(l) => {
                reject("missing-service", *l, &mut self.out);
                return;
            }
        };
        let opened = if self.spec.column("opened").is_some() {
            match last.opened {
                Some(t) => t,
                None => {
                    let l = last.opened_loc.map(|b| *b);
                    reject("missing-opened", l.unwrap_or_else(empty_loc), &mut self.out);
                    return;
                }
            }
        } else {
            evs[0].time
        };
        // Resolved: the final record's field, else the first event of the last run of
        // resolved events (a run followed by another state was a reopen).
        let mut reopened = 0u32;
        let mut in_run = false;
        for e in evs.iter() {
            let r = e.flags & RESOLVED != 0;
            if in_run && !r {
                reopened += 1;
            }
            in_run = r;
        }
        let resolved = if self.spec.column("resolved").is_some() {
            match last.resolved {
                Some(t) => Some(t),
                None if last.resolved_state => {
                    let l = last.resolved_loc.map(|b| *b);
                    reject(
                        "closed-without-resolution",
                        l.unwrap_or_else(empty_loc),
                        &mut self.out,
                    );
                    return;
                }
                None => None,
            }
        } else if evs.last().is_some_and(|e| e.flags & RESOLVED != 0) {
            let run = evs
                .iter()
                .rposition(|e| e.flags & RESOLVED == 0)
                .map_or(0, |p| p + 1);
            Some(evs[run].time)
        } else {
            None
        };
        if let Some(r) = resolved
            && r < opened
        {
            let l = last.resolved_loc.map(|b| *b).unwrap_or_else(|| Location {
                value: super::clock::display(&jiff::tz::TimeZone::UTC, r),
                ..empty_loc()
            });
            reject("resolved-before-opened", l, &mut self.out);
            return;
        }
        let responded = if self.spec.column("responded").is_some() {
            last.responded
        } else if measures_response {
            evs.iter().find(|e| e.flags & RESPONSE != 0).map(|e| e.time)
        } else {
            None
        };
        let mut pauses = Vec::new();
        if events_layout {
            for (k, e) in evs.iter().enumerate() {
                if e.flags & PAUSE != 0 {
                    let end = evs.get(k + 1).map_or(Minute::MAX, |n| n.time);
                    pauses.push((e.time, end));
                }
            }
        }
        // A closed change says how it ended; one that does not cannot count for or against
        // the success rate.
        let successful = match (&last.outcome, self.spec.changes, resolved) {
            (_, false, _) | (_, true, None) => None,
            (Mapped::Known(s), true, Some(_)) => Some(*s),
            (Mapped::Missing(l) | Mapped::Unknown(l), true, Some(_)) => {
                reject("missing-outcome", (**l).clone(), &mut self.out);
                return;
            }
        };
        let mut reassigned = 0;
        let mut prev = 0;
        for e in evs.iter() {
            if e.group != 0 {
                if prev != 0 && e.group != prev {
                    reassigned += 1;
                }
                prev = e.group;
            }
        }
        let ticket = Ticket {
            id: acc.id,
            service,
            priority,
            opened,
            resolved,
            responded,
            pauses,
            reopened: last.reopen_count.unwrap_or(reopened),
            reassigned: last.reassignment_count.unwrap_or(reassigned),
            first_contact: last.first_contact,
            tool_met: last.tool_met,
            successful,
            rows,
        };
        self.sink.ticket(ticket);
    }
}

fn empty_loc() -> Location {
    Location {
        path: String::new(),
        row: 0,
        column: 0,
        field: String::new(),
        value: String::new(),
    }
}

/// What the splitting thread sends: the header, then batches of records (with how many of
/// the batch's records are filled), or the reason it stopped.
enum Batch {
    Header(Vec<String>),
    Records(Vec<csv::ByteRecord>, usize),
    Failed(String),
}

/// Records per batch.
const BATCH: usize = 2048;

/// Files smaller than this are split and read on one thread.
const SMALL_FILE: u64 = 8 << 20;

/// The splitting thread: reads `input` (hashing every byte) and sends its CSV records in
/// batches. Returns the SHA-256 and size, or `None` when it stopped early (the other side
/// hung up, or the file cannot be read; then the reason was sent).
fn split(
    input: impl Read,
    delimiter: u8,
    send: &dyn Fn(Batch) -> bool,
    back: &std::sync::mpsc::Receiver<Vec<csv::ByteRecord>>,
) -> Option<(String, u64)> {
    let mut hashing = Hashing {
        inner: input,
        hasher: Sha256::new(),
        bytes: 0,
    };
    let failed = |e: &csv::Error| {
        let line = e.position().map_or(0, csv::Position::line);
        Batch::Failed(format!(
            ":{line}: the CSV cannot be read past this point: {e}"
        ))
    };
    {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .buffer_capacity(1 << 18)
            // `\n` ends a record, so that a record's line is its own in CRLF files too (the
            // csv crate's CRLF terminator leaves the `\n` to the next record, which then starts
            // on the line before); the `\r` left at the end of a line is trimmed.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(&mut hashing);
        let header = match rdr.byte_headers() {
            Ok(h) => h
                .iter()
                .map(|h| {
                    String::from_utf8_lossy(h)
                        .trim_start_matches('\u{feff}')
                        .trim()
                        .to_string()
                })
                .collect(),
            Err(e) => {
                let _ = send(failed(&e));
                return None;
            }
        };
        send(Batch::Header(header)).then_some(())?;
        loop {
            let mut records = back
                .try_recv()
                .unwrap_or_else(|_| vec![csv::ByteRecord::new(); BATCH]);
            let mut n = 0;
            while n < BATCH {
                match rdr.read_byte_record(&mut records[n]) {
                    Ok(true) => n += 1,
                    Ok(false) => break,
                    Err(e) => {
                        if n > 0 {
                            send(Batch::Records(records, n)).then_some(())?;
                        }
                        let _ = send(failed(&e));
                        return None;
                    }
                }
            }
            let done = n < BATCH;
            if n > 0 {
                send(Batch::Records(records, n)).then_some(())?;
            }
            if done {
                break;
            }
        }
    }
    // Whatever the CSV reader did not need is still part of the file's digest.
    std::io::copy(&mut hashing, &mut std::io::sink()).ok()?;
    Some((format!("{:x}", hashing.hasher.finalize()), hashing.bytes))
}

/// Hashes and counts what passes through.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jira_remaining_times_are_verdicts() {
        assert_eq!(remaining_met(b"3:15"), Some(true));
        assert_eq!(remaining_met(b"-0:42"), Some(false));
        assert_eq!(remaining_met(b" - 12:00 "), Some(false));
        assert_eq!(remaining_met(b""), None);
        assert_eq!(remaining_met(b"soon"), None);
    }
}
