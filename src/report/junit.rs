//! `--format junit`: JUnit XML, for the test reports of CI systems (GitLab, Jenkins, Azure
//! Pipelines…). It validates against the lenient, Surefire-compatible `junit-10.xsd` that those
//! tools accept.
//!
//! ```xml
//! <testsuites name="evident" tests="3" failures="1" errors="0">
//!   <testsuite name="evident" tests="3" failures="1" errors="0" skipped="1">
//!     <testcase classname="CHG-003" name="Process/change-enablement (policies/….yaml)">
//!       <failure type="high" message="…">policies/….yaml:41:7: …</failure>
//!     </testcase>
//!     <testcase classname="SLM-001" name="Service/mortgage-portal (…)"><skipped message="waived: …"/></testcase>
//!     <testcase classname="CHG-001" name="CHG-001"/>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! A test case is a (control, document) pair: one for every document a control judged (the
//! engine records them), `(repository)` for a repository-level control, and a (code, file)
//! pair for built-in codes with findings. A case fails when one of its findings fails the run
//! (at or above `fail_on`; in a gate, new or `--strict`), is skipped when all are waived, and
//! otherwise passes with any findings below the threshold in `system-out`. A control that had
//! nothing to judge is one passing case named after itself. Fixed findings of a gate are not
//! test cases: they are gone at head.
//! No timestamps or durations: the report is deterministic.

use std::io::{self, Write};

use super::blocks;
use super::json::TOOL;
use crate::Checked;
use crate::check::{Finding, Status};

/// Escapes `text` for XML character data or a double-quoted attribute value. Characters XML
/// 1.0 cannot hold at all (most C0 controls, U+FFFE, U+FFFF) become U+FFFD; in attributes,
/// tab, newline and carriage return are written as references so that attribute-value
/// normalization (XML 1.0 §3.3.3) keeps them.
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text, attribute);
    out
}

/// Whether `b` is a byte [`escape`] may change: markup, quotes, C0 controls, and the lead
/// byte of U+FFFE and U+FFFF (`0xEF`).
fn special(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF) || b < 0x20
}

/// Appends [`escape`]d `text` to `out`; runs that need no escape are copied whole (nearly
/// all of a report is plain text).
fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    let mut rest = text;
    while let Some(at) = rest.bytes().position(special) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(rest);
}

fn attr(text: &str) -> String {
    escape(text, true)
}

/// The test case a finding belongs to: `Kind/id (path)`, the path alone for a file that holds
/// no readable document, `(repository)` for a repository-level finding.
fn case_name(f: &Finding) -> String {
    match (&f.document, &f.path) {
        (Some(doc), Some(path)) => format!("{doc} ({path})"),
        (Some(doc), None) => doc.to_string(),
        (None, Some(path)) => path.clone(),
        (None, None) => "(repository)".to_string(),
    }
}

/// One finding as the text of a failure or of `system-out`.
fn describe(checked: &Checked, f: &Finding) -> String {
    let mut s = match (&f.path, f.line, f.column) {
        (Some(p), Some(l), Some(c)) => format!("{p}:{l}:{c}: "),
        (Some(p), Some(l), None) => format!("{p}:{l}: "),
        (Some(p), None, _) => format!("{p}: "),
        (None, _, _) => String::new(),
    };
    let level = if blocks(&checked.outcome, f) {
        "error"
    } else if f.status == Status::Waived {
        "waived"
    } else {
        "warning"
    };
    s.push_str(&format!("{level}[{}]: {}\n", f.control, f.message));
    s.push_str(&format!("  {}\n", f.title));
    s.push_str(&format!("  severity: {}\n", f.severity));
    if !f.iso20000.is_empty() {
        s.push_str(&format!(
            "  ISO/IEC 20000-1:2018: {}\n",
            f.iso20000.join(", ")
        ));
    }
    if !f.itil4.is_empty() {
        let names: Vec<&str> = f
            .itil4
            .iter()
            .map(|id| checked.library.frameworks.practice_name(id))
            .collect();
        s.push_str(&format!("  ITIL 4: {}\n", names.join(", ")));
    }
    if let Some(w) = &f.waiver {
        s.push_str(&format!(
            "  waived until {} by {}: {}\n",
            w.expires, w.approved_by, w.reason
        ));
    }
    if !f.help.is_empty() {
        let help = f.help.split_whitespace().collect::<Vec<_>>().join(" ");
        s.push_str(&format!("  help: {help}\n"));
    }
    s
}

enum Verdict {
    Pass,
    Fail,
    Skip,
}

struct Case<'a> {
    classname: &'a str,
    name: &'a str,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn verdict(&self, checked: &Checked) -> Verdict {
        if self.findings.iter().any(|f| blocks(&checked.outcome, f)) {
            Verdict::Fail
        } else if !self.findings.is_empty()
            && self.findings.iter().all(|f| f.status == Status::Waived)
        {
            Verdict::Skip
        } else {
            Verdict::Pass
        }
    }
}

/// The test cases, sorted by code then name: one per (control, document it judged) — passing
/// or not — one `(repository)` case per repository-level control, one per (code, file) for
/// built-in codes, and one per control that had nothing to judge.
fn cases<'a>(
    checked: &'a Checked,
    document_names: &'a [String],
    finding_names: &'a [String],
) -> Vec<Case<'a>> {
    // (code, name, finding): one entry per judged pair and one per finding, sorted and then
    // merged, which is cheaper than a map keyed by names at 100,000 cases. Names are made
    // once per document and borrowed by each control that judged it.
    let mut entries: Vec<(&str, &str, Option<&Finding>)> = Vec::new();
    for (control, judged) in &checked.outcome.evaluated {
        match judged {
            Some(docs) => {
                entries.extend(docs.iter().filter_map(|&i| {
                    Some((control.as_str(), document_names.get(i)?.as_str(), None))
                }))
            }
            None => entries.push((control.as_str(), "(repository)", None)),
        }
    }
    entries.extend(
        checked
            .outcome
            .findings
            .iter()
            .zip(finding_names)
            .map(|(f, name)| (f.control.as_str(), name.as_str(), Some(f))),
    );
    let present: std::collections::HashSet<&str> = entries.iter().map(|e| e.0).collect();
    entries.extend(
        checked
            .library
            .controls
            .iter()
            .filter(|c| !present.contains(c.id.as_str()))
            .map(|c| (c.id.as_str(), c.id.as_str(), None)),
    );
    // Stable: a case's findings keep the order of the run.
    entries.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut cases: Vec<Case<'_>> = Vec::new();
    for (classname, name, finding) in entries {
        match cases.last_mut() {
            Some(last) if last.classname == classname && last.name == name => {
                last.findings.extend(finding);
            }
            _ => cases.push(Case {
                classname,
                name,
                findings: finding.into_iter().collect(),
            }),
        }
    }
    cases
}

/// Writes the JUnit XML report.
pub fn render(checked: &Checked, out: &mut dyn Write) -> io::Result<()> {
    let document_names: Vec<String> = checked
        .loaded
        .documents
        .iter()
        .map(|d| format!("{}/{} ({})", d.kind, d.id, d.path))
        .collect();
    let finding_names: Vec<String> = checked.outcome.findings.iter().map(case_name).collect();
    let cases = cases(checked, &document_names, &finding_names);
    let verdicts: Vec<Verdict> = cases.iter().map(|c| c.verdict(checked)).collect();
    let tests = cases.len();
    let failures = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::Fail))
        .count();
    let skipped = verdicts
        .iter()
        .filter(|v| matches!(v, Verdict::Skip))
        .count();
    let outcome = &checked.outcome;

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="evident" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="evident" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}">"#
    )?;
    writeln!(out, "    <properties>")?;
    let mut props: Vec<(&str, String)> = vec![
        ("evident.version", TOOL.version.to_string()),
        ("as_of", outcome.as_of.to_string()),
        ("fail_on", outcome.fail_on.to_string()),
        ("documents", outcome.summary.documents.to_string()),
        ("controls", outcome.summary.controls.to_string()),
    ];
    if let Some(org) = &checked.config.organization {
        props.push(("organization", org.clone()));
    }
    if let Some(g) = &checked.gate {
        props.push(("gate.base", g.base.clone()));
        props.push(("gate.base_commit", g.base_commit.clone()));
        props.push(("gate.head", g.head.clone()));
        if let Some(h) = &g.head_commit {
            props.push(("gate.head_commit", h.clone()));
        }
    }
    for (name, value) in props {
        writeln!(
            out,
            r#"      <property name="{}" value="{}"/>"#,
            attr(name),
            attr(&value)
        )?;
    }
    writeln!(out, "    </properties>")?;

    let mut open = String::new();
    for (case, verdict) in cases.iter().zip(&verdicts) {
        open.clear();
        open.push_str(r#"    <testcase classname=""#);
        push_escaped(&mut open, case.classname, true);
        open.push_str(r#"" name=""#);
        push_escaped(&mut open, case.name, true);
        open.push('"');
        if case.findings.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        writeln!(out, "{open}>")?;
        let text: String = case.findings.iter().map(|f| describe(checked, f)).collect();
        match verdict {
            Verdict::Fail => {
                let failing: Vec<&&Finding> = case
                    .findings
                    .iter()
                    .filter(|f| blocks(outcome, f))
                    .collect();
                let message = failing
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                let severity = failing
                    .iter()
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(outcome.fail_on);
                writeln!(
                    out,
                    r#"      <failure type="{severity}" message="{}">{}</failure>"#,
                    attr(&message),
                    escape(&text, false)
                )?;
            }
            Verdict::Skip => {
                let mut unique: Vec<&str> = case
                    .findings
                    .iter()
                    .filter_map(|f| f.waiver.as_ref().map(|w| w.reason.as_str()))
                    .collect();
                unique.sort_unstable();
                unique.dedup();
                writeln!(
                    out,
                    r#"      <skipped message="{}">{}</skipped>"#,
                    attr(&format!("waived: {}", unique.join("; "))),
                    escape(&text, false)
                )?;
            }
            Verdict::Pass => {
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    escape(&text, false)
                )?;
            }
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"a<b>&"c"'d'"#, true),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"
        );
        assert_eq!(escape(r#"a<b>&"c""#, false), "a&lt;b&gt;&amp;\"c\"");
    }

    #[test]
    fn keeps_whitespace_in_attributes_as_references() {
        assert_eq!(escape("a\nb\tc\rd", true), "a&#10;b&#9;c&#13;d");
        assert_eq!(escape("a\nb\tc\rd", false), "a\nb\tc&#13;d");
    }

    #[test]
    fn replaces_characters_xml_cannot_hold() {
        assert_eq!(
            escape("a\u{0}b\u{1b}c\u{FFFF}", false),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(escape("é ✓ 😀", true), "é ✓ 😀");
    }

    #[test]
    fn copies_plain_runs_whole_and_keeps_other_characters_of_the_same_lead_byte() {
        // U+F8FF and U+FFFD start with the byte of U+FFFE and U+FFFF but are kept.
        let text = "plain \u{F8FF} \u{FFFD} \u{FFFE} & more plain text";
        assert_eq!(
            escape(text, false),
            "plain \u{F8FF} \u{FFFD} \u{FFFD} &amp; more plain text"
        );
        assert_eq!(escape("", true), "");
        assert_eq!(escape("no markup at all", true), "no markup at all");
    }
}
