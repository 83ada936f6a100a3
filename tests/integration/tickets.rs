//! Ticket exports measured against SLAs (PRODUCT.md §11): `evident sla report`, `sla explain`,
//! the SLM-017..019 findings in `check` and `gate`, and `results/sla` in bundles, on real
//! repositories built in temporary folders and run with the real binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use super::{AS_OF, code, copy_tree, evident, findings, git, root, skip_unless_ci};

/// The metadata block every document here carries.
fn doc(kind: &str, id: &str, spec: &str) -> String {
    format!(
        "apiVersion: evident/v1
kind: {kind}
metadata:
  id: {id}
  title: {id}
  owner: service-level-manager
  version: 1.0.0
  status: approved
  approved_by: head-of-service-management
spec:
{spec}"
    )
}

/// The Service every ticket here belongs to.
fn service() -> String {
    doc(
        "Service",
        "payments",
        "  description: Domestic and SEPA payments for retail customers.\n  status: live\n",
    )
}

/// An SLA over `payments` with block-style priority rows (so that each target has a line of its
/// own), `calendar` when given, 95 % of resolutions required.
fn sla(calendar: Option<&str>, rows: &[(&str, &str)]) -> String {
    let mut spec =
        String::from("  type: sla\n  services: [payments]\n  validity: { from: 2026-01-01 }\n");
    if let Some(c) = calendar {
        spec.push_str(&format!("  calendar: {c}\n"));
    }
    spec.push_str("  targets:\n    attainment: { resolution: 95 }\n    priorities:\n");
    for (p, r) in rows {
        spec.push_str(&format!("      - priority: {p}\n        resolution: {r}\n"));
    }
    doc("ServiceLevelAgreement", "payments-sla", &spec)
}

/// A TicketSource `id` with `spec` lines (indented two spaces), over service `payments`.
fn source(id: &str, spec: &str) -> String {
    doc("TicketSource", id, &format!("{spec}  service: payments\n"))
}

/// A repository holding `docs` as `policies/<name>` and `files` at their paths.
fn repo_with(docs: &[(&str, String)], files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in docs {
        write(dir.path(), &format!("policies/{name}"), text.as_bytes());
    }
    for (path, bytes) in files {
        write(dir.path(), path, bytes);
    }
    dir
}

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let p = dir.join(path);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, bytes).expect("write");
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `evident sla report DIR --format json` → (exit code, report).
fn report(dir: &Path) -> (i32, Value) {
    let d = dir.display().to_string();
    let out = evident(
        dir,
        &["sla", "report", &d, "--format", "json", "--as-of", AS_OF],
    );
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out)));
    (code(&out), v)
}

/// A cell: (tickets, met, open_breached, attainment_bp).
type Cell = (u64, u64, u64, i64);

/// The attainment cells of a report (or of the reference script's output), keyed by
/// (priority, metric, period).
fn cells(report: &Value) -> BTreeMap<(String, String, String), Cell> {
    report["attainment"]
        .as_array()
        .expect("attainment")
        .iter()
        .map(|c| {
            (
                (
                    c["priority"].as_str().expect("priority").to_string(),
                    c["metric"].as_str().expect("metric").to_string(),
                    c["period"].as_str().expect("period").to_string(),
                ),
                (
                    c["tickets"].as_u64().expect("tickets"),
                    c["met"].as_u64().expect("met"),
                    c["open_breached"].as_u64().expect("open_breached"),
                    c["attainment_bp"].as_i64().expect("attainment_bp"),
                ),
            )
        })
        .collect()
}

/// The resolution cells expected, from `(priority, period, tickets, met, open_breached, bp)`.
fn expect(rows: &[(&str, &str, u64, u64, u64, i64)]) -> BTreeMap<(String, String, String), Cell> {
    rows.iter()
        .map(|&(p, period, t, m, o, bp)| {
            (
                (p.to_string(), "resolution".to_string(), period.to_string()),
                (t, m, o, bp),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Acceptance on the real exports, against the independent reference script.

fn acceptance(example: &str, dataset: &str, data: &str) {
    let file = root().join("../shared/data").join(data);
    if !file.exists() {
        skip_unless_ci(&format!(
            "{} is absent (the shared ticket data is not in users' clones)",
            file.display()
        ));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&root().join("examples").join(example), dir.path());
    let name = file.file_name().expect("name").to_owned();
    fs::copy(&file, dir.path().join("data").join(name)).expect("copy export");
    let (_, ours) = report(dir.path());
    let reference = Command::new("python3")
        .arg(root().join("benches/sla_reference.py"))
        .args(["--dataset", dataset])
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        reference.status.success(),
        "{}",
        String::from_utf8_lossy(&reference.stderr)
    );
    let reference: Value = serde_json::from_slice(&reference.stdout).expect("reference JSON");
    let expected = cells(&reference);
    let got = cells(&ours);
    assert!(
        expected.len() >= 4,
        "the reference has cells: {reference:#}"
    );
    for (key, cell) in &expected {
        assert_eq!(got.get(key), Some(cell), "{example}: cell {key:?}");
    }
    let extra: Vec<_> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
    assert!(
        extra.is_empty(),
        "{example}: cells the reference lacks: {extra:?}"
    );
    let src = &ours["sources"][0];
    assert_eq!(
        src["rejected"], reference["rejected"],
        "{example}: rejected rows"
    );
    assert_eq!(src["tickets"], reference["tickets"], "{example}: tickets");
}

#[test]
fn servicenow_uci_agrees_with_the_reference_cell_for_cell() {
    acceptance(
        "servicenow-uci",
        "servicenow-uci",
        "servicenow-uci/incident_event_log.csv",
    );
}

#[test]
fn volvo_it_agrees_with_the_reference_cell_for_cell() {
    acceptance("volvo-it", "volvo-it", "volvo-it-bpi2013/VINST-new.csv");
}

// ---------------------------------------------------------------------------------------------
// 2. Rejected rows: counted by reason, located at file:row:column; limits.

/// An event log with one row of each rejection reason, one good ticket, and the source
/// reading it.
const BAD_ROWS: &str = "number,state,seq,updated,opened,resolved,priority
,Active,1,2026-03-02 09:00,2026-03-02 09:00,,P1
T2,-100,1,2026-03-02 09:00,2026-03-02 09:00,,P1
T3,Active,1,2026-03-02 9h00,2026-03-02 09:00,,P1
T4,Resolved,1,2026-03-02 10:00,2026-03-02 09:00,2026-03-02 10:00,P9
T5,Resolved,1,2026-03-02 10:00,2026-03-02 09:00,2026-03-01 10:00,P1
T6,Closed,1,2026-03-02 10:00,2026-03-02 09:00,,P1
T7,Active,x1,2026-03-02 10:00,2026-03-02 09:00,,P1
T8,Resolved,1,2026-03-02 10:00,2026-03-02 09:00,2026-03-02 10:00,P1
";

fn bad_rows_source(extra: &str) -> String {
    source(
        "bad-rows",
        &format!(
            "  system: generic
  layout: events
  files: [data/events.csv]
  timezone: UTC
  fields: {{ id: number, state: state, order: seq, updated: updated, opened: opened, resolved: resolved, priority: priority }}
  priorities: {{ P1: P1 }}
  resolved_states: [Resolved, Closed]
  reject_states: [\"-100\"]
{extra}"
        ),
    )
}

fn bad_rows_repo(extra: &str) -> tempfile::TempDir {
    repo_with(
        &[
            ("service.yaml", service()),
            ("sla.yaml", sla(None, &[("P1", "4h")])),
            ("source.yaml", bad_rows_source(extra)),
        ],
        &[("data/events.csv", BAD_ROWS.as_bytes())],
    )
}

#[test]
fn every_rejected_row_is_counted_by_reason_and_located() {
    let dir = bad_rows_repo("  max_rejected: 100\n");
    let (code, report) = report(dir.path());
    assert_eq!(code, 0, "{report:#}");
    let src = &report["sources"][0];
    assert_eq!(src["rows"], 8);
    assert_eq!(src["tickets"], 1, "only T8 is measured");
    let expected: &[(&str, u64, u64, &str)] = &[
        // reason, row (line), column, column name
        ("missing-id", 2, 1, "number"),
        ("reject-state", 3, 2, "state"),
        ("bad-timestamp", 4, 4, "updated"),
        ("unknown-priority", 5, 7, "priority"),
        ("closed-without-resolution", 7, 6, "resolved"),
        ("bad-number", 8, 3, "seq"),
    ];
    for &(reason, row, column, field) in expected {
        assert_eq!(src["rejected"][reason], 1, "{reason}: {src:#}");
        let first = &src["rejected_at"][reason][0];
        assert_eq!(first["path"], "data/events.csv", "{reason}: {first}");
        assert_eq!(first["row"], row, "{reason}: {first}");
        assert_eq!(first["column"], column, "{reason}: {first}");
        assert_eq!(first["field"], field, "{reason}: {first}");
    }
    assert_eq!(src["rejected"]["resolved-before-opened"], 1, "{src:#}");
    assert_eq!(
        src["rejected"].as_object().expect("map").len(),
        7,
        "exactly the seven reasons: {src:#}"
    );
    // The one good ticket: 60 minutes against 4h.
    assert_eq!(
        cells(&report),
        expect(&[
            ("P1", "2026-03", 1, 1, 0, 10000),
            ("P1", "all", 1, 1, 0, 10000)
        ])
    );
}

#[test]
fn a_resolution_before_the_opening_is_located_at_its_cell() {
    let dir = bad_rows_repo("  max_rejected: 100\n");
    let (_, report) = report(dir.path());
    let first = &report["sources"][0]["rejected_at"]["resolved-before-opened"][0];
    assert_eq!(first["path"], "data/events.csv", "{first}");
    assert_eq!(first["row"], 6, "{first}");
    assert_eq!(first["column"], 6, "{first}");
}

#[test]
fn more_rejected_rows_than_allowed_stop_report_and_check() {
    // Seven of eight rows rejected, against the default limit of 1 %.
    let dir = bad_rows_repo("");
    let d = dir.path().display().to_string();
    let out = evident(dir.path(), &["sla", "report", &d, "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`bad-rows`"), "names the source: {stderr}");
    assert!(stderr.contains("max_rejected"), "{stderr}");
    let out = evident(
        dir.path(),
        &["check", &d, "--format", "json", "--as-of", AS_OF],
    );
    assert_eq!(code(&out), 2, "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`bad-rows`"), "names the source: {stderr}");
    // Under the limit, the same data is measured.
    let dir = bad_rows_repo("  max_rejected: 90\n");
    assert_eq!(report(dir.path()).0, 0);
}

#[test]
fn naive_timestamps_without_a_zone_are_refused_at_their_row() {
    let src = bad_rows_source("").replace("  timezone: UTC\n", "");
    let csv = "number,state,seq,updated,opened,resolved,priority
T1,Active,1,2026-03-02T09:00:00+01:00,2026-03-02T09:00:00+01:00,,P1
T1,Resolved,2,2026-03-02 10:00,2026-03-02T09:00:00+01:00,2026-03-02T10:00:00+01:00,P1
";
    let dir = repo_with(
        &[
            ("service.yaml", service()),
            ("sla.yaml", sla(None, &[("P1", "4h")])),
            ("source.yaml", src),
        ],
        &[("data/events.csv", csv.as_bytes())],
    );
    let d = dir.path().display().to_string();
    let out = evident(dir.path(), &["sla", "report", &d, "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("data/events.csv:3:4"),
        "file:row:column: {stderr}"
    );
    assert!(stderr.contains("timezone"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 3. Formats and presets.

fn preset_repo(
    id: &str,
    spec: &str,
    rows: &[(&str, &str)],
    path: &str,
    bytes: &[u8],
) -> tempfile::TempDir {
    repo_with(
        &[
            ("service.yaml", service()),
            ("sla.yaml", sla(None, rows)),
            ("source.yaml", source(id, spec)),
        ],
        &[(path, bytes)],
    )
}

#[test]
fn a_servicenow_table_csv_with_bom_crlf_and_a_multiline_quoted_field() {
    // Row 2 spans lines 2-3 (a quoted newline and comma), so INC004 starts on line 6.
    let csv = "\u{feff}number,short_description,priority,state,opened_at,resolved_at\r\n\
INC001,\"Printer, 3rd floor\r\nnot printing\",1 - Critical,Resolved,2026-03-02 09:00:00,2026-03-02 12:00:00\r\n\
INC002,Mail down,1 - Critical,Closed,2026-03-03 09:00:00,2026-03-03 14:00:00\r\n\
INC003,VPN slow,2 - High,Resolved,2026-03-04 09:00:00,2026-03-04 17:00:00\r\n\
INC004,Disk full,2 - High,Resolved,yesterday,2026-03-04 17:00:00\r\n";
    let dir = preset_repo(
        "sn-table",
        "  preset: servicenow-incident-table\n  files: [data/incidents.csv]\n  timezone: UTC\n  max_rejected: 50\n",
        &[("P1", "4h"), ("P2", "8h")],
        "data/incidents.csv",
        csv.as_bytes(),
    );
    let (code, report) = report(dir.path());
    assert_eq!(code, 1, "P1 is below 95 %: {report:#}");
    let src = &report["sources"][0];
    assert_eq!(src["rows"], 4, "{src:#}");
    assert_eq!(src["tickets"], 3, "{src:#}");
    assert_eq!(src["rejected"]["bad-timestamp"], 1, "{src:#}");
    let at = &src["rejected_at"]["bad-timestamp"][0];
    assert_eq!(at["column"], 5, "{at}");
    assert_eq!(at["value"], "yesterday", "{at}");
    assert_eq!(
        cells(&report),
        expect(&[
            ("P1", "2026-03", 2, 1, 0, 5000),
            ("P1", "all", 2, 1, 0, 5000),
            ("P2", "2026-03", 1, 1, 0, 10000),
            ("P2", "all", 1, 1, 0, 10000),
        ])
    );
}

#[test]
fn rows_of_a_crlf_export_are_located_at_their_own_line() {
    // The same export with LF line ends locates INC004 at line 6.
    let csv = "number,short_description,priority,state,opened_at,resolved_at\r\n\
INC001,\"Printer, 3rd floor\r\nnot printing\",1 - Critical,Resolved,2026-03-02 09:00:00,2026-03-02 12:00:00\r\n\
INC002,Mail down,1 - Critical,Closed,2026-03-03 09:00:00,2026-03-03 14:00:00\r\n\
INC003,VPN slow,2 - High,Resolved,2026-03-04 09:00:00,2026-03-04 17:00:00\r\n\
INC004,Disk full,2 - High,Resolved,yesterday,2026-03-04 17:00:00\r\n";
    for (name, csv) in [("LF", csv.replace("\r\n", "\n")), ("CRLF", csv.to_string())] {
        let dir = preset_repo(
            "sn-table",
            "  preset: servicenow-incident-table\n  files: [data/incidents.csv]\n  timezone: UTC\n  max_rejected: 50\n",
            &[("P1", "4h"), ("P2", "8h")],
            "data/incidents.csv",
            csv.as_bytes(),
        );
        let (_, report) = report(dir.path());
        let at = &report["sources"][0]["rejected_at"]["bad-timestamp"][0];
        assert_eq!(at["row"], 6, "{name}: {at}");
    }
}

#[test]
fn a_servicenow_json_export_uses_display_values() {
    // `value` holds what the table stores (priority `1`, times in UTC); `display_value` what the
    // user sees (`1 - Critical`, times in the exporting user's zone, here Europe/Berlin).
    let ticket = |n: &str, p: &str, opened: (&str, &str), resolved: (&str, &str)| {
        serde_json::json!({
            "number": {"display_value": n, "value": n},
            "priority": {"display_value": p, "value": &p[..1]},
            "state": {"display_value": "Resolved", "value": "6"},
            "opened_at": {"display_value": opened.0, "value": opened.1},
            "resolved_at": {"display_value": resolved.0, "value": resolved.1},
        })
    };
    let export = serde_json::json!({"result": [
        ticket("INC010", "1 - Critical", ("2026-03-02 10:00:00", "2026-03-02 09:00:00"), ("2026-03-02 14:00:00", "2026-03-02 13:00:00")),
        ticket("INC011", "1 - Critical", ("2026-03-31 23:00:00", "2026-03-31 21:00:00"), ("2026-04-01 03:01:00", "2026-04-01 01:01:00")),
        ticket("INC012", "3 - Moderate", ("2026-04-01 09:00:00", "2026-04-01 07:00:00"), ("2026-04-02 09:00:00", "2026-04-02 07:00:00")),
    ]});
    let dir = preset_repo(
        "sn-json",
        "  preset: servicenow-incident-table\n  files: [data/incidents.json]\n  timezone: Europe/Berlin\n",
        &[("P1", "4h"), ("P3", "1d")],
        "data/incidents.json",
        export.to_string().as_bytes(),
    );
    let (code, report) = report(dir.path());
    assert_eq!(code, 1, "{report:#}");
    let src = &report["sources"][0];
    assert_eq!(src["tickets"], 3, "{src:#}");
    assert_eq!(src["rejected"], serde_json::json!({}), "{src:#}");
    // INC010: 4h exactly, met, March. INC011: 4h01, missed, counted in April (UTC resolution
    // on 1 April). INC012: 24h on 24x7, met.
    assert_eq!(
        cells(&report),
        expect(&[
            ("P1", "2026-03", 1, 1, 0, 10000),
            ("P1", "2026-04", 1, 0, 0, 0),
            ("P1", "all", 2, 1, 0, 5000),
            ("P3", "2026-04", 1, 1, 0, 10000),
            ("P3", "all", 1, 1, 0, 10000),
        ])
    );
}

#[test]
fn a_jira_service_management_csv_with_repeated_columns_and_am_pm_dates() {
    // Jira's own verdict is the remaining time of the last cycle, negative once breached: it
    // says JSM-2 met its target (its calendar differs), Evident says missed.
    let csv = "Summary,Issue key,Issue id,Status,Priority,Created,Updated,Resolved,Watchers,Watchers,Custom field (Time to resolution)
Card reader broken,JSM-1,10001,Resolved,Highest,25/Feb/26 10:17 PM,26/Feb/26 01:17 AM,26/Feb/26 01:17 AM,alice,bob,1:00
Payments failing,JSM-2,10002,Done,Highest,02/Mar/26 09:00 AM,02/Mar/26 01:30 PM,02/Mar/26 01:30 PM,carol,,0:30
Wrong IBAN shown,JSM-3,10003,Closed,High,02/Mar/26 11:59 AM,02/Mar/26 12:01 PM,02/Mar/26 12:01 PM,,,-0:10
Export slow,JSM-4,10004,In Progress,Medium,03/Mar/26 09:00 AM,03/Mar/26 09:00 AM,,,,
";
    let dir = preset_repo(
        "jsm",
        "  preset: jira-service-management-csv\n  files: [data/jira.csv]\n  timezone: UTC\n",
        &[("P1", "4h"), ("P2", "8h"), ("P3", "1d")],
        "data/jira.csv",
        csv.as_bytes(),
    );
    let (code, report) = report(dir.path());
    assert_eq!(code, 1, "{report:#}");
    let src = &report["sources"][0];
    assert_eq!(src["tickets"], 4, "{src:#}");
    assert_eq!(src["rejected"], serde_json::json!({}), "{src:#}");
    assert_eq!(
        src["verdicts"],
        serde_json::json!({"both_met": 1, "both_missed": 0,
            "tool_met_evident_missed": 1, "tool_missed_evident_met": 1}),
        "{src:#}"
    );
    // JSM-1: 3h across midnight, met in February. JSM-2: 4h30, missed. JSM-3: 11:59 AM to
    // 12:01 PM is two minutes. JSM-4 is open and within its day at the end of the data.
    assert_eq!(
        cells(&report),
        expect(&[
            ("P1", "2026-02", 1, 1, 0, 10000),
            ("P1", "2026-03", 1, 0, 0, 0),
            ("P1", "all", 2, 1, 0, 5000),
            ("P2", "2026-03", 1, 1, 0, 10000),
            ("P2", "all", 1, 1, 0, 10000),
        ])
    );
}

/// A generic event log: C1 resolved, reopened and resolved again (3h from its first event to
/// the start of its last resolved run); C2 5h; C3 still open after 5h at the end of the data.
const EVENTS: &str = "case_id,timestamp,status,priority
C1,2026-03-02T09:00:00Z,New,P1
C1,2026-03-02T10:00:00Z,Resolved,P1
C1,2026-03-02T11:00:00Z,In Progress,P1
C1,2026-03-02T12:00:00Z,Resolved,P1
C1,2026-03-02T13:00:00Z,Closed,P1
C2,2026-03-02T09:00:00Z,New,P1
C2,2026-03-02T14:00:00Z,Resolved,P1
C3,2026-03-02T09:00:00Z,New,P1
C3,2026-03-02T09:30:00Z,In Progress,P1
";

fn events_repo(csv: &str) -> tempfile::TempDir {
    preset_repo(
        "events",
        "  preset: generic-events\n  files: [data/events.csv]\n",
        &[("P1", "4h")],
        "data/events.csv",
        csv.as_bytes(),
    )
}

#[test]
fn a_generic_event_log_with_a_reopen_and_an_open_ticket_past_its_deadline() {
    let dir = events_repo(EVENTS);
    let (code, report) = report(dir.path());
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["sources"][0]["tickets"], 3);
    assert_eq!(
        cells(&report),
        expect(&[
            ("P1", "2026-03", 2, 1, 1, 3333),
            ("P1", "all", 2, 1, 1, 3333),
        ])
    );
    let kpi = &report["kpis"][0];
    assert_eq!(kpi["period"], "2026-03", "{kpi}");
    assert_eq!(kpi["opened"], 3, "{kpi}");
    assert_eq!(kpi["resolved"], 2, "{kpi}");
    assert_eq!(kpi["reopened"], 1, "{kpi}");
    assert_eq!(kpi["backlog"], 1, "{kpi}");
}

// ---------------------------------------------------------------------------------------------
// 4. Business clocks.

/// Office hours in Berlin: Monday-Thursday 09:00-17:00, Friday 09:00-13:00; Monday 30 March
/// 2026 is a holiday, the day after the change to summer time (Sunday 29 March, 02:00 CET →
/// 03:00 CEST).
fn office_hours() -> String {
    doc(
        "Calendar",
        "office-hours",
        r#"  timezone: Europe/Berlin
  working_hours:
    monday: [{ from: "09:00", to: "17:00" }]
    tuesday: [{ from: "09:00", to: "17:00" }]
    wednesday: [{ from: "09:00", to: "17:00" }]
    thursday: [{ from: "09:00", to: "17:00" }]
    friday: [{ from: "09:00", to: "13:00" }]
  holidays:
    - { date: 2026-03-30, name: Company day }
"#,
    )
}

/// K1: Friday 12:00 CET to Tuesday 16:00 CEST is 60 + 420 = 480 business minutes, exactly 8h.
/// K2: one minute more. K3 (3d): Thursday 15:00 CET to Wednesday 14:00 CEST with a pause from
/// Friday 10:00 to Tuesday 09:00.
const CLOCK_EVENTS: &str = "ticket,at,state,prio
K1,2026-03-27T11:00:00Z,New,P2
K1,2026-03-31T14:00:00Z,Resolved,P2
K2,2026-03-27T11:00:00Z,New,P2
K2,2026-03-31T14:01:00Z,Resolved,P2
K3,2026-03-26T14:00:00Z,New,P3
K3,2026-03-27T09:00:00Z,Awaiting Customer,P3
K3,2026-03-31T07:00:00Z,In Progress,P3
K3,2026-04-01T12:00:00Z,Resolved,P3
";

fn clock_repo() -> tempfile::TempDir {
    repo_with(
        &[
            ("calendar.yaml", office_hours()),
            ("service.yaml", service()),
            (
                "sla.yaml",
                sla(Some("office-hours"), &[("P2", "8h"), ("P3", "3d")]),
            ),
            (
                "source.yaml",
                source(
                    "desk",
                    "  system: generic
  layout: events
  files: [data/events.csv]
  fields: { id: ticket, updated: at, state: state, priority: prio }
  priorities: { P2: P2, P3: P3 }
  pause_states: [\"Awaiting*\"]
  resolved_states: [Resolved]
",
                ),
            ),
        ],
        &[("data/events.csv", CLOCK_EVENTS.as_bytes())],
    )
}

fn explain_json(dir: &Path, ticket: &str) -> Value {
    let d = dir.display().to_string();
    let out = evident(dir, &["sla", "explain", ticket, &d, "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v:#}");
    v[0]["clocks"][0].clone()
}

/// The segments of a clock as (kind, from, to, minutes).
fn segments(clock: &Value) -> Vec<(String, String, String, i64)> {
    clock["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().expect("kind").to_string(),
                s["from"].as_str().expect("from").to_string(),
                s["to"].as_str().expect("to").to_string(),
                s["minutes"].as_i64().expect("minutes"),
            )
        })
        .collect()
}

fn seg(kind: &str, from: &str, to: &str, minutes: i64) -> (String, String, String, i64) {
    (kind.into(), from.into(), to.into(), minutes)
}

#[test]
fn business_hours_across_daylight_saving_and_a_holiday_with_inclusive_targets() {
    let dir = clock_repo();
    let (status, report) = report(dir.path());
    assert_eq!(status, 1, "{report:#}");
    assert_eq!(
        cells(&report),
        expect(&[
            ("P2", "2026-03", 2, 1, 0, 5000),
            ("P2", "all", 2, 1, 0, 5000),
            ("P3", "2026-04", 1, 1, 0, 10000),
            ("P3", "all", 1, 1, 0, 10000),
        ])
    );

    let k1 = explain_json(dir.path(), "K1");
    assert_eq!(k1["elapsed"], 480, "{k1:#}");
    assert_eq!(
        k1["status"], "met",
        "a target met at the limit is met: {k1:#}"
    );
    assert_eq!(k1["deadline_local"], "2026-03-31 16:00 +02:00", "{k1:#}");
    assert_eq!(
        segments(&k1),
        vec![
            seg(
                "counted",
                "2026-03-27 12:00 +01:00",
                "2026-03-27 13:00 +01:00",
                60
            ),
            seg(
                "counted",
                "2026-03-31 09:00 +02:00",
                "2026-03-31 16:00 +02:00",
                420
            ),
        ]
    );

    let k2 = explain_json(dir.path(), "K2");
    assert_eq!(k2["elapsed"], 481, "{k2:#}");
    assert_eq!(k2["status"], "missed", "{k2:#}");

    // 3 working days from Thursday 15:00: Friday, (holiday), Tuesday, Wednesday 15:00, which
    // is 120 + 240 + 480 + 360 = 1200 business minutes (not 3 × 480).
    let k3 = explain_json(dir.path(), "K3");
    assert_eq!(k3["elapsed"], 960, "1140 minus 180 paused: {k3:#}");
    assert_eq!(k3["status"], "met", "{k3:#}");
    assert_eq!(k3["period"], "2026-04", "{k3:#}");
    // The clock reaches 1200 at Thursday 2 April 10:00 (960 + 180 on Wednesday + 60).
    assert_eq!(k3["deadline_local"], "2026-04-02 10:00 +02:00", "{k3:#}");
    assert_eq!(
        segments(&k3),
        vec![
            seg(
                "counted",
                "2026-03-26 15:00 +01:00",
                "2026-03-26 17:00 +01:00",
                120
            ),
            seg(
                "counted",
                "2026-03-27 09:00 +01:00",
                "2026-03-27 10:00 +01:00",
                60
            ),
            seg(
                "paused",
                "2026-03-27 10:00 +01:00",
                "2026-03-27 13:00 +01:00",
                180
            ),
            seg(
                "counted",
                "2026-03-31 09:00 +02:00",
                "2026-03-31 17:00 +02:00",
                480
            ),
            seg(
                "counted",
                "2026-04-01 09:00 +02:00",
                "2026-04-01 14:00 +02:00",
                300
            ),
        ]
    );

    // The text form prints the deadline and the verdict.
    let d = dir.path().display().to_string();
    let out = evident(dir.path(), &["sla", "explain", "K2", &d]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.contains("deadline 2026-03-31 16:00 +02:00"), "{t}");
    assert!(t.contains("elapsed 481 business minutes"), "{t}");
    assert!(t.contains("MISSED"), "{t}");
}

#[test]
fn a_clock_started_outside_working_hours_starts_at_the_next_opening() {
    // Opened on Saturday 28 March; Monday 30 is a holiday, so the clock starts on Tuesday
    // 09:00 CEST and 3d ends on Friday 3 April 09:00: 3 × 480 = 1440 minutes, all used.
    let dir = clock_repo();
    write(
        dir.path(),
        "data/events.csv",
        b"ticket,at,state,prio
K4,2026-03-28T09:00:00Z,New,P3
K4,2026-04-03T07:00:00Z,Resolved,P3
",
    );
    let k4 = explain_json(dir.path(), "K4");
    assert_eq!(k4["elapsed"], 1440, "{k4:#}");
    assert_eq!(k4["status"], "met", "{k4:#}");
    let segs = segments(&k4);
    assert_eq!(segs.len(), 3, "{k4:#}");
    assert_eq!(
        segs[0],
        seg(
            "counted",
            "2026-03-31 09:00 +02:00",
            "2026-03-31 17:00 +02:00",
            480
        )
    );
    let (_, report) = report(dir.path());
    assert_eq!(
        cells(&report),
        expect(&[
            ("P3", "2026-04", 1, 1, 0, 10000),
            ("P3", "all", 1, 1, 0, 10000)
        ])
    );
}

#[test]
fn explain_json_has_no_duplicate_keys() {
    let dir = clock_repo();
    let d = dir.path().display().to_string();
    let out = evident(
        dir.path(),
        &["sla", "explain", "K3", &d, "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out));
    let t = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        t.matches("\"target\":").count(),
        1,
        "one clock, one `target` key: {t}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. An export not grouped by ticket.

#[test]
fn interleaved_rows_give_the_same_report_as_grouped_rows() {
    let grouped = clock_repo();
    let lines: Vec<&str> = CLOCK_EVENTS.lines().collect();
    // Header, then K3, K1, K3, K2, K1, K3, K2, K3: each ticket's rows in their order, apart.
    let order = [0, 5, 1, 6, 3, 2, 7, 4, 8];
    let interleaved: String = order.iter().map(|&i| format!("{}\n", lines[i])).collect();
    assert_ne!(interleaved, CLOCK_EVENTS);
    let apart = clock_repo();
    write(apart.path(), "data/events.csv", interleaved.as_bytes());

    let (code_a, a) = report(grouped.path());
    let (code_b, b) = report(apart.path());
    assert_eq!(code_a, code_b);
    assert_eq!(cells(&a).len(), 4, "{a:#}");
    for key in ["attainment", "kpis", "missed", "problems"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    for key in ["tickets", "rows", "rejected"] {
        assert_eq!(a["sources"][0][key], b["sources"][0][key], "{key}");
    }
    // Every missed ticket and every clock, too.
    let missed = |dir: &Path| {
        let d = dir.display().to_string();
        let out = evident(dir, &["sla", "report", &d, "--format", "missed"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(missed(grouped.path()).contains("K2"));
    assert_eq!(missed(grouped.path()), missed(apart.path()));
    for t in ["K1", "K2", "K3"] {
        assert_eq!(
            explain_json(grouped.path(), t),
            explain_json(apart.path(), t),
            "{t}"
        );
    }

    // A reopened ticket and an open one, their rows apart: the same cells and KPIs.
    let lines: Vec<&str> = EVENTS.lines().collect();
    let order = [0, 1, 6, 8, 2, 3, 7, 9, 4, 5];
    let interleaved: String = order.iter().map(|&i| format!("{}\n", lines[i])).collect();
    let (_, a) = report(events_repo(EVENTS).path());
    let (_, b) = report(events_repo(&interleaved).path());
    assert_eq!(a["kpis"][0]["reopened"], 1, "{a:#}");
    for key in ["attainment", "kpis", "missed"] {
        assert_eq!(a[key], b[key], "{key}");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Findings: SLM-017 at the target, SLM-019 at the export, new in a gate.

/// Two P1 tickets: one in 1h, one in 6h against 4h (50 %, 95 % required).
const MISSES: &str = "number,opened_at,resolved_at,priority
INC1,2026-03-02 09:00,2026-03-02 10:00,1
INC2,2026-03-03 09:00,2026-03-03 15:00,1
";
/// The same tickets within 4h (the second at exactly 4h).
const NO_MISSES: &str = "number,opened_at,resolved_at,priority
INC1,2026-03-02 09:00,2026-03-02 10:00,1
INC2,2026-03-03 09:00,2026-03-03 13:00,1
";

fn table_source(files: &str) -> String {
    source(
        "payments-incidents",
        &format!(
            "  system: generic
  layout: table
  files:
    - {files}
  timezone: UTC
  fields: {{ id: number, opened: opened_at, resolved: resolved_at, priority: priority }}
  priorities: {{ \"1\": P1 }}
"
        ),
    )
}

fn findings_repo(csv: &str) -> tempfile::TempDir {
    repo_with(
        &[
            ("service.yaml", service()),
            ("sla.yaml", sla(None, &[("P1", "4h")])),
            ("source.yaml", table_source("data/incidents.csv")),
        ],
        &[("data/incidents.csv", csv.as_bytes())],
    )
}

/// (line, column) of the first line of `path` in `dir` that is `line` once trimmed.
fn position(dir: &Path, path: &str, line: &str) -> (u64, u64) {
    let text = fs::read_to_string(dir.join(path)).expect("read");
    let (i, l) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim() == line)
        .unwrap_or_else(|| panic!("{path} has no line {line:?}"));
    let col = l.len() - l.trim_start().len() + 1;
    (i as u64 + 1, col as u64)
}

#[test]
fn a_shortfall_is_slm_017_at_the_target_in_json_sarif_and_html() {
    let dir = findings_repo(MISSES);
    let (line, column) = position(dir.path(), "policies/sla.yaml", "resolution: 4h");
    let (status, report) = super::check_json(dir.path(), &[]);
    assert_eq!(status, 1, "{report:#}");
    let slm017: Vec<_> = findings(&report)
        .into_iter()
        .filter(|f| f.0 == "SLM-017")
        .collect();
    assert_eq!(slm017.len(), 2, "March and the whole period: {report:#}");
    for f in &slm017 {
        assert_eq!(
            f,
            &(
                "SLM-017".to_string(),
                "policies/sla.yaml".to_string(),
                Some(line),
                Some(column)
            )
        );
    }
    assert!(
        !findings(&report).iter().any(|f| f.0 == "SLM-019"),
        "{report:#}"
    );

    let d = dir.path().display().to_string();
    let out = evident(
        dir.path(),
        &["check", &d, "--format", "sarif", "--as-of", AS_OF],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let results: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "SLM-017")
        .collect();
    assert_eq!(results.len(), 2, "{sarif:#}");
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "policies/sla.yaml", "{r:#}");
        assert_eq!(loc["region"]["startLine"], line, "{r:#}");
        assert_eq!(loc["region"]["startColumn"], column, "{r:#}");
    }

    let out = evident(
        dir.path(),
        &["check", &d, "--format", "html", "--as-of", AS_OF],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    let html = String::from_utf8_lossy(&out.stdout);
    let start = html
        .find("<h2 id=\"operations\">")
        .unwrap_or_else(|| panic!("no operations section: {html}"));
    let section = &html[start..start + html[start..].find("</section>").expect("section ends")];
    assert!(
        section.contains(
            "<tr class=\"fail\"><td>P1</td><td>all</td><td>4h</td><td>2</td><td>1</td><td>0</td><td>50 %</td><td>95 %</td>"
        ),
        "{section}"
    );
    assert!(section.contains("payments-incidents"), "{section}");
    assert!(html.contains("SLM-017"), "the finding is listed");

    // The same tickets within target: no finding, no failing row.
    let dir = findings_repo(NO_MISSES);
    let (_, report) = super::check_json(dir.path(), &[]);
    assert!(
        !findings(&report).iter().any(|f| f.0 == "SLM-017"),
        "{report:#}"
    );
}

#[test]
fn a_missing_export_is_slm_019_at_its_files_entry() {
    let dir = repo_with(
        &[
            ("service.yaml", service()),
            ("sla.yaml", sla(None, &[("P1", "4h")])),
            ("source.yaml", table_source("data/missing.csv")),
        ],
        &[],
    );
    let (line, dash) = position(dir.path(), "policies/source.yaml", "- data/missing.csv");
    let (status, report) = super::check_json(dir.path(), &[]);
    assert_eq!(status, 1, "{report:#}");
    let f: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["control"] == "SLM-019")
        .collect();
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(f[0]["path"], "policies/source.yaml");
    assert_eq!(f[0]["pointer"], "/spec/files/0");
    assert_eq!(f[0]["line"], line, "{:#}", f[0]);
    assert_eq!(f[0]["column"], dash + 2, "at the entry's value: {:#}", f[0]);
    assert!(
        f[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("data/missing.csv")),
        "{:#}",
        f[0]
    );
    // `sla report` cannot measure it: exit 2.
    let d = dir.path().display().to_string();
    let out = evident(dir.path(), &["sla", "report", &d]);
    assert_eq!(code(&out), 2, "{}", text(&out));
}

#[test]
fn a_commit_adding_misses_to_the_export_is_a_new_finding_in_the_gate() {
    let dir = findings_repo(NO_MISSES);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "tickets within target"]);
    write(dir.path(), "data/incidents.csv", MISSES.as_bytes());
    git(
        dir.path(),
        &["commit", "-qam", "a ticket misses its target"],
    );
    let out = evident(
        dir.path(),
        &[
            "gate", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", "--as-of", AS_OF,
        ],
    );
    assert_eq!(code(&out), 1, "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let new: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["baseline"] == "new")
        .collect();
    assert!(!new.is_empty(), "{report:#}");
    assert!(
        new.iter()
            .all(|f| f["control"] == "SLM-017" && f["path"] == "policies/sla.yaml"),
        "only SLM-017 is new: {report:#}"
    );
    // The other way round, it is fixed.
    let out = evident(
        dir.path(),
        &[
            "gate", "--base", "HEAD", "--head", "HEAD~1", "--format", "json", "--as-of", AS_OF,
        ],
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        report["gate"]["fixed"]
            .as_array()
            .expect("fixed")
            .iter()
            .any(|f| f["control"] == "SLM-017" && f["baseline"] == "fixed"),
        "{report:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Bundles: results/sla, and the raw export only when asked.

fn sha256_hex(bytes: &[u8]) -> String {
    evident::evidence::manifest::hex(&evident::evidence::manifest::sha256(bytes))
}

/// Packs HEAD of `repo` unsigned into a fresh folder and verifies it; the bundle's path.
fn pack_and_verify(repo: &Path, work: &Path, name: &str) -> std::path::PathBuf {
    let bundle = work.join(name);
    let b = bundle.display().to_string();
    let out = evident(repo, &["pack", "--out", &b, "--rev", "HEAD"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = evident(Path::new("."), &["verify", &b, "--allow-unsigned"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    bundle
}

#[test]
fn a_bundle_holds_the_sla_results_and_the_raw_export_only_when_asked() {
    let dir = findings_repo(MISSES);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "tickets"]);
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = pack_and_verify(dir.path(), work.path(), "bundle");

    let json: Value = serde_json::from_slice(
        &fs::read(bundle.join("results/sla/attainment.json")).expect("attainment.json"),
    )
    .expect("JSON");
    let file = &json["sources"][0]["files"][0];
    assert_eq!(file["path"], "data/incidents.csv", "{json:#}");
    assert_eq!(file["sha256"], sha256_hex(MISSES.as_bytes()), "{json:#}");
    assert_eq!(file["bytes"], MISSES.len(), "{json:#}");
    assert_eq!(file["rows"], 2, "{json:#}");
    assert_eq!(
        cells(&json),
        expect(&[
            ("P1", "2026-03", 2, 1, 0, 5000),
            ("P1", "all", 2, 1, 0, 5000)
        ])
    );
    let csv = fs::read_to_string(bundle.join("results/sla/attainment.csv")).expect("csv");
    assert!(
        csv.starts_with("agreement,service,priority,metric,period"),
        "{csv}"
    );
    assert!(
        csv.contains("payments-sla,payments,P1,resolution,all,4h"),
        "{csv}"
    );
    let kpis = fs::read_to_string(bundle.join("results/sla/kpis.csv")).expect("kpis.csv");
    assert!(kpis.contains("payments-incidents,2026-03,2,2,"), "{kpis}");
    let missed = fs::read_to_string(bundle.join("results/sla/missed.csv")).expect("missed.csv");
    assert!(missed.contains("INC2"), "{missed}");
    assert!(!missed.contains("INC1"), "{missed}");
    let manifest = fs::read_to_string(bundle.join("SHA256SUMS")).expect("manifest");
    for f in [
        "attainment.json",
        "attainment.csv",
        "kpis.csv",
        "missed.csv",
    ] {
        assert!(
            manifest.contains(&format!("  results/sla/{f}\n")),
            "{f} is listed: {manifest}"
        );
    }
    assert!(
        !bundle.join("exports").exists(),
        "the raw export is left out"
    );
    assert!(!manifest.contains("incidents.csv"), "{manifest}");

    // Asked for, the raw export is under exports/, byte for byte, and the bundle verifies.
    let source = dir.path().join("policies/source.yaml");
    let text = fs::read_to_string(&source).expect("read");
    fs::write(&source, format!("{text}  include_in_bundle: true\n")).expect("write");
    git(dir.path(), &["commit", "-qam", "pack the raw export"]);
    let bundle = pack_and_verify(dir.path(), work.path(), "with-export");
    assert_eq!(
        fs::read(bundle.join("exports/data/incidents.csv")).expect("raw export"),
        MISSES.as_bytes()
    );
    let manifest = fs::read_to_string(bundle.join("SHA256SUMS")).expect("manifest");
    assert!(
        manifest.contains(&format!(
            "{}  exports/data/incidents.csv\n",
            sha256_hex(MISSES.as_bytes())
        )),
        "{manifest}"
    );
}

/// One mistake in a TicketSource is one finding, at the place to fix: not a cascade of
/// unmeasured agreements and uncheckable report figures.
#[test]
fn one_typo_in_a_ticket_source_is_one_finding_at_its_place() {
    for (from, to, pointer_line) in [
        (
            "preset: servicenow-incident-table",
            "preset: servicenow-incidnet-table",
            "preset:",
        ),
        (
            "responded: u_responded_at",
            "responded: u_respondet_at",
            "responded:",
        ),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = evident(dir.path(), &["init", "repo"]);
        assert_eq!(code(&out), 0, "{}", text(&out));
        let repo = dir.path().join("repo");
        let file = repo.join("policies/tickets/service-desk-incidents.yaml");
        let yaml = fs::read_to_string(&file).expect("read");
        assert!(yaml.contains(from), "the reference source has `{from}`");
        fs::write(&file, yaml.replace(from, to)).expect("write");
        let out = evident(&repo, &["check", "--format", "json"]);
        let report: Value = serde_json::from_slice(&out.stdout).expect("json");
        let list = report["findings"].as_array().expect("findings");
        assert_eq!(list.len(), 1, "{to}: {list:#?}");
        let line = yaml
            .lines()
            .position(|l| l.trim_start().starts_with(pointer_line))
            .expect("the line")
            + 1;
        assert_eq!(
            list[0]["path"],
            "policies/tickets/service-desk-incidents.yaml"
        );
        assert_eq!(list[0]["line"], line as u64, "{to}: {:#?}", list[0]);
    }
}

/// A ServiceNow change export gives the change success rate per month of closure; a closed
/// change without an outcome is rejected, located; changes are not measured against SLAs.
#[test]
fn a_change_export_gives_the_change_success_rate_per_month() {
    let csv = "number,state,opened_at,closed_at,priority,close_code,sys_updated_on\n\
CHG001,Closed,2026-03-02 09:00:00,2026-03-03 10:00:00,3 - Moderate,Successful,2026-03-03 10:00:00\n\
CHG002,Closed,2026-03-04 09:00:00,2026-03-05 10:00:00,3 - Moderate,Unsuccessful,2026-03-05 10:00:00\n\
CHG003,Closed,2026-03-10 09:00:00,2026-03-11 10:00:00,4 - Low,Successful,2026-03-11 10:00:00\n\
CHG004,Closed,2026-03-20 09:00:00,2026-04-01 10:00:00,,Successful,2026-04-01 10:00:00\n\
CHG005,Closed,2026-04-02 09:00:00,2026-04-03 10:00:00,3 - Moderate,,2026-04-03 10:00:00\n\
CHG006,Implement,2026-04-20 09:00:00,,2 - High,,2026-04-20 09:00:00\n";
    let dir = repo_with(
        &[
            ("service.yaml", service()),
            (
                "changes.yaml",
                source(
                    "changes",
                    "  system: servicenow\n  preset: servicenow-change-table\n  files: [data/changes.csv]\n  timezone: UTC\n  max_rejected: 50\n",
                ),
            ),
        ],
        &[("data/changes.csv", csv.as_bytes())],
    );
    let (code, report) = report(dir.path());
    assert_eq!(code, 0, "{report:#}");
    let kpis = report["kpis"].as_array().expect("kpis");
    let month = |m: &str| {
        kpis.iter()
            .find(|k| k["period"] == m)
            .unwrap_or_else(|| panic!("no {m}: {kpis:#?}"))
    };
    // March: 3 closed, 2 successful.
    assert_eq!(month("2026-03")["changes"], 3);
    assert_eq!(month("2026-03")["changes_successful"], 2);
    assert_eq!(month("2026-03")["change_success_bp"], 6666);
    // April: CHG004 (no priority needed for a change) counts; CHG005 has no outcome and is
    // rejected; CHG006 is still open.
    assert_eq!(month("2026-04")["changes"], 1);
    assert_eq!(month("2026-04")["change_success_bp"], 10000);
    let source = &report["sources"][0];
    assert_eq!(source["rejected"]["missing-outcome"], 1);
    let at = &source["rejected_at"]["missing-outcome"][0];
    assert_eq!(
        (at["row"].as_u64(), at["field"].as_str()),
        (Some(6), Some("close_code"))
    );
    assert!(
        report["attainment"]
            .as_array()
            .expect("attainment")
            .is_empty(),
        "changes are not clocked against incident targets"
    );
}

/// A ticket of a priority its agreement sets no target for is not silently left out: the
/// agreement gets a finding that counts them.
#[test]
fn tickets_of_a_priority_without_a_target_are_counted_not_dropped() {
    let csv = "number,opened_at,resolved_at,priority\n\
INC1,2026-03-02 09:00,2026-03-02 10:00,1\n\
INC2,2026-03-02 09:00,2026-03-02 10:00,5\n\
INC3,2026-03-03 09:00,2026-03-03 10:00,5\n";
    let dir = repo_with(
        &[
            ("service.yaml", service()),
            ("sla.yaml", sla(None, &[("P1", "4h")])),
            (
                "source.yaml",
                source(
                    "incidents",
                    "  system: generic\n  layout: table\n  files: [data/incidents.csv]\n  timezone: UTC\n  fields: { id: number, opened: opened_at, resolved: resolved_at, priority: priority }\n  priorities: { \"1\": P1, \"5\": P5 }\n",
                ),
            ),
        ],
        &[("data/incidents.csv", csv.as_bytes())],
    );
    let out = evident(
        dir.path(),
        &["check", "--format", "json", "--as-of", AS_OF, "."],
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let untargeted: Vec<&Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["control"] == "SLM-018")
        .collect();
    assert_eq!(untargeted.len(), 1, "{report:#}");
    let message = untargeted[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("2 tickets") && message.contains("P5"),
        "{message}"
    );
    assert_eq!(untargeted[0]["path"], "policies/sla.yaml");
}
