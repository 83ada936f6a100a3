//! The benchmark corpus cannot rot: `benches/gen_corpus.py` replicates the reference set in
//! `policies/` as business units, and a generated corpus must have exactly the findings the
//! generator announces with `--expected` (none for a conforming one). When a control gets
//! stricter or the reference set changes, these tests fail instead of the benchmarks silently
//! timing thousands of findings.
//!
//! The generator needs `python3` with PyYAML; without them the tests print `SKIPPED:`, and fail
//! under CI ([`skip_unless_ci`](super::skip_unless_ci)).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{check_json, code, evident, root};

/// Whether `python3` with PyYAML can run the generator; if not, says so (fails under CI).
fn generator_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        super::skip_unless_ci("`python3` with PyYAML (python3-yaml) is not installed");
    }
    ok
}

/// Runs `benches/gen_corpus.py OUT args --expected OUT.json` and returns the expected figures.
fn generate(out: &Path, args: &[&str]) -> Value {
    let expected = out.with_extension("expected.json");
    let run = Command::new("python3")
        .arg(root().join("benches/gen_corpus.py"))
        .arg(out)
        .args(args)
        .arg("--expected")
        .arg(&expected)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "gen_corpus.py {args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&expected).expect("the --expected file");
    serde_json::from_str(&text).expect("the --expected file is JSON")
}

/// Findings of a JSON report counted per control code.
fn per_control(report: &Value) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        let control = f["control"].as_str().expect("control").to_string();
        *counts.entry(control).or_default() += 1;
    }
    counts
}

#[test]
fn a_generated_conforming_corpus_has_no_findings() {
    if !generator_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("corpus");
    let expected = generate(&out, &["--documents", "200", "--seed", "1"]);
    assert_eq!(expected["units"], 2, "{expected}");
    assert_eq!(expected["nonconforming"], 0, "{expected}");
    assert_eq!(expected["findings"], serde_json::json!({}), "{expected}");

    let (status, report) = check_json(&out, &[]);
    assert_eq!(
        per_control(&report),
        BTreeMap::new(),
        "the conforming corpus has findings"
    );
    assert_eq!(status, 0);
    assert_eq!(report["summary"]["documents"], expected["documents"]);
}

#[test]
fn a_generated_nonconforming_corpus_has_exactly_the_expected_findings() {
    if !generator_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("corpus");
    let expected = generate(
        &out,
        &[
            "--documents",
            "300",
            "--nonconforming",
            "0.2",
            "--seed",
            "7",
        ],
    );
    // Every defect kind is exercised, so none can stop firing unnoticed.
    let defects = expected["defects"].as_object().expect("defects");
    assert_eq!(defects.len(), 6, "{expected}");
    assert!(defects.values().all(|n| n.as_u64() > Some(0)), "{expected}");

    let want: BTreeMap<String, u64> = expected["findings"]
        .as_object()
        .expect("findings")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().expect("count")))
        .collect();
    let (status, report) = check_json(&out, &[]);
    assert_eq!(per_control(&report), want);
    assert_eq!(status, 1);
    assert_eq!(report["summary"]["documents"], expected["documents"]);
}

#[test]
fn the_generated_findings_corpus_report_is_unchanged() {
    // Results stay byte-identical across engine work (issue 12): the JSON report of a small
    // generated findings corpus is a snapshot. The generator is deterministic for a seed.
    if !generator_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("corpus");
    generate(
        &out,
        &[
            "--documents",
            "200",
            "--nonconforming",
            "0.1",
            "--seed",
            "3",
        ],
    );
    let run = evident(
        &out,
        &["check", "--format", "json", "--as-of", super::AS_OF, "."],
    );
    assert_eq!(code(&run), 1);
    let json = String::from_utf8(run.stdout).expect("UTF-8").replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[VERSION]\"",
    );
    insta::assert_snapshot!("bench_corpus_findings_json", json);
}
