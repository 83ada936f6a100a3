//! `--format json`: the stable contract of PRODUCT.md §5.
//!
//! ```json
//! {"tool": {"name": "evident", "version": "0.1.0"}, "as_of": "2026-11-21", "as_of_source": "today",
//!  "summary": {"documents": 42, "controls": 96, "findings": 3, "failed": 2, "waived": 1},
//!  "findings": [{"control": "CHG-003", "severity": "high", "status": "fail", "path": "…",
//!                "line": 41, "column": 7, "pointer": "/spec/…", "message": "…", "help": "…",
//!                "iso20000": ["8.5.1.3"], "itil4": ["change-enablement"]}]}
//! ```
//!
//! `as_of_source` says where the date came from: `today`, `--as-of`, `evident.yaml` (the
//! repository declares the day it is a snapshot of) or `commit` (a pack).
//!
//! `path`, `line`, `column` and `pointer` are `null` for repository-level findings (a required
//! document that does not exist). A waived finding also carries `waiver` (reason, approver,
//! expiry). Findings are sorted by path, line, column, control.
//!
//! `evident gate` adds `baseline` (`new` or `unchanged`) to each finding and a `gate` object:
//! `base`, `base_commit`, `head`, `head_commit`, `fixed` (findings gone at head, `baseline:
//! fixed`), `changed` (documents added, modified or removed) and `clauses` (ISO/IEC 20000-1
//! clauses of the controls that apply to the changed documents).

use std::io::{self, Write};

use serde::Serialize;

use crate::Checked;
use crate::check::{Finding, Summary};

/// Tool name and version.
#[derive(Debug, Serialize)]
pub struct Tool {
    /// Always `evident`.
    pub name: &'static str,
    /// The version of this build.
    pub version: &'static str,
}

/// The tool of this build.
pub const TOOL: Tool = Tool {
    name: "evident",
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
struct Report<'a> {
    tool: &'a Tool,
    as_of: String,
    /// Where `as_of` came from: `today`, `--as-of`, `evident.yaml` or `commit`.
    as_of_source: crate::AsOfSource,
    summary: Summary,
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<&'a crate::gate::GateInfo>,
}

/// Writes the JSON report, pretty-printed, with a final newline.
pub fn render(checked: &Checked, out: &mut dyn Write) -> io::Result<()> {
    let report = Report {
        tool: &TOOL,
        as_of: checked.outcome.as_of.to_string(),
        as_of_source: checked.as_of_source,
        summary: checked.outcome.summary,
        findings: &checked.outcome.findings,
        gate: checked.gate.as_ref(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
