//! The nonconforming example produces exactly the findings listed beside it.

use serde_json::Value;

use super::{check_json, root};

#[test]
fn nonconforming_example_produces_exactly_its_listed_findings() {
    let dir = root().join("examples/acme-nonconforming");
    let expected: Value = serde_json::from_slice(
        &std::fs::read(dir.join("expected-findings.json")).expect("expected findings"),
    )
    .expect("json");
    let (code, report) = check_json(&dir, &[]);
    assert_eq!(code, 1);
    let project = |f: &Value| {
        (
            f["control"].as_str().map(str::to_string),
            f["status"].as_str().map(str::to_string),
            f["path"].as_str().map(str::to_string),
            f["line"].as_u64(),
            f["column"].as_u64(),
        )
    };
    let mut got: Vec<_> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(project)
        .collect();
    let mut want: Vec<_> = expected
        .as_array()
        .expect("array")
        .iter()
        .map(project)
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(want.len() >= 12);
}
