//! `--format sarif`: SARIF 2.1.0 (OASIS Standard with Errata 01), for GitHub code scanning and
//! other SARIF viewers. The log validates against the official JSON Schema
//! (`sarif-schema-2.1.0.json`); an integration test checks it with an independent validator.
//!
//! One run. `tool.driver.rules` holds one rule per control in the library (sorted by id), then
//! one per built-in code that has a result, then — in a gate — one per code that only a fixed
//! finding uses. Every finding is a result; in a gate the fixed findings are results too, with
//! `baselineState: absent` (§3.27.24). Where a choice is the spec's, the section is cited.
//!
//! - Locations are URIs relative to the **git repository root**, against `%SRCROOT%` (§3.4.3,
//!   §3.14.14): when the Evident root is a subfolder (a monorepo, `examples/…`), its path is
//!   their prefix, so code scanning finds the files.
//! - Every result has exactly one location with a region, as GitHub code scanning requires
//!   (SARIF §3.27.12 would allow none; GitHub rejects the whole file). A repository-level
//!   finding (a required document that does not exist) is placed on line 1 of `evident.yaml`,
//!   or, without one, of the first document, and its message says so.
//! - At most [`MAX_RESULTS`] results (GitHub's limit per run): beyond it, those that fail the
//!   run and the most severe are kept, and `properties.omitted` counts the rest.
//! - Columns count Unicode code points, as Evident's do (`columnKind`, §3.14.17).
//! - `partialFingerprints["evident/v1"]` (§3.27.17) hashes what identifies a finding — the code,
//!   the document's kind and id (or the file's path when no document is known) and the JSON
//!   pointer — and never a line number, so the fingerprint survives reformatting and moving a
//!   document to another file.
//! - A waived finding carries an `external` suppression (§3.35) with the waiver's reason.
//! - Nothing depends on the clock or the machine: no timestamps, no absolute paths.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::blocks;
use super::json::TOOL;
use super::reference::control_section;
use crate::Checked;
use crate::check::builtin::{BUILTINS, Builtin};
use crate::check::{Baseline, Finding, Status};
use crate::controls::{Control, Library, Severity};

/// The `$schema` of the log: the OASIS Errata 01 schema.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id that locations are relative to: the git repository root.
pub const SRCROOT: &str = "%SRCROOT%";

/// GitHub code scanning's hard limit on results per run.
pub const MAX_RESULTS: usize = 25_000;

/// The key of Evident's fingerprint in `partialFingerprints`. The `/v1` is the version of the
/// hashing scheme: change the scheme, change the key, so that old and new never compare equal.
pub const FINGERPRINT_KEY: &str = "evident/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct BaseId {
    description: Message,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

impl Message {
    fn new(text: impl Into<String>) -> Message {
        Message { text: text.into() }
    }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    severity: Severity,
    iso20000: &'a [String],
    itil4: &'a [String],
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
    properties: SuppressionProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
struct SuppressionProperties<'a> {
    approved_by: &'a str,
    expires: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    severity: Severity,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<String>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    as_of: String,
    fail_on: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<GateProperties<'a>>,
    /// Results left out to stay within [`MAX_RESULTS`].
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct GateProperties<'a> {
    base: &'a str,
    base_commit: &'a str,
    head: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    head_commit: Option<&'a str>,
    strict: bool,
}

/// The SARIF level of a severity, as a rule's default (§3.58.6): critical and high are
/// errors, medium a warning, low and info notes.
pub fn severity_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The level of one result: `error` when it fails the run; otherwise the severity's level, but
/// never above `warning`; `note` for waived and fixed findings.
fn result_level(checked: &Checked, f: &Finding) -> &'static str {
    if blocks(&checked.outcome, f) {
        "error"
    } else if f.status == Status::Waived || f.baseline == Some(Baseline::Fixed) {
        "note"
    } else {
        match severity_level(f.severity) {
            "error" => "warning",
            level => level,
        }
    }
}

/// A title as a PascalCase identifier (§3.49.7 asks for a name readable by people, without
/// the id's opacity): `emergency changes have an approval authority` →
/// `EmergencyChangesHaveAnApprovalAuthority`.
pub fn pascal_case(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
        })
        .collect()
}

/// A repository-relative path as a relative URI reference (RFC 3986 §4.2): backslashes become
/// slashes, and every byte outside the unreserved set and `/` is percent-encoded, so that a
/// space or a `:` in a file name still gives a valid `uri-reference`.
pub fn path_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// The file a repository-level finding is shown at, relative to the Evident root: GitHub wants
/// a file, not a folder. `evident.yaml` when there is one; otherwise the first document (a
/// stable choice: files are sorted); otherwise the first documents folder.
pub fn anchor(checked: &Checked) -> String {
    if checked.config.from_file {
        crate::config::FILE_NAME.to_string()
    } else if let Some(first) = checked.loaded.files.first() {
        first.path.clone()
    } else {
        let folder = checked
            .config
            .documents
            .first()
            .map_or("policies", String::as_str);
        format!("{}/", folder.trim_end_matches('/'))
    }
}

/// The indexes of the findings the log holds: all of them up to [`MAX_RESULTS`]; beyond, the
/// ones that fail the run first, then by severity, in report order otherwise.
fn within_limit(checked: &Checked, all: &[&Finding]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..all.len()).collect();
    if all.len() > MAX_RESULTS {
        order.sort_by_key(|&i| {
            (
                std::cmp::Reverse(blocks(&checked.outcome, all[i])),
                std::cmp::Reverse(all[i].severity),
                i,
            )
        });
        order.truncate(MAX_RESULTS);
        order.sort_unstable();
    }
    order
}

/// 64-bit FNV-1a: small, stable across platforms and releases, and enough to tell findings
/// apart within one repository. (Not a security property: a fingerprint only matches results
/// across runs.)
fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

/// What identifies a finding regardless of where it sits in its file: the code, the document
/// (`Kind/id`, or the path when no document is known, or nothing for a repository-level
/// finding) and the JSON pointer. Fields are separated by NUL, which none of them contains.
fn identity(f: &Finding) -> String {
    let anchor = match (&f.document, &f.path) {
        (Some(doc), _) => format!("doc:{doc}"),
        (None, Some(path)) => format!("path:{path}"),
        (None, None) => "repository".to_string(),
    };
    format!(
        "{}\0{anchor}\0{}",
        f.control,
        f.pointer.as_deref().unwrap_or("")
    )
}

/// The fingerprints of `findings`, in order: 16 hex digits of the hash of a finding's
/// [identity](identity), then `:N`, its rank (from 1) among the findings with the same identity,
/// ordered by message. The rank tells apart two findings at one spot (two schema errors at one
/// pointer), as the `:N` of GitHub's own `primaryLocationLineHash` does.
pub fn fingerprints(findings: &[&Finding]) -> Vec<String> {
    let ids: Vec<String> = findings.iter().map(|f| identity(f)).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        groups.entry(id).or_default().push(i);
    }
    let mut out = vec![String::new(); findings.len()];
    for (id, mut members) in groups {
        // Ties on the message fall back to report order, so fingerprints stay distinct.
        members.sort_by(|&a, &b| {
            findings[a]
                .message
                .cmp(&findings[b].message)
                .then(a.cmp(&b))
        });
        let hash = fnv1a64(id.as_bytes());
        for (rank, i) in members.into_iter().enumerate() {
            out[i] = format!("{hash:016x}:{}", rank + 1);
        }
    }
    out
}

/// The documentation of a built-in code in Markdown, in the shape of
/// [`control_section`](super::reference::control_section).
fn builtin_section(library: &Library, b: &Builtin) -> String {
    let mut s = format!("## {}: {}\n\n- severity: {}\n", b.code, b.title, b.severity);
    for id in b.iso20000 {
        let title = library
            .frameworks
            .clause(id)
            .map_or("", |c| c.title.as_str());
        s.push_str(&format!("- ISO/IEC 20000-1:2018 {id}: {title}\n"));
    }
    s.push_str(&format!(
        "\n**Why it matters.** {}\n\n**How to fix it.** {}\n",
        b.rationale, b.remediation
    ));
    s
}

fn tags(iso20000: &[String], itil4: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = iso20000
        .iter()
        .map(|c| format!("iso20000:{c}"))
        .chain(itil4.iter().map(|p| format!("itil4:{p}")))
        .collect();
    // `tags` is a set (§3.8.2: `uniqueItems`); keep the mapping's order otherwise.
    let mut seen = std::collections::BTreeSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    tags
}

fn control_rule<'a>(library: &'a Library, c: &'a Control) -> Rule<'a> {
    Rule {
        id: &c.id,
        name: pascal_case(&c.title),
        short_description: Message::new(c.title.clone()),
        full_description: Some(Message::new(c.rationale.clone())),
        help: Some(Help {
            text: c.remediation.clone(),
            markdown: control_section(library, c),
        }),
        default_configuration: Configuration {
            level: severity_level(c.severity),
        },
        properties: RuleProperties {
            severity: c.severity,
            iso20000: &c.iso20000,
            itil4: &c.itil4,
            tags: tags(&c.iso20000, &c.itil4),
        },
    }
}

/// A rule for a code that is neither a control of the library nor built in (a fixed finding
/// of a control the head no longer has): what the finding itself says.
fn finding_rule(f: &Finding) -> Rule<'_> {
    Rule {
        id: &f.control,
        name: pascal_case(&f.title),
        short_description: Message::new(f.title.clone()),
        full_description: None,
        help: (!f.help.is_empty()).then(|| Help {
            text: f.help.clone(),
            markdown: f.help.clone(),
        }),
        default_configuration: Configuration {
            level: severity_level(f.severity),
        },
        properties: RuleProperties {
            severity: f.severity,
            iso20000: &f.iso20000,
            itil4: &f.itil4,
            tags: tags(&f.iso20000, &f.itil4),
        },
    }
}

/// The built-in codes' clauses as owned strings, kept alive while the rules borrow them.
fn builtin_clauses() -> Vec<Vec<String>> {
    BUILTINS
        .iter()
        .map(|b| b.iso20000.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Writes the SARIF log, pretty-printed, with a final newline.
pub fn render(checked: &Checked, out: &mut dyn Write) -> io::Result<()> {
    let library = &checked.library;
    let fixed: &[Finding] = checked.gate.as_ref().map_or(&[], |g| &g.fixed);
    let all: Vec<&Finding> = checked.outcome.findings.iter().chain(fixed).collect();

    let clauses = builtin_clauses();
    let mut rules: Vec<Rule> = library
        .controls
        .iter()
        .map(|c| control_rule(library, c))
        .collect();
    let mut builtins: Vec<(&Builtin, &Vec<String>)> = BUILTINS
        .iter()
        .zip(&clauses)
        .filter(|(b, _)| all.iter().any(|f| f.control == b.code))
        .collect();
    builtins.sort_by_key(|(b, _)| b.code);
    for (b, iso) in builtins {
        rules.push(Rule {
            id: b.code,
            name: pascal_case(b.title),
            short_description: Message::new(b.title),
            full_description: Some(Message::new(b.rationale)),
            help: Some(Help {
                text: b.remediation.to_string(),
                markdown: builtin_section(library, b),
            }),
            default_configuration: Configuration {
                level: severity_level(b.severity),
            },
            properties: RuleProperties {
                severity: b.severity,
                iso20000: iso,
                itil4: &[],
                tags: tags(iso, &[]),
            },
        });
    }
    let mut others: Vec<&Finding> = all
        .iter()
        .copied()
        .filter(|f| !rules.iter().any(|r| r.id == f.control))
        .collect();
    others.sort_by(|a, b| a.control.cmp(&b.control));
    others.dedup_by(|a, b| a.control == b.control);
    rules.extend(others.into_iter().map(finding_rule));
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();

    let prints = fingerprints(&all);
    let kept = within_limit(checked, &all);
    let omitted = all.len() - kept.len();
    let anchor = anchor(checked);
    let results = kept
        .into_iter()
        .map(|i| (all[i], prints[i].clone()))
        .map(|(f, print)| SarifResult {
            rule_id: &f.control,
            rule_index: index.get(f.control.as_str()).copied().unwrap_or_default(),
            level: result_level(checked, f),
            message: Message::new(match &f.path {
                Some(_) => f.message.clone(),
                None => format!(
                    "{} (a repository-level finding, shown at `{}`)",
                    f.message, anchor
                ),
            }),
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: path_uri(&checked.repo_path(f.path.as_deref().unwrap_or(&anchor))),
                        uri_base_id: SRCROOT,
                    },
                    region: Region {
                        start_line: f.line.filter(|_| f.path.is_some()).unwrap_or(1),
                        start_column: f.column.filter(|_| f.line.is_some()),
                        end_column: f
                            .column
                            .filter(|_| f.line.is_some())
                            .map(|c| c.saturating_add(f.span_len.max(1))),
                    },
                },
            }],
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, print)]),
            baseline_state: f.baseline.map(|b| match b {
                Baseline::New => "new",
                Baseline::Unchanged => "unchanged",
                Baseline::Fixed => "absent",
            }),
            suppressions: f
                .waiver
                .iter()
                .filter(|_| f.status == Status::Waived)
                .map(|w| Suppression {
                    kind: "external",
                    justification: &w.reason,
                    properties: SuppressionProperties {
                        approved_by: &w.approved_by,
                        expires: &w.expires,
                    },
                })
                .collect(),
            properties: ResultProperties {
                severity: f.severity,
                status: f.status,
                pointer: f.pointer.as_deref(),
                document: f.document.as_ref().map(ToString::to_string),
            },
        })
        .collect();

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: TOOL.name,
                    version: TOOL.version,
                    semantic_version: TOOL.version,
                    rules,
                },
            },
            // §3.14.14: without a `uri`, the base is known only by its description; an
            // absolute `file:///…` would tie the log to one machine.
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseId {
                    description: Message::new(if checked.repo_prefix.is_empty() {
                        "The root of the git repository (where `evident.yaml` is).".to_string()
                    } else {
                        format!(
                            "The root of the git repository; Evident ran on its folder `{}`.",
                            checked.repo_prefix
                        )
                    }),
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                as_of: checked.outcome.as_of.to_string(),
                fail_on: checked.outcome.fail_on,
                organization: checked.config.organization.as_deref(),
                gate: checked.gate.as_ref().map(|g| GateProperties {
                    base: &g.base,
                    base_commit: &g.base_commit,
                    head: &g.head,
                    head_commit: g.head_commit.as_deref(),
                    strict: checked.outcome.strict,
                }),
                omitted,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocRef, Kind};

    fn finding(control: &str, pointer: &str, line: u32, message: &str) -> Finding {
        Finding {
            control: control.into(),
            severity: Severity::High,
            status: Status::Fail,
            path: Some("policies/a b.yaml".into()),
            line: Some(line),
            column: Some(3),
            pointer: Some(pointer.into()),
            message: message.into(),
            help: String::new(),
            iso20000: vec![],
            itil4: vec![],
            waiver: None,
            baseline: None,
            document: Some(DocRef {
                kind: Kind::Process,
                id: "change".into(),
            }),
            span_len: 1,
            title: String::new(),
        }
    }

    #[test]
    fn uris_are_relative_references_with_percent_encoding() {
        assert_eq!(path_uri("policies/a b:c.yaml"), "policies/a%20b%3Ac.yaml");
        assert_eq!(path_uri(r"policies\x.yaml"), "policies/x.yaml");
        assert_eq!(path_uri("é.yaml"), "%C3%A9.yaml");
        assert_eq!(path_uri("evident.yaml"), "evident.yaml");
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(
            pascal_case("emergency changes have an approval `authority`"),
            "EmergencyChangesHaveAnApprovalAuthority"
        );
        assert_eq!(pascal_case("file is not UTF-8 text"), "FileIsNotUTF8Text");
    }

    #[test]
    fn fingerprints_ignore_lines_and_paths_but_not_pointers() {
        let a = finding("CHG-003", "/spec/x", 4, "m");
        let mut moved = finding("CHG-003", "/spec/x", 40, "m");
        moved.path = Some("policies/elsewhere.yaml".into());
        let other = finding("CHG-003", "/spec/y", 4, "m");
        let prints = fingerprints(&[&a, &moved, &other]);
        assert_eq!(prints[0].split(':').next(), prints[1].split(':').next());
        assert_ne!(prints[0].split(':').next(), prints[2].split(':').next());
        assert_eq!(fingerprints(&[&a]), fingerprints(&[&moved]));
        assert_eq!(fingerprints(&[&a])[0], prints[0]);
        assert!(prints[0].ends_with(":1") && prints[2].ends_with(":1"));
    }

    #[test]
    fn findings_at_one_spot_are_ranked_by_message() {
        let a = finding("schema", "", 1, "missing `a`");
        let b = finding("schema", "", 1, "missing `b`");
        let prints = fingerprints(&[&b, &a, &a]);
        let (fb, fa, fa2) = (&prints[0], &prints[1], &prints[2]);
        assert!(fa2.ends_with(":2") && fb.ends_with(":3"), "{prints:?}");
        assert_ne!(fa, fb);
        assert_eq!(fa.split(':').next(), fb.split(':').next());
        assert!(fa.ends_with(":1"));
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference test suite (draft-eastlake-fnv).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(severity_level(Severity::Critical), "error");
        assert_eq!(severity_level(Severity::Medium), "warning");
        assert_eq!(severity_level(Severity::Info), "note");
    }
}
