//! All integration tests in one binary (one link, shared helpers): the real `evident` binary
//! run on repositories built in temporary folders.

mod absence;
mod bad_input;
mod bench_corpus;
mod cli;
mod controls;
mod editor;
mod evidence;
mod example;
mod formats;
mod fuzz;
mod gate;
mod install;
mod reference;
mod report;
mod snapshot;
mod tickets;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Called by an interop test that cannot run because `why` (a validator or schema is absent):
/// under CI (`CI` set, as every CI service does and `.ci/run` installs the tools) that is a
/// failure, since a skipped interop test proves nothing; elsewhere it prints `SKIPPED:` and
/// the test returns.
pub fn skip_unless_ci(why: &str) {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{why}, and CI is set: interop tests must run in CI (.ci/run installs the tools)");
    }
    println!("SKIPPED: {why}");
}

/// The as-of date every test uses, so that time-dependent controls are stable.
pub const AS_OF: &str = "2026-11-21";

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `evident` with `args` in `dir`, with colours off.
pub fn evident(dir: &Path, args: &[&str]) -> Output {
    evident_command(dir)
        .args(args)
        .output()
        .expect("evident runs")
}

/// The `evident` command in `dir`, with colours off and no `EVIDENT_*` or GitHub variable
/// from the caller's environment, for a test to complete.
pub fn evident_command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evident"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("EVIDENT_COLOR")
        .env_remove("EVIDENT_QUIET")
        .env_remove("EVIDENT_FORMAT")
        .env_remove("EVIDENT_FAIL_ON")
        .env_remove("EVIDENT_AS_OF")
        .env_remove("EVIDENT_CONTROLS");
    cmd
}

/// The exit code (panics when killed by a signal, which is a crash).
pub fn code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("evident was killed: {out:?}"))
}

/// `evident check --format json --as-of AS_OF PATH` → (exit code, parsed report).
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    args.push(".");
    let out = evident(dir, &args);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code(&out), report)
}

/// A finding as (control, path, line, column).
pub type Found = (String, String, Option<u64>, Option<u64>);

/// The findings of a report as (control, path, line, column).
pub fn findings(report: &Value) -> Vec<Found> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["control"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64(),
                f["column"].as_u64(),
            )
        })
        .collect()
}

/// Author and committer of every commit the tests make, and its time, so that what depends on
/// them (provenance, the as-of date of a pack) is stable.
pub const GIT_DATE: &str = "2026-11-20T10:00:00+01:00";

/// Runs `git args` in `dir` as the test author, at [`GIT_DATE`], and asserts success.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Auditee",
            "-c",
            "user.email=auditee@acme.example",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_AUTHOR_DATE", GIT_DATE)
        .env("GIT_COMMITTER_DATE", GIT_DATE)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A temporary repository with a `policies/` folder holding one valid Role.
pub fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("policies")).expect("mkdir");
    std::fs::write(dir.path().join("policies/role.yaml"), ROLE).expect("write");
    dir
}

/// A valid Role document.
pub const ROLE: &str = "apiVersion: evident/v1
kind: Role
metadata:
  id: service-owner
  title: Service owner
  owner: service-owner
  version: 1.0.0
  status: approved
  approved_by: service-owner
  last_reviewed: 2026-10-01
spec:
  description: Accountable for a service end to end.
  responsibilities: [Owns the service]
  authorities: [Approves changes to the service]
  competence:
    - {requirement: ITIL 4 Foundation, evidence: Certificate on file}
";
