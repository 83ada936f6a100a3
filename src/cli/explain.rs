//! `evident explain CODE` and `evident controls`.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use evident::check::builtin::{self, BUILTINS};
use evident::config::Config;
use evident::controls::{self, Control, Library, LibraryOptions};
use evident::report;

use super::{EXIT_OK, ExplainFormat, ListFormat};

fn library(repo: Option<&Path>) -> Result<Library> {
    match repo {
        Some(root) => {
            let config = Config::load(root)?;
            controls::load(root, &config.controls)
        }
        None => controls::load(Path::new("."), &LibraryOptions::default()),
    }
}

/// Prints the documentation of a control or built-in code: for a terminal, or as the Markdown
/// section of the reference page.
pub fn explain(code: &str, format: ExplainFormat) -> Result<u8> {
    let lib = library(None)?;
    let mut out = anstream::stdout().lock();
    let color = anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never;
    let term = Term::new(color);
    if let Some(c) = lib.get(code).or_else(|| {
        lib.controls
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(code))
    }) {
        match format {
            ExplainFormat::Markdown => {
                out.write_all(evident::report::reference::control_section(&lib, c).as_bytes())?;
                writeln!(out, "\n(defined in {})", c.source)?;
            }
            ExplainFormat::Text => write_control(&term, &lib, c, &mut out)?,
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    if let Some(b) = builtin::builtin(code) {
        let clauses: Vec<String> = b
            .iso20000
            .iter()
            .map(|id| match lib.frameworks.clause(id) {
                Some(c) => format!("{id} {}", c.title),
                None => (*id).to_string(),
            })
            .collect();
        match format {
            ExplainFormat::Markdown => {
                writeln!(out, "## {}: {}\n", b.code, b.title)?;
                writeln!(out, "- severity: {}", b.severity)?;
                writeln!(out, "- ISO/IEC 20000-1:2018: {}\n", clauses.join("; "))?;
                writeln!(out, "**Why it matters.** {}\n", b.rationale)?;
                writeln!(out, "**How to fix it.** {}", b.remediation)?;
            }
            ExplainFormat::Text => {
                term.title(&mut out, b.code, b.title)?;
                term.field(&mut out, "severity", &b.severity.to_string())?;
                for clause in &clauses {
                    term.field(&mut out, "ISO/IEC 20000-1:2018", clause)?;
                }
                term.section(&mut out, "Why it matters", b.rationale)?;
                term.section(&mut out, "How to fix it", b.remediation)?;
            }
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    bail!(
        "no control or diagnostic code `{code}`; `evident controls` lists the controls, and the built-in codes are: {}",
        BUILTINS
            .iter()
            .map(|b| b.code)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A control for a terminal: what it requires, where it maps, what its check tests, why, how
/// to fix or waive it.
fn write_control(term: &Term, lib: &Library, c: &Control, out: &mut dyn Write) -> io::Result<()> {
    term.title(out, &c.id, &c.title)?;
    term.field(out, "severity", &c.severity.to_string())?;
    for id in &c.iso20000 {
        let title = lib.frameworks.clause(id).map_or("", |c| c.title.as_str());
        term.field(out, "ISO/IEC 20000-1:2018", &format!("{id} {title}"))?;
    }
    for id in &c.itil4 {
        term.field(out, "ITIL 4 practice", lib.frameworks.practice_name(id))?;
    }
    let applies = match &c.applies_to {
        Some(sel) => sel.describe(),
        None => "the repository as a whole".to_string(),
    };
    term.field(out, "applies to", &applies)?;
    term.section(out, "Why an auditor asks for this", &c.rationale)?;
    term.section(out, "How to fix it", &c.remediation)?;
    term.heading(out, &format!("What the check tests (`{}`)", c.check.name()))?;
    match check_definition(c) {
        Some(params) => term.code_block(out, &yaml::render(&params))?,
        None => term.paragraph(out, "(the definition is not available here)")?,
    }
    term.heading(out, "How to waive it")?;
    term.paragraph(
        out,
        "Add a waiver with an owner and an expiry date to `evident.yaml`:",
    )?;
    term.code_block(
        out,
        &format!(
            "waivers:\n  - control: {}\n    documents: [\"policies/path/to/file.yaml\"]\n    reason: why the nonconformity is accepted for now\n    approved_by: a-role-id\n    expires: YYYY-MM-DD\n",
            c.id
        ),
    )?;
    writeln!(out, "\n(defined in {})", c.source)
}

/// The `check:` mapping of the control as written in its file (the compiled check keeps no
/// copy of its parameters): from the embedded library, or the organization's file.
fn check_definition(c: &Control) -> Option<serde_json::Value> {
    let text: String = match c.source.strip_prefix("builtin:controls/") {
        Some(rel) => evident::assets::CONTROLS
            .get_file(rel)?
            .contents_utf8()?
            .to_string(),
        None => evident::fsread::read_text(
            std::path::Path::new(&c.source),
            evident::fsread::MAX_CONFIG_SIZE,
        )
        .ok()?,
    };
    evident::load::yaml::parse(&text)
        .documents
        .into_iter()
        .find(|d| d.value.get("id").and_then(evident::model::Value::as_str) == Some(c.id.as_str()))
        .and_then(|d| d.value.get("check").map(evident::model::Value::to_json))
}

/// Terminal rendering: bold headings, identifiers styled (or kept in backticks without
/// colour), text wrapped to the terminal.
struct Term {
    color: bool,
    width: usize,
}

const INDENT: &str = "  ";

impl Term {
    fn new(color: bool) -> Self {
        // COLUMNS when the shell exports it; 80 otherwise; never wider than 100 for reading.
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|w| *w >= 40)
            .unwrap_or(80)
            .min(100);
        Term { color, width }
    }

    fn bold(&self) -> anstyle::Style {
        anstyle::Style::new().bold()
    }

    fn title(&self, out: &mut dyn Write, code: &str, title: &str) -> io::Result<()> {
        let b = self.bold();
        writeln!(out, "{b}{code}{b:#}: {}\n", self.inline(title, &mut false))
    }

    fn field(&self, out: &mut dyn Write, name: &str, value: &str) -> io::Result<()> {
        let dim = anstyle::Style::new().dimmed();
        writeln!(
            out,
            "{dim}{name:>22}{dim:#}  {}",
            self.inline(value, &mut false)
        )
    }

    fn heading(&self, out: &mut dyn Write, text: &str) -> io::Result<()> {
        let h = self.bold().underline();
        writeln!(out, "\n{h}{}{h:#}", self.inline(text, &mut false))
    }

    fn section(&self, out: &mut dyn Write, heading: &str, text: &str) -> io::Result<()> {
        self.heading(out, heading)?;
        self.paragraph(out, text)
    }

    fn paragraph(&self, out: &mut dyn Write, text: &str) -> io::Result<()> {
        let mut in_code = false;
        for line in wrap(text, self.width.saturating_sub(INDENT.len())) {
            writeln!(out, "{INDENT}{}", self.inline(&line, &mut in_code))?;
        }
        Ok(())
    }

    fn code_block(&self, out: &mut dyn Write, text: &str) -> io::Result<()> {
        let code = self.code_style();
        for line in text.lines() {
            writeln!(out, "{INDENT}{INDENT}{code}{line}{code:#}")?;
        }
        Ok(())
    }

    fn code_style(&self) -> anstyle::Style {
        anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Cyan.into()))
    }

    /// `text` with its backtick spans styled (colour) or left as they are (no colour: the
    /// backticks are then the only mark of an identifier, as in Evident's diagnostics).
    /// `in_code` carries an open span over a line break.
    fn inline(&self, text: &str, in_code: &mut bool) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = self.code_style();
        let mut s = String::with_capacity(text.len() + 16);
        if *in_code {
            s.push_str(&code.render().to_string());
        }
        for ch in text.chars() {
            if ch == '`' {
                *in_code = !*in_code;
                s.push_str(&if *in_code {
                    code.render().to_string()
                } else {
                    code.render_reset().to_string()
                });
            } else {
                s.push(ch);
            }
        }
        if *in_code {
            s.push_str(&code.render_reset().to_string());
        }
        s
    }
}

/// Words of `text` in lines of at most `width` characters (a longer word gets its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + word.chars().count() + 1 > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A small YAML rendering of JSON values, for showing a check's parameters the way they are
/// written in a control file (block mappings and sequences, literal blocks for multi-line
/// strings such as CEL expressions).
mod yaml {
    use serde_json::Value;

    /// `value` as YAML text, ending with a newline.
    pub fn render(value: &Value) -> String {
        let mut out = String::new();
        node(value, 0, &mut out);
        out
    }

    fn node(value: &Value, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    out.push_str(&pad);
                    out.push_str(&scalar_key(k));
                    out.push(':');
                    child(v, indent, out);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for v in items {
                    out.push_str(&pad);
                    out.push('-');
                    child(v, indent, out);
                }
            }
            other => {
                out.push_str(&pad);
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }

    /// A mapping or list after `key:` or `-`: on the same line when short and flat, else a
    /// nested block.
    fn nested(v: &Value, flat_children: bool, indent: usize, out: &mut String) {
        let flat = inline(v);
        if flat.len() <= 60 && flat_children {
            out.push(' ');
            out.push_str(&flat);
            out.push('\n');
        } else {
            out.push('\n');
            node(v, indent + 2, out);
        }
    }

    /// The value after `key:` or `-`: inline when short, else a nested block.
    fn child(v: &Value, indent: usize, out: &mut String) {
        match v {
            Value::String(s) if s.contains('\n') && !s.starts_with(' ') && !s.ends_with("\n\n") => {
                // `|` keeps one final newline, `|-` none.
                out.push_str(if s.ends_with('\n') { " |\n" } else { " |-\n" });
                let pad = " ".repeat(indent + 2);
                for line in s.trim_end_matches('\n').lines() {
                    out.push_str(&pad);
                    out.push_str(line);
                    out.push('\n');
                }
            }
            Value::Object(m) if !m.is_empty() => nested(v, m.values().all(is_scalar), indent, out),
            Value::Array(a) if !a.is_empty() => nested(v, a.iter().all(is_scalar), indent, out),
            _ => {
                out.push(' ');
                out.push_str(&inline(v));
                out.push('\n');
            }
        }
    }

    fn is_scalar(v: &Value) -> bool {
        !matches!(v, Value::Object(m) if !m.is_empty())
            && !matches!(v, Value::Array(a) if !a.is_empty())
    }

    /// Flow style: `{a: 1, b: [x, y]}`.
    fn inline(v: &Value) -> String {
        match v {
            Value::String(s) => scalar_key(s),
            Value::Object(m) => {
                let parts: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{}: {}", scalar_key(k), inline(v)))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Value::Array(a) => {
                let parts: Vec<String> = a.iter().map(inline).collect();
                format!("[{}]", parts.join(", "))
            }
            other => other.to_string(),
        }
    }

    /// A string plain when YAML would read it back as the same string, else JSON-quoted
    /// (JSON strings are valid YAML).
    fn scalar_key(s: &str) -> String {
        let plain = !s.is_empty()
            && s.chars().all(|c| {
                c.is_alphanumeric()
                    || matches!(c, '_' | '-' | '.' | '/' | ' ' | '*' | '$' | '(' | ')')
            })
            && !s.starts_with(|c: char| c == '-' || c == ' ' || c == '*' || c.is_ascii_digit())
            && !s.ends_with(' ')
            && !matches!(
                s.to_ascii_lowercase().as_str(),
                "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
            );
        if plain {
            s.to_string()
        } else {
            serde_json::Value::String(s.to_string()).to_string()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn renders_yaml_that_reads_back_the_same() {
            let v = serde_json::json!({
                "expr": {"assert": "a <= b &&\n  c", "for_each": "spec.targets[*]"},
                "schema": {"required": ["x", "true", "8.5"], "properties": {"n": {"minimum": 1}}},
                "empty": {}, "list": [], "flag": true
            });
            let text = render(&v);
            let back = evident::load::yaml::parse(&text);
            assert!(back.error.is_none(), "{text}");
            assert_eq!(
                back.documents.first().map(|d| &d.value),
                Some(&evident::model::Value::from_json(&v)),
                "{text}"
            );
        }
    }
}

#[derive(Serialize)]
struct ControlEntry<'a> {
    id: &'a str,
    title: &'a str,
    severity: String,
    iso20000: &'a [String],
    itil4: &'a [String],
    /// FitSM requirements reached through the clauses.
    fitsm: Vec<&'a str>,
    /// COBIT 2019 objectives reached through the clauses.
    cobit2019: Vec<&'a str>,
    check: &'static str,
    applies_to: Option<String>,
    rationale: &'a str,
    remediation: &'a str,
    source: &'a str,
}

/// Lists the controls.
pub fn list(format: ListFormat, repo: Option<&Path>) -> Result<u8> {
    let lib = library(repo)?;
    let mut out = io::stdout().lock();
    if matches!(format, ListFormat::Markdown) {
        out.write_all(evident::report::reference::page(&lib).as_bytes())?;
        return Ok(EXIT_OK);
    }
    if matches!(format, ListFormat::OscalCatalog) {
        evident::report::oscal::write(&evident::report::oscal::catalog(&lib), &mut out)?;
        return Ok(EXIT_OK);
    }
    if matches!(format, ListFormat::Json) {
        let entries: Vec<ControlEntry<'_>> = lib
            .controls
            .iter()
            .map(|c| ControlEntry {
                id: &c.id,
                title: &c.title,
                severity: c.severity.to_string(),
                iso20000: &c.iso20000,
                itil4: &c.itil4,
                fitsm: lib.frameworks.related_items("fitsm", &c.iso20000),
                cobit2019: lib.frameworks.related_items("cobit2019", &c.iso20000),
                check: c.check.name(),
                applies_to: c.applies_to.as_ref().map(|s| s.kind.name().to_string()),
                rationale: &c.rationale,
                remediation: &c.remediation,
                source: &c.source,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({"controls": entries}))?;
        writeln!(out)?;
    } else {
        for c in &lib.controls {
            writeln!(
                out,
                "{:<8} {:<8} {:<28} {}",
                c.id,
                c.severity.to_string(),
                c.iso20000.join(","),
                c.title
            )?;
        }
        writeln!(
            out,
            "{}; `evident explain ID` for details",
            report::count(lib.controls.len(), "control")
        )?;
    }
    Ok(EXIT_OK)
}
