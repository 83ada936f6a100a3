//! Bad input: every case gives a located message and exit 1 or 2 — never a panic or a hang.

use std::path::Path;

use super::{Found, check_json, code, evident, findings, repo};

/// Writes `bytes` to `policies/<name>` and returns the findings of that file.
fn findings_for(dir: &Path, name: &str, bytes: &[u8]) -> (i32, Vec<Found>) {
    std::fs::write(dir.join("policies").join(name), bytes).expect("write");
    let (code, report) = check_json(dir, &[]);
    let path = format!("policies/{name}");
    let list = findings(&report)
        .into_iter()
        .filter(|f| f.1 == path)
        .collect();
    (code, list)
}

fn assert_one(
    found: &[(String, String, Option<u64>, Option<u64>)],
    control: &str,
    line: Option<u64>,
    column: Option<u64>,
) {
    assert!(
        found
            .iter()
            .any(|f| f.0 == control && f.2 == line && f.3 == column),
        "expected {control} at {line:?}:{column:?}, got {found:?}"
    );
}

#[test]
fn malformed_yaml() {
    let dir = repo();
    let (code, found) = findings_for(
        dir.path(),
        "bad.yaml",
        b"apiVersion: evident/v1\nkind: [Role\n",
    );
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "yaml-syntax");
    assert!(found[0].2.is_some());
}

#[test]
fn duplicate_key() {
    let dir = repo();
    let text = super::ROLE.replace(
        "  title: Service owner\n",
        "  title: Service owner\n  title: Again\n",
    );
    let (code, found) = findings_for(dir.path(), "dup.yaml", text.as_bytes());
    assert_eq!(code, 1);
    assert_one(&found, "yaml-syntax", Some(6), Some(3));
}

#[test]
fn alias_bomb() {
    let dir = repo();
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let (code, found) = findings_for(dir.path(), "bomb.yaml", text.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(found[0].0, "yaml-syntax");
}

#[test]
fn nesting_ten_thousand_deep() {
    let dir = repo();
    let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (code, found) = findings_for(dir.path(), "deep.yaml", flow.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(found[0].0, "yaml-syntax");
    let block = format!("{}x\n", "- ".repeat(10_000));
    let (code, found) = findings_for(dir.path(), "deep.yaml", block.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(found[0].0, "yaml-syntax");
}

#[test]
fn hundred_megabyte_file() {
    let dir = repo();
    let file = std::fs::File::create(dir.path().join("policies/huge.yaml")).expect("create");
    file.set_len(100 * 1024 * 1024).expect("sparse file");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "file-too-large" && f.1 == "policies/huge.yaml"),
        "{found:?}"
    );
}

#[test]
fn non_utf8_bytes() {
    let dir = repo();
    let (code, found) = findings_for(
        dir.path(),
        "latin1.yaml",
        b"apiVersion: evident/v1\nkind: Role\nmetadata: {title: Caf\xe9}\n",
    );
    assert_eq!(code, 1);
    // `metadata: {title: Caf` is 21 characters; the bad byte is the 22nd.
    assert_one(&found, "encoding", Some(3), Some(22));
}

#[test]
fn binary_file_with_yaml_name() {
    let dir = repo();
    let (code, found) = findings_for(
        dir.path(),
        "image.yaml",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    );
    assert_eq!(code, 1);
    assert_eq!(found[0].0, "encoding");
}

#[test]
fn empty_file() {
    let dir = repo();
    let (code, found) = findings_for(dir.path(), "empty.yaml", b"");
    assert_eq!(code, 1);
    assert_eq!(found[0].0, "empty-file");
}

#[test]
fn unknown_kind_and_api_version() {
    let dir = repo();
    let (code, found) = findings_for(
        dir.path(),
        "odd.yaml",
        b"apiVersion: evident/v1\nkind: Widget\nmetadata: {id: w}\n---\napiVersion: evident/v9\nkind: Role\n",
    );
    assert_eq!(code, 1);
    assert_one(&found, "envelope", Some(2), Some(1));
    assert_one(&found, "envelope", Some(5), Some(1));
}

#[test]
fn two_documents_with_the_same_id() {
    let dir = repo();
    std::fs::write(dir.path().join("policies/copy.yaml"), super::ROLE).expect("write");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    // `copy.yaml` sorts first, so the second definition is the one in `role.yaml`.
    let found = findings(&report);
    assert!(
        found.contains(&(
            "duplicate-id".into(),
            "policies/role.yaml".into(),
            Some(4),
            Some(3)
        )),
        "{found:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_pointing_outside_the_repository() {
    let dir = repo();
    let outside = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(outside.path(), super::ROLE).expect("write");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("policies/link.yaml"))
        .expect("symlink");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "symlink-outside" && f.1 == "policies/link.yaml"),
        "{found:?}"
    );
}

/// Runs `evident check` expecting a tool error; returns stderr.
fn tool_error(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["check", "--as-of", super::AS_OF];
    all.extend_from_slice(args);
    all.push(".");
    let out = evident(dir, &all);
    assert_eq!(
        code(&out),
        2,
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn broken_evident_yaml() {
    let dir = repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\nfail_on: severe\ndocuments: policies\n",
    )
    .expect("write");
    let err = tool_error(dir.path(), &[]);
    assert!(err.contains("evident.yaml:3:1"), "{err}");
    assert!(err.contains("evident.yaml:4:1"), "{err}");
    std::fs::write(
        dir.path().join("evident.yaml"),
        "kind: Config\nkind: Config\n",
    )
    .expect("write");
    let err = tool_error(dir.path(), &[]);
    assert!(
        err.contains("evident.yaml:2:1") && err.contains("duplicate key"),
        "{err}"
    );
}

const CONTROL: &str = "id: ORG-001
title: Services name a criticality
severity: low
frameworks: {iso20000-1:2018: [\"8.2.4\"], itil4: [service-catalogue-management]}
applies_to: {kind: Service}
check:
  expr: {assert: \"has(spec.criticality)\", message: \"no criticality\"}
rationale: Criticality drives priority.
remediation: Add `spec.criticality`.
";

#[test]
fn invalid_control_file() {
    let dir = repo();
    std::fs::create_dir_all(dir.path().join("org-controls")).expect("mkdir");
    let bad = CONTROL
        .replace("severity: low", "severity: severe")
        .replace("rationale: Criticality drives priority.\n", "");
    std::fs::write(dir.path().join("org-controls/c.yaml"), bad).expect("write");
    let err = tool_error(dir.path(), &["--controls", "org-controls"]);
    assert!(err.contains("org-controls/c.yaml:3:"), "{err}");
    assert!(err.contains("`rationale` is required"), "{err}");
}

#[test]
fn expression_that_does_not_compile() {
    let dir = repo();
    std::fs::create_dir_all(dir.path().join("org-controls")).expect("mkdir");
    let bad = CONTROL.replace("has(spec.criticality)", "has(spec.criticality &&");
    std::fs::write(dir.path().join("org-controls/c.yaml"), bad).expect("write");
    let err = tool_error(dir.path(), &["--controls", "org-controls"]);
    assert!(err.contains("org-controls/c.yaml:7:"), "{err}");
    assert!(err.contains("does not compile"), "{err}");
}

#[test]
fn organization_control_runs() {
    let dir = repo();
    std::fs::create_dir_all(dir.path().join("org-controls")).expect("mkdir");
    std::fs::write(dir.path().join("org-controls/c.yaml"), CONTROL).expect("write");
    let (_, without) = check_json(dir.path(), &[]);
    let (_, with) = check_json(dir.path(), &["--controls", "org-controls"]);
    let count = |r: &serde_json::Value| r["summary"]["controls"].as_u64().unwrap_or_default();
    assert_eq!(count(&with), count(&without) + 1);
}

#[test]
fn missing_documents_folder_is_a_tool_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = tool_error(dir.path(), &[]);
    assert!(
        err.contains("documents folder `policies` does not exist"),
        "{err}"
    );
}
