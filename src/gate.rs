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

use crate::model::Value;
use jiff::civil::Date;

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
        Value::String(s) => Some(s.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn documents(loaded: &crate::load::Loaded) -> BTreeMap<(crate::model::Kind, &str), &Document> {
    let mut map = BTreeMap::new();
    for d in &loaded.documents {
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
    /// Its content: shared with the head's document when their file is the same on both
    /// sides, so that only documents of changed files are compared by [`digest`].
    value: std::sync::Arc<Value>,
    /// `metadata.version`.
    version: Option<Value>,
    /// For a document the head does not have (the change removes it): the clauses of the
    /// base's controls that apply to it.
    clauses: Vec<String>,
}

impl BaseDocument {
    /// Whether the head's `doc` has other content (not its bytes: reformatting is no change).
    fn differs(&self, doc: &Document) -> bool {
        !std::sync::Arc::ptr_eq(&self.value, &doc.value)
            && digest(&self.value) != digest(&doc.value)
    }
}

/// What the gate needs of the base: its findings and a summary of each document. The base's
/// documents are dropped once it is summarized (those the head shares stay, once).
#[derive(Debug, Clone)]
pub struct Base {
    /// The base's findings.
    pub findings: Vec<Finding>,
    /// Each document with an id, by kind and id (the first one when ids repeat).
    pub documents: BTreeMap<(Kind, String), BaseDocument>,
}

impl Base {
    /// Keeps what [`compare`] with `head` needs of an evaluated base.
    pub fn new(checked: Checked, head: &Checked) -> Base {
        Base::from_parts(
            checked.outcome.findings,
            &checked.loaded,
            &checked.library,
            head,
        )
    }

    /// [`new`](Self::new), from the base's findings, documents and controls.
    fn from_parts(
        findings: Vec<Finding>,
        loaded: &crate::load::Loaded,
        library: &crate::controls::Library,
        head: &Checked,
    ) -> Base {
        let at_head: std::collections::HashSet<(Kind, &str), foldhash::fast::RandomState> = head
            .loaded
            .documents
            .iter()
            .map(|d| (d.kind, d.id.as_str()))
            .collect();
        let documents = documents(loaded)
            .into_iter()
            .map(|((kind, id), d)| {
                let clauses: BTreeSet<&str> = if at_head.contains(&(kind, id)) {
                    BTreeSet::new()
                } else {
                    library
                        .controls
                        .iter()
                        .filter(|c| applies(c, Some(d)))
                        .flat_map(|c| c.iso20000.iter().map(String::as_str))
                        .collect()
                };
                let summary = BaseDocument {
                    path: d.path.clone(),
                    value: std::sync::Arc::clone(&d.value),
                    version: d.pointer("/metadata/version").cloned(),
                    clauses: clauses.into_iter().map(str::to_string).collect(),
                };
                ((kind, id.to_string()), summary)
            })
            .collect();
        Base {
            findings,
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
    let after = documents(&head.loaded);
    let mut changed = Vec::new();
    let mut control_findings = Vec::new();
    let mut locator = Locator::default();
    for (key, doc) in &after {
        let old = before.get(&(key.0, key.1.to_string()));
        let change = match old {
            None => Change::Added,
            Some(old) if old.differs(doc) => Change::Modified,
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

/// A digest of what a check runs with besides the documents: `evident.yaml` as written and
/// the organization's control files (names and texts).
pub fn setup_digest(config: Option<&[u8]>, controls: &[crate::controls::ControlFile]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(config.unwrap_or(b"\0no configuration"));
    for file in controls {
        field(file.name.as_bytes());
        field(file.text.as_bytes());
    }
    hasher.finalize().into()
}

/// What a gate's base is made of, listed while the head is checked (it needs nothing of the
/// head): the digest of its configuration and organization controls, and its YAML files.
pub struct BaseTree {
    setup: anyhow::Result<[u8; 32]>,
    entries: anyhow::Result<Vec<crate::git::FileEntry>>,
    /// The listing's own handle on the repository, with git's index loaded when the head is
    /// the working tree (the ticket exports are then compared through it).
    repo: Option<crate::git::Repo>,
}

impl BaseTree {
    /// Lists the base at `rev` of the repository that contains `root`, through a handle of
    /// its own (a repository handle is not shared between threads). The files are those of
    /// the base's own configuration, which is the head's whenever the base is reused. With
    /// `index`, git's index is loaded meanwhile too.
    pub fn list(
        root: &std::path::Path,
        rev: &crate::git::Revision,
        options: &crate::CheckOptions,
        index: bool,
    ) -> BaseTree {
        let repo = crate::git::Repo::open(root);
        let listed = repo
            .as_ref()
            .map_err(|e| anyhow::anyhow!("{e:#}"))
            .and_then(|repo| {
                let source = crate::Source::Revision(repo, rev);
                let (config, _, setup) = crate::setup_of(root, &source, options)?;
                Ok((setup, repo.file_entries(rev, &config.documents)))
            });
        let repo = repo
            .ok()
            .filter(|_| index)
            .inspect(crate::git::Repo::load_index);
        match listed {
            Ok((setup, entries)) => BaseTree {
                setup: Ok(setup),
                entries,
                repo,
            },
            Err(e) => BaseTree {
                setup: Err(e),
                entries: Ok(Vec::new()),
                repo,
            },
        }
    }
}

/// What a gate's base takes from its head, evaluated first: the files that are byte for byte
/// the same on both sides are not read from git or parsed again; the verdicts on them of the
/// kind schemas and of the controls that read no changed kind besides the documents they judge
/// are the head's, as are all the verdicts of a control that does not look at a changed kind
/// at all (see [`crate::check::Reused`]); and the ticket data is the head's when nothing it
/// depends on changed. Every other control is evaluated on the whole base, so the base's
/// findings are those a full evaluation gives. Only when the two sides run with the same
/// configuration and organization controls.
pub struct Reuse<'h> {
    repo: &'h crate::git::Repo,
    head: &'h Checked,
    head_rev: Option<&'h crate::git::Revision>,
    /// The git blob id of each of the head's files, where known.
    blobs: HashMap<String, git2::Oid>,
}

impl<'h> Reuse<'h> {
    /// What `head` (checked from `head_rev`, or from the working tree) offers a base in `repo`.
    pub fn new(
        repo: &'h crate::git::Repo,
        head: &'h Checked,
        head_rev: Option<&'h crate::git::Revision>,
    ) -> Self {
        let blobs = match head_rev {
            Some(_) => head
                .blobs
                .iter()
                .filter_map(|(path, id)| Some((path.clone(), git2::Oid::from_str(id).ok()?)))
                .collect(),
            // Computed as the files were read (a file not read has none, and is read again
            // from the base).
            None => head
                .loaded
                .files
                .iter()
                .filter_map(|f| Some((f.path.clone(), git2::Oid::from_bytes(&f.blob?).ok()?)))
                .collect(),
        };
        Reuse {
            repo,
            head,
            head_rev,
            blobs,
        }
    }

    /// Loads and evaluates the base at `rev` (listed by [`BaseTree::list`]) and keeps what
    /// [`compare`] needs, when it runs with the head's configuration and organization
    /// controls; `None` when it does not.
    pub fn base(
        &self,
        root: &std::path::Path,
        rev: &crate::git::Revision,
        listed: BaseTree,
    ) -> anyhow::Result<Option<Base>> {
        let repo = self.repo;
        let mut clock = std::time::Instant::now();
        if listed.setup? != self.head.setup {
            return Ok(None);
        }
        let (config, library) = (&self.head.config, &self.head.library);
        crate::timing("base: setup", &mut clock);
        let (same, other): (Vec<_>, Vec<_>) = listed
            .entries?
            .into_iter()
            .partition(|e| e.mode != 0o120000 && self.blobs.get(&e.path) == Some(&e.blob));
        let keep: crate::FastSet<String> = same.into_iter().map(|e| e.path).collect();
        crate::timing("base: entries", &mut clock);
        let fresh = crate::load::documents(repo.read_entries(rev, other)?);
        let loaded = fresh.merged_with(&self.head.loaded, &keep);
        crate::timing("base: merged", &mut clock);
        let index_repo = listed.repo.as_ref().unwrap_or(self.repo);
        let same_tickets = self.tickets_unchanged(root, rev, &keep, &loaded, index_repo);
        crate::timing("base: tickets compared", &mut clock);
        let tickets = if same_tickets {
            self.head.tickets.clone()
        } else {
            crate::tickets::measure(&loaded.documents, &crate::tickets::Revision { repo, rev })
        };
        if !tickets.over_limit.is_empty() {
            anyhow::bail!(
                "ticket data cannot be trusted: {}",
                tickets.over_limit.join("\n")
            );
        }
        crate::timing("base: files that differ", &mut clock);
        // The kinds of the documents in the files that differ, on either side (unknown when
        // one of those files has a document that could not be read).
        let changed_kinds: Option<std::collections::HashSet<Kind>> = (loaded
            .problems
            .iter()
            .chain(&self.head.loaded.problems)
            .all(|p| keep.contains(&p.path)))
        .then(|| {
            loaded
                .documents
                .iter()
                .chain(&self.head.loaded.documents)
                .filter(|d| !keep.contains(&d.path))
                .map(|d| d.kind)
                .collect()
        });
        // The entries of `index` that may differ: those of the documents in those files.
        let changed_entries: crate::FastSet<u64> = loaded
            .documents
            .iter()
            .chain(&self.head.loaded.documents)
            .filter(|d| !keep.contains(&d.path))
            .map(|d| crate::controls::checks::recording::entry_key(d.kind, &d.id))
            .collect();
        let commits = crate::git::GitCommitDates::at(root, rev.commit);
        let reused = crate::check::Reused {
            unchanged: &keep,
            changed_kinds: changed_kinds.as_ref(),
            findings: &self.head.outcome.findings,
            changed_entries: &changed_entries,
            head_documents: &self.head.loaded.documents,
            index_reads: &self.head.outcome.index_reads,
        };
        let outcome = crate::check::evaluate_with_kinds(
            crate::check::judge_kinds(&loaded, Some(&reused))?,
            &loaded,
            library,
            config,
            self.head.outcome.as_of,
            &commits,
            &tickets,
            crate::check::Side::Base(&reused),
        )?;
        crate::timing("base: evaluation", &mut clock);
        let base = Base::from_parts(outcome.findings, &loaded, library, self.head);
        crate::timing("base: summary", &mut clock);
        Ok(Some(base))
    }

    /// Whether the base's ticket data is the head's: no changed file holds (on either side) a
    /// TicketSource, an agreement, a calendar or a document that could not be read; the
    /// Service ids are the same, in the same order (the measurement reads nothing else of a
    /// Service); and every export file is the same blob on both sides.
    fn tickets_unchanged(
        &self,
        root: &std::path::Path,
        rev: &crate::git::Revision,
        keep: &crate::FastSet<String>,
        base: &crate::load::Loaded,
        index_repo: &crate::git::Repo,
    ) -> bool {
        use crate::tickets::Files;
        // Read whole; of a Service, the measurement reads only its id.
        const READ: [Kind; 3] = [
            Kind::TicketSource,
            Kind::ServiceLevelAgreement,
            Kind::Calendar,
        ];
        let (head, changed) = (&self.head.loaded, |path: &str| !keep.contains(path));
        let read_or_unreadable = |side: &crate::load::Loaded| {
            side.problems.iter().any(|p| changed(&p.path))
                || side
                    .documents
                    .iter()
                    .any(|d| changed(&d.path) && READ.contains(&d.kind))
        };
        if read_or_unreadable(base) || read_or_unreadable(head) {
            return false;
        }
        // The Service ids in document order, on each side.
        let service_ids = |docs: &mut dyn Iterator<Item = &Document>| -> Vec<String> {
            docs.filter(|d| d.kind == Kind::Service)
                .map(|d| d.id.clone())
                .collect()
        };
        if service_ids(&mut base.documents.iter()) != service_ids(&mut head.documents.iter()) {
            return false;
        }
        let repo = self.repo;
        let base_files = crate::tickets::Revision { repo, rev };
        for pattern in crate::tickets::export_patterns(&head.documents) {
            let head_list = match self.head_rev {
                Some(head_rev) => crate::tickets::Revision {
                    repo,
                    rev: head_rev,
                }
                .glob(&pattern),
                None => crate::tickets::WorkTree(root).glob(&pattern),
            };
            let (Ok(base_list), Ok(head_list)) = (base_files.glob(&pattern), head_list) else {
                return false;
            };
            if base_list != head_list {
                return false;
            }
            let head_ids = match self.head_rev {
                Some(head_rev) => base_list
                    .iter()
                    .map(|p| repo.blob_id(head_rev, p))
                    .collect(),
                None => index_repo.worktree_blob_ids(&base_list),
            };
            for (path, head_id) in base_list.iter().zip(head_ids) {
                if head_id.is_none() || head_id != repo.blob_id(rev, path) {
                    return false;
                }
            }
        }
        true
    }
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
