//! The auditor's report: `report.html` (one self-contained page) and `conformity.md` (the
//! clause-by-clause matrix), rendered with minijinja from the templates in
//! `templates/report/`, embedded in the binary.
//!
//! Both are built from one serializable [`Report`] context: the organization, where the
//! documents came from ([`Provenance`]), the as-of date, the summary, the ISO/IEC 20000-1
//! clause matrix of [`coverage`](crate::check::coverage::coverage), the findings, the
//! waivers and the ITIL 4 practice view. Nothing reads the clock: the same input gives the
//! same bytes, which matters because `evident pack` signs them.
//!
//! The HTML report also carries what an auditor reaches for first: charts (inline SVG from
//! [`super::svg`]), a document register, an excerpt of the source around each finding
//! ([`super::excerpt`]), and anchors that link clauses, controls, findings and documents both
//! ways (`clause-8.5.1`, `control-CHG-003`, `finding-3`, `doc-12`).
//!
//! HTML templates are auto-escaped (set before any template is added); the Markdown template
//! escapes table cells with the `cell` filter (`|`, line breaks, `<`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use anyhow::{Context as _, Result, anyhow};
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::excerpt::{self, Around, Lines};
use super::json::{TOOL, Tool};
use super::svg;
use crate::Checked;
use crate::check::coverage::{self, ControlResult, Result as R};
use crate::check::{Baseline, Finding, Status, Summary, WaiverInfo};
use crate::controls::Severity;
use crate::controls::frameworks::Frameworks;

/// Where the documents of a report came from (a commit for `evident pack`, or the working tree).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Provenance {
    /// Full commit id; `None` for a working tree.
    pub commit: Option<String>,
    /// Tree id of the commit.
    pub tree: Option<String>,
    /// `Name <email>`.
    pub author: Option<String>,
    /// `Name <email>`.
    pub committer: Option<String>,
    /// Commit date, RFC 3339 with the committer's offset, e.g. `2026-11-20T14:03:00+01:00`.
    pub date: Option<String>,
    /// First line of the commit message.
    pub subject: Option<String>,
    /// Whether the commit carries a signature (gpgsig header).
    pub signed: Option<bool>,
    /// The `origin` remote URL, if any.
    pub remote: Option<String>,
    /// Path of each document file (relative to the Evident root) → its git blob id, when the
    /// documents were read from a commit; shown in the document register.
    pub documents: BTreeMap<String, String>,
    /// What an evidence bundle adds (`evident pack`); `None` for `check` and `gate`.
    pub bundle: Option<BundleInfo>,
}

/// What the report of an evidence bundle shows of the bundle itself.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BundleInfo {
    /// SHA-256 fingerprint of the signing key (`SHA256:…`); `None` when unsigned.
    pub signer: Option<String>,
    /// The signer identity the verify commands name.
    pub identity: Option<String>,
    /// The SSHSIG namespace.
    pub namespace: String,
    /// Start of the audit period.
    pub since: String,
    /// End of the audit period (the as-of date).
    pub until: String,
    /// The commits of `history/changes.json`, newest first.
    pub changes: Vec<crate::git::Change>,
    /// The attachments packed, by path.
    pub attachments: Vec<AttachmentInfo>,
    /// Attachments a record names that the commit does not hold, as `path (named by …)`.
    pub missing: Vec<String>,
    /// The text of `VERIFY.txt`: the exact commands.
    pub verify: String,
}

/// One packed attachment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AttachmentInfo {
    /// Path relative to the Evident root (under `attachments/` in the bundle).
    pub path: String,
    /// Its git blob id at the commit.
    pub blob: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
}

/// Template names, as embedded under `templates/`.
const HTML: &str = "report/report.html.j2";
const MARKDOWN: &str = "report/conformity.md.j2";

/// Writes the self-contained HTML report.
pub fn html(checked: &Checked, provenance: &Provenance, out: &mut dyn Write) -> Result<()> {
    render(HTML, &context(checked, provenance), out)
}

/// Writes the Markdown conformity matrix.
pub fn markdown(checked: &Checked, provenance: &Provenance, out: &mut dyn Write) -> Result<()> {
    render(MARKDOWN, &context(checked, provenance), out)
}

/// What the HTML report and the Markdown matrix are rendered from: built once, it serves
/// both ([`html_from`], [`markdown_from`]).
pub fn context(checked: &Checked, provenance: &Provenance) -> Value {
    Value::from(Serde(report(checked, provenance)))
}

/// [`html`], from a [`context`].
pub fn html_from(context: &Value, out: &mut dyn Write) -> Result<()> {
    render(HTML, context, out)
}

/// [`markdown`], from a [`context`].
pub fn markdown_from(context: &Value, out: &mut dyn Write) -> Result<()> {
    render(MARKDOWN, context, out)
}

fn render(name: &str, context: &Value, out: &mut dyn Write) -> Result<()> {
    let env = environment()?;
    let template = env
        .get_template(name)
        .with_context(|| format!("loading template `templates/{name}`"))?;
    let text = template
        .render(context)
        .with_context(|| format!("rendering `templates/{name}`"))?;
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Whether a template is auto-escaped: HTML ones are (whatever the `.j2` suffix), others not.
fn auto_escape(name: &str) -> AutoEscape {
    let stem = name.strip_suffix(".j2").unwrap_or(name);
    if stem.ends_with(".html") || stem.ends_with(".htm") {
        AutoEscape::Html
    } else {
        AutoEscape::None
    }
}

/// The template environment: escaping first, then the embedded report templates.
fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    // Escaping is decided when a template is added, so it must be configured before.
    env.set_auto_escape_callback(auto_escape);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| anyhow!("template syntax: {e}"))?,
    );
    env.add_filter("cell", cell);
    env.add_filter("code", code_spans);
    env.add_filter("count", |n: usize, noun: String| super::count(n, &noun));
    env.add_filter("css_string", css_string);
    for name in [HTML, MARKDOWN] {
        let text = crate::assets::TEMPLATES
            .get_file(name)
            .and_then(|f| f.contents_utf8())
            .ok_or_else(|| anyhow!("embedded template `templates/{name}` is missing"))?;
        env.add_template(name, text)
            .with_context(|| format!("parsing template `templates/{name}`"))?;
    }
    Ok(env)
}

/// Text for a Markdown table cell: one line, `|` escaped, and outside `code spans` the
/// characters `&`, `<` and `>` as entities, so that a renderer never takes document text for
/// HTML (inside a code span they are literal already, and an entity would show as typed).
pub(crate) fn cell(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let parts: Vec<&str> = line.split('`').collect();
    let paired = parts.len() % 2 == 1;
    let mut out = String::with_capacity(line.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        let code = i % 2 == 1 && (paired || i + 1 < parts.len());
        if code {
            out.push_str(part);
        } else {
            out.push_str(
                &part
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            );
        }
    }
    out.replace('|', "\\|")
}

/// HTML for a message or help text: escaped, with `backticked` identifiers as `<code>`. The
/// result is marked safe, so it must escape everything itself; an unpaired backtick stays
/// a literal backtick.
fn code_spans(text: &str) -> Value {
    let parts: Vec<&str> = text.split('`').collect();
    let mut html = String::with_capacity(text.len() + 16);
    let paired = parts.len() % 2 == 1;
    for (i, part) in parts.iter().enumerate() {
        let escaped = minijinja::HtmlEscape(part).to_string();
        if i % 2 == 1 && (paired || i + 1 < parts.len()) {
            html.push_str("<code>");
            html.push_str(&escaped);
            html.push_str("</code>");
        } else {
            if i > 0 && i % 2 == 1 {
                html.push('`');
            }
            html.push_str(&escaped);
        }
    }
    Value::from_safe_string(html)
}

/// `text` as a CSS string literal (with its quotes), for `content:` in the `@page` rules:
/// anything but letters, digits, spaces and a few punctuation marks is written as a CSS hex
/// escape, so document text can neither close the string nor the `<style>` element.
fn css_string(text: &str) -> Value {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | ',' | ':' | '-' | '_' | '(' | ')') {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
    Value::from_safe_string(out)
}

/// The whole context of both templates.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    tool: &'a Tool,
    organization: Option<&'a str>,
    provenance: &'a Provenance,
    as_of: String,
    /// `, from evident.yaml`, `, the commit date` or nothing ([`super::as_of_note`]).
    as_of_note: &'static str,
    fail_on: Severity,
    /// No failed finding at or above `fail_on`.
    conforming: bool,
    /// Failed findings at or above `fail_on`.
    nonconformities: usize,
    /// Failed findings below `fail_on`.
    observations: usize,
    summary: Summary,
    /// Subclauses with a control, of all subclauses.
    covered: usize,
    subclauses: usize,
    /// Top-level clauses (4–10), each with its subclauses.
    sections: Vec<Section>,
    /// Every clause row, in catalogue order (for the Markdown matrix).
    clauses: Vec<ClauseView>,
    /// Failed findings, most severe first, then in document order.
    failed: Vec<FindingView>,
    /// Waived findings, in document order.
    waived: Vec<FindingView>,
    waivers: Vec<WaiverView>,
    practices: Vec<PracticeView>,
    /// FitSM and COBIT 2019, reached through the clauses.
    frameworks: Vec<FrameworkView>,
    /// Every control that ran or has a finding, by id: the targets of `#control-ID`.
    controls: Vec<ControlIndex>,
    /// Every loaded document, in file order.
    register: Vec<RegisterRow>,
    /// The inline SVG charts (already escaped; the template marks them safe).
    charts: Charts,
    /// Ticket data (PRODUCT.md §11): the attainment section, already escaped HTML with its
    /// charts; empty without a TicketSource.
    operations: String,
}

/// The inline SVG charts of the HTML report.
#[derive(Debug, Serialize)]
struct Charts {
    heatmap: String,
    severity: String,
    groups: String,
    practices: String,
}

/// A control in the control index.
#[derive(Debug, Serialize)]
struct ControlIndex {
    id: String,
    title: String,
    status: &'static str,
    label: &'static str,
    /// Clauses it is listed under.
    clauses: Vec<String>,
    /// Numbers of its findings.
    findings: Vec<usize>,
}

/// One row of the document register.
#[derive(Debug, Serialize)]
struct RegisterRow {
    /// 1-based, the anchor `doc-N`.
    number: usize,
    path: String,
    kind: &'static str,
    id: String,
    title: Option<String>,
    owner: Option<String>,
    version: Option<String>,
    status: Option<String>,
    approved_by: Option<String>,
    last_reviewed: Option<String>,
    /// Git blob id, when the documents came from a commit.
    blob: Option<String>,
    /// Numbers of the findings in this document.
    findings: Vec<usize>,
}

/// A top-level clause and the rows below it.
#[derive(Debug, Serialize)]
struct Section {
    head: ClauseView,
    rows: Vec<ClauseView>,
}

/// One clause of the matrix.
#[derive(Debug, Clone, Serialize)]
struct ClauseView {
    id: String,
    title: String,
    /// Dots in the number: 0 for `8`, 1 for `8.5`, 2 for `8.5.1`…
    depth: usize,
    /// `pass`, `fail`, `waived` or `none` (no control: not evaluated).
    status: &'static str,
    /// The status in words.
    label: &'static str,
    /// Controls (and built-in codes with findings) mapped to this clause directly.
    controls: Vec<ControlView>,
    /// Waivers of those controls, as `CONTROL until DATE`.
    waivers: Vec<String>,
}

/// A control as listed in a clause or practice row.
#[derive(Debug, Clone, Serialize)]
struct ControlView {
    id: String,
    title: String,
    status: &'static str,
    failed: usize,
    waived: usize,
    /// Numbers of its findings (the anchors `finding-N`).
    findings: Vec<usize>,
}

/// A finding, ready to print.
#[derive(Debug, Serialize)]
struct FindingView {
    /// 1-based, the anchor `finding-N`: failed findings first, then waived ones.
    number: usize,
    /// Row of the document register it is in.
    document: Option<usize>,
    /// The source lines around it, the span marked.
    excerpt: Option<Around>,
    control: String,
    title: String,
    severity: Severity,
    status: Status,
    /// At or above `fail_on`.
    blocking: bool,
    /// `path:line:col`, `path`, or `(repository)`.
    location: String,
    pointer: Option<String>,
    message: String,
    help: String,
    clauses: Vec<String>,
    practices: Vec<String>,
    waiver: Option<WaiverInfo>,
    baseline: Option<Baseline>,
}

/// A waiver of `evident.yaml` and what became of it.
#[derive(Debug, Serialize)]
struct WaiverView {
    control: String,
    documents: Vec<String>,
    reason: String,
    approved_by: String,
    expires: String,
    /// `active`, `expired`, `unused` or `not-run` (its control did not run).
    state: &'static str,
    label: &'static str,
    /// Findings it waives.
    waives: usize,
}

/// An ITIL 4 practice and how its controls fared.
#[derive(Debug, Serialize)]
struct PracticeView {
    name: String,
    category: String,
    clauses: Vec<String>,
    status: &'static str,
    label: &'static str,
    controls: usize,
    failing: Vec<String>,
}

/// FitSM or COBIT 2019 in the report: each requirement or objective with its result.
#[derive(Debug, Serialize)]
struct FrameworkView {
    key: String,
    title: String,
    attribution: String,
    rows: Vec<FrameworkRow>,
}

#[derive(Debug, Serialize)]
struct FrameworkRow {
    id: String,
    title: String,
    clauses: Vec<String>,
    status: &'static str,
    label: &'static str,
    controls: usize,
    failing: Vec<String>,
}

fn status_of(result: Option<R>) -> (&'static str, &'static str) {
    match result {
        Some(R::Pass) => ("pass", "Pass"),
        Some(R::Fail) => ("fail", "Fail"),
        Some(R::Waived) => ("waived", "Waived"),
        None => ("none", "Not evaluated"),
    }
}

fn worst(a: Option<R>, b: Option<R>) -> Option<R> {
    let rank = |r: Option<R>| match r {
        None => 0,
        Some(R::Pass) => 1,
        Some(R::Waived) => 2,
        Some(R::Fail) => 3,
    };
    if rank(b) > rank(a) { b } else { a }
}

fn location(f: &Finding) -> String {
    match (&f.path, f.line, f.column) {
        (Some(p), Some(l), Some(c)) => format!("{p}:{l}:{c}"),
        (Some(p), Some(l), None) => format!("{p}:{l}"),
        (Some(p), None, _) => p.clone(),
        (None, _, _) => "(repository)".to_string(),
    }
}

/// Whether `clause` is `id` or one of its subclauses.
fn under(clause: &str, id: &str) -> bool {
    clause == id
        || clause
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Builds the context of both templates from a check.
pub fn report<'a>(checked: &'a Checked, provenance: &'a Provenance) -> Report<'a> {
    let outcome = &checked.outcome;
    let library = &checked.library;
    let fw: &Frameworks = &library.frameworks;
    let matrix = coverage::coverage(library, Some(outcome));

    // Findings of built-in codes (schema, yaml-syntax, waiver bookkeeping…) are not library
    // controls, so the matrix does not see them; they still count against their clauses.
    let builtin: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.baseline != Some(Baseline::Fixed) && library.get(&f.control).is_none())
        .collect();
    let builtin_views = |clause: &str| -> Vec<ControlView> {
        let codes: BTreeSet<&str> = builtin
            .iter()
            .filter(|f| f.iso20000.iter().any(|c| c == clause))
            .map(|f| f.control.as_str())
            .collect();
        codes
            .into_iter()
            .map(|code| {
                let of: Vec<&&Finding> = builtin.iter().filter(|f| f.control == code).collect();
                let failed = of.iter().filter(|f| f.status == Status::Fail).count();
                let waived = of.len() - failed;
                ControlView {
                    id: code.to_string(),
                    title: of.first().map(|f| f.title.clone()).unwrap_or_default(),
                    status: if failed > 0 { "fail" } else { "waived" },
                    failed,
                    waived,
                    findings: Vec::new(),
                }
            })
            .collect()
    };
    let builtin_result = |clause: &str| -> Option<R> {
        builtin
            .iter()
            .filter(|f| f.iso20000.iter().any(|c| under(c, clause)))
            .map(|f| match f.status {
                Status::Fail => R::Fail,
                Status::Waived => R::Waived,
            })
            .fold(None, |acc, r| worst(acc, Some(r)))
    };
    let control_view = |c: &ControlResult| ControlView {
        id: c.id.clone(),
        title: c.title.clone(),
        status: status_of(Some(c.result)).0,
        failed: c.failed,
        waived: c.waived,
        findings: Vec::new(),
    };

    let mut clauses: Vec<ClauseView> = matrix
        .clauses
        .iter()
        .map(|row| {
            let mut controls: Vec<ControlView> = row.controls.iter().map(control_view).collect();
            controls.extend(builtin_views(&row.id));
            let (status, label) = status_of(worst(row.result, builtin_result(&row.id)));
            let waivers = checked
                .config
                .waivers
                .iter()
                .filter(|w| controls.iter().any(|c| c.id == w.control))
                .map(|w| format!("{} until {}", w.control, w.expires))
                .collect();
            ClauseView {
                id: row.id.clone(),
                title: row.title.clone(),
                depth: row.id.matches('.').count(),
                status,
                label,
                controls,
                waivers,
            }
        })
        .collect();

    // The documents of each file, in order: a finding's register row is found among them.
    let docs = &checked.loaded.documents;
    let mut of_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        of_file.entry(d.path.as_str()).or_default().push(i);
    }
    let register_of = |f: &Finding| -> Option<usize> {
        let in_file = of_file.get(f.path.as_deref()?)?;
        in_file
            .iter()
            .find(|&&i| {
                f.document
                    .as_ref()
                    .is_none_or(|r| r.kind == docs[i].kind && r.id == docs[i].id)
            })
            .or(in_file.first())
            .map(|i| i + 1)
    };
    let mut lines = Lines::default();
    let mut view = |f: &Finding| FindingView {
        number: 0,
        document: register_of(f),
        excerpt: excerpt::lines_around(checked, f, 2, &mut lines),
        control: f.control.clone(),
        title: f.title.clone(),
        severity: f.severity,
        status: f.status,
        blocking: f.status == Status::Fail && f.severity >= outcome.fail_on,
        location: location(f),
        pointer: f.pointer.clone(),
        message: f.message.clone(),
        help: f.help.clone(),
        clauses: f.iso20000.clone(),
        practices: f
            .itil4
            .iter()
            .map(|p| fw.practice_name(p).to_string())
            .collect(),
        waiver: f.waiver.clone(),
        baseline: f.baseline,
    };
    let present = || {
        outcome
            .findings
            .iter()
            .filter(|f| f.baseline != Some(Baseline::Fixed))
    };
    let mut failed: Vec<FindingView> = present()
        .filter(|f| f.status == Status::Fail)
        .map(&mut view)
        .collect();
    // Stable: most severe first, document order within a severity.
    failed.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut waived: Vec<FindingView> = present()
        .filter(|f| f.status == Status::Waived)
        .map(&mut view)
        .collect();
    let nonconformities = failed.iter().filter(|f| f.blocking).count();
    for (i, f) in failed.iter_mut().chain(waived.iter_mut()).enumerate() {
        f.number = i + 1;
    }
    let mut by_control: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for f in failed.iter().chain(&waived) {
        by_control.entry(&f.control).or_default().push(f.number);
    }
    for c in &mut clauses {
        for k in &mut c.controls {
            k.findings = by_control.get(k.id.as_str()).cloned().unwrap_or_default();
        }
    }
    let mut sections: Vec<Section> = Vec::new();
    for c in &clauses {
        let view = c.clone();
        match sections.last_mut() {
            Some(s) if c.depth > 0 => s.rows.push(view),
            _ => sections.push(Section {
                head: view,
                rows: Vec::new(),
            }),
        }
    }

    let waivers = checked
        .config
        .waivers
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let noted = |code: &str, pointer: String| {
                outcome
                    .findings
                    .iter()
                    .any(|f| f.control == code && f.pointer.as_deref() == Some(pointer.as_str()))
            };
            let waives = outcome
                .findings
                .iter()
                .filter(|f| {
                    f.control == w.control
                        && f.waiver.as_ref().is_some_and(|v| {
                            v.reason == w.reason
                                && v.approved_by == w.approved_by
                                && v.expires == w.expires.to_string()
                        })
                })
                .count();
            let (state, label) = if noted("waiver-expired", format!("/waivers/{i}/expires")) {
                ("expired", "Expired")
            } else if noted("waiver-unused", format!("/waivers/{i}")) {
                ("unused", "Unused")
            } else if w.expires < outcome.as_of {
                ("expired", "Expired")
            } else if waives > 0 {
                ("active", "Active")
            } else {
                ("not-run", "Control not run")
            };
            WaiverView {
                control: w.control.clone(),
                documents: w.documents.clone(),
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
                expires: w.expires.to_string(),
                state,
                label,
                waives,
            }
        })
        .collect();

    let practices: Vec<PracticeView> = matrix
        .practices
        .iter()
        .map(|p| {
            let (status, label) = status_of(p.result);
            PracticeView {
                name: p.name.clone(),
                category: p.category.clone(),
                clauses: p.clauses.clone(),
                status,
                label,
                controls: p.controls.len(),
                failing: p
                    .controls
                    .iter()
                    .filter(|c| c.result == R::Fail)
                    .map(|c| c.id.clone())
                    .collect(),
            }
        })
        .collect();

    let frameworks: Vec<FrameworkView> = matrix
        .frameworks
        .iter()
        .map(|v| FrameworkView {
            key: v.framework.clone(),
            title: v.title.clone(),
            attribution: v.attribution.clone(),
            rows: v
                .rows
                .iter()
                .map(|r| {
                    let (status, label) = status_of(r.result);
                    FrameworkRow {
                        id: r.id.clone(),
                        title: r.title.clone(),
                        clauses: r.clauses.clone(),
                        status,
                        label,
                        controls: r.controls.len(),
                        failing: r
                            .controls
                            .iter()
                            .filter(|c| c.result == R::Fail)
                            .map(|c| c.id.clone())
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();

    // The control index: every control listed under a clause, and every code with a finding.
    let mut index: BTreeMap<String, ControlIndex> = BTreeMap::new();
    for c in &clauses {
        for k in &c.controls {
            let (_, label) = status_label(k.status);
            let entry = index.entry(k.id.clone()).or_insert_with(|| ControlIndex {
                id: k.id.clone(),
                title: k.title.clone(),
                status: k.status,
                label,
                clauses: Vec::new(),
                findings: k.findings.clone(),
            });
            entry.clauses.push(c.id.clone());
        }
    }
    for f in failed.iter().chain(&waived) {
        let entry = index
            .entry(f.control.clone())
            .or_insert_with(|| ControlIndex {
                id: f.control.clone(),
                title: f.title.clone(),
                status: "waived",
                label: "Waived",
                clauses: Vec::new(),
                findings: Vec::new(),
            });
        if !entry.findings.contains(&f.number) {
            entry.findings.push(f.number);
        }
        if f.status == Status::Fail {
            (entry.status, entry.label) = ("fail", "Fail");
        }
    }
    let controls: Vec<ControlIndex> = index.into_values().collect();

    let text = |d: &crate::model::Document, key: &str| -> Option<String> {
        match d.pointer(&format!("/metadata/{key}"))? {
            crate::model::Value::String(s) => Some(s.to_string()),
            crate::model::Value::Number(n) => Some(n.to_string()),
            crate::model::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    };
    // The numbers of each document's findings, failed before waived.
    let mut findings_of: Vec<Vec<usize>> = vec![Vec::new(); docs.len()];
    for f in failed.iter().chain(&waived) {
        let row = f.document.and_then(|n| n.checked_sub(1));
        if let Some(numbers) = row.and_then(|i| findings_of.get_mut(i)) {
            numbers.push(f.number);
        }
    }
    let register: Vec<RegisterRow> = docs
        .iter()
        .zip(findings_of)
        .enumerate()
        .map(|(i, (d, findings))| RegisterRow {
            number: i + 1,
            path: d.path.clone(),
            kind: d.kind.name(),
            id: d.id.clone(),
            title: text(d, "title"),
            owner: text(d, "owner"),
            version: text(d, "version"),
            status: text(d, "status"),
            approved_by: text(d, "approved_by"),
            last_reviewed: text(d, "last_reviewed"),
            blob: provenance.documents.get(&d.path).cloned(),
            findings,
        })
        .collect();

    let charts = charts(&sections, &failed, &waived, &practices);

    Report {
        tool: &TOOL,
        organization: checked.config.organization.as_deref(),
        provenance,
        as_of: outcome.as_of.to_string(),
        as_of_note: super::as_of_note(checked),
        fail_on: outcome.fail_on,
        conforming: nonconformities == 0,
        nonconformities,
        observations: failed.len() - nonconformities,
        summary: outcome.summary,
        covered: matrix.covered,
        subclauses: matrix.subclauses,
        sections,
        clauses,
        failed,
        waived,
        waivers,
        practices,
        frameworks,
        controls,
        register,
        charts,
        operations: if checked.tickets.sources.is_empty() {
            String::new()
        } else {
            super::sla::html_section(&checked.tickets)
        },
    }
}

/// The status word for a status key.
fn status_label(status: &str) -> (&'static str, &'static str) {
    match status {
        "pass" => status_of(Some(R::Pass)),
        "fail" => status_of(Some(R::Fail)),
        "waived" => status_of(Some(R::Waived)),
        _ => status_of(None),
    }
}

/// The four charts, from the views the tables are built of (so the pictures and the tables
/// cannot disagree).
fn charts(
    sections: &[Section],
    failed: &[FindingView],
    waived: &[FindingView],
    practices: &[PracticeView],
) -> Charts {
    let groups: Vec<svg::Group> = sections
        .iter()
        .map(|s| svg::Group {
            id: s.head.id.clone(),
            title: s.head.title.clone(),
            status: s.head.status.to_string(),
            cells: s
                .rows
                .iter()
                .filter(|r| r.depth == 1)
                .map(|r| svg::Cell {
                    id: r.id.clone(),
                    status: r.status.to_string(),
                })
                .collect(),
        })
        .collect();
    let severity: Vec<svg::Bar> = Severity::ALL
        .iter()
        .rev()
        .map(|&sev| svg::Bar {
            label: sev.as_str().to_string(),
            href: None,
            failed: failed.iter().filter(|f| f.severity == sev).count(),
            waived: waived.iter().filter(|f| f.severity == sev).count(),
        })
        .collect();
    let in_group = |f: &&FindingView, id: &str| f.clauses.iter().any(|c| under(c, id));
    let by_group: Vec<svg::Bar> = sections
        .iter()
        .map(|s| svg::Bar {
            label: format!("{} {}", s.head.id, s.head.title),
            href: Some(format!("clause-{}", s.head.id)),
            failed: failed.iter().filter(|f| in_group(f, &s.head.id)).count(),
            waived: waived.iter().filter(|f| in_group(f, &s.head.id)).count(),
        })
        .collect();
    let tiles: Vec<svg::Tile> = practices
        .iter()
        .map(|p| svg::Tile {
            name: p.name.clone(),
            status: p.status.to_string(),
        })
        .collect();
    Charts {
        heatmap: svg::heatmap(&groups),
        severity: svg::bars("chart-severity", "Findings by severity", &severity),
        groups: svg::bars("chart-groups", "Findings by clause group", &by_group),
        practices: svg::practice_grid(&tiles),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_templates_escape_and_markdown_ones_do_not() {
        assert_eq!(auto_escape("report/report.html.j2"), AutoEscape::Html);
        assert_eq!(auto_escape("report/report.html"), AutoEscape::Html);
        assert_eq!(auto_escape("report/conformity.md.j2"), AutoEscape::None);
    }

    #[test]
    fn cells_stay_on_one_line_and_cannot_open_a_column_or_a_tag() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(cell("<script>"), "&lt;script&gt;");
        assert_eq!(cell("field `<b>` & <i>"), "field `<b>` &amp; &lt;i&gt;");
        assert_eq!(cell("odd ` <b>"), "odd ` &lt;b&gt;");
        assert_eq!(cell("`a|b`"), "`a\\|b`");
    }

    #[test]
    fn code_spans_escape_everything_and_keep_unpaired_backticks() {
        let html = |s: &str| code_spans(s).to_string();
        assert_eq!(
            html("`a<b>` is <i>"),
            "<code>a&lt;b&gt;</code> is &lt;i&gt;"
        );
        assert_eq!(html("x `y` z `w"), "x <code>y</code> z `w");
        assert_eq!(html("no ticks & more"), "no ticks &amp; more");
    }

    #[test]
    fn clause_prefixes_respect_dots() {
        assert!(under("8.5.1", "8.5"));
        assert!(under("8.5", "8.5"));
        assert!(!under("8.50", "8.5"));
        assert!(!under("10.1", "1"));
    }
}
