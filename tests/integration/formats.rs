//! Machine formats: SARIF and JUnit validated by independent tools against the published
//! schemas (`../shared/schemas/`), plus their structure; GitHub annotations and summary.
//!
//! The validators and the schemas are not part of a user's clone: a test that lacks one prints
//! a line starting with `SKIPPED:` and returns.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use evident::check::{Baseline, Status};
use evident::gate::GateInfo;
use evident::report::{self, Format, Style, github};

use super::{AS_OF, check_json, code, evident, repo, root};

const SARIF_SCHEMA: &str = "../shared/schemas/sarif/sarif-schema-2.1.0.json";
const JUNIT_SCHEMA: &str = "../shared/schemas/junit/junit-10.xsd";

fn example() -> PathBuf {
    root().join("examples/acme-nonconforming")
}

/// The schema at `relative` (to the project root), or `None` after printing why the caller
/// skips.
fn schema(relative: &str) -> Option<PathBuf> {
    let path = root().join(relative);
    if path.is_file() {
        Some(path)
    } else {
        println!("SKIPPED: schema `{}` is absent", path.display());
        None
    }
}

/// Whether `tool` runs; prints why the caller skips when it does not.
fn have(tool: &str, version_flag: &str) -> bool {
    let ok = Command::new(tool)
        .arg(version_flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("SKIPPED: `{tool}` is not installed");
    }
    ok
}

/// Validates a SARIF file with `check-jsonschema`; `false` when skipped.
fn validate_sarif(file: &Path) -> bool {
    let Some(schema) = schema(SARIF_SCHEMA) else {
        return false;
    };
    if !have("check-jsonschema", "--version") {
        return false;
    }
    let out = Command::new("check-jsonschema")
        .arg("--schemafile")
        .arg(&schema)
        .arg(file)
        .output()
        .expect("check-jsonschema runs");
    assert!(
        out.status.success(),
        "SARIF does not validate:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// Validates a JUnit file with `xmllint`; `false` when skipped.
fn validate_junit(file: &Path) -> bool {
    let Some(schema) = schema(JUNIT_SCHEMA) else {
        return false;
    };
    if !have("xmllint", "--version") {
        return false;
    }
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "JUnit XML does not validate:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

fn sarif_of(dir: &Path) -> (i32, Value, Vec<u8>) {
    let out = evident(dir, &["check", "--format", "sarif", "--as-of", AS_OF, "."]);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code(&out), log, out.stdout)
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

fn rules(log: &Value) -> &Vec<Value> {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
}

/// The ids of the library's controls, from `evident controls --format json`.
fn control_ids(dir: &Path) -> BTreeSet<String> {
    let out = evident(dir, &["controls", "--format", "json", "--repo", "."]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    let items = list
        .as_array()
        .or_else(|| list["controls"].as_array())
        .expect("a list of controls");
    items
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn sarif_of_the_example_has_a_rule_per_control_and_a_result_per_finding() {
    let dir = example();
    let (code, log, _) = sarif_of(&dir);
    assert_eq!(code, 1);
    let (_, report) = check_json(&dir, &[]);
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 16);

    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"].as_array().map(Vec::len), Some(1));
    assert_eq!(log["runs"][0]["tool"]["driver"]["name"], "evident");

    let controls = control_ids(&dir);
    let builtins: BTreeSet<&str> = findings
        .iter()
        .filter_map(|f| f["control"].as_str())
        .filter(|c| !controls.contains(*c))
        .collect();
    let rules = rules(&log);
    assert_eq!(rules.len(), controls.len() + builtins.len());
    let rule_ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        rule_ids.iter().collect::<BTreeSet<_>>().len(),
        rules.len(),
        "rule ids are unique"
    );
    for rule in rules {
        for key in ["name", "shortDescription", "help", "defaultConfiguration"] {
            assert!(rule.get(key).is_some(), "rule lacks `{key}`: {rule}");
        }
    }
    let chg = rules
        .iter()
        .find(|r| r["id"] == "CHG-003")
        .expect("CHG-003 rule");
    assert_eq!(chg["defaultConfiguration"]["level"], "error");
    assert!(
        chg["properties"]["tags"]
            .as_array()
            .expect("tags")
            .contains(&Value::from("iso20000:8.5.1.3")),
        "{chg}"
    );
    assert!(
        chg["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.starts_with("## CHG-003:")),
        "{chg}"
    );

    let results = results(&log);
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["control"]);
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["message"]["text"], finding["message"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], finding["path"]);
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(location["region"]["startLine"], finding["line"]);
        assert_eq!(location["region"]["startColumn"], finding["column"]);
        assert!(
            result["partialFingerprints"]["evident/v1"].is_string(),
            "{result}"
        );
        let waived = finding["status"] == "waived";
        assert_eq!(result["suppressions"].is_array(), waived, "{result}");
        if waived {
            assert_eq!(result["suppressions"][0]["kind"], "external");
            assert_eq!(
                result["suppressions"][0]["justification"],
                finding["waiver"]["reason"]
            );
        }
        assert!(result.get("baselineState").is_none(), "no gate: {result}");
    }
    let prints: BTreeSet<&str> = results
        .iter()
        .filter_map(|r| r["partialFingerprints"]["evident/v1"].as_str())
        .collect();
    assert_eq!(prints.len(), results.len(), "fingerprints are distinct");
}

#[test]
fn sarif_and_junit_of_the_example_validate_against_the_published_schemas() {
    let dir = example();
    let out_dir = tempfile::tempdir().expect("temp dir");
    let sarif = out_dir.path().join("evident.sarif");
    let junit = out_dir.path().join("junit.xml");
    let out = evident(
        &dir,
        &[
            "check",
            "--format",
            "sarif",
            "--as-of",
            AS_OF,
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("junit={}", junit.display()),
            ".",
        ],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::read(&sarif).expect("SARIF written");
    assert_eq!(file, out.stdout, "the file and standard output agree");

    let xml = std::fs::read_to_string(&junit).expect("JUnit written");
    let count = |needle: &str| xml.matches(needle).count();
    let tests = count("<testcase ");
    assert!(
        xml.contains(&format!(
            r#"<testsuite name="evident" tests="{tests}" failures="15" errors="0" skipped="1">"#
        )),
        "{xml}"
    );
    assert_eq!(count("<failure "), 15);
    assert_eq!(count("<skipped "), 1);
    assert!(
        xml.contains(r#"<skipped message="waived: SLA with the Lending division"#),
        "{xml}"
    );
    assert!(
        xml.contains(
            r#"<testcase classname="CHG-003" name="Process/change-enablement (policies/processes/change-enablement.yaml)">"#
        ),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testcase classname="CHG-001" name="CHG-001"/>"#),
        "a control without findings is one passing case: {xml}"
    );

    let validated_sarif = validate_sarif(&sarif);
    let validated_junit = validate_junit(&junit);
    if validated_sarif && validated_junit {
        println!("validated {} and {}", sarif.display(), junit.display());
    }
}

/// The fingerprints of a log, by (rule, message), with the start lines.
fn prints(log: &Value) -> Vec<(String, String, String, Option<u64>)> {
    let mut v: Vec<_> = results(log)
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["message"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["partialFingerprints"]["evident/v1"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn fingerprints_are_stable_and_ignore_line_numbers() {
    let dir = repo();
    let role = dir.path().join("policies/role.yaml");
    std::fs::write(
        &role,
        super::ROLE.replace("  responsibilities:", "  responsibilites:"),
    )
    .expect("write");
    let (_, first, bytes) = sarif_of(dir.path());
    let (_, _, again) = sarif_of(dir.path());
    assert_eq!(bytes, again, "two runs give the same bytes");
    let before = prints(&first);
    assert!(
        before.iter().any(|p| p.0 == "schema" && p.3 == Some(13)),
        "{before:?}"
    );
    assert!(
        before.iter().any(|p| p.3.is_none()),
        "repository-level findings too: {before:?}"
    );

    let text = std::fs::read_to_string(&role).expect("read");
    std::fs::write(&role, format!("\n\n# moved down\n\n{text}")).expect("write");
    let (_, moved, _) = sarif_of(dir.path());
    let after = prints(&moved);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (&b.0, &b.1, &b.2),
            (&a.0, &a.1, &a.2),
            "fingerprint changed"
        );
        assert_eq!(a.3, b.3.map(|l| l + 4), "startLine moves with the text");
    }
    let path = dir.path().join("moved.sarif");
    std::fs::write(&path, serde_json::to_vec(&moved).expect("json")).expect("write");
    validate_sarif(&path);
}

#[test]
fn gate_results_carry_baseline_states_and_fixed_findings_are_absent() {
    let as_of = AS_OF.parse().expect("date");
    let mut checked =
        evident::check_dir(&example(), as_of, &evident::CheckOptions::default()).expect("checks");
    let mut fixed = checked.outcome.findings[1].clone();
    fixed.baseline = Some(Baseline::Fixed);
    fixed.pointer = Some("/spec/gone".into());
    fixed.message = "a finding the change fixed".into();
    for (i, f) in checked.outcome.findings.iter_mut().enumerate() {
        f.baseline = Some(if i == 0 {
            Baseline::New
        } else {
            Baseline::Unchanged
        });
    }
    let findings = checked.outcome.findings.len();
    checked.gate = Some(GateInfo {
        base: "main".into(),
        base_commit: "0123456789abcdef0123456789abcdef01234567".into(),
        head: "working tree".into(),
        head_commit: None,
        fixed: vec![fixed],
        changed: Vec::new(),
        clauses: vec!["8.5.1.3".into()],
    });

    let mut bytes = Vec::new();
    report::render(Format::Sarif, &checked, Style::default(), &mut bytes).expect("renders");
    let log: Value = serde_json::from_slice(&bytes).expect("json");
    let states: Vec<&str> = results(&log)
        .iter()
        .map(|r| r["baselineState"].as_str().expect("every result has one"))
        .collect();
    assert_eq!(states.len(), findings + 1);
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1);
    assert_eq!(states.iter().filter(|s| **s == "absent").count(), 1);
    let levels: Vec<&str> = results(&log)
        .iter()
        .filter_map(|r| r["level"].as_str())
        .collect();
    assert_eq!(levels[0], "error", "the new finding fails the gate");
    assert_eq!(
        levels.iter().filter(|l| **l == "error").count(),
        1,
        "unchanged findings do not fail a gate without --strict"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gate.sarif");
    std::fs::write(&path, &bytes).expect("write");
    validate_sarif(&path);

    let mut junit = Vec::new();
    report::render(Format::Junit, &checked, Style::default(), &mut junit).expect("renders");
    let xml = String::from_utf8(junit).expect("utf-8");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    let path = dir.path().join("gate.xml");
    std::fs::write(&path, &xml).expect("write");
    validate_junit(&path);

    let mut annotations = Vec::new();
    github::annotations(&checked, &mut annotations).expect("writes");
    let annotations = String::from_utf8(annotations).expect("utf-8");
    let lines: Vec<&str> = annotations.lines().collect();
    assert_eq!(lines.len(), findings, "one line per finding: {annotations}");
    assert!(
        lines[0].starts_with("::error file=evident.yaml,line=23,col=5,title=waiver-expired%3A ")
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        1
    );
    let waived = checked
        .outcome
        .findings
        .iter()
        .filter(|f| f.status == Status::Waived)
        .count();
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::notice ")).count(),
        waived
    );

    let mut summary = Vec::new();
    github::summary(&checked, &mut summary).expect("writes");
    let summary = String::from_utf8(summary).expect("utf-8");
    assert!(summary.starts_with("## Evident gate: failed"), "{summary}");
    for heading in [
        "### New findings (1)",
        "### Fixed findings (1)",
        &format!("### Unchanged findings ({})", findings - 1),
        "### ISO/IEC 20000-1:2018 clauses touched (1)",
        "- 8.5.1.3 ",
    ] {
        assert!(summary.contains(heading), "lacks `{heading}`:\n{summary}");
    }
}

#[test]
fn github_output_of_a_check_annotates_every_finding() {
    let as_of = AS_OF.parse().expect("date");
    let checked =
        evident::check_dir(&example(), as_of, &evident::CheckOptions::default()).expect("checks");
    let mut out = Vec::new();
    github::annotations(&checked, &mut out).expect("writes");
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(text.lines().count(), 16);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::error ")).count(),
        15
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::notice ")).count(),
        1
    );
    for line in text.lines() {
        let (_, message) = line[2..].split_once("::").expect("command::message");
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
    let mut summary = Vec::new();
    github::summary(&checked, &mut summary).expect("writes");
    let summary = String::from_utf8(summary).expect("utf-8");
    assert!(summary.starts_with("## Evident check: failed"), "{summary}");
    assert!(summary.contains("### Findings (16)"), "{summary}");
}
