//! OSCAL 1.1.3 JSON (NIST's Open Security Controls Assessment Language), so that GRC tools
//! (compliance-trestle, Lula, …) can read Evident's library and results (PRODUCT.md §12).
//!
//! - [`catalog`]: the control library as an OSCAL catalog. Groups follow the ISO/IEC 20000-1
//!   clauses (a group per clause 4–10, a sub-group per subclause); each control sits in the
//!   group of its first clause, and every clause and ITIL 4 practice it maps to is a `prop`,
//!   with `links` to the clause groups. The check is the control's assessment method, its kind
//!   a `param`.
//! - [`assessment_results`]: one check run as assessment results: one `result`, an
//!   `observation` per finding with the document as its subject (a back-matter resource), and
//!   an OSCAL `finding` per control run and built-in code that fired, `satisfied` or
//!   `not-satisfied`, linked to its observations.
//!
//! Deterministic: every UUID is a version-5 UUID derived from content (the library digest,
//! the as-of date, the commit, paths and ids), and the only dates are the as-of date and the
//! library's own date, so identical input gives identical bytes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};
use uuid::Uuid;

use crate::Checked;
use crate::check::Status;
use crate::controls::{Control, Library};

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.3";

/// The namespace of Evident's own `prop` names (OSCAL: a URI naming who defines them).
pub const NS: &str = "https://evident-itsm.github.io/ns/oscal";

/// The date the catalog carries as `last-modified`: the catalog has no clock of its own, and
/// the library changes only with a release.
const LIBRARY_DATE: &str = "2026-11-21T00:00:00Z";

/// Namespace of every UUID Evident derives (a fixed, random v4 UUID).
const UUID_NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2b8e_4d3a_4f7e_9a51_c0de_e71d_e4f1);

/// A version-5 UUID from the parts, joined unambiguously.
fn uuid(parts: &[&str]) -> String {
    let mut name = Vec::new();
    for p in parts {
        name.extend_from_slice(&(p.len() as u64).to_be_bytes());
        name.extend_from_slice(p.as_bytes());
    }
    Uuid::new_v5(&UUID_NAMESPACE, &name).to_string()
}

/// A control id as an OSCAL token: `CHG-003` → `chg-003`.
pub fn control_token(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// A clause group id: `8.5.1.3` → `iso-8.5.1.3`.
fn clause_token(clause: &str) -> String {
    format!("iso-{clause}")
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "ns": NS, "value": value})
}

/// OSCAL strings must not start or end with whitespace, and must not be empty.
fn text(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() { "-".to_string() } else { t }
}

fn control(c: &Control, frameworks: &crate::controls::frameworks::Frameworks) -> Value {
    let token = control_token(&c.id);
    let mut props = vec![
        json!({"name": "label", "value": c.id}),
        prop("severity", c.severity.as_str()),
    ];
    props.extend(
        c.iso20000
            .iter()
            .map(|cl| prop("iso20000-1-2018-clause", cl)),
    );
    props.extend(c.itil4.iter().map(|p| prop("itil4-practice", p)));
    for key in crate::controls::frameworks::EXTERNAL {
        let name = format!("{key}-id");
        props.extend(
            frameworks
                .related_items(key, &c.iso20000)
                .into_iter()
                .map(|id| prop(&name, id)),
        );
    }
    let links: Vec<Value> = c
        .iso20000
        .iter()
        .map(|cl| json!({"href": format!("#{}", clause_token(cl)), "rel": "reference"}))
        .collect();
    let mut out = json!({
        "id": token,
        "class": "evident-control",
        "title": text(&c.title),
        "params": [{
            "id": format!("{token}_check"),
            "label": "check kind",
            "values": [c.check.name()],
        }],
        "props": props,
        "parts": [
            {"id": format!("{token}_smt"), "name": "statement", "prose": text(&c.title)},
            {"id": format!("{token}_gdn"), "name": "guidance", "prose": text(&c.rationale)},
            {"id": format!("{token}_obj"), "name": "objective",
             "prose": format!("Every applicable document satisfies the `{}` check of {}.", c.check.name(), c.id)},
            {"id": format!("{token}_rem"), "name": "remediation", "ns": NS, "prose": text(&c.remediation)},
        ],
    });
    if !links.is_empty() {
        out["links"] = Value::Array(links);
    }
    out
}

/// The control library as an OSCAL catalog.
pub fn catalog(library: &Library) -> Value {
    let fw = &library.frameworks;
    // Each control under the group of its first clause.
    let mut by_clause: BTreeMap<&str, Vec<&Control>> = BTreeMap::new();
    for c in &library.controls {
        if let Some(first) = c.iso20000.first() {
            by_clause.entry(first.as_str()).or_default().push(c);
        }
    }
    let group = |id: &str, title: &str| -> Value {
        json!({"id": clause_token(id), "class": "clause", "title": text(&format!("{id} {title}"))})
    };
    let mut groups = Vec::new();
    for top in fw.clauses.iter().filter(|c| !c.id.contains('.')) {
        let mut g = group(&top.id, &top.title);
        let children: Vec<Value> = fw
            .clauses
            .iter()
            .filter(|c| c.id.starts_with(&format!("{}.", top.id)))
            .map(|c| {
                let mut sub = group(&c.id, &c.title);
                if let Some(cs) = by_clause.get(c.id.as_str()) {
                    sub["controls"] = cs.iter().map(|c| control(c, fw)).collect();
                }
                sub
            })
            .collect();
        if let Some(cs) = by_clause.get(top.id.as_str()) {
            g["controls"] = cs.iter().map(|c| control(c, fw)).collect();
        }
        if !children.is_empty() {
            g["groups"] = Value::Array(children);
        }
        groups.push(g);
    }
    json!({"catalog": {
        "uuid": uuid(&["catalog", &library.digest]),
        "metadata": {
            "title": "Evident control library for ISO/IEC 20000-1:2018 and ITIL 4",
            "last-modified": LIBRARY_DATE,
            "version": format!("{} (library {})", env!("CARGO_PKG_VERSION"), &library.digest[..12.min(library.digest.len())]),
            "oscal-version": OSCAL_VERSION,
            "props": [prop("library-digest", &library.digest)],
            "remarks": "Clause numbers and short titles only; every description is Evident's own wording.",
        },
        "groups": groups,
    }})
}

/// One check run as OSCAL assessment results.
pub fn assessment_results(checked: &Checked) -> Value {
    let outcome = &checked.outcome;
    let as_of = outcome.as_of.to_string();
    let when = format!("{as_of}T00:00:00Z");
    let commit = checked.commit.as_deref().unwrap_or("working tree");
    let digest = &checked.library.digest;
    let run = |parts: &[&str]| {
        let mut all = vec!["ar", digest.as_str(), as_of.as_str(), commit];
        all.extend_from_slice(parts);
        uuid(&all)
    };

    // Every document is a back-matter resource; observations name them as subjects.
    let resources: Vec<Value> = checked
        .loaded
        .files
        .iter()
        .map(|f| {
            json!({
                "uuid": run(&["resource", &f.path]),
                "title": f.path,
                "props": [prop("path", &f.path)],
                "rlinks": [{"href": f.path}],
            })
        })
        .collect();

    let mut observations = Vec::new();
    let mut by_code: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (n, f) in outcome.findings.iter().enumerate() {
        let index = n.to_string();
        let id = run(&["observation", &f.control, &index]);
        let mut props = vec![
            prop("control", &f.control),
            prop("severity", f.severity.as_str()),
            prop(
                "status",
                match f.status {
                    Status::Fail => "fail",
                    Status::Waived => "waived",
                },
            ),
        ];
        let mut description = text(&f.message);
        if let Some(path) = &f.path {
            props.push(prop("path", path));
            if let (Some(line), Some(column)) = (f.line, f.column) {
                props.push(prop("location", &format!("{path}:{line}:{column}")));
                description = text(&format!("{path}:{line}:{column}: {}", f.message));
            }
        }
        let mut obs = json!({
            "uuid": id,
            "title": text(&f.title),
            "description": description,
            "props": props,
            "methods": ["AUTOMATED"],
            "types": ["finding"],
            "collected": when,
        });
        if let Some(path) = &f.path {
            obs["subjects"] = json!([{
                "subject-uuid": run(&["resource", path]),
                "type": "resource",
                "title": path,
            }]);
        }
        observations.push(obs);
        by_code.entry(f.control.as_str()).or_default().push(id);
    }

    let mut findings = Vec::new();
    let codes = checked
        .library
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .chain(
            outcome
                .findings
                .iter()
                .filter(|f| checked.library.get(&f.control).is_none())
                .map(|f| (f.control.as_str(), f.title.as_str())),
        )
        .collect::<BTreeMap<_, _>>();
    for (code, title) in codes {
        let related = by_code.get(code).cloned().unwrap_or_default();
        let failed = outcome
            .findings
            .iter()
            .any(|f| f.control == code && f.status == Status::Fail);
        let waived = !failed && !related.is_empty();
        let state = if failed { "not-satisfied" } else { "satisfied" };
        let token = control_token(code);
        let mut finding = json!({
            "uuid": run(&["finding", code]),
            "title": text(&format!("{code}: {title}")),
            "description": if failed {
                format!("{code} is not satisfied: {} nonconformit{} found.", related.len(), if related.len() == 1 { "y" } else { "ies" })
            } else if waived {
                format!("{code} is satisfied under an approved waiver.")
            } else {
                format!("{code} is satisfied: no nonconformity found.")
            },
            "target": {
                "type": "objective-id",
                "target-id": format!("{token}_obj"),
                "status": {"state": state},
            },
        });
        if waived {
            finding["props"] = json!([prop("waived", "true")]);
        }
        if !related.is_empty() {
            finding["related-observations"] = related
                .iter()
                .map(|u| json!({"observation-uuid": u}))
                .collect();
        }
        findings.push(finding);
    }

    let summary = &outcome.summary;
    let mut result = json!({
        "uuid": run(&["result"]),
        "title": format!("Evident check as of {as_of}"),
        "description": text(&format!(
            "{} of {} against {} controls: {} failed, {} waived.",
            crate::report::count(summary.findings, "finding"),
            crate::report::count(summary.documents, "document"),
            summary.controls,
            summary.failed,
            summary.waived,
        )),
        "start": when,
        "end": when,
        "props": [prop("commit", commit), prop("as-of", &as_of)],
        "reviewed-controls": {"control-selections": [{"include-all": {}}]},
    });
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }
    let mut ar = json!({
        "uuid": run(&["assessment-results"]),
        "metadata": {
            "title": match &checked.config.organization {
                Some(org) => text(&format!("Evident assessment of {org}")),
                None => "Evident assessment".to_string(),
            },
            "last-modified": when,
            "version": env!("CARGO_PKG_VERSION"),
            "oscal-version": OSCAL_VERSION,
            "props": [prop("library-digest", digest)],
        },
        "import-ap": {"href": "#evident-assessment-plan"},
        "results": [result],
    });
    if !resources.is_empty() {
        ar["back-matter"] = json!({"resources": resources});
    }
    json!({"assessment-results": ar})
}

/// Writes `value` as pretty JSON with a final newline.
pub fn write(value: &Value, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// `check --format oscal-ar`.
pub fn render(checked: &Checked, out: &mut dyn Write) -> io::Result<()> {
    write(&assessment_results(checked), out)
}
