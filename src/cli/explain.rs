//! `evident explain CODE` and `evident controls`.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use evident::check::builtin::{self, BUILTINS};
use evident::config::Config;
use evident::controls::{self, Control, Library, LibraryOptions};
use evident::report;

use super::{EXIT_OK, ListFormat};

fn library(repo: Option<&Path>) -> Result<Library> {
    match repo {
        Some(root) => {
            let config = Config::load(root)?;
            controls::load(root, &config.controls)
        }
        None => controls::load(Path::new("."), &LibraryOptions::default()),
    }
}

fn wrap(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 92 {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Prints the documentation of a control or built-in code.
pub fn explain(code: &str) -> Result<u8> {
    let lib = library(None)?;
    let mut out = io::stdout().lock();
    if let Some(c) = lib.get(code).or_else(|| {
        lib.controls
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(code))
    }) {
        write_control(&lib, c, &mut out)?;
        return Ok(EXIT_OK);
    }
    if let Some(b) = builtin::builtin(code) {
        writeln!(out, "{}: {}\n", b.code, b.title)?;
        writeln!(out, "severity: {}", b.severity)?;
        let clauses: Vec<String> = b
            .iso20000
            .iter()
            .map(|id| match lib.frameworks.clause(id) {
                Some(c) => format!("{id} {}", c.title),
                None => (*id).to_string(),
            })
            .collect();
        writeln!(out, "ISO/IEC 20000-1:2018: {}", clauses.join("; "))?;
        writeln!(out, "\nWhy it matters\n{}", wrap(b.rationale, "  "))?;
        writeln!(out, "How to fix it\n{}", wrap(b.remediation, "  "))?;
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

fn write_control(lib: &Library, c: &Control, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(evident::report::reference::control_section(lib, c).as_bytes())?;
    writeln!(out, "\n(defined in {})", c.source)
}

#[derive(Serialize)]
struct ControlEntry<'a> {
    id: &'a str,
    title: &'a str,
    severity: String,
    iso20000: &'a [String],
    itil4: &'a [String],
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
