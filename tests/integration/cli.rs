//! Command-line behaviour: exit codes, formats, outputs, explain, controls, schema.

use super::{AS_OF, check_json, code, evident, evident_command, git, repo, root};

#[test]
fn reference_set_passes_with_exit_zero() {
    let (code, report) = check_json(&root(), &[]);
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, 0);
    assert!(report["summary"]["documents"].as_u64().unwrap_or_default() >= 9);
}

#[test]
fn json_contract_keys() {
    let dir = repo();
    std::fs::write(
        dir.path().join("policies/bad.yaml"),
        "apiVersion: evident/v1\nkind: Nope\n",
    )
    .expect("write");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let keys: Vec<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["as_of", "as_of_source", "findings", "summary", "tool"]
    );
    assert_eq!(report["as_of_source"], "--as-of");
    assert_eq!(report["tool"]["name"], "evident");
    assert_eq!(report["as_of"], AS_OF);
    let f = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["path"] == "policies/bad.yaml")
        .expect("finding in bad.yaml");
    for key in [
        "control", "severity", "status", "path", "line", "column", "pointer", "message", "help",
        "iso20000", "itil4",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
    }
    assert_eq!(f["pointer"], "/kind");
    for key in ["documents", "controls", "findings", "failed", "waived"] {
        assert!(report["summary"][key].is_u64(), "summary lacks `{key}`");
    }
}

#[test]
fn text_output_shows_location_snippet_and_help() {
    let dir = repo();
    std::fs::write(
        dir.path().join("policies/role.yaml"),
        super::ROLE.replace("  responsibilities:", "  responsibilites:"),
    )
    .expect("write");
    let out = evident(dir.path(), &["check", "--as-of", AS_OF, "."]);
    assert_eq!(code(&out), 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error[schema]: document does not match the schema of its kind"),
        "{text}"
    );
    assert!(text.contains("--> policies/role.yaml:13:3"), "{text}");
    assert!(
        text.contains("^^^^^^^^^^^^^^^ unknown field `responsibilites`"),
        "{text}"
    );
    assert!(text.contains("= help:"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "colour codes with NO_COLOR: {text}"
    );
    let colored = evident(
        dir.path(),
        &["--color", "always", "check", "--as-of", AS_OF, "."],
    );
    assert!(String::from_utf8_lossy(&colored.stdout).contains('\u{1b}'));
}

#[test]
fn output_files_in_several_formats() {
    let dir = repo();
    let out = evident(
        dir.path(),
        &[
            "check",
            "--as-of",
            AS_OF,
            "-q",
            "--output",
            "json=report.json",
            "--output",
            "report.txt",
            ".",
        ],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("report.json")).expect("json written"),
    )
    .expect("json");
    assert_eq!(json["tool"]["name"], "evident");
    let text = std::fs::read_to_string(dir.path().join("report.txt")).expect("text written");
    assert!(text.contains("findings"), "{text}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().count(),
        1,
        "-q prints only the summary: {stdout}"
    );
}

#[test]
fn fail_on_threshold_changes_the_exit_code() {
    // The reference set plus an empty file: exactly one finding, `empty-file`, of low severity.
    let dir = tempfile::tempdir().expect("temp dir");
    super::copy_tree(&root().join("policies"), &dir.path().join("policies"));
    std::fs::write(dir.path().join("policies/empty.yaml"), "").expect("write");
    let (code_default, report) = check_json(dir.path(), &[]);
    let found = super::findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0].0, "empty-file");
    assert_eq!(report["findings"][0]["severity"], "low");
    // The default threshold (`low`) fails; raising it with the flag passes: the exit codes
    // differ, so a flag that were ignored would fail this test.
    assert_eq!(code_default, 1);
    let (code_medium, _) = check_json(dir.path(), &["--fail-on", "medium"]);
    assert_eq!(code_medium, 0, "--fail-on medium lets a low finding pass");
    // The other way round: evident.yaml raises the threshold, the flag lowers it again.
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\nfail_on: high\n",
    )
    .expect("write");
    let (code_config, _) = check_json(dir.path(), &[]);
    assert_eq!(code_config, 0, "fail_on: high in evident.yaml");
    let (code_flag, _) = check_json(dir.path(), &["--fail-on", "low"]);
    assert_eq!(code_flag, 1, "--fail-on overrides evident.yaml");
    let (code_info, _) = check_json(dir.path(), &["--fail-on", "info"]);
    assert_eq!(code_info, 1);
    let out = evident(dir.path(), &["check", "--fail-on", "severe", "."]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("severe")
            && stderr.contains("possible values: info, low, medium, high, critical, never"),
        "{stderr}"
    );
    // Report only: the same findings, exit 0, and the report still says what would fail.
    let (code_never, never) = check_json(dir.path(), &["--fail-on", "never"]);
    assert_eq!(code_never, 0);
    assert_eq!(never["findings"], report["findings"]);
}

#[test]
fn usage_errors_exit_two() {
    let dir = repo();
    for args in [
        &["check", "--as-of", "21/11/2026", "."][..],
        &["check", "--format", "pdf", "."],
        &["frobnicate"],
        &["check", "no-such-dir"],
    ] {
        let out = evident(dir.path(), args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn explain_prints_control_documentation() {
    let out = evident(&root(), &["explain", "CHG-003"]);
    assert_eq!(code(&out), 0);
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [
        "CHG-003",
        "8.5.1.3",
        "Change enablement",
        "Why an auditor asks for this",
        "How to fix it",
        "waivers:",
    ] {
        assert!(text.contains(part), "missing {part}: {text}");
    }
    let out = evident(&root(), &["explain", "yaml-syntax"]);
    assert_eq!(code(&out), 0);
    let out = evident(&root(), &["explain", "NOPE-999"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn controls_json_lists_the_library() {
    let out = evident(&root(), &["controls", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let controls = list["controls"].as_array().expect("array");
    assert!(controls.len() >= 15);
    let kinds: std::collections::BTreeSet<&str> = controls
        .iter()
        .filter_map(|c| c["check"].as_str())
        .collect();
    assert_eq!(
        kinds.len(),
        evident::controls::checks::names().len(),
        "every check kind is used by the starter library: {kinds:?}"
    );
}

#[test]
fn schema_command_prints_and_writes() {
    let out = evident(&root(), &["schema", "Process"]);
    assert_eq!(code(&out), 0);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        schema["$id"],
        "https://evident-itsm.github.io/schemas/v1/process.schema.json"
    );
    assert!(schema["markdownDescription"].as_str().is_some());
    assert_eq!(schema["examples"][0]["kind"], "Process");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("schemas");
    let out = evident(
        &root(),
        &["schema", "--out", target.to_str().expect("utf-8 path")],
    );
    assert_eq!(code(&out), 0);
    let written = std::fs::read_dir(&target).expect("written").count();
    assert_eq!(written, 12, "ten kinds plus control and config");
    let out = evident(&root(), &["schema", "Widget"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn waivers_valid_expired_and_unused() {
    let dir = repo();
    // The tiny repository lacks the required processes, so INC-001 and CHG-001 fire.
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1
kind: Config
waivers:
  - control: INC-001
    reason: incident process being written
    approved_by: service-owner
    expires: 2027-01-31
  - control: CHG-001
    reason: old waiver
    approved_by: service-owner
    expires: 2026-01-31
  - control: SLM-003
    documents: [\"policies/agreements/*.yaml\"]
    reason: nothing to waive
    approved_by: service-owner
    expires: 2027-01-31
",
    )
    .expect("write");
    let (_, report) = check_json(dir.path(), &[]);
    let by = |control: &str| -> Vec<serde_json::Value> {
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["control"] == control)
            .cloned()
            .collect()
    };
    let inc = by("INC-001");
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0]["status"], "waived");
    assert_eq!(inc[0]["waiver"]["approved_by"], "service-owner");
    assert_eq!(by("CHG-001")[0]["status"], "fail");
    let expired = by("waiver-expired");
    assert_eq!(expired.len(), 1);
    assert_eq!(
        (expired[0]["path"].as_str(), expired[0]["line"].as_u64()),
        (Some("evident.yaml"), Some(11)),
        "points at `expires:`"
    );
    let unused = by("waiver-unused");
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["line"].as_u64(), Some(12));
    assert_eq!(report["summary"]["waived"].as_u64(), Some(1));
}

#[test]
fn waiver_of_an_unknown_control_is_a_located_error_with_a_suggestion() {
    let dir = repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\nwaivers:\n  - control: SLM-01\n    reason: typo\n    approved_by: service-owner\n    expires: 2027-01-31\n",
    )
    .expect("write");
    let out = evident(dir.path(), &["check", "--as-of", AS_OF, "."]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("evident.yaml:4:5"), "{err}");
    assert!(err.contains("did you mean `SLM-001`?"), "{err}");
}

#[test]
fn schemas_only_runs_no_control_and_reports_no_unused_waiver() {
    let dir = repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\nwaivers:\n  - control: INC-001\n    reason: r\n    approved_by: service-owner\n    expires: 2027-01-31\n",
    )
    .expect("write");
    let (code, report) = check_json(dir.path(), &["--schemas-only"]);
    assert_eq!(report["summary"]["controls"], 0);
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(code, 0);
}

#[test]
fn committed_control_reference_is_current() {
    let out = evident(&root(), &["controls", "--format", "markdown"]);
    assert_eq!(code(&out), 0);
    let committed = std::fs::read_to_string(root().join("controls/README.md")).unwrap_or_default();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "controls/README.md is stale: run `cargo run -- controls --format markdown > controls/README.md`"
    );
}

#[test]
fn coverage_lists_clauses_practices_and_results() {
    let out = evident(&root(), &["coverage", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(code(&out), 0);
    let cov: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let clauses = cov["clauses"].as_array().expect("clauses");
    let change = clauses
        .iter()
        .find(|c| c["id"] == "8.5.1.3")
        .expect("8.5.1.3");
    assert_eq!(change["covered"], true);
    assert_eq!(change["result"], "pass");
    assert!(
        change["controls"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["id"] == "CHG-003"))
    );
    assert_eq!(cov["practices"].as_array().map(Vec::len), Some(34));
    assert!(cov["covered"].as_u64() <= cov["subclauses"].as_u64());
    // Results come from the repository: the example fails CHG-003.
    let example = root().join("examples/acme-nonconforming");
    let out = evident(
        &example,
        &["coverage", "--as-of", AS_OF, "--format", "json"],
    );
    let cov: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let change = cov["clauses"]
        .as_array()
        .expect("clauses")
        .iter()
        .find(|c| c["id"] == "8.5.1.3")
        .cloned();
    assert_eq!(
        change.map(|c| c["result"].clone()),
        Some(serde_json::json!("fail"))
    );
    for format in ["text", "markdown"] {
        let out = evident(&root(), &["coverage", "--library", "--format", format]);
        assert_eq!(code(&out), 0);
        assert!(String::from_utf8_lossy(&out.stdout).contains("8.5.1.3"));
    }
}

#[test]
fn init_writes_a_passing_repository_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("new");
    let out = evident(dir.path(), &["init", "new"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(target.join(".github/workflows/evident.yml").exists());
    // Checked as of today (no --as-of): init moved the reference set's dates to today.
    let out = evident(&target, &["check", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["as_of_source"], "today");
    assert_eq!(code(&out), 0);
    std::fs::write(
        target.join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\n",
    )
    .expect("write");
    let out = evident(dir.path(), &["init", "new"]);
    assert_eq!(code(&out), 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("skipped") && text.contains("0 written"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(target.join("evident.yaml")).expect("read"),
        "apiVersion: evident/v1\nkind: Config\n"
    );
}

#[test]
fn a_missing_record_fails_freshness_of_the_latest() {
    // No internal audit or management review at all: SMS-008 and SMS-009 must fire, even
    // though no document applies to them.
    let (_, report) = check_json(repo().path(), &[]);
    let controls: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["control"].as_str())
        .collect();
    assert!(
        controls.contains(&"SMS-008") && controls.contains(&"SMS-009"),
        "{controls:?}"
    );
}

#[test]
fn output_without_a_format_takes_it_from_the_extension_or_refuses() {
    let dir = repo();
    let out = evident(
        dir.path(),
        &[
            "check",
            "--as-of",
            AS_OF,
            "-q",
            "--output",
            "report.html",
            "--output",
            "results.sarif",
            ".",
        ],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(dir.path().join("report.html")).expect("html written");
    assert!(
        html.trim_start().starts_with("<!DOCTYPE html>"),
        "{html:.200}"
    );
    let sarif = std::fs::read_to_string(dir.path().join("results.sarif")).expect("sarif");
    assert!(sarif.contains("\"version\": \"2.1.0\""), "{sarif:.200}");

    let out = evident(
        dir.path(),
        &["check", "--as-of", AS_OF, "--output", "report.out", "."],
    );
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("json=report.out"), "{err}");
    assert!(!dir.path().join("report.out").exists());
}

#[test]
fn init_then_check_passes_on_any_day() {
    // The library takes today as a parameter: a repository made two years after the reference
    // snapshot (and one made before it) passes when checked that same day.
    let snapshot = evident::init::REFERENCE_AS_OF;
    for today in [
        snapshot,
        "2028-11-21".parse().expect("date"),
        "2029-02-28".parse().expect("date"),
        "2026-01-01".parse().expect("date"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        evident::init::init(dir.path(), today).expect("init");
        let checked = evident::check_dir(dir.path(), today, &evident::CheckOptions::default())
            .expect("checks");
        let found: Vec<String> = checked
            .outcome
            .findings
            .iter()
            .map(|f| format!("{} {:?}: {}", f.control, f.path, f.message))
            .collect();
        assert!(found.is_empty(), "made and checked on {today}: {found:#?}");
        assert_eq!(checked.outcome.as_of, today);
        // The dates moved by the same number of days.
        let policy =
            std::fs::read_to_string(dir.path().join("policies/sms-policy.yaml")).expect("read");
        let original =
            std::fs::read_to_string(root().join("policies/sms-policy.yaml")).expect("read");
        let days = (today - snapshot).get_days();
        assert_eq!(
            policy,
            evident::init::with_modeline(
                std::path::Path::new("policies/sms-policy.yaml"),
                &evident::init::shift_dates(&original, i64::from(days))
            )
        );
    }
}

#[test]
fn the_reference_set_declares_its_snapshot_date_and_check_honours_it() {
    // The README's main command, as a user runs it: no --as-of.
    let out = evident(&root(), &["check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(code(&out), 0, "{text}");
    assert!(
        text.contains("(as of 2026-11-21, from evident.yaml)"),
        "{text}"
    );
    let config = evident::config::Config::load(&root()).expect("config");
    assert_eq!(config.as_of, Some(evident::init::REFERENCE_AS_OF));
    let (_, report) = check_json(&root(), &[]);
    assert_eq!(report["as_of_source"], "--as-of");
    // --as-of overrides it: a year and a half on, reviews are stale.
    let out = evident(&root(), &["check", "--as-of", "2028-06-01", "-q"]);
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("(as of 2028-06-01)"));
}

#[test]
fn tool_errors_escape_what_they_quote_from_the_inputs() {
    let dir = repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\n\"bad\\n::error::x\\u001b[2J\": 1\n",
    )
    .expect("write");
    let out = evident(dir.path(), &["check", "."]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains("bad\\n::error::x\\u{1b}[2J"), "{err}");
    assert!(!err.lines().any(|l| l.starts_with("::")), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn output_dash_is_standard_output() {
    let dir = repo();
    let out = evident(
        dir.path(),
        &["check", "--as-of", AS_OF, "--output", "json=-", "."],
    );
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is the JSON report ({e})"));
    assert_eq!(report["tool"]["name"], "evident");
    assert!(!dir.path().join("-").exists(), "no file named `-`");
    // `-` alone takes the `--format` format.
    let out = evident(
        dir.path(),
        &[
            "check", "--as-of", AS_OF, "--format", "sarif", "-o", "-", ".",
        ],
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    assert_eq!(sarif["version"], "2.1.0");
    let out = evident(
        dir.path(),
        &["check", "--output", "json=-", "--output", "sarif=-", "."],
    );
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one `--output` can be `-`"));
}

/// Runs `evident args` in `dir` under `umask mask` (through `sh`: setting a child's umask
/// from Rust needs `unsafe`).
#[cfg(unix)]
fn with_umask(dir: &std::path::Path, mask: &str, args: &str) -> std::process::Output {
    let script = format!("umask {mask} && exec \"$0\" {args}");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_evident"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs")
}

#[cfg(unix)]
#[test]
fn written_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    let mode = |p: &str| {
        std::fs::metadata(dir.path().join(p))
            .expect("written")
            .permissions()
            .mode()
            & 0o777
    };
    let out = with_umask(
        dir.path(),
        "022",
        "check --output json=r.json --fail-on never .",
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode("r.json"), 0o644);
    let out = with_umask(dir.path(), "027", "schema --out schemas");
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode("schemas/process.schema.json"), 0o640);
    let out = with_umask(dir.path(), "077", "man --out man");
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode("man/evident-check.1"), 0o600);
}

#[test]
fn environment_variables_set_the_common_flags() {
    let dir = repo();
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        let mut cmd = evident_command(dir.path());
        cmd.args(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.output().expect("evident runs")
    };
    let out = run(
        &[("EVIDENT_FORMAT", "json"), ("EVIDENT_AS_OF", AS_OF)],
        &["check", "."],
    );
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["as_of"], AS_OF);
    let out = run(&[("EVIDENT_FAIL_ON", "never")], &["check", "-q", "."]);
    assert_eq!(code(&out), 0);
    // A flag wins over its variable.
    let out = run(
        &[("EVIDENT_FAIL_ON", "never")],
        &["check", "-q", "--fail-on", "low", "."],
    );
    assert_eq!(code(&out), 1);
    let out = run(&[("EVIDENT_FORMAT", "pdf")], &["check", "."]);
    assert_eq!(code(&out), 2);
}

#[test]
fn help_lists_the_values_of_enumerated_flags() {
    let out = evident(&root(), &["check", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for part in [
        "[possible values: text, json, sarif, junit, html, markdown, oscal-ar]",
        "never:",
        "critical",
        "[env: EVIDENT_FORMAT=]",
        "[env: EVIDENT_FAIL_ON=]",
        "[env: EVIDENT_AS_OF=]",
    ] {
        assert!(help.contains(part), "missing {part}:\n{help}");
    }
    let out = evident(&root(), &["pack", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("info, low, medium, high, critical"), "{help}");
}

#[test]
fn a_subfolder_uses_the_root_that_holds_evident_yaml() {
    let dir = repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\norganization: ACME\n",
    )
    .expect("write");
    git(dir.path(), &["init", "-q"]);
    let (_, from_root) = check_json(dir.path(), &[]);
    let sub = dir.path().join("policies");
    let out = evident(&sub, &["check", "--format", "json", "--as-of", AS_OF]);
    let from_sub: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(from_sub, from_root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("using `..`"), "{stderr}");
    // At the root, nothing to say.
    let out = evident(dir.path(), &["check", "--format", "json", "--as-of", AS_OF]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("note:"));
    let out = evident(&sub, &["coverage", "--as-of", AS_OF, "-q"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn explain_renders_for_a_terminal_and_shows_the_check() {
    let out = evident(&root(), &["explain", "CHG-003"]);
    assert_eq!(code(&out), 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("## ") && !text.contains("**"),
        "raw Markdown: {text}"
    );
    for part in [
        "What the check tests (`schema`)",
        "    schema:",
        "required: [approval_authority]",
        "How to waive it",
    ] {
        assert!(text.contains(part), "missing {part}: {text}");
    }
    // With colour, backticks become styles.
    let out = evident_command(&root())
        .args(["--color", "always", "explain", "CHG-003"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\u{1b}[") && !text.contains('`'), "{text}");
    // The reference page's form stays available.
    let out = evident(&root(), &["explain", "CHG-003", "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("## CHG-003: "));
}

/// Runs `evident args` in `dir` with `input` on standard input.
fn with_stdin(dir: &std::path::Path, args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = evident_command(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("evident runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("evident ends")
}

#[test]
fn dash_checks_a_stream_from_standard_input() {
    let dir = repo();
    let (_, on_disk) = check_json(dir.path(), &[]);
    let args = ["check", "-", "--format", "json", "--as-of", AS_OF];
    // A broken stream is a located finding under its name.
    let out = with_stdin(dir.path(), &args, b"a: [\n");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let syntax: Vec<_> = super::findings(&report)
        .into_iter()
        .filter(|f| f.0 == "yaml-syntax")
        .collect();
    assert_eq!(
        syntax,
        vec![("yaml-syntax".into(), "<stdin>".into(), Some(2), Some(1))]
    );
    // Standing for a file of the repository, the stream replaces it: the same role gives
    // the same findings as on disk.
    let mut named = args.to_vec();
    named.extend(["--stdin-filename", "policies/role.yaml"]);
    let out = with_stdin(dir.path(), &named, super::ROLE.as_bytes());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["findings"], on_disk["findings"]);
    assert_eq!(report["summary"], on_disk["summary"]);
    let out = with_stdin(dir.path(), &["gate", "--base", "HEAD", "-"], b"");
    assert_eq!(code(&out), 2);
}

#[test]
fn coverage_shows_fitsm_and_cobit_through_the_clauses() {
    let example = root().join("examples/acme-nonconforming");
    let out = evident(
        &example,
        &[
            "coverage",
            "--framework",
            "cobit2019",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = view["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 40);
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).expect("row");
    // The example's emergency change type has no approval authority (CHG-003, 8.5.1.3).
    assert_eq!(row("BAI06")["result"], "fail");
    assert_eq!(row("BAI09")["result"], "pass");
    let text = evident(&root(), &["coverage", "--framework", "fitsm", "--library"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("PR9    Incident and service request management"),
        "{text}"
    );
    assert!(text.contains("21 of 21 reached by a control"), "{text}");
    let bad = evident(&root(), &["coverage", "--framework", "cobit5"]);
    assert_eq!(code(&bad), 2);
}
