//! `evident gate`: evaluate a base and a head revision and classify findings as new, fixed
//! or unchanged, so a pull request learns what it introduces and gets credit for what it fixes.

use serde::Serialize;

use crate::check::Finding;
use crate::model::Kind;

/// How a document changed between base and head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only at head.
    Added,
    /// At both, with different content.
    Modified,
    /// Only at base.
    Removed,
}

/// A document the change touches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ChangedDocument {
    /// Path at head (at base for a removed document).
    pub path: String,
    /// Kind.
    pub kind: Kind,
    /// Id.
    pub id: String,
    /// How it changed.
    pub change: Change,
}

/// What the gate adds to a check of the head.
#[derive(Debug, Clone, Serialize)]
pub struct GateInfo {
    /// The base revision as given.
    pub base: String,
    /// The commit it resolved to.
    pub base_commit: String,
    /// The head revision as given, or `working tree`.
    pub head: String,
    /// The head commit, unless the head is the working tree.
    pub head_commit: Option<String>,
    /// Findings present at base and gone at head (`baseline: fixed`).
    pub fixed: Vec<Finding>,
    /// Documents added, modified or removed.
    pub changed: Vec<ChangedDocument>,
    /// ISO/IEC 20000-1 clauses of the controls that apply to the changed documents.
    pub clauses: Vec<String>,
}

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use serde_json::Value;

use crate::Checked;
use crate::check::{Baseline, Status, Summary};
use crate::load::Locator;
use crate::model::Document;

/// A finding's identity across revisions: control, the document (kind and id, or the path for
/// findings outside any document) and the JSON pointer. Not the line: moving, reformatting or
/// renaming must not turn an old finding into a new one.
pub fn fingerprint(f: &Finding) -> String {
    let place = match &f.document {
        Some(d) => d.to_string(),
        None => f.path.clone().unwrap_or_default(),
    };
    format!(
        "{}\u{1f}{place}\u{1f}{}",
        f.control,
        f.pointer.as_deref().unwrap_or_default()
    )
}

/// Marks head findings `new` or `unchanged` and returns the base findings that are gone
/// (`fixed`). Identical fingerprints are matched by count.
pub fn classify(base: &[Finding], head: &mut [Finding]) -> Vec<Finding> {
    let mut remaining: HashMap<String, usize> = HashMap::new();
    for f in base {
        *remaining.entry(fingerprint(f)).or_default() += 1;
    }
    for f in head.iter_mut() {
        let fp = fingerprint(f);
        match remaining.get_mut(&fp) {
            Some(n) if *n > 0 => {
                *n -= 1;
                f.baseline = Some(Baseline::Unchanged);
            }
            _ => f.baseline = Some(Baseline::New),
        }
    }
    let mut fixed = Vec::new();
    for f in base {
        if let Some(n) = remaining.get_mut(&fingerprint(f))
            && *n > 0
        {
            *n -= 1;
            let mut f = f.clone();
            f.baseline = Some(Baseline::Fixed);
            fixed.push(f);
        }
    }
    fixed
}

/// How two `metadata.version`s compare, and by which rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionOrder {
    /// Both are SemVer 2.0.0 versions, compared by precedence (§11: pre-release identifiers
    /// numerically or by ASCII, a release after its pre-releases; build metadata ignored).
    SemVer(std::cmp::Ordering),
    /// At least one is not SemVer: compared piece by piece, numbers as numbers.
    Fallback(std::cmp::Ordering),
}

impl VersionOrder {
    /// Whether the new version is above the old one.
    pub fn raised(self) -> bool {
        matches!(
            self,
            VersionOrder::SemVer(std::cmp::Ordering::Greater)
                | VersionOrder::Fallback(std::cmp::Ordering::Greater)
        )
    }
}

/// Compares `now` with `was`. SemVer 2.0.0 precedence when both parse (so `1.0.0-rc.10` is
/// above `1.0.0-rc.9`); otherwise a natural comparison of the pieces between `.`, `-` and `+`
/// (`2.10` above `2.9`, `v3` above `v2`), which the finding says it used.
pub fn compare_versions(was: &str, now: &str) -> VersionOrder {
    match (semver::Version::parse(was), semver::Version::parse(now)) {
        (Ok(a), Ok(b)) => VersionOrder::SemVer(b.cmp_precedence(&a)),
        _ => VersionOrder::Fallback(natural(now, was)),
    }
}

fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let pieces =
        |s: &str| -> Vec<String> { s.split(['.', '-', '+']).map(str::to_string).collect() };
    let (pa, pb) = (pieces(a), pieces(b));
    for (x, y) in pa.iter().zip(&pb) {
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(m), Ok(n)) => m.cmp(&n),
            _ => x.cmp(y),
        };
        if order.is_ne() {
            return order;
        }
    }
    pa.len().cmp(&pb.len())
}

/// A version as written: a string, or a number YAML read (`2.3`, `3`).
fn version_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn documents(checked: &Checked) -> BTreeMap<(crate::model::Kind, &str), &Document> {
    let mut map = BTreeMap::new();
    for d in &checked.loaded.documents {
        if !d.id.is_empty() {
            map.entry((d.kind, d.id.as_str())).or_insert(d);
        }
    }
    map
}

/// A digest of a document's content (its value, not its bytes: reformatting is no change).
fn digest(value: &Value) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    // `serde_json::Map` is sorted, so equal values serialize to equal bytes.
    Sha256::digest(serde_json::to_vec(value).unwrap_or_default()).into()
}

/// What the gate keeps of a base document once the base has been evaluated.
#[derive(Debug, Clone)]
pub struct BaseDocument {
    /// Its path at the base.
    pub path: String,
    /// [`digest`] of its value.
    digest: [u8; 32],
    /// `metadata.version`.
    version: Option<Value>,
    /// The clauses of the base's controls that apply to it (for a document the change removes).
    clauses: Vec<String>,
}

/// What the gate needs of the base: its findings and a summary of each document. The
/// documents themselves are dropped before the head is evaluated, so that the two sides are
/// never in memory at once.
#[derive(Debug, Clone)]
pub struct Base {
    /// The base's findings.
    pub findings: Vec<Finding>,
    /// Each document with an id, by kind and id (the first one when ids repeat).
    pub documents: BTreeMap<(Kind, String), BaseDocument>,
}

impl Base {
    /// Keeps what [`compare`] needs of an evaluated base.
    pub fn new(checked: Checked) -> Base {
        let documents = documents(&checked)
            .into_iter()
            .map(|((kind, id), d)| {
                let clauses: BTreeSet<&str> = checked
                    .library
                    .controls
                    .iter()
                    .filter(|c| applies(c, Some(d)))
                    .flat_map(|c| c.iso20000.iter().map(String::as_str))
                    .collect();
                let summary = BaseDocument {
                    path: d.path.clone(),
                    digest: digest(&d.value),
                    version: d.pointer("/metadata/version").cloned(),
                    clauses: clauses.into_iter().map(str::to_string).collect(),
                };
                ((kind, id.to_string()), summary)
            })
            .collect();
        Base {
            findings: checked.outcome.findings,
            documents,
        }
    }
}

/// Whether `control` applies to `doc` (to any document when it has no selector and judges
/// documents one by one).
fn applies(control: &crate::controls::Control, doc: Option<&Document>) -> bool {
    match (&control.applies_to, doc) {
        (Some(sel), Some(d)) => sel.matches(d),
        (None, _) => control.check.per_document(),
        (Some(_), None) => false,
    }
}

/// Compares the two sides: classifies findings, checks document control (ISO/IEC 20000-1
/// 7.5.3) on every added or modified document, and records what changed. `head` becomes the
/// gate's result.
pub fn compare(
    base: &Base,
    head: &mut Checked,
    base_commit: String,
    head_name: String,
    head_commit: Option<String>,
    base_name: String,
    strict: bool,
) {
    let as_of = head.outcome.as_of;
    let before = &base.documents;
    let after = documents(head);
    let mut changed = Vec::new();
    let mut control_findings = Vec::new();
    let mut locator = Locator::default();
    for (key, doc) in &after {
        let old = before.get(&(key.0, key.1.to_string()));
        let change = match old {
            None => Change::Added,
            Some(old) if old.digest != digest(&doc.value) => Change::Modified,
            Some(_) => continue,
        };
        changed.push(ChangedDocument {
            path: doc.path.clone(),
            kind: doc.kind,
            id: doc.id.clone(),
            change,
        });
        let mut push = |code: &str, pointer: &str, message: String| {
            let at = locator.locate(&head.loaded, &doc.path, doc.index, pointer, false);
            let mut f = Finding::builtin(
                code,
                message,
                &doc.path,
                pointer,
                at.map(|a| (a.position, a.len)),
            );
            f.baseline = Some(Baseline::New);
            f.document = Some(crate::model::DocRef {
                kind: doc.kind,
                id: doc.id.clone(),
            });
            control_findings.push(f);
        };
        if change == Change::Modified
            && let Some(old) = old
        {
            let was = old.version.as_ref().and_then(version_text);
            let now = doc.pointer("/metadata/version").and_then(version_text);
            if let (Some(was), Some(now)) = (was, now) {
                let order = compare_versions(&was, &now);
                if !order.raised() {
                    let rule = match order {
                        VersionOrder::SemVer(_) => String::new(),
                        VersionOrder::Fallback(_) => {
                            " (not both SemVer 2.0.0: compared piece by piece, numbers as numbers)"
                                .to_string()
                        }
                    };
                    push(
                        "document-version",
                        "/metadata/version",
                        format!(
                            "content changed but `metadata.version` went from `{was}` to `{now}`{rule}"
                        ),
                    );
                }
            }
        }
        if let Some(reviewed) = doc
            .pointer("/metadata/last_reviewed")
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Date>().ok())
            && reviewed > as_of
        {
            push(
                "review-date-future",
                "/metadata/last_reviewed",
                format!("`last_reviewed` is {reviewed}, after {as_of}"),
            );
        }
        if doc.status() == Some("approved") && doc.pointer("/metadata/approved_by").is_none() {
            push(
                "approval-missing",
                "/metadata",
                "the document is `approved` but names no `approved_by`".to_string(),
            );
        }
    }
    for ((kind, id), doc) in before {
        if !after.contains_key(&(*kind, id.as_str())) {
            changed.push(ChangedDocument {
                path: doc.path.clone(),
                kind: *kind,
                id: id.clone(),
                change: Change::Removed,
            });
        }
    }
    changed.sort();

    // Clauses the change touches: those of every control that applies to a changed document.
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for c in &changed {
        match after.get(&(c.kind, c.id.as_str())) {
            Some(doc) => {
                for control in &head.library.controls {
                    if applies(control, Some(doc)) {
                        touched.extend(control.iso20000.iter().map(String::as_str));
                    }
                }
            }
            // Removed: the clauses of the base's controls that applied to it.
            None => {
                if let Some(old) = before.get(&(c.kind, c.id.clone())) {
                    touched.extend(old.clauses.iter().map(String::as_str));
                }
            }
        }
    }
    let order: HashMap<&str, usize> = head
        .library
        .frameworks
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut clauses: Vec<String> = touched.into_iter().map(str::to_string).collect();
    clauses.sort_by_key(|c| order.get(c.as_str()).copied().unwrap_or(usize::MAX));

    let fixed = classify(&base.findings, &mut head.outcome.findings);
    // Waivers apply after the gate, so its own codes are waivable like any other.
    crate::check::waive(&mut control_findings, &head.config, as_of);
    head.outcome.findings.extend(control_findings);
    head.outcome.findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.control, &a.message)
            .cmp(&(&b.path, b.line, b.column, &b.control, &b.message))
    });
    let failed = head
        .outcome
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .count();
    head.outcome.summary = Summary {
        findings: head.outcome.findings.len(),
        failed,
        waived: head.outcome.findings.len() - failed,
        ..head.outcome.summary
    };
    head.outcome.strict = strict;
    head.gate = Some(GateInfo {
        base: base_name,
        base_commit,
        head: head_name,
        head_commit,
        fixed,
        changed,
        clauses,
    });
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering::{Equal, Greater, Less};

    use super::*;

    #[test]
    fn versions_compare_by_semver_precedence() {
        assert_eq!(
            compare_versions("1.0.0-rc.9", "1.0.0-rc.10"),
            VersionOrder::SemVer(Greater)
        );
        assert_eq!(
            compare_versions("1.0.0-rc.1", "1.0.0"),
            VersionOrder::SemVer(Greater)
        );
        assert_eq!(
            compare_versions("1.0.0", "1.0.0-rc.1"),
            VersionOrder::SemVer(Less)
        );
        assert_eq!(
            compare_versions("1.0.0-alpha", "1.0.0-alpha.1"),
            VersionOrder::SemVer(Greater)
        );
        assert_eq!(
            compare_versions("2.9.0", "2.10.0"),
            VersionOrder::SemVer(Greater)
        );
        assert_eq!(
            compare_versions("1.0.0+a", "1.0.0+b"),
            VersionOrder::SemVer(Equal)
        );
        assert!(!compare_versions("4.0.0", "4.0.0").raised());
    }

    #[test]
    fn other_versions_fall_back_to_a_natural_comparison_and_say_so() {
        assert_eq!(
            compare_versions("2.9", "2.10"),
            VersionOrder::Fallback(Greater)
        );
        assert_eq!(
            compare_versions("v2", "v3"),
            VersionOrder::Fallback(Greater)
        );
        assert_eq!(
            compare_versions("1.0.0-rc.01", "1.0.0-rc.01"),
            VersionOrder::Fallback(Equal)
        );
        assert_eq!(compare_versions("2.1", "2"), VersionOrder::Fallback(Less));
    }
}
