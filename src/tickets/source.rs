//! A `TicketSource` document compiled with its preset: which columns hold what, how to read
//! timestamps, which states pause, resolve, respond or reject.

use std::collections::{BTreeMap, HashMap};

use crate::model::Value;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::time::{Format, Resolver};
use crate::model::Document;

/// The fields a source can map, in the order `sla presets` lists them.
pub const FIELDS: [&str; 19] = [
    "id",
    "state",
    "substate",
    "order",
    "updated",
    "opened",
    "responded",
    "resolved",
    "closed",
    "priority",
    "assignee",
    "group",
    "reassignment_count",
    "reopen_count",
    "first_contact",
    "breached",
    "made_sla",
    "outcome",
    "resolution_remaining",
];

/// A known export layout.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Its name, written in `preset:`.
    pub name: &'static str,
    /// The system it comes from.
    pub system: &'static str,
    /// `table` or `events`.
    pub layout: &'static str,
    /// What export it reads, for `sla presets`.
    pub about: &'static str,
    /// `timestamp_format`; `None`: ISO 8601.
    pub timestamp_format: Option<&'static str>,
    /// Missing-value markers.
    pub missing: &'static [&'static str],
    /// Field → column.
    pub fields: &'static [(&'static str, &'static str)],
    /// Export priority → P1..P5.
    pub priorities: &'static [(&'static str, &'static str)],
    /// Pause states (globs).
    pub pause_states: &'static [&'static str],
    /// Resolved states (globs).
    pub resolved_states: &'static [&'static str],
    /// States that mark junk rows.
    pub reject_states: &'static [&'static str],
    /// `incidents` or `changes`.
    pub tickets: &'static str,
    /// With changes: the successful outcomes.
    pub successful: &'static [&'static str],
}

const SERVICENOW_PRIORITIES: &[(&str, &str)] = &[
    ("1 - Critical", "P1"),
    ("2 - High", "P2"),
    ("3 - Moderate", "P3"),
    ("4 - Low", "P4"),
    ("5 - Planning", "P5"),
];

/// The presets (PRODUCT.md §11.1); `evident sla presets` prints each with its columns.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "servicenow-incident-table",
        system: "servicenow",
        layout: "table",
        about: "A list export of the ServiceNow incident table (CSV with display values, or JSON), one row per incident. Date-times are in the exporting user's zone and format: set `timezone` and, if it is not `yyyy-MM-dd HH:mm:ss`, `timestamp_format`.",
        timestamp_format: Some("%Y-%m-%d %H:%M:%S"),
        missing: &[],
        fields: &[
            ("id", "number"),
            ("state", "state"),
            ("substate", "hold_reason"),
            ("updated", "sys_updated_on"),
            ("opened", "opened_at"),
            ("resolved", "resolved_at"),
            ("closed", "closed_at"),
            ("priority", "priority"),
            ("assignee", "assigned_to"),
            ("group", "assignment_group"),
            ("reassignment_count", "reassignment_count"),
            ("reopen_count", "reopen_count"),
        ],
        priorities: SERVICENOW_PRIORITIES,
        pause_states: &["On Hold", "Awaiting*"],
        resolved_states: &["Resolved", "Closed"],
        reject_states: &["Canceled", "Cancelled"],
        tickets: "incidents",
        successful: &[],
    },
    Preset {
        name: "servicenow-incident-events",
        system: "servicenow",
        layout: "events",
        about: "An audit-event log of the ServiceNow incident table, one row per update with the incident's fields as they were (the layout of the UCI 'incident management process enriched event log'). Timestamps `d/m/yyyy HH:MM`, `?` for missing.",
        timestamp_format: Some("%d/%m/%Y %H:%M"),
        missing: &["?"],
        fields: &[
            ("id", "number"),
            ("state", "incident_state"),
            ("order", "sys_mod_count"),
            ("updated", "sys_updated_at"),
            ("opened", "opened_at"),
            ("resolved", "resolved_at"),
            ("closed", "closed_at"),
            ("priority", "priority"),
            ("assignee", "assigned_to"),
            ("group", "assignment_group"),
            ("reassignment_count", "reassignment_count"),
            ("reopen_count", "reopen_count"),
            ("made_sla", "made_sla"),
        ],
        priorities: SERVICENOW_PRIORITIES,
        pause_states: &["Awaiting*", "On Hold"],
        resolved_states: &["Resolved", "Closed"],
        reject_states: &["-100"],
        tickets: "incidents",
        successful: &[],
    },
    Preset {
        name: "servicenow-task-sla",
        system: "servicenow",
        layout: "table",
        about: "An export of ServiceNow's task_sla table, one row per SLA clock of a task, to compare the tool's verdict (`has_breached`) with Evident's. Map `priority` to a dot-walked column such as `task.priority`.",
        timestamp_format: Some("%Y-%m-%d %H:%M:%S"),
        missing: &[],
        fields: &[
            ("id", "task"),
            ("state", "stage"),
            ("opened", "start_time"),
            ("resolved", "end_time"),
            ("priority", "task.priority"),
            ("breached", "has_breached"),
        ],
        priorities: SERVICENOW_PRIORITIES,
        pause_states: &["Paused"],
        resolved_states: &["Completed", "Achieved"],
        reject_states: &["Cancelled"],
        tickets: "incidents",
        successful: &[],
    },
    Preset {
        name: "jira-service-management-csv",
        system: "jira-service-management",
        layout: "table",
        about: "Jira Service Management's issue CSV export (all fields), one row per request. Dates in the exporting user's profile format, by default `25/Feb/26 10:17 PM`. Repeated column names (Watchers, Comment) are allowed; the first of each is used.",
        timestamp_format: Some("%d/%b/%y %I:%M %p"),
        missing: &[],
        fields: &[
            ("id", "Issue key"),
            ("state", "Status"),
            ("updated", "Updated"),
            ("opened", "Created"),
            ("resolved", "Resolved"),
            ("priority", "Priority"),
            ("assignee", "Assignee"),
            ("resolution_remaining", "Custom field (Time to resolution)"),
        ],
        priorities: &[
            ("Highest", "P1"),
            ("High", "P2"),
            ("Medium", "P3"),
            ("Low", "P4"),
            ("Lowest", "P5"),
        ],
        pause_states: &["Waiting for customer", "Pending"],
        resolved_states: &["Resolved", "Closed", "Done", "Completed"],
        reject_states: &[],
        tickets: "incidents",
        successful: &[],
    },
    Preset {
        name: "generic-events",
        system: "generic",
        layout: "events",
        about: "A plain event log: one row per status change with the case id, an ISO 8601 timestamp, the status and the priority.",
        timestamp_format: None,
        missing: &[],
        fields: &[
            ("id", "case_id"),
            ("updated", "timestamp"),
            ("state", "status"),
            ("priority", "priority"),
        ],
        priorities: &[
            ("P1", "P1"),
            ("P2", "P2"),
            ("P3", "P3"),
            ("P4", "P4"),
            ("P5", "P5"),
        ],
        pause_states: &[],
        resolved_states: &["Resolved", "Closed"],
        reject_states: &[],
        tickets: "incidents",
        successful: &[],
    },
    Preset {
        name: "servicenow-change-table",
        system: "servicenow",
        layout: "table",
        about: "A list export of the ServiceNow change_request table (CSV with display values, or JSON), one row per change: the change success rate per month. A closed change counts in the month of `closed_at`; it is successful when its `close_code` is `Successful`.",
        timestamp_format: Some("%Y-%m-%d %H:%M:%S"),
        missing: &[],
        fields: &[
            ("id", "number"),
            ("state", "state"),
            ("updated", "sys_updated_on"),
            ("opened", "opened_at"),
            ("resolved", "closed_at"),
            ("priority", "priority"),
            ("outcome", "close_code"),
        ],
        priorities: SERVICENOW_PRIORITIES,
        pause_states: &[],
        resolved_states: &["Closed", "Review"],
        reject_states: &["Canceled", "Cancelled"],
        tickets: "changes",
        successful: &["Successful"],
    },
];

/// The preset called `name`.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// Whether rows are tickets or events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per ticket.
    Table,
    /// One row per event.
    Events,
}

/// Glob patterns over state names.
#[derive(Debug, Clone)]
pub struct States {
    set: GlobSet,
    /// The patterns as written.
    pub patterns: Vec<String>,
}

impl States {
    fn new(patterns: Vec<String>, pointer: &str) -> Result<States, SpecError> {
        let mut b = GlobSetBuilder::new();
        for (i, p) in patterns.iter().enumerate() {
            let glob = GlobBuilder::new(p)
                .literal_separator(false)
                .build()
                .map_err(|e| SpecError::at(format!("{pointer}/{i}"), e.to_string()))?;
            b.add(glob);
        }
        Ok(States {
            set: b
                .build()
                .map_err(|e| SpecError::at(pointer, e.to_string()))?,
            patterns,
        })
    }

    /// Whether `state` matches one of the patterns.
    pub fn matches(&self, state: &str) -> bool {
        !self.patterns.is_empty() && self.set.is_match(state)
    }
}

/// Which Service each ticket belongs to.
#[derive(Debug, Clone)]
pub enum ServiceRule {
    /// Every ticket: this Service.
    Fixed(String),
    /// From a column, mapped.
    Field {
        /// The column.
        column: String,
        /// Value → Service id.
        map: HashMap<String, String>,
    },
}

/// A problem with a TicketSource document, at a JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Where, in the document.
    pub pointer: String,
    /// What.
    pub message: String,
    /// The kind's schema reports the same problem (an unknown preset, no files): it stops the
    /// measurement without a second finding.
    pub schema_reports_it: bool,
}

impl SpecError {
    fn at(pointer: impl Into<String>, message: impl Into<String>) -> SpecError {
        SpecError {
            pointer: pointer.into(),
            message: message.into(),
            schema_reports_it: false,
        }
    }

    fn schema(self) -> SpecError {
        SpecError {
            schema_reports_it: true,
            ..self
        }
    }
}

/// A compiled TicketSource.
#[derive(Debug, Clone)]
pub struct Spec {
    /// `metadata.id`.
    pub id: String,
    /// The document's file, for messages.
    pub path: String,
    /// `spec.system`.
    pub system: String,
    /// The preset used, if any.
    pub preset: Option<&'static str>,
    /// Table or events.
    pub layout: Layout,
    /// `spec.files`, as written.
    pub files: Vec<String>,
    /// `csv`, `json` or `None` (by extension).
    pub format: Option<String>,
    /// CSV delimiter.
    pub delimiter: u8,
    /// `spec.timezone`, by name.
    pub timezone: Option<String>,
    /// How timestamps are written.
    pub timestamps: Format,
    /// `timestamp_format` as written, for messages.
    pub timestamp_format: Option<String>,
    /// Missing-value markers (an empty cell is always missing).
    pub missing: Vec<String>,
    /// Field → column.
    pub fields: BTreeMap<String, String>,
    /// Export priority → 1..=5.
    pub priorities: HashMap<String, u8>,
    /// Pause states.
    pub pause: States,
    /// Resolved states.
    pub resolved: States,
    /// Response states.
    pub response: States,
    /// Junk states.
    pub reject: States,
    /// Which Service tickets belong to.
    pub service: ServiceRule,
    /// Largest rejected share, in basis points of rows.
    pub max_rejected_bp: i64,
    /// Whether `pack` copies the raw files.
    pub include_in_bundle: bool,
    /// The export holds changes (their success rate is a KPI), not incidents.
    pub changes: bool,
    /// With changes: the successful outcomes.
    pub successful: States,
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v.and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    })
}

fn priority_number(p: &str) -> Option<u8> {
    match p {
        "P1" => Some(1),
        "P2" => Some(2),
        "P3" => Some(3),
        "P4" => Some(4),
        "P5" => Some(5),
        _ => None,
    }
}

impl Spec {
    /// Compiles `doc` (a TicketSource). Every problem is reported, located in the document.
    pub fn compile(doc: &Document) -> Result<Spec, Vec<SpecError>> {
        let spec = doc.pointer("/spec").cloned().unwrap_or(Value::Null);
        let mut errors = Vec::new();
        let preset = match spec.get("preset").and_then(Value::as_str) {
            Some(name) => match preset(name) {
                Some(p) => Some(p),
                None => {
                    let hint = crate::suggest::closest(name, PRESETS.iter().map(|p| p.name))
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    // Everything else would be judged without the preset's mapping: the
                    // misspelt name is the one problem.
                    return Err(vec![
                        SpecError::at("/spec/preset", format!("no preset `{name}`{hint}")).schema(),
                    ]);
                }
            },
            None => None,
        };
        let system = spec
            .get("system")
            .and_then(Value::as_str)
            .or(preset.map(|p| p.system))
            .unwrap_or("generic")
            .to_string();
        let layout = match spec
            .get("layout")
            .and_then(Value::as_str)
            .or(preset.map(|p| p.layout))
        {
            Some("table") => Layout::Table,
            Some("events") => Layout::Events,
            _ => {
                errors.push(SpecError::at(
                    "/spec",
                    "say whether rows are tickets or events: `layout: table` or `layout: events` (or name a `preset`)",
                ));
                Layout::Table
            }
        };
        let files = strings(spec.get("files")).unwrap_or_default();
        if files.is_empty() {
            errors.push(SpecError::at("/spec", "no export `files` are listed").schema());
        }
        for (i, f) in files.iter().enumerate() {
            if f.starts_with('/') || f.split('/').any(|c| c == "..") {
                errors.push(SpecError::at(
                    format!("/spec/files/{i}"),
                    format!("`{f}` must be a path inside the repository, relative to its root"),
                ));
            }
        }
        let timestamp_format = spec
            .get("timestamp_format")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(preset.and_then(|p| p.timestamp_format.map(str::to_string)));
        let timestamps = match &timestamp_format {
            Some(f) => Format::strftime(f).unwrap_or_else(|e| {
                errors.push(SpecError::at("/spec/timestamp_format", e));
                Format::iso()
            }),
            None => Format::iso(),
        };
        let timezone = spec
            .get("timezone")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(tz) = &timezone
            && let Err(e) = super::clock::time_zone(tz)
        {
            errors.push(SpecError::at("/spec/timezone", e));
        }
        let mut fields: BTreeMap<String, String> = preset
            .map(|p| {
                p.fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(map) = spec.get("fields").and_then(Value::as_object) {
            for (k, v) in map {
                if let Some(v) = v.as_str() {
                    fields.insert(k.to_string(), v.to_string());
                }
            }
        }
        if !fields.contains_key("id") {
            errors.push(SpecError::at(
                "/spec",
                "no column holds the ticket id: map `fields.id` (or name a `preset`)",
            ));
        }
        if layout == Layout::Events && !fields.contains_key("updated") {
            errors.push(SpecError::at(
                "/spec",
                "an event log needs the time of each event: map `fields.updated`",
            ));
        }
        if layout == Layout::Table && !fields.contains_key("opened") {
            errors.push(SpecError::at(
                "/spec",
                "a table of tickets needs their opening time: map `fields.opened`",
            ));
        }
        let changes = spec
            .get("tickets")
            .and_then(Value::as_str)
            .or(preset.map(|p| p.tickets))
            == Some("changes");
        if !fields.contains_key("priority") && !changes {
            errors.push(SpecError::at(
                "/spec",
                "no column holds the priority: map `fields.priority`",
            ));
        }
        if changes && !fields.contains_key("outcome") {
            errors.push(SpecError::at(
                "/spec",
                "changes need the column that says how each ended: map `fields.outcome`",
            ));
        }
        let mut priorities = HashMap::new();
        match spec.get("priorities").and_then(Value::as_object) {
            Some(map) => {
                for (k, v) in map {
                    match v.as_str().and_then(priority_number) {
                        Some(n) => {
                            priorities.insert(k.to_string(), n);
                        }
                        None => errors.push(SpecError::at(
                            format!(
                                "/spec/priorities/{}",
                                k.replace('~', "~0").replace('/', "~1")
                            ),
                            "map to P1..P5",
                        )),
                    }
                }
            }
            None => {
                for (k, v) in preset.map(|p| p.priorities).unwrap_or(&[]) {
                    if let Some(n) = priority_number(v) {
                        priorities.insert(k.to_string(), n);
                    }
                }
            }
        }
        if priorities.is_empty() && !changes {
            errors.push(SpecError::at(
                "/spec",
                "no `priorities` map the export's priority values to P1..P5",
            ));
        }
        let states = |key: &str, from_preset: &[&str], errors: &mut Vec<SpecError>| {
            let list = strings(spec.get(key))
                .unwrap_or_else(|| from_preset.iter().map(|s| s.to_string()).collect());
            States::new(list, &format!("/spec/{key}")).unwrap_or_else(|e| {
                errors.push(e);
                States::new(Vec::new(), "").expect("an empty set compiles")
            })
        };
        let pause = states(
            "pause_states",
            preset.map(|p| p.pause_states).unwrap_or(&[]),
            &mut errors,
        );
        let resolved = states(
            "resolved_states",
            preset.map(|p| p.resolved_states).unwrap_or(&[]),
            &mut errors,
        );
        let response = states("response_states", &[], &mut errors);
        let reject = states(
            "reject_states",
            preset.map(|p| p.reject_states).unwrap_or(&[]),
            &mut errors,
        );
        let successful = states(
            "successful",
            preset.map(|p| p.successful).unwrap_or(&[]),
            &mut errors,
        );
        if changes && successful.patterns.is_empty() {
            errors.push(SpecError::at(
                "/spec",
                "say which outcomes are successful changes: `successful: [Successful]`",
            ));
        }
        let service = match (
            spec.get("service").and_then(Value::as_str),
            spec.get("service_field").and_then(Value::as_str),
        ) {
            (Some(s), None) => ServiceRule::Fixed(s.to_string()),
            (None, Some(column)) => {
                let map: HashMap<String, String> = spec
                    .get("services")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                if map.is_empty() {
                    errors.push(SpecError::at(
                        "/spec/service_field",
                        "with `service_field`, map its values to Service ids under `services`",
                    ));
                }
                ServiceRule::Field {
                    column: column.to_string(),
                    map,
                }
            }
            (Some(_), Some(_)) => {
                errors.push(SpecError::at(
                    "/spec/service_field",
                    "give either `service` (one Service for every ticket) or `service_field`, not both",
                ));
                ServiceRule::Fixed(String::new())
            }
            (None, None) => {
                errors.push(SpecError::at(
                    "/spec",
                    "say which Service the tickets belong to: `service: <id>`, or `service_field` with `services`",
                ));
                ServiceRule::Fixed(String::new())
            }
        };
        let max_rejected = spec
            .get("max_rejected")
            .and_then(Value::as_f64)
            .unwrap_or(1.0);
        let delimiter = spec
            .get("delimiter")
            .and_then(Value::as_str)
            .and_then(|d| d.bytes().next())
            .unwrap_or(b',');
        if !errors.is_empty() {
            return Err(errors);
        }
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a percentage between 0 and 100, in basis points"
        )]
        let max_rejected_bp = (max_rejected * 100.0).round() as i64;
        Ok(Spec {
            id: doc.id.clone(),
            path: doc.path.clone(),
            system,
            preset: preset.map(|p| p.name),
            layout,
            files,
            format: spec
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_string),
            delimiter,
            timezone,
            timestamps,
            timestamp_format,
            missing: strings(spec.get("missing")).unwrap_or_else(|| {
                preset.map_or(Vec::new(), |p| {
                    p.missing.iter().map(|s| s.to_string()).collect()
                })
            }),
            fields,
            priorities,
            pause,
            resolved,
            response,
            reject,
            service,
            max_rejected_bp,
            include_in_bundle: spec
                .get("include_in_bundle")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            changes,
            successful,
        })
    }

    /// The column mapped to `field`.
    pub fn column(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// Whether the source says when tickets were first responded to.
    pub fn measures_response(&self) -> bool {
        self.fields.contains_key("responded") || !self.response.patterns.is_empty()
    }

    /// A resolver for this source's naive timestamps.
    pub fn resolver(&self) -> Resolver {
        Resolver::new(
            self.timezone
                .as_deref()
                .and_then(|tz| super::clock::time_zone(tz).ok()),
        )
    }
}
