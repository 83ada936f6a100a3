//! Machine formats: SARIF and JUnit validated by independent tools against the published
//! schemas (`../shared/schemas/`), plus their structure; GitHub annotations and summary.
//!
//! The validators and the schemas are not part of a user's clone: a test that lacks one prints
//! a line starting with `SKIPPED:` and returns — except under CI, where it fails
//! ([`skip_unless_ci`](super::skip_unless_ci)).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use evident::check::Baseline;
use evident::gate::GateInfo;
use evident::report::{self, Format, Style, github};

use super::{AS_OF, check_json, code, copy_tree, evident, git, repo, root};

const SARIF_SCHEMA: &str = "../shared/schemas/sarif/sarif-schema-2.1.0.json";
const JUNIT_SCHEMA: &str = "../shared/schemas/junit/junit-10.xsd";

fn example() -> PathBuf {
    root().join("examples/acme-nonconforming")
}

/// The example's path from the git repository root, with a final `/`: SARIF URIs and
/// annotations start with it. (`examples/acme-nonconforming/` in a clone of this project.)
fn example_prefix() -> String {
    let prefix = evident::git::repo_prefix(&example());
    if prefix.is_empty() {
        prefix
    } else {
        format!("{prefix}/")
    }
}

/// The findings the example lists beside it (`expected-findings.json`), which the `example`
/// test holds equal to what `evident check` reports.
fn listed_findings() -> Vec<Value> {
    let bytes = std::fs::read(example().join("expected-findings.json")).expect("expected findings");
    let list: Value = serde_json::from_slice(&bytes).expect("json");
    list.as_array().expect("an array").clone()
}

/// The schema at `relative` (to the project root), or `None` after printing why the caller
/// skips.
fn schema(relative: &str) -> Option<PathBuf> {
    let path = root().join(relative);
    if path.is_file() {
        Some(path)
    } else {
        super::skip_unless_ci(&format!("schema `{}` is absent", path.display()));
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
        super::skip_unless_ci(&format!("`{tool}` is not installed"));
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
    assert_eq!(
        findings.len(),
        listed_findings().len(),
        "the example reports the findings it lists"
    );
    assert_eq!(
        report["summary"]["findings"].as_u64(),
        Some(findings.len() as u64)
    );
    // The example exercises every shape of result: failed, waived and repository-level.
    assert!(findings.iter().any(|f| f["status"] == "fail"));
    assert!(findings.iter().any(|f| f["status"] == "waived"));
    assert!(findings.iter().any(|f| f["path"].is_null()));

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
        if finding["path"].is_null() {
            // A repository-level finding: GitHub wants a location, so it is shown at line 1
            // of `evident.yaml`, and the message says why.
            assert_eq!(
                result["message"]["text"],
                format!(
                    "{} (a repository-level finding, shown at `evident.yaml`)",
                    finding["message"].as_str().expect("message")
                )
            );
            let location = &result["locations"][0]["physicalLocation"];
            assert_eq!(
                location["artifactLocation"]["uri"],
                format!("{}evident.yaml", example_prefix())
            );
            assert_eq!(location["region"]["startLine"], 1);
        } else {
            assert_eq!(result["message"]["text"], finding["message"]);
            let location = &result["locations"][0]["physicalLocation"];
            // Relative to the git repository root: the example is a subfolder of this one.
            assert_eq!(
                location["artifactLocation"]["uri"],
                format!(
                    "{}{}",
                    example_prefix(),
                    finding["path"].as_str().expect("path")
                )
            );
            assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert_eq!(location["region"]["startLine"], finding["line"]);
            assert_eq!(location["region"]["startColumn"], finding["column"]);
        }
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

    // What must fail and what must be skipped comes from the JSON report of the same run: a
    // test case is a (code, document) pair, so every failed finding makes its (code, file) a
    // failing case and every waived one (alone in its case) a skipped case.
    let (_, report) = check_json(&dir, &[]);
    let findings = report["findings"].as_array().expect("findings");
    let key = |f: &Value| {
        (
            f["control"].as_str().expect("control").to_string(),
            f["path"].as_str().map(str::to_string),
        )
    };
    let failed: BTreeSet<_> = findings
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(key)
        .collect();
    let waived: BTreeSet<_> = findings
        .iter()
        .filter(|f| f["status"] == "waived")
        .map(key)
        .filter(|k| !failed.contains(k))
        .collect();
    assert!(!failed.is_empty() && !waived.is_empty(), "{report:#}");

    let cases = junit_cases(&xml);
    assert_eq!(cases.len(), tests);
    let with = |verdict: Verdict| -> Vec<(String, Option<String>)> {
        cases
            .iter()
            .filter(|c| c.verdict == verdict)
            .map(|c| (c.classname.clone(), c.path()))
            .collect()
    };
    let failing = with(Verdict::Failure);
    let skipped = with(Verdict::Skipped);
    assert_eq!(
        failing.iter().cloned().collect::<BTreeSet<_>>(),
        failed,
        "failing test cases are the failed findings: {xml}"
    );
    assert_eq!(
        skipped.iter().cloned().collect::<BTreeSet<_>>(),
        waived,
        "skipped test cases are the waived findings: {xml}"
    );
    assert!(
        xml.contains(&format!(
            r#"<testsuite name="evident" tests="{tests}" failures="{}" errors="0" skipped="{}">"#,
            failing.len(),
            skipped.len()
        )),
        "{xml}"
    );
    assert_eq!(count("<failure "), failing.len());
    assert_eq!(count("<skipped "), skipped.len());
    assert!(
        tests > failing.len() + skipped.len(),
        "passing cases are listed too: {xml}"
    );
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
        xml.contains(r#"<testcase classname="CHG-001" name="(repository)"/>"#),
        "a repository-level control that passes is one passing case: {xml}"
    );
    assert!(
        xml.contains(
            r#"<testcase classname="CHG-002" name="Process/change-enablement (policies/processes/change-enablement.yaml)"/>"#
        ),
        "a document a control judged without finding is a passing case: {xml}"
    );
    assert!(
        cases
            .iter()
            .any(|c| c.name == c.classname && c.verdict == Verdict::Pass),
        "a control with nothing to judge is one passing case named after it: {xml}"
    );

    let validated_sarif = validate_sarif(&sarif);
    let validated_junit = validate_junit(&junit);
    if validated_sarif && validated_junit {
        println!("validated {} and {}", sarif.display(), junit.display());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Pass,
    Failure,
    Skipped,
}

/// A `<testcase>` of a JUnit report.
#[derive(Debug)]
struct JunitCase {
    classname: String,
    name: String,
    verdict: Verdict,
}

impl JunitCase {
    /// The file a case is about: `Kind/id (path)` or a bare path; `None` for `(repository)`
    /// and for the passing case named after a control.
    fn path(&self) -> Option<String> {
        if self.name == "(repository)" || self.name == self.classname {
            return None;
        }
        match self.name.rsplit_once(" (") {
            Some((_, rest)) if rest.ends_with(')') => Some(rest[..rest.len() - 1].to_string()),
            _ => Some(self.name.clone()),
        }
    }
}

/// The value of attribute `name` in the start tag `tag`, unescaped.
fn attribute(tag: &str, name: &str) -> String {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no `{name}` in {tag}"))
        + name.len()
        + 3;
    let len = tag[start..].find('"').expect("closing quote");
    tag[start..start + len]
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The test cases of a JUnit report, with their verdicts, in document order.
fn junit_cases(xml: &str) -> Vec<JunitCase> {
    let mut cases = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<testcase ") {
        rest = &rest[at..];
        let tag_end = rest.find('>').expect("end of the start tag") + 1;
        let tag = &rest[..tag_end];
        let body_end = if tag.ends_with("/>") {
            tag_end
        } else {
            rest.find("</testcase>").expect("end of the test case")
        };
        let body = &rest[tag_end.min(body_end)..body_end];
        let verdict = if body.contains("<failure ") {
            Verdict::Failure
        } else if body.contains("<skipped ") {
            Verdict::Skipped
        } else {
            Verdict::Pass
        };
        cases.push(JunitCase {
            classname: attribute(tag, "classname"),
            name: attribute(tag, "name"),
            verdict,
        });
        rest = &rest[body_end..];
    }
    cases
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
        before
            .iter()
            .any(|p| p.1.contains("a repository-level finding") && p.3 == Some(1)),
        "repository-level findings too, at line 1: {before:?}"
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
        if b.1.contains("a repository-level finding") {
            assert_eq!(a.3, Some(1), "repository-level findings stay at line 1");
        } else {
            assert_eq!(a.3, b.3.map(|l| l + 4), "startLine moves with the text");
        }
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
    // A gate annotates only what the change introduced: the one new finding, an error.
    assert_eq!(lines.len(), 1, "only the new finding: {annotations}");
    let new = &checked.outcome.findings[0];
    let prefix = format!("::error {}", annotation_place(&checked, new));
    assert!(
        lines[0].starts_with(&prefix),
        "`{}` should start `{prefix}`",
        lines[0]
    );
    // With --strict, the unchanged findings that fail the run are annotated too (as errors).
    checked.outcome.strict = true;
    let mut strict = Vec::new();
    github::annotations(&checked, &mut strict).expect("writes");
    let strict = String::from_utf8(strict).expect("utf-8");
    let blocking = checked
        .outcome
        .findings
        .iter()
        .filter(|f| checked.outcome.blocks(f))
        .count();
    assert!(blocking > 1);
    assert_eq!(strict.lines().count(), blocking, "{strict}");
    assert!(
        strict.lines().all(|l| l.starts_with("::error ")),
        "{strict}"
    );
    checked.outcome.strict = false;

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

/// The properties a GitHub annotation of `f` starts with: its file, line and column when it
/// has them, then the title, which starts with the code.
fn annotation_place(checked: &evident::Checked, f: &evident::check::Finding) -> String {
    let mut props = String::new();
    if let Some(path) = f.path.as_deref().map(|p| checked.repo_path(p)) {
        assert!(
            !path.contains([':', ',', '%']),
            "no escaping needed for {path}"
        );
        props.push_str(&format!("file={path},"));
        if let (Some(line), Some(col)) = (f.line, f.column) {
            props.push_str(&format!("line={line},col={col},"));
        }
    }
    format!("{props}title={}%3A ", f.control)
}

#[test]
fn github_output_of_a_check_annotates_every_finding() {
    let as_of = AS_OF.parse().expect("date");
    let checked =
        evident::check_dir(&example(), as_of, &evident::CheckOptions::default()).expect("checks");
    // The expected commands come from the JSON report of the same example: a failed finding
    // at or above `fail_on` is an error, one below it a warning, a waived one a notice.
    let (_, report) = check_json(&example(), &[]);
    let findings = report["findings"].as_array().expect("findings");
    let fail_on = checked.outcome.fail_on;
    let severity = |f: &Value| -> evident::controls::Severity {
        serde_json::from_value(f["severity"].clone()).expect("a severity")
    };
    let count = |status: &str, blocking: bool| {
        findings
            .iter()
            .filter(|f| f["status"] == status && (severity(f) >= fail_on) == blocking)
            .count()
    };
    let (errors, warnings) = (count("fail", true), count("fail", false));
    let notices = findings.iter().filter(|f| f["status"] == "waived").count();
    assert!(errors > 0 && notices > 0, "{report:#}");
    assert_eq!(errors + warnings + notices, findings.len());

    let mut out = Vec::new();
    github::annotations(&checked, &mut out).expect("writes");
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(text.lines().count(), findings.len());
    let starting = |p: &str| text.lines().filter(|l| l.starts_with(p)).count();
    assert_eq!(starting("::error "), errors);
    assert_eq!(starting("::warning "), warnings);
    assert_eq!(starting("::notice "), notices);
    for (line, f) in text.lines().zip(&checked.outcome.findings) {
        let place = annotation_place(&checked, f);
        assert!(
            line.contains(&format!(" {place}")),
            "`{line}` lacks `{place}`"
        );
    }
    for line in text.lines() {
        let (_, message) = line[2..].split_once("::").expect("command::message");
        assert!(!message.contains('\n') && !message.contains('\r'));
    }
    let mut summary = Vec::new();
    github::summary(&checked, &mut summary).expect("writes");
    let summary = String::from_utf8(summary).expect("utf-8");
    assert!(summary.starts_with("## Evident check: failed"), "{summary}");
    assert!(
        summary.contains(&format!("### Findings ({})", findings.len())),
        "{summary}"
    );
}

/// `%XX` sequences of a URI reference decoded back to bytes.
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// Applies GitHub code scanning's documented rules for an uploaded SARIF file ("SARIF support
/// for code scanning" and "SARIF results exceed limits" in GitHub's documentation) to `log`,
/// whose URIs must resolve to files under `git_root`:
///
/// - version 2.1.0 with a `$schema`; at most 20 runs, each with `tool.driver.name`;
/// - at most 25,000 rules and 25,000 results per run; at most 20 tags per rule;
/// - every rule has a unique `id`; every result's `ruleId` resolves to a rule (and its
///   `ruleIndex` to the same rule), and it has a `message.text`;
/// - every result has at least one (at most 1,000) location, each with
///   `physicalLocation.artifactLocation.uri` — relative, without a scheme, a leading `/` or a
///   `..` segment, against `%SRCROOT%` declared in `originalUriBaseIds` — and a
///   `region.startLine` of at least 1 (upload fails with "expected at least one location"
///   otherwise);
/// - every result has `partialFingerprints`.
///
/// Also that the file each URI names exists in the repository (relative to its root).
fn assert_github_accepts(log: &Value, git_root: &Path) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].is_string());
    let runs = log["runs"].as_array().expect("runs");
    assert!(!runs.is_empty() && runs.len() <= 20, "runs: {}", runs.len());
    for run in runs {
        assert!(
            run["tool"]["driver"]["name"]
                .as_str()
                .is_some_and(|n| !n.is_empty())
        );
        assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert!(rules.len() <= 25_000);
        let mut ids = BTreeSet::new();
        for rule in rules {
            let id = rule["id"].as_str().expect("rule id");
            assert!(ids.insert(id), "duplicate rule {id}");
            let tags = rule["properties"]["tags"].as_array().map_or(0, Vec::len);
            assert!(tags <= 20, "{id} has {tags} tags");
        }
        let results = run["results"].as_array().expect("results");
        assert!(results.len() <= 25_000);
        for r in results {
            let rule = r["ruleId"].as_str().expect("ruleId");
            assert!(ids.contains(rule), "{rule} is not a rule");
            if let Some(i) = r["ruleIndex"].as_u64() {
                assert_eq!(rules[i as usize]["id"], rule);
            }
            assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
            assert!(
                r["partialFingerprints"]
                    .as_object()
                    .is_some_and(|p| !p.is_empty()),
                "{r:#}"
            );
            let locations = r["locations"].as_array().unwrap_or_else(|| {
                panic!("expected at least one location: {r:#}");
            });
            assert!(
                !locations.is_empty() && locations.len() <= 1000,
                "expected at least one location: {r:#}"
            );
            for l in locations {
                let physical = &l["physicalLocation"];
                let artifact = &physical["artifactLocation"];
                let uri = artifact["uri"].as_str().expect("a uri");
                assert!(!uri.is_empty() && !uri.starts_with('/'), "{uri}");
                assert!(
                    !uri.contains("://") && !uri.starts_with("file:"),
                    "relative: {uri}"
                );
                assert!(!uri.split('/').any(|s| s == ".." || s == "."), "{uri}");
                assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
                assert!(
                    physical["region"]["startLine"]
                        .as_u64()
                        .is_some_and(|l| l >= 1),
                    "{r:#}"
                );
                let file = git_root.join(percent_decode(uri));
                assert!(
                    file.is_file(),
                    "{uri} is not a file under {}",
                    git_root.display()
                );
            }
        }
    }
}

fn sarif_at(dir: &Path, args: &[&str]) -> (Value, PathBuf, tempfile::TempDir) {
    let out = evident(dir, args);
    assert!(code(&out) < 2, "{}", String::from_utf8_lossy(&out.stderr));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF on stdout");
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("log.sarif");
    std::fs::write(&file, &out.stdout).expect("write");
    (log, file, tmp)
}

/// Results of `log` without a `path` in the JSON sense: placed at `anchor`, saying so.
fn repository_level(log: &Value) -> Vec<&Value> {
    results(log)
        .iter()
        .filter(|r| {
            r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("a repository-level finding, shown at"))
        })
        .collect()
}

#[test]
fn sarif_of_the_example_passes_code_scanning_upload_rules_with_repository_root_uris() {
    // The example is a subfolder of this repository: URIs start with its path.
    let (log, file, _tmp) = sarif_at(
        &example(),
        &["check", "--format", "sarif", "--as-of", AS_OF, "."],
    );
    let git_root = if example_prefix().is_empty() {
        example()
    } else {
        root()
    };
    assert_github_accepts(&log, &git_root);
    for r in results(&log) {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with(&example_prefix()), "{uri}");
    }
    let repo_level = repository_level(&log);
    assert!(
        !repo_level.is_empty(),
        "the example has repository-level findings"
    );
    for r in repo_level {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            format!("{}evident.yaml", example_prefix())
        );
        assert_eq!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
    }
    validate_sarif(&file);
}

#[test]
fn sarif_of_a_gate_with_a_repository_level_finding_passes_upload_rules() {
    let dir = repo();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "one role"]);
    let role = dir.path().join("policies/role.yaml");
    let text = std::fs::read_to_string(&role).expect("read");
    std::fs::write(
        &role,
        text.replace("version: 1.0.0", "version: 1.1.0")
            .replace("Owns the service", "Owns the service end to end"),
    )
    .expect("write");
    let (log, file, _tmp) = sarif_at(
        dir.path(),
        &[
            "gate", "--base", "main", "--format", "sarif", "--as-of", AS_OF,
        ],
    );
    assert_github_accepts(&log, dir.path());
    let repo_level = repository_level(&log);
    assert!(!repo_level.is_empty(), "{log:#}");
    // No evident.yaml: the first document carries them.
    for r in repo_level {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "policies/role.yaml"
        );
    }
    validate_sarif(&file);
}

#[test]
fn sarif_and_annotations_of_a_subfolder_root_are_relative_to_the_git_root() {
    let top = tempfile::tempdir().expect("temp dir");
    let sub = top.path().join("teams/it ops");
    copy_tree(&example(), &sub);
    git(top.path(), &["init", "-q", "-b", "main"]);
    git(top.path(), &["add", "-A"]);
    git(top.path(), &["commit", "-qm", "monorepo"]);
    let (log, file, _tmp) = sarif_at(
        top.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--as-of",
            AS_OF,
            "teams/it ops",
        ],
    );
    assert_github_accepts(&log, top.path());
    assert!(
        results(&log).iter().all(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|u| u.starts_with("teams/it%20ops/"))
        }),
        "{log:#}"
    );
    validate_sarif(&file);
    // --rev reads the same paths from git objects.
    let (log_rev, _, _tmp2) = sarif_at(
        top.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--as-of",
            AS_OF,
            "--rev",
            "HEAD",
            "teams/it ops",
        ],
    );
    assert_eq!(results(&log_rev), results(&log));

    // Annotations: file= relative to the git root too; with SARIF on stdout they go to
    // standard error, and stdout stays one SARIF document.
    let out = Command::new(env!("CARGO_BIN_EXE_evident"))
        .args([
            "check",
            "--format",
            "sarif",
            "--as-of",
            AS_OF,
            "teams/it ops",
        ])
        .current_dir(top.path())
        .env("NO_COLOR", "1")
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("runs");
    let _: Value = serde_json::from_slice(&out.stdout).expect("stdout is only SARIF");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let files: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.split_once(" file=").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split(',').next())
        .collect();
    assert!(!files.is_empty(), "{stderr}");
    for f in files {
        assert!(f.starts_with("teams/it ops/"), "{f}");
        assert!(top.path().join(f).is_file(), "{f}");
    }
}

#[test]
fn document_text_cannot_inject_workflow_commands_through_the_text_report_or_annotations() {
    let dir = repo();
    std::fs::write(
        dir.path().join("policies/evil.yaml"),
        super::ROLE
            .replace("id: service-owner", "id: evil-owner")
            .replace(
                "spec:\n",
                "spec:\n  \"x\\n::add-mask::hunter2\\r\\n::error::injected\\u001b[2J\": 1\n",
            ),
    )
    .expect("write");
    for format in ["text", "json", "sarif"] {
        let out = Command::new(env!("CARGO_BIN_EXE_evident"))
            .args(["check", "--format", format, "--as-of", AS_OF, "."])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("GITHUB_ACTIONS", "true")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .expect("runs");
        assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout.clone()).expect("utf-8");
        let stderr = String::from_utf8(out.stderr.clone()).expect("utf-8");
        for (sink, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            assert!(!text.contains('\u{1b}'), "{format} {sink}: a raw escape");
            for line in text.lines() {
                // The only workflow commands are Evident's own annotations.
                if line.starts_with("::") {
                    assert!(
                        [
                            "::error file=",
                            "::warning file=",
                            "::notice file=",
                            "::error title=",
                            "::warning title=",
                            "::notice title="
                        ]
                        .iter()
                        .any(|p| line.starts_with(p)),
                        "{format} {sink}: `{line}`"
                    );
                }
                assert!(
                    !line.contains("\r"),
                    "{format} {sink}: a raw CR in `{line}`"
                );
            }
        }
        let annotations = if format == "text" { &stdout } else { &stderr };
        let evil: Vec<&str> = annotations
            .lines()
            .filter(|l| l.starts_with("::") && l.contains("add-mask"))
            .collect();
        assert!(
            !evil.is_empty(),
            "{format}: the finding is annotated: {annotations}"
        );
        for l in &evil {
            assert!(
                l.contains("x\\n::add-mask::hunter2\\r\\n::error::injected\\u{1b}[2J`%0Ahelp: "),
                "{l}"
            );
        }
        if format == "text" {
            assert!(
                stdout.contains("x\\n::add-mask::hunter2\\r\\n::error::injected\\u{1b}[2J"),
                "the text report shows the key escaped: {stdout}"
            );
        } else {
            let _: Value = serde_json::from_str(&stdout).expect("stdout stays one JSON document");
        }
    }
}

#[test]
fn sarif_keeps_within_githubs_result_limit_blocking_findings_first() {
    let dir = repo();
    let mut checked = evident::check_dir(
        dir.path(),
        AS_OF.parse().expect("date"),
        &evident::CheckOptions::default(),
    )
    .expect("checks");
    let template = checked.outcome.findings[0].clone();
    let limit = report::sarif::MAX_RESULTS;
    checked.outcome.findings = (0..limit + 10)
        .map(|i| {
            let mut f = template.clone();
            f.message = format!("finding {i}");
            // The last ten are the only ones that fail the run.
            f.severity = if i >= limit {
                evident::controls::Severity::Critical
            } else {
                evident::controls::Severity::Info
            };
            f
        })
        .collect();
    checked.outcome.fail_on = evident::controls::Severity::High;
    let mut bytes = Vec::new();
    report::render(Format::Sarif, &checked, Style::default(), &mut bytes).expect("renders");
    let log: Value = serde_json::from_slice(&bytes).expect("json");
    let results = results(&log);
    assert_eq!(results.len(), limit);
    assert_eq!(log["runs"][0]["properties"]["omitted"], 10);
    let errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(errors, 10, "every finding that fails the run is kept");
}
