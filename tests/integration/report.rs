//! The auditor's report (`--format html`, `--format markdown`): content, self-containment,
//! escaping and determinism, on the reference set, the nonconforming example and hostile
//! input. `xmllint`, when installed, checks that the HTML parses.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use evident::controls::frameworks::Frameworks;
use evident::report::audit::{self, Provenance};

use super::{AS_OF, ROLE, code, evident, root};

fn example() -> PathBuf {
    root().join("examples/acme-nonconforming")
}

/// The reference set as `evident init` writes it: `policies/` plus an `evident.yaml` naming
/// the organization.
fn reference() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = evident(dir.path(), &["init", "repo"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// `evident check --as-of AS_OF --format FORMAT .` in `dir` → (exit code, stdout).
fn render(dir: &Path, format: &str) -> (i32, String) {
    let out = evident(dir, &["check", "--as-of", AS_OF, "--format", format, "."]);
    assert_ne!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    (
        code(&out),
        String::from_utf8(out.stdout).expect("utf-8 output"),
    )
}

/// The text of HTML as a reader sees it, for the entities our escaping produces.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every value of `attr="…"` in `html`.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Fails when the page would load anything from outside itself.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for attr in ["src", "href", "srcset", "action", "poster", "data"] {
        for value in attribute_values(&lower, attr) {
            let v = unescape(value.trim());
            assert!(
                !(v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//")),
                "external reference {attr}=\"{value}\""
            );
        }
    }
    for banned in [
        "<link", "<script", "@import", "url(", "<iframe", "<object", "<embed",
    ] {
        assert!(!lower.contains(banned), "the page contains `{banned}`");
    }
}

fn clause_ids() -> Vec<String> {
    Frameworks::builtin()
        .expect("catalogues")
        .clauses
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// The status class of a clause row of the HTML matrix.
fn clause_status<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"clause-{id}\""))
        .unwrap_or_else(|| panic!("no row for clause {id}"));
    let row = &html[start..];
    let row = &row[..row.find("</tr>").expect("row ends")];
    let at = row.find("class=\"st st-").expect("a status") + "class=\"st st-".len();
    let rest = &row[at..];
    &rest[..rest.find('"').expect("class ends")]
}

#[test]
fn reference_report_names_the_organization_and_every_clause_in_order() {
    let dir = reference();
    let (exit, html) = render(&dir.path().join("repo"), "html");
    assert_eq!(exit, 0);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Northwind Digital Bank"));
    assert!(html.contains("working tree"));
    assert!(html.contains(AS_OF));
    assert!(html.contains(">Conforming<"), "overall result");
    let ids = clause_ids();
    assert!(ids.first().is_some_and(|c| c == "4") && ids.iter().any(|c| c == "10.2"));
    let mut last = 0;
    for id in &ids {
        let at = html
            .find(&format!("id=\"clause-{id}\""))
            .unwrap_or_else(|| panic!("no row for clause {id}"));
        assert!(at > last, "clause {id} is out of order");
        last = at;
        // The reference set is conforming, and every subclause has a control.
        assert_eq!(clause_status(&html, id), "pass", "clause {id}");
    }
    assert_self_contained(&html);
}

#[test]
fn the_self_containment_check_catches_external_assets() {
    // The check above must be able to fail.
    for page in [
        r#"<img src="https://example.com/x.png">"#,
        r#"<a href="http://example.com">x</a>"#,
        r#"<link rel="stylesheet" href="x.css">"#,
        r#"<script src="x.js"></script>"#,
        "<style>@import 'x.css';</style>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_self_contained(page)).is_err();
        assert!(caught, "not caught: {page}");
    }
}

#[test]
fn nonconforming_example_shows_failing_clauses_and_every_finding_with_its_location() {
    let (exit, html) = render(&example(), "html");
    assert_eq!(exit, 1);
    assert!(html.contains("ACME Retail Bank"));
    assert!(html.contains(">Nonconforming<"));
    // CHG-003 (8.5.1.3) fails; its parents fail with it; the waived SLM-001 does not fail
    // anything by itself. An untouched clause passes.
    for id in ["8.5.1.3", "8.5.1", "8.5", "8"] {
        assert_eq!(clause_status(&html, id), "fail", "clause {id}");
    }
    assert_eq!(clause_status(&html, "8.2.5"), "pass");
    // Built-in findings count against their clauses too (schema, yaml-syntax: 7.5.3).
    assert_eq!(clause_status(&html, "7.5.3"), "fail");
    let text = unescape(&html);
    let listed: Value = serde_json::from_slice(
        &std::fs::read(example().join("expected-findings.json")).expect("expected findings"),
    )
    .expect("json");
    for f in listed.as_array().expect("array") {
        let control = f["control"].as_str().expect("control");
        assert!(text.contains(control), "{control} is missing");
        let location = match (f["path"].as_str(), f["line"].as_u64(), f["column"].as_u64()) {
            (Some(p), Some(l), Some(c)) => format!("{p}:{l}:{c}"),
            (None, _, _) => "(repository)".to_string(),
            other => panic!("unexpected location {other:?}"),
        };
        assert!(
            text.contains(&location),
            "{control} at {location} is missing"
        );
    }
    // Waivers: the active one and the expired one, with their approvers.
    assert!(text.contains("head-of-service-management"));
    assert!(html.contains("st-active") && html.contains("st-expired"));
    assert_self_contained(&html);
}

#[test]
fn hostile_text_is_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("policies")).expect("mkdir");
    let role = ROLE.replace(
        "  description: Accountable for a service end to end.\n",
        "  description: Accountable for a service end to end.\n  \"<script>alert(1)</script>\": 1\n",
    );
    assert_ne!(role, ROLE);
    std::fs::write(dir.path().join("policies/role.yaml"), role).expect("write");
    std::fs::write(
        dir.path().join("evident.yaml"),
        "apiVersion: evident/v1\nkind: Config\norganization: \"<img src=x onerror=alert(3)> | Co\"\n\
         waivers:\n  - control: SLM-001\n    reason: \"<script>alert(2)</script> a|b\"\n    \
         approved_by: service-owner\n    expires: 2027-01-31\n",
    )
    .expect("write");

    let (_, html) = render(dir.path(), "html");
    // The finding message (an unknown field), the waiver reason and the organization.
    assert!(html.contains("&lt;script&gt;alert(1)"), "finding message");
    assert!(html.contains("&lt;script&gt;alert(2)"), "waiver reason");
    assert!(
        html.contains("&lt;img src=x onerror=alert(3)&gt;"),
        "organization"
    );
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img"));
    // The source excerpt marks the offending key, escaped.
    let mark = &html[html.find("<mark>").expect("an excerpt")..];
    let mark = &mark[..mark.find("</mark>").expect("end of the mark")];
    assert!(mark.contains("&lt;script&gt;alert(1)"), "{mark}");

    let (_, md) = render(dir.path(), "markdown");
    assert!(
        md.contains("&lt;script&gt;alert(2)&lt;/script&gt; a\\|b"),
        "{md}"
    );
    assert!(!md.contains("<script>alert(2)"));
    assert!(!md.contains("<img"));
    // The waiver row keeps its six columns despite the `|` in the reason.
    let row = md
        .lines()
        .find(|l| l.starts_with("| SLM-001 |"))
        .expect("waiver row");
    assert_eq!(row.replace("\\|", "").matches('|').count(), 7, "{row}");
}

#[test]
fn two_runs_are_byte_identical_and_output_files_match_stdout() {
    let work = tempfile::tempdir().expect("temp dir");
    let html_file = work.path().join("report.html");
    let md_file = work.path().join("conformity.md");
    let args = |format: &'static str| -> Vec<String> {
        vec![
            "check".into(),
            "--as-of".into(),
            AS_OF.into(),
            "--format".into(),
            format.into(),
            "--output".into(),
            format!("html={}", html_file.display()),
            "--output".into(),
            format!("markdown={}", md_file.display()),
            ".".into(),
        ]
    };
    let run = |format: &'static str| {
        let a = args(format);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        evident(&example(), &a).stdout
    };
    let html1 = run("html");
    let html2 = run("html");
    assert!(!html1.is_empty());
    assert_eq!(html1, html2);
    assert_eq!(std::fs::read(&html_file).expect("html file"), html1);
    let md1 = run("markdown");
    let md2 = run("markdown");
    assert!(!md1.is_empty());
    assert_eq!(md1, md2);
    assert_eq!(std::fs::read(&md_file).expect("md file"), md1);
}

#[test]
fn markdown_has_one_row_per_clause_in_catalogue_order() {
    let (exit, md) = render(&example(), "markdown");
    assert_eq!(exit, 1);
    assert!(md.starts_with("# Conformity matrix: ACME Retail Bank\n"));
    let header = "| clause | title | controls | result | waivers |";
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| *l != header)
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    let ids: Vec<String> = table
        .iter()
        .map(|row| {
            row.split('|')
                .nth(1)
                .unwrap_or_default()
                .trim()
                .trim_matches('*')
                .to_string()
        })
        .collect();
    assert_eq!(ids, clause_ids());
    for row in &table {
        assert_eq!(row.replace("\\|", "").matches('|').count(), 6, "{row}");
    }
    let row_of = |id: &str| {
        table
            .iter()
            .find(|r| r.starts_with(&format!("| {id} |")))
            .copied()
            .unwrap_or_default()
    };
    assert!(row_of("8.5.1.3").contains("CHG-003 ✗1"));
    assert!(row_of("8.5.1.3").contains("| fail |"));
    assert!(row_of("8.2.5").contains("| pass |"));
    assert!(row_of("8.3.3").contains("SLM-001 until 2027-06-30"));
    assert!(md.contains("## Findings") && md.contains("## Waivers"));
    assert!(md.contains("`policies/processes/change-enablement.yaml:100:5`"));
}

#[test]
fn provenance_of_a_commit_is_shown_and_escaped() {
    let checked = evident::check_dir(
        &example(),
        AS_OF.parse().expect("date"),
        &evident::CheckOptions::default(),
    )
    .expect("checks");
    let provenance = Provenance {
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        tree: Some("fedcba9876543210fedcba9876543210fedcba98".into()),
        author: Some("Ann Author <ann@example.invalid>".into()),
        committer: Some("Carl Committer <carl@example.invalid>".into()),
        date: Some("2026-11-20T14:03:00+01:00".into()),
        subject: Some("Fix <b>SLA</b> targets".into()),
        signed: Some(true),
        remote: Some("https://git.example.invalid/acme/itsm.git".into()),
        ..Provenance::default()
    };
    let mut out = Vec::new();
    audit::html(&checked, &provenance, &mut out).expect("renders");
    let html = String::from_utf8(out).expect("utf-8");
    assert!(html.contains("0123456789abcdef0123456789abcdef01234567"));
    assert!(html.contains("fedcba9876543210fedcba9876543210fedcba98"));
    assert!(html.contains("Ann Author &lt;ann@example.invalid&gt;"));
    assert!(html.contains("Carl Committer &lt;carl@example.invalid&gt;"));
    assert!(html.contains("2026-11-20T14:03:00+01:00"));
    assert!(html.contains("Fix &lt;b&gt;SLA&lt;&#x2f;b&gt; targets"));
    assert!(html.contains("yes (the commit carries a signature)"));
    assert!(!html.contains("working tree"));
    // A remote URL is text, never a link.
    assert_self_contained(&html);

    let mut out = Vec::new();
    audit::markdown(&checked, &provenance, &mut out).expect("renders");
    let md = String::from_utf8(out).expect("utf-8");
    assert!(md.contains("commit `0123456789abcdef0123456789abcdef01234567`"));
}

#[test]
fn check_at_a_revision_names_the_commit_and_gate_renders_both_formats() {
    let dir = reference();
    let repo = dir.path().join("repo");
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &["commit", "-qm", "reference set"],
    ] {
        super::git(&repo, args);
    }
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&repo)
        .output()
        .expect("git runs");
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    assert_eq!(head.len(), 40);
    // `check --rev` names the commit it read instead of the working tree.
    let out = evident(
        &repo,
        &[
            "check", "--rev", "HEAD", "--as-of", AS_OF, "--format", "html",
        ],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.contains(&format!("commit <code>{head}</code>")));
    assert!(!html.contains("working tree"));
    // The register gives each document's git blob, as git names it.
    let doc = "policies/processes/incident-management.yaml";
    let blob = Command::new("git")
        .args(["rev-parse", &format!("HEAD:{doc}")])
        .current_dir(&repo)
        .output()
        .expect("git runs");
    let blob = String::from_utf8_lossy(&blob.stdout).trim().to_string();
    assert_eq!(blob.len(), 40);
    let row = &html[html
        .find(&format!(
            r#"<td class="path"><span class="mono">{}</span>"#,
            doc.replace('/', "&#x2f;")
        ))
        .expect("the document's row")..];
    let row = &row[..row.find("</tr>").expect("end of the row")];
    assert!(
        row.contains(&format!(r#"<td class="mono">{}</td>"#, &blob[..12])),
        "{row}"
    );
    for (format, marker) in [
        ("html", "<!DOCTYPE html>"),
        ("markdown", "# Conformity matrix"),
    ] {
        let out = evident(
            &repo,
            &[
                "gate", "--base", "HEAD", "--as-of", AS_OF, "--format", format,
            ],
        );
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with(marker));
    }
}

#[test]
fn html_parses_with_xmllint() {
    if Command::new("xmllint").arg("--version").output().is_err() {
        super::skip_unless_ci("`xmllint` is not installed");
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let file = work.path().join("report.html");
    let (_, html) = render(&example(), "html");
    std::fs::write(&file, html).expect("write");
    let out = Command::new("xmllint")
        .args(["--html", "--noout"])
        .arg(&file)
        .output()
        .expect("xmllint runs");
    assert!(out.status.success());
    // libxml2's HTML parser predates HTML5: it names the sectioning elements, `<mark>` and
    // the inline SVG elements it does not know (the SVGs are parsed as XML by
    // `assert_report_structure`). Anything else it reports is a real problem.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("error") || l.contains("warning"))
        .filter(|l| {
            ![
                "main",
                "header",
                "section",
                "footer",
                "nav",
                "figure",
                "figcaption",
                "mark",
                "svg",
                "rect",
                "text",
                "line",
                "desc",
            ]
            .iter()
            .any(|tag| l.ends_with(&format!("Tag {tag} invalid")))
        })
        .collect();
    assert!(problems.is_empty(), "{stderr}");
}

/// The HTML report of `dir` rendered through the library, with the documents it loaded.
fn html_and_documents(dir: &Path) -> (String, Vec<String>) {
    let checked = evident::check_dir(
        dir,
        AS_OF.parse().expect("date"),
        &evident::CheckOptions::default(),
    )
    .expect("checks");
    let mut out = Vec::new();
    audit::html(&checked, &Provenance::default(), &mut out).expect("renders");
    let paths = checked
        .loaded
        .documents
        .iter()
        .map(|d| d.path.clone())
        .collect();
    (String::from_utf8(out).expect("utf-8"), paths)
}

/// The `<svg>…</svg>` elements of a page.
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .filter_map(|(i, _)| html[i..].find("</svg>").map(|end| &html[i..i + end + 6]))
        .collect()
}

/// The structure an auditor relies on: every same-page link lands on an anchor, every failing
/// control of the clause table links to a finding of that control, every document is in the
/// register, the charts are well-formed SVG with text alternatives, and no URL points outside
/// the page.
fn assert_report_structure(dir: &Path) {
    let (html, documents) = html_and_documents(dir);
    assert_self_contained(&html);
    let ids: std::collections::BTreeSet<String> = attribute_values(&html, "id")
        .into_iter()
        .map(unescape)
        .collect();
    for href in attribute_values(&html, "href") {
        let href = unescape(href);
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("a link leaves the page: {href}"));
        assert!(ids.contains(target), "no anchor `{target}`");
    }
    for anchor in [
        "toc", "charts", "matrix", "findings", "controls", "register", "signoff",
    ] {
        assert!(ids.contains(anchor), "no section `{anchor}`");
    }

    // Failing controls in the clause table → findings of that control.
    let matrix = &html[html
        .find(r#"<table class="matrix">"#)
        .expect("clause table")..];
    let matrix = &matrix[..matrix.find("</table>").expect("end of the clause table")];
    let mut failing = 0;
    for (i, _) in matrix.match_indices(r##"<a class="ctl fail" href="#control-"##) {
        failing += 1;
        let item = &matrix[i..i + matrix[i..].find("</li>").expect("end of the item")];
        let control = attribute_values(item, "href")[0].trim_start_matches("#control-");
        let findings: Vec<&str> = attribute_values(item, "href")
            .into_iter()
            .filter_map(|h| h.strip_prefix("#finding-"))
            .collect();
        assert!(
            !findings.is_empty(),
            "failing {control} links to no finding"
        );
        for n in findings {
            let card = &html[html
                .find(&format!(r#"id="finding-{n}""#))
                .unwrap_or_else(|| panic!("no finding {n}"))..];
            let card = &card[..card.find("</dl>").expect("end of the card")];
            assert!(
                card.contains(&format!(r##"href="#control-{control}""##)),
                "finding {n} is not one of {control}"
            );
            // …and the finding links back to a clause.
            assert!(card.contains(r##"href="#clause-"##) || !card.contains("ISO/IEC"));
        }
    }
    let failed_findings = html.matches(r#"<div class="finding"#).count();
    if failed_findings > 0 {
        assert!(
            failing > 0,
            "findings, but no failing control in the clause table"
        );
    }

    // Every document has its row in the register.
    let register = &html[html.find(r#"<table class="register">"#).expect("register")..];
    let register = &register[..register.find("</table>").expect("end of the register")];
    assert_eq!(register.matches(r#"<tr id="doc-"#).count(), documents.len());
    let shown = unescape(register);
    for path in &documents {
        assert!(
            shown.contains(&format!(
                r#"<td class="path"><span class="mono">{path}</span>"#
            )),
            "{path} is not in the register"
        );
    }

    // Four charts, plus those of the ticket-data section when the repository has ticket
    // data (attainment per priority per month, backlog), each well-formed XML in the SVG
    // namespace, with a title and a description.
    let charts = svgs(&html);
    let operations = match html.find(r#"<section aria-labelledby="operations">"#) {
        Some(at) => {
            let section = &html[at..];
            svgs(&section[..section.find("</section>").expect("end of the section")]).len()
        }
        None => 0,
    };
    if dir.join("policies/tickets").exists() {
        assert!(
            operations >= 2,
            "ticket data, but {operations} charts of it"
        );
    }
    assert_eq!(
        charts.len(),
        4 + operations,
        "heat-map, two bar charts, practice grid, and the ticket-data charts"
    );
    for svg in charts {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("aria-labelledby").is_some());
        for part in ["title", "desc"] {
            let text = root
                .children()
                .find(|n| n.has_tag_name(("http://www.w3.org/2000/svg", part)))
                .and_then(|n| n.text())
                .unwrap_or_default();
            assert!(!text.trim().is_empty(), "a chart without a {part}");
        }
        for n in doc.descendants().filter(|n| n.is_element()) {
            for a in n.attributes() {
                assert!(
                    !a.value().contains('.') || a.name() == "href" || a.name() == "font-family",
                    "a fractional number in {}={}",
                    a.name(),
                    a.value()
                );
            }
        }
    }

    // The only URL on the page is the SVG namespace.
    let rest = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!rest.contains("http://") && !rest.contains("https://"));
}

#[test]
fn nonconforming_example_report_has_working_links_register_and_charts() {
    assert_report_structure(&example());
    let (html, _) = html_and_documents(&example());
    // The excerpt marks the span, escaped.
    assert!(html.contains(r#"<pre class="excerpt mono""#));
    assert!(html.contains("<mark>branch-counter</mark>"));
    // Print: page numbers and a running header with the organization and date.
    assert!(html.contains(r#"counter(page) " / " counter(pages)"#));
    assert!(html.contains(
        r#"@top-center { content: "Conformity report \b7  ACME Retail Bank \b7  as of 2026-11-21""#
    ));
}

#[test]
fn second_example_and_reference_reports_have_working_links_register_and_charts() {
    assert_report_structure(&root().join("examples/globex-hollow"));
    let reference = reference();
    assert_report_structure(&reference.path().join("repo"));
}

#[test]
fn the_running_header_cannot_break_out_of_its_css_string() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = evident(dir.path(), &["init", "repo"]);
    assert_eq!(code(&out), 0);
    let config = dir.path().join("repo/evident.yaml");
    let text = std::fs::read_to_string(&config).expect("read");
    let hostile = "organization: 'x\"; } </style><script>alert(1)</script> \\\\'\n";
    let text = text
        .lines()
        .map(|l| {
            if l.starts_with("organization:") {
                hostile.trim_end()
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&config, text).expect("write");
    let (html, _) = html_and_documents(&dir.path().join("repo"));
    let style = &html[..html.find("</style>").expect("style")];
    assert!(!style.contains("<script") && !style.contains("x\";"));
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(!html.contains("<script"));
}

/// `chromium` in headless mode, when installed: `--screenshot` or `--print-to-pdf` of `page`.
fn chromium(page: &Path, args: &[&str]) -> bool {
    let profile = tempfile::tempdir().expect("temp dir");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output();
    out.is_ok_and(|o| o.status.success())
}

/// Decodes a PNG → (width, height, RGBA-or-RGB bytes per pixel, pixels).
fn decode_png(file: &Path) -> (u32, u32, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(file).expect("screenshot exists"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    (
        info.width,
        info.height,
        info.color_type.samples() * usize::from(info.bit_depth as u8 / 8).max(1),
        buf,
    )
}

/// Renders the nonconforming example's and the reference set's reports in headless Chromium:
/// the screenshot has the window's size and is not blank, down to its last rows (the page is
/// longer than the window); printed to PDF, the page-margin boxes give page numbers.
#[test]
fn reports_render_in_headless_chromium() {
    if Command::new("chromium").arg("--version").output().is_err() {
        super::skip_unless_ci("`chromium` is not installed (apt-get install chromium)");
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let reference = reference();
    for (name, dir) in [
        ("nonconforming", example()),
        ("reference", reference.path().join("repo")),
    ] {
        let (html, _) = html_and_documents(&dir);
        let page = work.path().join(format!("{name}.html"));
        std::fs::write(&page, html).expect("write");
        let shot = work.path().join(format!("{name}.png"));
        assert!(chromium(
            &page,
            &[
                &format!("--screenshot={}", shot.display()),
                "--window-size=1280,4000"
            ]
        ));
        let (width, height, bpp, pixels) = decode_png(&shot);
        assert_eq!((width, height), (1280, 4000), "{name}");
        let first = &pixels[..bpp];
        assert!(
            pixels.chunks(bpp).any(|p| p != first),
            "{name}: the screenshot is blank"
        );
        let row = width as usize * bpp;
        let bottom = &pixels[pixels.len() - 400 * row..];
        assert!(
            bottom.chunks(bpp).any(|p| p != first),
            "{name}: the last 400 rows are blank, the page is shorter than expected"
        );
    }
    if Command::new("pdftotext").arg("-v").output().is_err() {
        println!("SKIPPED: `pdftotext` is not installed; page numbers not checked");
        return;
    }
    let page = work.path().join("nonconforming.html");
    let pdf = work.path().join("nonconforming.pdf");
    assert!(chromium(
        &page,
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer"
        ]
    ));
    let out = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Page 1 / "), "no page number in the PDF");
    assert!(text.contains("Conformity report · ACME Retail Bank · as of 2026-11-21"));
}
