//! Every control has a passing and a failing fixture (`tests/fixtures/controls/<ID>/`), and
//! fires on exactly the failing one. Every control has mappings, rationale and remediation.

use std::path::Path;

use evident::check::{self, Outcome};
use evident::config::Config;
use evident::controls::checks::NoCommitDates;
use evident::controls::{self, Library, LibraryOptions};
use evident::load::{self, RawContent, RawFile};

use super::{AS_OF, root};

fn library() -> Library {
    controls::load(Path::new("."), &LibraryOptions::default()).expect("library loads")
}

fn run(library: &Library, path: &Path) -> Outcome {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let loaded = load::documents(vec![RawFile {
        path: "policies/fixture.yaml".into(),
        content: RawContent::Bytes(bytes),
        origin: None,
    }]);
    let as_of = AS_OF.parse().expect("date");
    // A fixture's TicketSource names exports beside it (in the fixture's folder).
    let folder = path.parent().expect("a fixture is in a folder");
    let tickets = evident::tickets::measure(&loaded.documents, &evident::tickets::WorkTree(folder));
    check::evaluate(
        &loaded,
        library,
        &Config::default(),
        as_of,
        &NoCommitDates,
        &tickets,
    )
    .expect("evaluates")
}

#[test]
fn every_control_fires_on_its_failing_fixture_only() {
    let library = library();
    let fixtures = root().join("tests/fixtures/controls");
    let mut problems = Vec::new();
    for control in &library.controls {
        let dir = fixtures.join(&control.id);
        for (name, should_fire) in [("pass.yaml", false), ("fail.yaml", true)] {
            let path = dir.join(name);
            if !path.exists() {
                problems.push(format!(
                    "{}: missing fixture {}",
                    control.id,
                    path.display()
                ));
                continue;
            }
            let outcome = run(&library, &path);
            let fired = outcome
                .findings
                .iter()
                .filter(|f| f.control == control.id)
                .count();
            if (fired > 0) != should_fire {
                problems.push(format!("{}: {name}: {fired} finding(s)", control.id));
            }
            let broken: Vec<_> = outcome
                .findings
                .iter()
                .filter(|f| {
                    ["schema", "envelope", "yaml-syntax", "duplicate-id"]
                        .contains(&f.control.as_str())
                })
                .map(|f| format!("{}:{:?} {}", f.control, f.line, f.message))
                .collect();
            if !broken.is_empty() {
                problems.push(format!(
                    "{}: {name} is not a valid document set: {broken:?}",
                    control.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_control_is_documented_and_mapped() {
    let library = library();
    for c in &library.controls {
        assert!(
            !c.iso20000.is_empty(),
            "{} maps no ISO/IEC 20000-1 clause",
            c.id
        );
        assert!(!c.itil4.is_empty(), "{} maps no ITIL 4 practice", c.id);
        assert!(c.rationale.len() > 40, "{} has no real rationale", c.id);
        assert!(c.remediation.len() > 20, "{} has no real remediation", c.id);
    }
}

#[test]
fn no_fixture_for_an_unknown_control() {
    let library = library();
    let fixtures = root().join("tests/fixtures/controls");
    let Ok(entries) = std::fs::read_dir(&fixtures) else {
        return;
    };
    for entry in entries {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            library.get(&name).is_some(),
            "fixture folder `{name}` names no control"
        );
    }
}

/// `a` is `b`, or one contains the other (`8.5.1` and `8.5.1.3`).
fn related(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b}.")) || b.starts_with(&format!("{a}."))
}

/// A control's practices and clauses agree with `controls/frameworks/crosswalk.yaml`: every
/// practice relates to one of the control's clauses, and every clause that the crosswalk maps at
/// all relates to one of the control's practices. Clauses the crosswalk declares unmapped
/// (leadership, scope, operational planning) constrain nothing.
#[test]
fn control_mappings_agree_with_the_crosswalk() {
    let library = library();
    let fw = &library.frameworks;
    let unmapped: Vec<&str> = fw
        .unmapped_clauses
        .iter()
        .filter_map(|u| u.clause.as_deref())
        .collect();
    let crosswalked = |practice: &str, clause: &str| {
        fw.crosswalk
            .iter()
            .any(|m| m.practice == practice && related(&m.clause, clause))
    };
    let mut problems = Vec::new();
    for c in &library.controls {
        let mapped: Vec<&str> = c
            .iso20000
            .iter()
            .map(String::as_str)
            .filter(|x| {
                !unmapped
                    .iter()
                    .any(|u| x == u || x.starts_with(&format!("{u}.")))
            })
            .collect();
        if mapped.is_empty() {
            continue;
        }
        for p in &c.itil4 {
            if !mapped.iter().any(|x| crosswalked(p, x)) {
                problems.push(format!("{}: `{p}` relates to none of {mapped:?}", c.id));
            }
        }
        for x in &mapped {
            if !c.itil4.iter().any(|p| crosswalked(p, x)) {
                problems.push(format!(
                    "{}: clause {x} relates to none of {:?}",
                    c.id, c.itil4
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_practice_has_a_control() {
    let library = library();
    let missing: Vec<&str> = library
        .frameworks
        .practices
        .iter()
        .map(|p| p.id.as_str())
        .filter(|p| {
            library
                .frameworks
                .crosswalk
                .iter()
                .any(|m| m.practice == *p)
                && !library
                    .controls
                    .iter()
                    .any(|c| c.itil4.iter().any(|x| x == p))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "practices without a control: {missing:?}"
    );
}
