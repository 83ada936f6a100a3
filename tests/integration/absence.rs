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
        // The ticket exports the documents name, as `check` reads them.
        let tickets =
            evident::tickets::measure(&loaded.documents, &evident::tickets::WorkTree(&reference));
        evident::check::evaluate(&loaded, &library, &config, as_of, &NoCommitDates, &tickets)
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

/// Runs the reference set with one file's text replaced, and returns the failed findings as
/// (control, message).
fn with_edit(path: &str, from: &str, to: &str) -> Vec<(String, String)> {
    let reference = root();
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_tree(&reference.join("policies"), &dir.path().join("policies"));
    let file = dir.path().join(path);
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains(from), "{path} has no `{from}`");
    std::fs::write(&file, text.replacen(from, to, 1)).expect("write");
    check(dir.path())
        .findings
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| (f.control, f.message))
        .collect()
}

#[test]
fn one_typo_gives_one_finding_with_a_suggestion() {
    let misspelt_kind = with_edit(
        "policies/catalog/payments.yaml",
        "kind: Service\n",
        "kind: Servce\n",
    );
    assert_eq!(misspelt_kind.len(), 1, "{misspelt_kind:?}");
    assert_eq!(misspelt_kind[0].0, "envelope");
    assert!(
        misspelt_kind[0].1.contains("did you mean `Service`"),
        "{misspelt_kind:?}"
    );

    let misspelt_id = with_edit(
        "policies/agreements/payments-sla.yaml",
        "services: [payments]",
        "services: [paymnets]",
    );
    assert_eq!(misspelt_id.len(), 1, "{misspelt_id:?}");
    assert_eq!(misspelt_id[0].0, "SLM-002");
    assert!(
        misspelt_id[0].1.contains("did you mean `payments`"),
        "{misspelt_id:?}"
    );
}

#[test]
fn hollow_untrue_and_future_evidence_is_found() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // 4.1: a context with nothing in it.
        (
            "policies/sms-policy.yaml",
            "  context:\n    internal_issues:",
            "  context: {}\n  former_context:\n    internal_issues:",
            "SMS-003",
        ),
        // 9.4 / 9.1: availability below the SLA's target, with no follow-up.
        (
            "policies/records/service-report-2026-09.yaml",
            "value: 99.97, target: 99.9,",
            "value: 97.2, target: 99.9,",
            "PRF-001",
        ),
        // 9.4: a report that judges itself against a looser target than the SLA's.
        (
            "policies/records/service-report-2026-09.yaml",
            "value: 99.93, target: 99.9,",
            "value: 99.93, target: 95,",
            "PRF-002",
        ),
        // 7.5.3: a review dated in the future.
        (
            "policies/agreements/payments-sla.yaml",
            "last_reviewed: 2026-",
            "last_reviewed: 2027-",
            "SMS-058",
        ),
        // 8.3.3: an approved SLA without its P1 row.
        (
            "policies/agreements/online-banking-sla.yaml",
            "      - { priority: P1, response: 30m, resolution: 4h }\n",
            "",
            "SLM-014",
        ),
    ];
    for (path, from, to, control) in cases {
        let found = with_edit(path, from, to);
        assert!(
            found.iter().any(|(c, _)| c == control),
            "{control} does not fire when `{from}` becomes `{to}` in {path}: {found:?}"
        );
    }
}

/// The review controls find the latest record of their type (a `lookup`, not a search per
/// process) and say what it was: a review older than the interval is named with its date, and
/// a missing audit is said to be missing.
#[test]
fn review_controls_name_the_latest_record_or_its_absence() {
    let dir = tempfile::tempdir().expect("temp dir");
    crate::copy_tree(&root().join("policies"), &dir.path().join("policies"));
    std::fs::copy(root().join("evident.yaml"), dir.path().join("evident.yaml")).expect("copy");
    let review = dir
        .path()
        .join("policies/records/capacity-review-2026-q3.yaml");
    let text = std::fs::read_to_string(&review).expect("read");
    assert!(text.contains("\n  date: 2026-10-06\n"), "{text}");
    std::fs::write(
        &review,
        text.replace("\n  date: 2026-10-06\n", "\n  date: 2024-10-06\n"),
    )
    .expect("write");
    std::fs::remove_file(
        dir.path()
            .join("policies/records/configuration-audit-2026.yaml"),
    )
    .expect("remove");
    let outcome = check(dir.path());
    let message = |control: &str| -> Vec<String> {
        outcome
            .findings
            .iter()
            .filter(|f| f.control == control)
            .map(|f| f.message.clone())
            .collect()
    };
    assert_eq!(
        message("CAP-005"),
        [
            "no capacity review is recorded within the review interval: the latest was on \
          2024-10-06, but the process reviews capacity every 3mo"
        ]
    );
    assert_eq!(
        message("CFG-003"),
        [
            "no configuration audit is recorded within the audit interval: none is recorded, but \
          the process audits every 6mo"
        ]
    );
}
