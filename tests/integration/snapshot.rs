//! Snapshot tests (insta): every output format of `evident check` on the nonconforming
//! example as of 2026-11-21, the GitHub annotations and step summary, and the CLI's error
//! output. The snapshots live in `tests/integration/snapshots/`; a change to one is reviewed
//! like code (`cargo insta review`, or `INSTA_UPDATE=always` and `git diff`).
//!
//! Volatile parts are redacted before comparison: the tool version (`[VERSION]`) and
//! temporary folders (`[TMP]`). The example sits in this repository, so its paths are stable.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use super::{AS_OF, code, root};

const EXAMPLE: &str = "examples/acme-nonconforming";

/// Runs the binary from the project root with a clean environment for output.
fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evident"));
    cmd.args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("evident runs")
}

/// `text` with the volatile parts replaced: the version of this build, and `tmp` (a temporary
/// folder) wherever it appears.
fn redact(text: &str, tmp: Option<&Path>) -> String {
    let mut text = text.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[VERSION]\"",
    );
    for (from, to) in [
        (
            format!("\"semanticVersion\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"semanticVersion\": \"[VERSION]\"".to_string(),
        ),
        (
            format!("evident {}", env!("CARGO_PKG_VERSION")),
            "evident [VERSION]".to_string(),
        ),
        (
            format!(
                "name=\"evident.version\" value=\"{}\"",
                env!("CARGO_PKG_VERSION")
            ),
            "name=\"evident.version\" value=\"[VERSION]\"".to_string(),
        ),
    ] {
        text = text.replace(&from, &to);
    }
    if let Some(tmp) = tmp {
        text = text.replace(&tmp.display().to_string(), "[TMP]");
    }
    text
}

/// The example as the subfolder `org/` of a fresh git repository, so that what is relative to
/// the git root (SARIF URIs, annotation paths) does not depend on where this project's clone
/// is, or whether it is one.
fn example_in_a_repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    super::copy_tree(&root().join(EXAMPLE), &tmp.path().join("org"));
    super::git(tmp.path(), &["init", "-q", "-b", "main"]);
    super::git(tmp.path(), &["add", "-A"]);
    super::git(tmp.path(), &["commit", "-qm", "example"]);
    tmp
}

/// `evident args` in `dir`, with GitHub's variables as `envs`.
fn run_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evident"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("evident runs")
}

fn check(format: &str) -> String {
    let out = run(
        &["check", EXAMPLE, "--as-of", AS_OF, "--format", format],
        &[],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    redact(&String::from_utf8(out.stdout).expect("utf-8"), None)
}

#[test]
fn text() {
    insta::assert_snapshot!("check_text", check("text"));
}

#[test]
fn json() {
    insta::assert_snapshot!("check_json", check("json"));
}

/// The JSON report of `dir` (relative to the project root) as of [`AS_OF`], with `status` as
/// the expected exit code.
fn json_of(dir: &str, status: i32) -> String {
    let out = run(&["check", dir, "--as-of", AS_OF, "--format", "json"], &[]);
    assert_eq!(
        code(&out),
        status,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    redact(&String::from_utf8(out.stdout).expect("utf-8"), None)
}

/// Results stay byte-identical across engine work (issue 12): the reference set (no findings,
/// but every document, control and ticket figure counted) and the hollow example.
#[test]
fn json_of_the_reference_set() {
    insta::assert_snapshot!("check_json_reference", json_of(".", 0));
}

#[test]
fn json_of_the_hollow_example() {
    insta::assert_snapshot!("check_json_globex", json_of("examples/globex-hollow", 1));
}

#[test]
fn sarif() {
    // The rules repeat the control library's documentation (350 KB); the snapshot keeps each
    // rule's id, name and level, and every result whole.
    let repo = example_in_a_repository();
    let out = run_in(
        repo.path(),
        &["check", "org", "--as-of", AS_OF, "--format", "sarif"],
        &[],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let text = redact(&String::from_utf8(out.stdout).expect("utf-8"), None);
    let mut log: Value = serde_json::from_str(&text).expect("json");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("rules");
    for rule in rules.iter_mut() {
        *rule = serde_json::json!({
            "id": rule["id"],
            "name": rule["name"],
            "defaultConfiguration": rule["defaultConfiguration"],
        });
    }
    let text = serde_json::to_string_pretty(&log).expect("json");
    insta::assert_snapshot!("check_sarif", text);
}

#[test]
fn junit() {
    insta::assert_snapshot!("check_junit", check("junit"));
}

#[test]
fn markdown() {
    insta::assert_snapshot!("check_markdown", check("markdown"));
}

#[test]
fn html() {
    insta::assert_snapshot!("check_html", check("html"));
}

#[test]
fn github_annotations_and_step_summary() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let summary = tmp.path().join("summary.md");
    let summary_s = summary.display().to_string();
    // Text on stdout: the annotations follow it there.
    let repo = example_in_a_repository();
    let out = run_in(
        repo.path(),
        &["check", "org", "--as-of", AS_OF, "-q"],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", &summary_s),
        ],
    );
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!(
        "github_annotations",
        redact(&String::from_utf8(out.stdout).expect("utf-8"), None)
    );
    let written = std::fs::read_to_string(&summary).expect("summary");
    insta::assert_snapshot!("github_step_summary", redact(&written, Some(tmp.path())));
}

/// Runs `evident args` in a temporary repository whose `evident.yaml` is `config`; returns
/// the exit code and standard error, redacted.
fn error_in_repo(config: &str, args: &[&str]) -> String {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(tmp.path().join("policies")).expect("mkdir");
    std::fs::write(tmp.path().join("policies/role.yaml"), super::ROLE).expect("write");
    std::fs::write(tmp.path().join("evident.yaml"), config).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_evident"))
        .args(args)
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("evident runs");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    format!(
        "exit {}\n{}",
        code(&out),
        redact(
            &String::from_utf8(out.stderr).expect("utf-8"),
            Some(tmp.path())
        )
    )
}

#[test]
fn error_bad_flag() {
    let out = run(&["check", "--bogus"], &[]);
    let text = format!(
        "exit {}\n{}",
        code(&out),
        String::from_utf8(out.stderr).expect("utf-8")
    );
    insta::assert_snapshot!("error_bad_flag", text);
}

#[test]
fn error_broken_evident_yaml() {
    insta::assert_snapshot!(
        "error_broken_evident_yaml",
        error_in_repo(
            "apiVersion: evident/v1\nkind: Config\ndocuments: [policies\n",
            &["check", "--as-of", AS_OF]
        )
    );
    insta::assert_snapshot!(
        "error_invalid_evident_yaml",
        error_in_repo(
            "apiVersion: evident/v1\nkind: Config\nfail_on: severe\nwaivers: 3\ndocuments: [/etc]\n",
            &["check", "--as-of", AS_OF]
        )
    );
}

#[test]
fn error_documents_folder_outside_the_repository() {
    insta::assert_snapshot!(
        "error_documents_folder_outside",
        error_in_repo(
            "apiVersion: evident/v1\nkind: Config\ndocuments:\n  - policies\n  - ../shared\n  - /etc\n",
            &["check", "--as-of", AS_OF]
        )
    );
}

#[test]
fn error_unknown_control_in_disable() {
    insta::assert_snapshot!(
        "error_unknown_control_in_disable",
        error_in_repo(
            "apiVersion: evident/v1\nkind: Config\ncontrols:\n  disable: [CHG-999]\n",
            &["check", "--as-of", AS_OF]
        )
    );
}

#[test]
fn error_output_format_unknown() {
    insta::assert_snapshot!(
        "error_output_format_unknown",
        error_in_repo(
            "apiVersion: evident/v1\nkind: Config\n",
            &["check", "--as-of", AS_OF, "--output", "report.out"]
        )
    );
}
