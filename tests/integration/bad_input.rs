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

/// Runs `evident args` in `dir`, killing it after `seconds` (a hang guard, not a timing
/// assertion: a hang is a failure, any time below the guard is fine).
fn guarded(dir: &Path, args: &[&str], seconds: u64) -> std::process::Output {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_evident"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("evident starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("evident {args:?} did not finish within {seconds} s (hang)");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: out.join().expect("stdout thread"),
        stderr: err.join().expect("stderr thread"),
    }
}

/// `guarded` expecting exit `expected`; returns stderr.
fn exits(dir: &Path, args: &[&str], expected: i32) -> String {
    let out = guarded(dir, args, 120);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        code(&out),
        expected,
        "evident {args:?}\nstdout: {}\nstderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn special_files_as_tool_inputs_are_refused_at_once() {
    use std::os::unix::fs::symlink;
    let dir = repo();
    let config = dir.path().join("evident.yaml");
    mkfifo(&config);
    let err = exits(dir.path(), &["check", "."], 2);
    assert!(
        err.contains("evident.yaml") && err.contains("FIFO"),
        "{err}"
    );
    std::fs::remove_file(&config).expect("rm");
    symlink("/dev/zero", &config).expect("symlink");
    let err = exits(dir.path(), &["check", "."], 2);
    assert!(err.contains("character device"), "{err}");
    std::fs::remove_file(&config).expect("rm");
    symlink(dir.path().join("gone.yaml"), &config).expect("symlink");
    let err = exits(dir.path(), &["check", "."], 2);
    assert!(err.contains("symbolic link to nothing"), "{err}");
    std::fs::remove_file(&config).expect("rm");

    let key = dir.path().join("key");
    mkfifo(&key);
    let out = dir.path().join("bundle");
    let err = exits(
        dir.path(),
        &[
            "pack",
            "--out",
            &out.display().to_string(),
            "--sign",
            "key",
            ".",
        ],
        2,
    );
    assert!(err.contains("`key`") && err.contains("FIFO"), "{err}");
    let err = exits(dir.path(), &["verify", ".", "--public-key", "/dev/zero"], 2);
    assert!(err.contains("/dev/zero"), "{err}");
    let err = exits(
        dir.path(),
        &[
            "verify",
            ".",
            "--allowed-signers",
            "key",
            "--identity",
            "ci",
        ],
        2,
    );
    assert!(err.contains("FIFO"), "{err}");
    // A key file over the 1 MiB limit is refused, not read whole.
    std::fs::write(dir.path().join("big.pub"), vec![b'a'; 2 << 20]).expect("write");
    let err = exits(dir.path(), &["verify", ".", "--public-key", "big.pub"], 2);
    assert!(err.contains("limit"), "{err}");
}

#[cfg(unix)]
#[test]
fn output_to_a_fifo_a_device_or_a_folder_is_refused() {
    let dir = repo();
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    let err = exits(
        dir.path(),
        &[
            "check",
            "--as-of",
            super::AS_OF,
            "--output",
            "json=report.fifo",
            ".",
        ],
        2,
    );
    assert!(err.contains("report.fifo"), "{err}");
    use std::os::unix::fs::FileTypeExt;
    let still = std::fs::symlink_metadata(&fifo).expect("still there");
    assert!(still.file_type().is_fifo(), "replaced by a regular file");
    exits(
        dir.path(),
        &[
            "check",
            "--as-of",
            super::AS_OF,
            "--output",
            "json=/dev/null",
            ".",
        ],
        2,
    );
    exits(
        dir.path(),
        &[
            "check",
            "--as-of",
            super::AS_OF,
            "--output",
            "json=policies",
            ".",
        ],
        2,
    );
}

#[cfg(unix)]
#[test]
fn folders_that_leave_the_repository_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = repo();
    let dir = tempfile::tempdir().expect("temp dir");
    // `policies` itself links out of the repository: a finding on the folder, nothing read.
    symlink(outside.path().join("policies"), dir.path().join("policies")).expect("symlink");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "symlink-outside" && f.1 == "policies"),
        "{found:?}"
    );
    assert_eq!(report["summary"]["documents"], 0);
    // Through a link on the way (`sub/link/`).
    std::fs::remove_file(dir.path().join("policies")).expect("rm");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    symlink(outside.path(), dir.path().join("sub/link")).expect("symlink");
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\ndocuments: [sub/link/policies/]\n",
    )
    .expect("write");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        findings(&report).iter().any(|f| f.0 == "symlink-outside"),
        "{report}"
    );
    // A controls folder that leaves the repository is a usage error.
    std::fs::create_dir(dir.path().join("policies")).expect("mkdir");
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\ncontrols: {extra: [sub/link]}\n",
    )
    .expect("write");
    let err = exits(dir.path(), &["check", "."], 2);
    assert!(err.contains("outside the repository"), "{err}");
    // `policies` as a regular file is a usage error, not an empty run that fails.
    std::fs::remove_file(dir.path().join("evident.yaml")).expect("rm");
    std::fs::remove_dir(dir.path().join("policies")).expect("rm");
    std::fs::write(dir.path().join("policies"), "x").expect("write");
    let err = exits(dir.path(), &["check", "."], 2);
    assert!(err.contains("not a folder"), "{err}");
}

#[test]
fn many_documents_in_one_file_and_a_five_megabyte_scalar() {
    let dir = repo();
    let mut many = String::new();
    for i in 0..5_000 {
        many.push_str(&format!(
            "---\napiVersion: evident/v1\nkind: Role\nmetadata: {{id: r{i}, title: R}}\nspec: {{}}\n"
        ));
    }
    std::fs::write(dir.path().join("policies/many.yaml"), many).expect("write");
    let out = guarded(dir.path(), &["check", "--as-of", super::AS_OF, "."], 300);
    assert_eq!(code(&out), 1);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("policies/many.yaml:24999:"),
        "last document shown"
    );
    std::fs::remove_file(dir.path().join("policies/many.yaml")).expect("rm");

    let scalar = format!(
        "apiVersion: evident/v1\nkind: Role\nmetadata: {{id: r, title: T, status: {}}}\nspec: {{}}\n",
        "x".repeat(5_000_000)
    );
    std::fs::write(dir.path().join("policies/long.yaml"), scalar).expect("write");
    let out = guarded(dir.path(), &["check", "--as-of", super::AS_OF, "."], 120);
    assert_eq!(code(&out), 1);
    let longest = out.stdout.split(|&b| b == b'\n').map(<[u8]>::len).max();
    assert!(
        longest.unwrap_or_default() < 1_000,
        "a report line of {longest:?} bytes"
    );
    assert!(out.stdout.len() < 200_000, "{} bytes", out.stdout.len());
}

#[test]
fn config_and_control_errors_point_at_the_key() {
    let dir = repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\ncontrols:\n  disable: []\nfial_on: low\n",
    )
    .expect("write");
    let err = tool_error(dir.path(), &[]);
    assert!(err.contains("evident.yaml:5:1"), "{err}");
    assert!(err.contains("`fial_on`"), "{err}");
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\ncontrols:\n  disable:\n    - INC-001\n    - INC-0001\n",
    )
    .expect("write");
    let err = tool_error(dir.path(), &[]);
    assert!(err.contains("evident.yaml:6:7"), "{err}");
    assert!(err.contains("did you mean `INC-001`"), "{err}");
    std::fs::remove_file(dir.path().join("evident.yaml")).expect("rm");
    std::fs::create_dir_all(dir.path().join("org-controls")).expect("mkdir");
    std::fs::write(
        dir.path().join("org-controls/c.yaml"),
        format!("{CONTROL}remedation: typo\n"),
    )
    .expect("write");
    let err = tool_error(dir.path(), &["--controls", "org-controls"]);
    assert!(err.contains("org-controls/c.yaml:10:1"), "{err}");
}

#[test]
fn bad_indentation_is_reported_on_its_line_with_fitting_help() {
    let dir = repo();
    let sla =
        std::fs::read_to_string(super::root().join("policies/agreements/online-banking-sla.yaml"))
            .expect("read");
    let mut lines: Vec<&str> = sla.lines().collect();
    assert_eq!(lines[21], "    availability: 99.9");
    lines[21] = "   availability: 99.9";
    std::fs::write(dir.path().join("policies/sla.yaml"), lines.join("\n")).expect("write");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let syntax: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["control"] == "yaml-syntax")
        .collect();
    assert_eq!(syntax.len(), 1, "{report}");
    assert_eq!(
        (&syntax[0]["line"], &syntax[0]["column"]),
        (&22.into(), &4.into())
    );
    let help = syntax[0]["help"].as_str().unwrap_or_default();
    assert!(help.contains("Indent"), "{help}");
    assert!(!help.contains("duplicate"), "{help}");
}

/// An organization control with `check.expr` set to `expr`.
fn expr_control(id: &str, expr: &str) -> String {
    CONTROL
        .replace("ORG-001", id)
        .replace(
            "expr: {assert: \"has(spec.criticality)\", message: \"no criticality\"}",
            expr,
        )
        .replace("applies_to: {kind: Service}", "applies_to: {kind: Role}")
}

#[test]
fn runaway_expressions_become_findings_not_crashes() {
    let dir = repo();
    std::fs::create_dir_all(dir.path().join("org-controls")).expect("mkdir");
    let n: Vec<String> = (0..60).map(|i| i.to_string()).collect();
    let n = n.join(",");
    let cases = [
        (
            "ORG-101",
            format!(
                "['aaaaaaaaaaaaaaaa']{}.size() == 0",
                ".map(s, s + s)".repeat(40)
            ),
        ),
        (
            "ORG-102",
            format!("[{n}].all(a, [{n}].all(b, [{n}].all(c, [{n}].all(d, a + b + c + d >= 0))))"),
        ),
        (
            "ORG-103",
            format!("[{n}].map(a, [{n}].map(b, [{n}].map(c, [{n}]))).size() == 0"),
        ),
    ];
    for (id, assert) in &cases {
        std::fs::write(
            dir.path().join(format!("org-controls/{id}.yaml")),
            expr_control(
                id,
                &format!("expr: {{assert: \"{assert}\", message: \"runaway\"}}"),
            ),
        )
        .expect("write");
    }
    let out = guarded(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--as-of",
            super::AS_OF,
            "--controls",
            "org-controls",
            ".",
        ],
        300,
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for (id, _) in &cases {
        let f = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["control"] == *id)
            .unwrap_or_else(|| panic!("no finding for {id}: {report}"));
        assert!(
            f["message"].as_str().unwrap_or_default().contains("budget"),
            "{f}"
        );
        assert_eq!(f["path"], "policies/role.yaml");
    }
    // A long chain and a long `$ref` chain are refused when the control is compiled.
    std::fs::remove_dir_all(dir.path().join("org-controls")).expect("rm");
    std::fs::create_dir_all(dir.path().join("org-controls")).expect("mkdir");
    let chain = format!("1{} > 0", "+1".repeat(1500));
    std::fs::write(
        dir.path().join("org-controls/c.yaml"),
        expr_control(
            "ORG-104",
            &format!("expr: {{assert: \"{chain}\", message: \"m\"}}"),
        ),
    )
    .expect("write");
    let err = exits(dir.path(), &["check", "--controls", "org-controls", "."], 2);
    assert!(
        err.contains("org-controls/c.yaml:7:") && err.contains("levels deep"),
        "{err}"
    );
    let defs: Vec<String> = (0..5000)
        .map(|i| format!("\"d{i}\": {{\"$ref\": \"#/$defs/d{}\"}}", i + 1))
        .collect();
    let schema = format!(
        "schema: {{\"$ref\": \"#/$defs/d0\", \"$defs\": {{{}, \"d5000\": {{}}}}}}",
        defs.join(", ")
    );
    std::fs::write(
        dir.path().join("org-controls/c.yaml"),
        expr_control("ORG-105", &schema),
    )
    .expect("write");
    let err = exits(dir.path(), &["check", "--controls", "org-controls", "."], 2);
    assert!(err.contains("`$ref`s"), "{err}");
}

#[test]
fn an_organization_control_iterating_a_map_gives_the_same_bytes_in_every_run() {
    let dir = repo();
    std::fs::create_dir_all(dir.path().join("org-controls")).expect("mkdir");
    std::fs::write(
        dir.path().join("org-controls/c.yaml"),
        expr_control(
            "ORG-201",
            "expr: {assert: \"false\", message: \"keys\", detail: \"spec.map(k, k).join(',') + ' ' + doc.metadata.map(k, k).join(',')\"}",
        ),
    )
    .expect("write");
    let args = [
        "check",
        "--format",
        "json",
        "--as-of",
        super::AS_OF,
        "--controls",
        "org-controls",
        ".",
    ];
    let first = guarded(dir.path(), &args, 120);
    let second = guarded(dir.path(), &args, 120);
    assert_eq!(code(&first), 1);
    assert_eq!(first.stdout, second.stdout);
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).expect("json");
    let message = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["control"] == "ORG-201")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        message,
        "keys: authorities,competence,description,responsibilities approved_by,id,last_reviewed,owner,status,title,version"
    );
}
