//! The nonconforming examples produce exactly the findings listed beside them, and together
//! they have a failed finding under every clause of the ISO/IEC 20000-1 catalogue.

use std::collections::BTreeSet;

use evident::controls::frameworks::Frameworks;
use serde_json::Value;

use super::{check_json, root};

/// The example repositories under `examples/`, each with its `expected-findings.json`.
const EXAMPLES: [&str; 2] = ["acme-nonconforming", "globex-hollow"];

/// A finding as the expected-findings files record it: (control, status, path, line, column).
type Listed = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<u64>,
    Option<u64>,
);

fn listed(f: &Value) -> Listed {
    (
        f["control"].as_str().map(str::to_string),
        f["status"].as_str().map(str::to_string),
        f["path"].as_str().map(str::to_string),
        f["line"].as_u64(),
        f["column"].as_u64(),
    )
}

/// Checks `examples/<name>` and compares its findings with its `expected-findings.json`;
/// returns the report for further assertions.
fn assert_example_matches_its_list(name: &str, at_least: usize) -> Value {
    let dir = root().join("examples").join(name);
    let expected: Value = serde_json::from_slice(
        &std::fs::read(dir.join("expected-findings.json")).expect("expected findings"),
    )
    .expect("json");
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(code, 1, "{name}");
    let mut got: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(listed)
        .collect();
    let mut want: Vec<_> = expected
        .as_array()
        .expect("array")
        .iter()
        .map(listed)
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{name}");
    assert!(want.len() >= at_least, "{name}");
    report
}

#[test]
fn nonconforming_example_produces_exactly_its_listed_findings() {
    assert_example_matches_its_list("acme-nonconforming", 12);
}

#[test]
fn hollow_example_produces_exactly_its_listed_findings() {
    assert_example_matches_its_list("globex-hollow", 30);
}

#[test]
fn examples_together_have_a_failed_finding_under_every_clause() {
    let mut failed: BTreeSet<String> = BTreeSet::new();
    for name in EXAMPLES {
        let (_, report) = check_json(&root().join("examples").join(name), &[]);
        for f in report["findings"].as_array().expect("findings") {
            if f["status"] == "fail" {
                for clause in f["iso20000"].as_array().expect("clauses") {
                    failed.insert(clause.as_str().expect("clause id").to_string());
                }
            }
        }
    }
    let frameworks = Frameworks::builtin().expect("built-in catalogues");
    let uncovered: Vec<&str> = frameworks
        .clauses
        .iter()
        .map(|c| c.id.as_str())
        // Top-level numbers (4 … 10) are headings; every clause under them is checked.
        .filter(|id| id.contains('.'))
        // A clause with subclauses counts as covered when one of its subclauses is.
        .filter(|id| {
            !failed.contains(*id)
                && !failed
                    .iter()
                    .any(|f| f.strip_prefix(id).is_some_and(|r| r.starts_with('.')))
        })
        .collect();
    assert!(
        uncovered.is_empty(),
        "clauses with no failed finding in any example: {uncovered:?}"
    );
    assert!(frameworks.clauses.len() >= 60);
}
