//! Absence is a finding: an auditor's first probe is to take evidence away and see whether the
//! tool notices. These tests do that systematically, in process (the library API), on the
//! reference set.

use std::collections::BTreeSet;
use std::path::Path;

use evident::check::{Outcome, Status};
use evident::controls::frameworks::Frameworks;
use jiff::civil::Date;

use evident::controls::checks::NoCommitDates;

use crate::{AS_OF, root};

/// Documents whose absence no control reports, each with the reason it is optional for
/// conformity. Anything not listed here must be missed when it is removed.
const OPTIONAL: &[(&str, &str)] = &[(
    "policies/records/customer-complaint-2026-014.yaml",
    "ISO/IEC 20000-1 8.3.2 asks for a way to record and handle complaints (checked on the \
     relationship process, BRM-002), not for complaints to have happened",
)];

fn check(dir: &Path) -> Outcome {
    let as_of: Date = AS_OF.parse().expect("date");
    evident::check_dir(dir, as_of, &evident::CheckOptions::default())
        .expect("check runs")
        .outcome
}

fn failed_clauses(outcome: &Outcome) -> BTreeSet<String> {
    outcome
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .flat_map(|f| f.iso20000.iter().cloned())
        .collect()
}

#[test]
fn an_empty_repository_fails_every_clause() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("policies")).expect("policies");
    let failed = failed_clauses(&check(dir.path()));
    let frameworks = Frameworks::builtin().expect("catalogues");
    let ids: Vec<&str> = frameworks.clauses.iter().map(|c| c.id.as_str()).collect();
    // A clause with subclauses fails when one of them does; a subclause-free clause (4.1,
    // 8.3.4.1…) needs a finding of its own. Top-level clause numbers are headings.
    let missing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| id.contains('.'))
        .filter(|id| {
            !failed
                .iter()
                .any(|c| c == id || c.starts_with(&format!("{id}.")))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "an empty repository raises no finding under {missing:?}"
    );
}

#[test]
fn removing_any_required_document_is_a_finding() {
    let reference = root();
    let as_of: Date = AS_OF.parse().expect("date");
    let config = evident::config::Config::default();
    let library = evident::controls::load_with(Vec::new(), &config.controls).expect("library");
    let files = evident::load::walk(&reference, &config.documents).expect("walk");
    assert!(
        files.len() > 80,
        "the reference set has {} files",
        files.len()
    );
    let run = |files: Vec<evident::load::RawFile>| {
        let loaded = evident::load::documents(files);
        evident::check::evaluate(&loaded, &library, &config, as_of, &NoCommitDates)
            .expect("evaluates")
    };
    assert!(
        run(files.clone()).findings.is_empty(),
        "the reference set must pass before anything is removed"
    );
    let mut silent = Vec::new();
    for removed in &files {
        let rest: Vec<_> = files
            .iter()
            .filter(|f| f.path != removed.path)
            .cloned()
            .collect();
        let outcome = run(rest);
        let failed = outcome
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .count();
        let optional = OPTIONAL.iter().any(|(path, _)| *path == removed.path);
        if optional {
            assert_eq!(
                failed, 0,
                "{} is listed as optional but its removal fires",
                removed.path
            );
        } else if failed == 0 {
            silent.push(removed.path.clone());
        }
    }
    assert!(
        silent.is_empty(),
        "removing these documents raises no finding: {silent:?}"
    );
}
