//! `evident gate` and `check --rev` on real git repositories built in temporary folders.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{AS_OF, code, copy_tree, evident, git, root};

/// A repository whose first commit is the reference set.
fn reference_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    copy_tree(&root().join("policies"), &dir.path().join("policies"));
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "reference set"]);
    dir
}

const SLA: &str = "policies/agreements/online-banking-sla.yaml";

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let file = dir.join(path);
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains(from), "{path} lacks {from:?}");
    std::fs::write(&file, text.replacen(from, to, 1)).expect("write");
}

/// Breaks SLM-003 in the SLA and raises its version (so only SLM-003 is new).
fn break_sla(dir: &Path) {
    edit(
        dir,
        SLA,
        "{ priority: P4, response: 1d, resolution: 10d }",
        "{ priority: P4, response: 12d, resolution: 10d }",
    );
    edit(dir, SLA, "version: 4.0.0", "version: 4.1.0");
}

fn gate(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["gate", "--format", "json", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    let out = evident(dir, &args);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (code(&out), report)
}

fn by_baseline<'a>(report: &'a Value, state: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["baseline"] == state)
        .collect()
}

#[test]
fn head_introducing_a_violation_fails_with_exactly_that_finding_new() {
    let dir = reference_repo();
    break_sla(dir.path());
    let (code, report) = gate(dir.path(), &["--base", "main"]);
    assert_eq!(code, 1);
    let new = by_baseline(&report, "new");
    assert_eq!(new.len(), 1, "{report:#}");
    assert_eq!(new[0]["control"], "SLM-003");
    assert_eq!(new[0]["path"], SLA);
    assert_eq!(new[0]["line"], 27);
}

#[test]
fn head_fixing_a_violation_passes_and_reports_it_fixed() {
    let dir = reference_repo();
    break_sla(dir.path());
    git(dir.path(), &["commit", "-qam", "break"]);
    edit(
        dir.path(),
        SLA,
        "response: 12d, resolution: 10d",
        "response: 1d, resolution: 10d",
    );
    edit(dir.path(), SLA, "version: 4.1.0", "version: 4.1.1");
    let (code, report) = gate(dir.path(), &["--base", "HEAD"]);
    assert_eq!(code, 0, "{report:#}");
    let fixed = report["gate"]["fixed"].as_array().expect("fixed");
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0]["control"], "SLM-003");
    assert_eq!(fixed[0]["baseline"], "fixed");
}

#[test]
fn rename_and_reformat_introduce_nothing() {
    let dir = reference_repo();
    break_sla(dir.path());
    git(dir.path(), &["commit", "-qam", "known violation"]);
    // Rename the file and reformat it without changing any value: comment lines shift every
    // line, flow mappings lose their inner spaces.
    git(dir.path(), &["mv", SLA, "policies/agreements/renamed.yaml"]);
    let file = dir.path().join("policies/agreements/renamed.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        format!(
            "# moved\n\n\n{}",
            text.replace("{ priority: ", "{priority: ")
        ),
    )
    .expect("write");
    let (code, report) = gate(dir.path(), &["--base", "HEAD"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(by_baseline(&report, "new").is_empty(), "{report:#}");
    let unchanged = by_baseline(&report, "unchanged");
    assert_eq!(unchanged.len(), 1);
    assert_eq!(unchanged[0]["path"], "policies/agreements/renamed.yaml");
    assert_eq!(
        report["gate"]["changed"],
        serde_json::json!([]),
        "same content: not a modification"
    );
    // --strict fails on the unchanged finding.
    let (code, _) = gate(dir.path(), &["--base", "HEAD", "--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn changed_document_without_a_version_bump_is_a_document_control_finding() {
    let dir = reference_repo();
    edit(
        dir.path(),
        SLA,
        "Up to 25,000 concurrent sessions",
        "Up to 26,000 concurrent sessions",
    );
    let (code, report) = gate(dir.path(), &["--base", "main"]);
    assert_eq!(code, 1);
    let new = by_baseline(&report, "new");
    assert_eq!(new.len(), 1, "{report:#}");
    assert_eq!(new[0]["control"], "document-version");
    assert_eq!(new[0]["pointer"], "/metadata/version");
    let changed = report["gate"]["changed"].as_array().expect("changed");
    assert_eq!(changed[0]["change"], "modified");
    assert!(
        report["gate"]["clauses"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c == "8.3.3"))
    );
}

#[test]
fn gate_between_two_revisions_and_check_at_a_revision() {
    let dir = reference_repo();
    break_sla(dir.path());
    git(dir.path(), &["commit", "-qam", "break"]);
    git(dir.path(), &["checkout", "-q", "main~0"]);
    // The working tree now has the broken SLA, but `--head main~1` reads the first commit.
    let (code, report) = gate(dir.path(), &["--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(by_baseline(&report, "new").len(), 1);
    let out = evident(
        dir.path(),
        &["check", "--as-of", AS_OF, "--rev", "HEAD~1", "-q", "."],
    );
    assert_eq!(code_of(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let out = evident(
        dir.path(),
        &["check", "--as-of", AS_OF, "--rev", "HEAD", "-q", "."],
    );
    assert_eq!(code_of(&out), 1);
}

fn code_of(out: &std::process::Output) -> i32 {
    code(out)
}

#[test]
fn git_errors_are_clear_and_exit_two() {
    let dir = reference_repo();
    let out = evident(dir.path(), &["gate", "--base", "no-such-branch"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown revision `no-such-branch`"));

    let plain = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(plain.path().join("policies")).expect("mkdir");
    let out = evident(plain.path(), &["gate", "--base", "main"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));

    // A shallow clone lacks the base commit: the message says how to fetch it.
    for i in 0..2 {
        edit(
            dir.path(),
            SLA,
            "best-effort basis",
            &format!("best-effort basis ({i})"),
        );
        git(dir.path(), &["commit", "-qam", "more history"]);
    }
    let shallow = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", dir.path().display());
    git(
        shallow.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
    );
    let out = evident(&shallow.path().join("clone"), &["gate", "--base", "HEAD~2"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("shallow") && err.contains("fetch-depth: 0"),
        "{err}"
    );
}

#[test]
fn github_actions_annotations_and_step_summary() {
    let dir = reference_repo();
    break_sla(dir.path());
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_evident"))
        .args(["gate", "--base", "main", "--as-of", AS_OF, "-q"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("runs");
    assert_eq!(code(&out), 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("::error file={SLA},line=27,col=25,")),
        "{stdout}"
    );
    let written = std::fs::read_to_string(&summary).expect("summary");
    assert!(
        written.starts_with("earlier step\n"),
        "appends, never truncates"
    );
    assert!(written.contains("SLM-003"), "{written}");
}

#[test]
fn broken_pipe_is_not_a_crash() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_evident"))
        .args(["controls", "--format", "json"])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("read");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_gates_own_codes_are_waivable_and_such_a_waiver_is_never_unused() {
    let dir = reference_repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\nwaivers:\n  - control: document-version\n    documents: [\"policies/agreements/*.yaml\"]\n    reason: agreements are versioned by the contract system\n    approved_by: head-of-service-management\n    expires: 2027-06-30\n",
    )
    .expect("write");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "waiver"]);
    // A plain check has nothing for the waiver to match, and says nothing about it.
    let (code_check, report) = super::check_json(dir.path(), &[]);
    assert_eq!(code_check, 0, "{report:#}");
    assert_eq!(report["findings"], serde_json::json!([]), "{report:#}");

    edit(
        dir.path(),
        SLA,
        "Up to 25,000 concurrent sessions",
        "Up to 26,000 concurrent sessions",
    );
    let (code, report) = gate(dir.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{report:#}");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{report:#}");
    assert_eq!(findings[0]["control"], "document-version");
    assert_eq!(findings[0]["status"], "waived");
    assert_eq!(findings[0]["baseline"], "new");
    assert_eq!(report["summary"]["waived"], 1);
}

#[test]
fn a_pre_release_raised_from_rc9_to_rc10_is_raised() {
    let dir = reference_repo();
    edit(dir.path(), SLA, "version: 4.0.0", "version: 4.0.0-rc.9");
    git(dir.path(), &["commit", "-qam", "rc.9"]);
    edit(
        dir.path(),
        SLA,
        "Up to 25,000 concurrent sessions",
        "Up to 26,000 concurrent sessions",
    );
    edit(
        dir.path(),
        SLA,
        "version: 4.0.0-rc.9",
        "version: 4.0.0-rc.10",
    );
    let (code, report) = gate(dir.path(), &["--base", "main"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(by_baseline(&report, "new").is_empty(), "{report:#}");
    // And lowered back is not.
    git(dir.path(), &["commit", "-qam", "rc.10"]);
    edit(
        dir.path(),
        SLA,
        "Up to 26,000 concurrent sessions",
        "Up to 27,000 concurrent sessions",
    );
    edit(
        dir.path(),
        SLA,
        "version: 4.0.0-rc.10",
        "version: 4.0.0-rc.2",
    );
    let (code, report) = gate(dir.path(), &["--base", "main"]);
    assert_eq!(code, 1);
    let new = by_baseline(&report, "new");
    assert_eq!(new.len(), 1, "{report:#}");
    assert_eq!(new[0]["control"], "document-version");
    assert!(
        new[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`4.0.0-rc.10` to `4.0.0-rc.2`")),
        "{report:#}"
    );
}

#[test]
fn gate_and_pack_honour_the_snapshot_date_of_evident_yaml() {
    let dir = reference_repo();
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\nas_of: 2026-11-21\n",
    )
    .expect("write");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "snapshot date"]);
    break_sla(dir.path());
    let out = evident(dir.path(), &["gate", "--base", "main", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["as_of"], "2026-11-21");
    assert_eq!(report["as_of_source"], "evident.yaml");
    assert_eq!(by_baseline(&report, "new").len(), 1, "{report:#}");
    // --as-of wins.
    let (_, report) = gate(dir.path(), &["--base", "main"]);
    assert_eq!(report["as_of_source"], "--as-of");

    // A pack of the committed snapshot is as of its date, not the commit's (2026-11-20 here).
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\nas_of: 2026-11-25\n",
    )
    .expect("write");
    git(dir.path(), &["commit", "-qam", "later snapshot"]);
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = work.path().join("b");
    let out = evident(
        dir.path(),
        &["pack", "--out", &bundle.display().to_string()],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let pack: Value =
        serde_json::from_slice(&std::fs::read(bundle.join("pack.json")).expect("pack.json"))
            .expect("json");
    assert_eq!(pack["as_of"], "2026-11-25");
    let results: Value = serde_json::from_slice(
        &std::fs::read(bundle.join("results/results.json")).expect("results"),
    )
    .expect("json");
    assert_eq!(results["as_of_source"], "evident.yaml");
}

/// The gate's JSON for the working tree of `dir` against `HEAD`, with the base evaluated on
/// its own (`whole`) or taking from the head what is the same on both sides.
fn gate_json(dir: &Path, whole: bool) -> String {
    let options = evident::CheckOptions {
        whole_base: whole,
        ..Default::default()
    };
    let today = AS_OF.parse().expect("date");
    let checked = evident::gate(dir, "HEAD", None, today, &options, false).expect("gate runs");
    let mut out = Vec::new();
    evident::report::json::render(&checked, &mut out).expect("render");
    String::from_utf8(out).expect("UTF-8")
}

/// A gate's base takes the verdicts on what is the same on both sides from the head (issue
/// 12); its results must be exactly those of evaluating the base on its own, whatever the
/// change touches: references into a changed kind, ticket data, files that cannot be read,
/// renames, duplicate ids, a file holding several documents, the configuration.
#[test]
fn reusing_the_heads_verdicts_gives_the_results_of_a_whole_base() {
    type Change = fn(&Path);
    let changes: [(&str, Change); 16] = [
        ("a broken agreement (tickets measured again)", break_sla),
        ("a role removed, which processes name", |d| {
            std::fs::remove_file(d.join("policies/roles/change-manager.yaml")).expect("rm");
        }),
        ("a file that is not YAML", |d| {
            std::fs::write(d.join("policies/roles/broken.yaml"), "kind: [Role\n").expect("write");
        }),
        ("a renamed file", |d| {
            std::fs::rename(
                d.join("policies/roles/change-manager.yaml"),
                d.join("policies/roles/change-management-lead.yaml"),
            )
            .expect("rename");
        }),
        ("a duplicate id", |d| {
            std::fs::copy(
                d.join("policies/roles/change-manager.yaml"),
                d.join("policies/roles/copy.yaml"),
            )
            .expect("copy");
        }),
        ("a ticket export changed", |d| {
            edit(
                d,
                "policies/tickets/exports/incidents-2026.csv",
                "INC0012002,2026-03-02 04:25:51",
                "INC0012002,2026-03-01 04:25:51",
            );
        }),
        ("one document of a file with several", |d| {
            let file = d.join("policies/calendars/calendars.yaml");
            let text = std::fs::read_to_string(&file).expect("read");
            std::fs::write(&file, text.replacen("08:00", "09:00", 1)).expect("write");
        }),
        ("the configuration", |d| {
            std::fs::write(
                d.join("evident.yaml"),
                "apiVersion: evident/v1\nkind: Config\ndocuments: [policies]\nfail_on: high\n",
            )
            .expect("write");
        }),
        (
            "a service described anew (the ticket data is the head's)",
            |d| {
                edit(
                    d,
                    "policies/catalog/payments.yaml",
                    "id: payments",
                    "id: payments\n  # reworded",
                );
            },
        ),
        (
            "a service given another id (the ticket data is measured again)",
            |d| {
                edit(
                    d,
                    "policies/catalog/payments.yaml",
                    "id: payments",
                    "id: payment-services",
                );
            },
        ),
        (
            "a service's hours narrowed, which an unchanged agreement reads through `index`",
            |d| {
                edit(
                    d,
                    "policies/catalog/payments.yaml",
                    "  hours:\n    service: always-on",
                    "  hours:\n    service: business-hours",
                );
            },
        ),
        (
            "a service removed, which an unchanged agreement names",
            |d| {
                std::fs::remove_file(d.join("policies/catalog/online-banking.yaml")).expect("rm");
            },
        ),
        (
            "a calendar's hours widened, which agreements and services read",
            |d| {
                let file = d.join("policies/calendars/calendars.yaml");
                let text = std::fs::read_to_string(&file).expect("read");
                std::fs::write(&file, text.replace("18:00", "20:00")).expect("write");
            },
        ),
        (
            "a record removed, which an unchanged plan links to (a typed reference)",
            |d| {
                std::fs::remove_file(d.join("policies/records/capacity-review-2026-q3.yaml"))
                    .expect("rm");
            },
        ),
        (
            "a record the base lacks, which an unchanged plan links to, added back",
            |d| {
                let file = d.join("policies/records/capacity-review-2026-q3.yaml");
                let text = std::fs::read(&file).expect("read");
                git(
                    d,
                    &["rm", "-q", "policies/records/capacity-review-2026-q3.yaml"],
                );
                git(d, &["commit", "-qm", "a dangling link at the base"]);
                std::fs::write(&file, text).expect("write");
            },
        ),
        ("nothing", |_| {}),
    ];
    let mut differed = 0;
    for (what, change) in changes {
        let dir = reference_repo();
        std::fs::write(
            dir.path().join("evident.yaml"),
            "apiVersion: evident/v1\nkind: Config\ndocuments: [policies]\n",
        )
        .expect("write");
        git(dir.path(), &["add", "-A"]);
        git(dir.path(), &["commit", "-qm", "configuration"]);
        change(dir.path());
        let reused = gate_json(dir.path(), false);
        let whole = gate_json(dir.path(), true);
        assert_eq!(reused, whole, "{what}");
        let report: Value = serde_json::from_str(&reused).expect("JSON");
        if !by_baseline(&report, "new").is_empty()
            || report["gate"]["fixed"]
                .as_array()
                .is_some_and(|f| !f.is_empty())
        {
            differed += 1;
        }
    }
    // The changes are not all harmless: most bring new findings or fix some.
    assert!(
        differed >= 4,
        "only {differed} changes had new or fixed findings"
    );
}
