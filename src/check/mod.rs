//! The check stage: documents + controls + configuration → findings.
//!
//! 1. problems from loading become findings (`yaml-syntax`, `envelope`, …);
//! 2. every document is validated against its kind's schema (`schema`), and ids are checked
//!    for duplicates (`duplicate-id`);
//! 3. every control runs (in parallel) over the documents it applies to;
//! 4. findings are located (`line:column`) and waivers applied; an expired waiver stops
//!    waiving and is itself a finding, as is a waiver that matched nothing.

pub mod builtin;
pub mod coverage;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, FILE_NAME, Waiver};
use crate::controls::checks::recording::ControlReads;
use crate::controls::checks::{CommitDates, Context, Hit};
use crate::controls::{Library, Severity};
use crate::load::{Loaded, Locator};
use crate::model::{DocRef, Kind, schema};

/// Whether a finding counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A nonconformity.
    Fail,
    /// A nonconformity covered by a valid waiver.
    Waived,
}

/// How a finding compares with the base revision in `evident gate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Baseline {
    /// Present at head, absent at base: introduced by the change.
    New,
    /// Present at both.
    Unchanged,
    /// Present at base, absent at head: fixed by the change.
    Fixed,
}

/// The waiver that covers a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverInfo {
    /// Why it is accepted.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// Until when.
    pub expires: String,
}

/// One finding (the JSON contract of PRODUCT.md §5; see README "JSON output").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Control id or built-in code.
    pub control: String,
    /// Severity.
    pub severity: Severity,
    /// `fail` or `waived`.
    pub status: Status,
    /// Repository-relative path; `null` for repository-level findings.
    pub path: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
    /// JSON pointer within the document.
    pub pointer: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// ISO/IEC 20000-1:2018 clauses.
    pub iso20000: Vec<String>,
    /// ITIL 4 practices.
    pub itil4: Vec<String>,
    /// The waiver, when `status` is `waived`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverInfo>,
    /// With `evident gate`: new, unchanged or fixed relative to the base revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// The document the finding is in (for fingerprints; not serialized).
    #[serde(skip)]
    pub document: Option<DocRef>,
    /// Characters to underline at the position (not serialized).
    #[serde(skip)]
    pub span_len: u32,
    /// The control's title or the code's headline (not serialized).
    #[serde(skip)]
    pub title: String,
}

impl Finding {
    /// A failed finding of the built-in code `code` in `path` at `pointer`, with its position
    /// and underline length when known.
    pub fn builtin(
        code: &str,
        message: String,
        path: &str,
        pointer: &str,
        at: Option<(crate::load::yaml::Position, u32)>,
    ) -> Finding {
        let b = builtin::builtin(code);
        Finding {
            control: code.to_string(),
            severity: b.map_or(Severity::Medium, |b| b.severity),
            status: Status::Fail,
            path: Some(path.to_string()),
            line: at.map(|a| a.0.line),
            column: at.map(|a| a.0.column),
            pointer: Some(pointer.to_string()),
            message,
            help: b.map_or("", |b| b.remediation).to_string(),
            iso20000: b
                .map(|b| b.iso20000.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default(),
            itil4: Vec::new(),
            waiver: None,
            baseline: None,
            document: None,
            span_len: at.map_or(1, |a| a.1.max(1)),
            title: b.map_or(code, |b| b.title).to_string(),
        }
    }
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Documents checked.
    pub documents: usize,
    /// Controls run.
    pub controls: usize,
    /// All findings.
    pub findings: usize,
    /// Findings with status `fail`.
    pub failed: usize,
    /// Findings with status `waived`.
    pub waived: usize,
}

/// The result of a check.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The as-of date used.
    pub as_of: Date,
    /// Counts.
    pub summary: Summary,
    /// Findings, sorted by path, line, column and code.
    pub findings: Vec<Finding>,
    /// The threshold in force.
    pub fail_on: Severity,
    /// Gate only: unchanged findings fail too.
    pub strict: bool,
    /// For each control run: the documents (indexes into `Loaded::documents`) it judged, or
    /// `None` for a repository-level check. Reports use it to list passes, not only failures.
    pub evaluated: BTreeMap<String, Option<Vec<usize>>>,
    /// A gate's head only: for each `expr` and `reference` control, what each document
    /// judged read of other documents (see [`Side::Head`]).
    pub index_reads: BTreeMap<String, ControlReads>,
}

impl Outcome {
    /// Whether `f` fails the run: failed, at or above the threshold, and — in a gate — new
    /// (or any present at head, with `--strict`).
    pub fn blocks(&self, f: &Finding) -> bool {
        f.status == Status::Fail
            && f.severity >= self.fail_on
            && f.baseline != Some(Baseline::Fixed)
            && (self.strict || f.baseline != Some(Baseline::Unchanged))
    }

    /// Whether any finding fails the run.
    pub fn fails(&self) -> bool {
        self.findings.iter().any(|f| self.blocks(f))
    }

    /// How many findings fail the run.
    pub fn blocking(&self) -> usize {
        self.findings.iter().filter(|f| self.blocks(f)).count()
    }
}

/// A finding before it is located.
struct Pending {
    code: String,
    severity: Severity,
    title: String,
    help: String,
    iso20000: Vec<String>,
    itil4: Vec<String>,
    path: Option<String>,
    /// (document index within the file, pointer) — to locate.
    at: Option<(usize, String)>,
    position: Option<crate::load::yaml::Position>,
    document: Option<DocRef>,
    message: String,
    on_value: bool,
}

fn from_builtin(code: &str, message: String, path: Option<String>) -> Pending {
    let b = builtin::builtin(code);
    Pending {
        code: code.to_string(),
        severity: b.map_or(Severity::High, |b| b.severity),
        title: b.map_or(code, |b| b.title).to_string(),
        help: b.map_or("", |b| b.remediation).to_string(),
        iso20000: b
            .map(|b| b.iso20000.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
        itil4: Vec::new(),
        path,
        at: None,
        position: None,
        document: None,
        message,
        on_value: false,
    }
}

/// Makes rayon's global pool, if nothing built it yet, one of threads with
/// [`EVALUATION_STACK`], and says whether it is. A check then runs every stage (parsing,
/// ticket data, kind schemas, controls) on one pool: memory a stage frees is reused by the next
/// on the same threads (a check of 10,000 documents peaks 3–5 MB lower), and no second pool is
/// started for the controls.
pub fn deep_global_pool() -> bool {
    static DEEP: OnceLock<bool> = OnceLock::new();
    *DEEP.get_or_init(|| deep_pool("evident").build_global().is_ok())
}

/// A pool of threads named `name-N` with [`EVALUATION_STACK`], marked as such.
fn deep_pool(name: &'static str) -> rayon::ThreadPoolBuilder {
    rayon::ThreadPoolBuilder::new()
        .thread_name(move |i| format!("{name}-{i}"))
        .stack_size(EVALUATION_STACK)
        .start_handler(|_| crate::controls::checks::expr::mark_deep_stack())
}

/// Stack of each thread that evaluates controls (reserved address space, committed as used).
pub const EVALUATION_STACK: usize = crate::controls::checks::expr::STACK_SIZE;

/// The threads that evaluate controls, with [`EVALUATION_STACK`]; `None` if they cannot be
/// started (then the caller's threads are used).
fn evaluation_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    if deep_global_pool() {
        return None;
    }
    POOL.get_or_init(|| deep_pool("evident-eval").build().ok())
        .as_ref()
}

type KindValidators = BTreeMap<Kind, (&'static serde_json::Value, schema::DocumentValidator)>;

/// Compiles what every check needs (the kind schemas) ahead of [`evaluate`], e.g. while the
/// documents are read.
pub fn prepare() {
    let _ = kind_validators();
}

fn kind_validators() -> &'static Result<KindValidators, String> {
    static VALIDATORS: OnceLock<Result<KindValidators, String>> = OnceLock::new();
    VALIDATORS.get_or_init(|| {
        Kind::ALL
            .into_iter()
            .map(|k| {
                schema::composed(k)
                    .and_then(|s| schema::compile_for_documents(s).map(|v| (k, (s, v))))
                    .map_err(|e| format!("schema of {k}: {e}"))
            })
            .collect()
    })
}

/// Runs every check. `commits` dates files for freshness checks that fall back to git.
pub fn evaluate(
    loaded: &Loaded,
    library: &Library,
    config: &Config,
    as_of: Date,
    commits: &dyn CommitDates,
    tickets: &crate::tickets::Measured,
) -> anyhow::Result<Outcome> {
    let kinds = judge_kinds(loaded, None)?;
    evaluate_with_kinds(
        kinds,
        loaded,
        library,
        config,
        as_of,
        commits,
        tickets,
        Side::Alone,
    )
}

/// What the evaluation of a gate's base takes from its head, evaluated first with the same
/// configuration, controls and as-of date: the verdicts that depend on nothing that differs
/// (see [`CheckKind::reads`](crate::controls::checks::CheckKind::reads)).
pub struct Reused<'r> {
    /// Files (paths) whose bytes are the same on both sides.
    pub unchanged: &'r crate::FastSet<String>,
    /// The kinds of the documents in the other files, on either side; `None` when that
    /// cannot be told (a changed file has a document that could not be read).
    pub changed_kinds: Option<&'r HashSet<Kind>>,
    /// The head's findings.
    pub findings: &'r [Finding],
    /// The [`entry_key`](crate::controls::checks::recording::entry_key)s of the documents in
    /// the other files, on either side.
    pub changed_entries: &'r crate::FastSet<u64>,
    /// The head's documents.
    pub head_documents: &'r [crate::model::Document],
    /// What the head's `expr` and `reference` controls read of other documents
    /// ([`Outcome::index_reads`]).
    pub index_reads: &'r BTreeMap<String, ControlReads>,
}

/// Which run an evaluation is.
#[derive(Clone, Copy)]
pub enum Side<'r> {
    /// A check on its own.
    Alone,
    /// A gate's head, evaluated first: its `expr` and `reference` controls record what each
    /// document read of other documents (`index` entries, references), so that its base need
    /// not judge again the documents that read nothing changed.
    Head,
    /// A gate's base, which takes from the head what `Reused` says.
    Base(&'r Reused<'r>),
}

impl<'r> Reused<'r> {
    /// Whether no document of `kinds` changed.
    fn none_changed(&self, kinds: &[Kind]) -> bool {
        kinds.is_empty()
            || self
                .changed_kinds
                .is_some_and(|c| kinds.iter().all(|k| !c.contains(k)))
    }

    /// Whether all of `control`'s verdicts are the head's: neither the kind it judges nor any
    /// kind it reads changed.
    fn untouched(&self, control: &crate::controls::Control) -> bool {
        match (control.applies_to.as_ref(), control.check.reads()) {
            (Some(applies), Some(reads)) => {
                self.none_changed(&[applies.kind]) && self.none_changed(&reads)
            }
            _ => false,
        }
    }

    /// Whether `control`'s verdicts on unchanged documents are the head's: it judges
    /// documents one by one and no kind it reads besides them changed.
    fn on_unchanged(&self, control: &crate::controls::Control) -> bool {
        control.check.per_document() && control.check.reads().is_some_and(|r| self.none_changed(&r))
    }

    /// For a control whose reads of changed kinds the head recorded entry by entry (an `expr`
    /// control through `index`, a `reference`): the files of the head's documents whose reads
    /// could see a changed entry. Its verdicts on the documents of the other unchanged files are
    /// the head's. `None` when the record cannot tell (another check, a `lookup` of a changed
    /// kind, or changed kinds that cannot be told).
    fn dependent_files(
        &self,
        control: &crate::controls::Control,
    ) -> Option<crate::FastSet<&'r str>> {
        let read = self.index_reads.get(&control.id)?;
        if !control.check.per_document() || !self.none_changed(&read.lookups) {
            return None;
        }
        Some(
            read.documents
                .iter()
                .filter(|(_, reads)| reads.touches(self.changed_entries))
                .filter_map(|&(i, _)| self.head_documents.get(i))
                .map(|d| d.path.as_str())
                .collect(),
        )
    }
}

/// The verdicts of the kind schemas on the documents of `loaded` (of the files `reused` does
/// not already judge). They need no ticket data, so a check makes them while it is read (see
/// [`evaluate_with_kinds`]).
pub struct KindVerdicts(Vec<Pending>);

/// Validates each document against its kind's schema, side by side.
pub fn judge_kinds(loaded: &Loaded, reused: Option<&Reused<'_>>) -> anyhow::Result<KindVerdicts> {
    let is_fresh = |path: &str| reused.is_none_or(|r| !r.unchanged.contains(path));
    let validators = kind_validators()
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let hits = loaded
        .documents
        .par_iter()
        .filter(|doc| is_fresh(&doc.path))
        .flat_map_iter(|doc| {
            let mut out = Vec::new();
            if let Some((s, v)) = validators.get(&doc.kind) {
                crate::controls::checks::schema::validate(v, s, &doc.value, |pointer, message| {
                    let mut f = from_builtin("schema", message, Some(doc.path.clone()));
                    f.at = Some((doc.index, pointer));
                    f.document = Some(DocRef {
                        kind: doc.kind,
                        id: doc.id.clone(),
                    });
                    out.push(f);
                });
            }
            out
        })
        .collect();
    Ok(KindVerdicts(hits))
}

/// [`evaluate`], with the kind schemas' verdicts already made ([`judge_kinds`]) and taking
/// from `reused` what need not be judged again.
#[allow(
    clippy::too_many_arguments,
    reason = "evaluate's inputs, the verdicts made ahead of them, and what a gate reuses"
)]
pub fn evaluate_with_kinds(
    kinds: KindVerdicts,
    loaded: &Loaded,
    library: &Library,
    config: &Config,
    as_of: Date,
    commits: &dyn CommitDates,
    tickets: &crate::tickets::Measured,
    side: Side<'_>,
) -> anyhow::Result<Outcome> {
    let reused = match side {
        Side::Base(reused) => Some(reused),
        Side::Alone | Side::Head => None,
    };
    let record = matches!(side, Side::Head);
    let is_fresh = |path: &str| reused.is_none_or(|r| !r.unchanged.contains(path));
    let mut clock = std::time::Instant::now();
    let docs = &loaded.documents;
    let mut pending: Vec<Pending> = Vec::new();

    for p in &loaded.problems {
        let mut f = from_builtin(p.code, p.message.clone(), Some(p.path.clone()));
        f.position = p.position;
        if let Some(help) = p.help {
            f.help = help.to_string();
        }
        if let (Some(d), Some(ptr)) = (p.document, &p.pointer) {
            f.at = Some((d, ptr.clone()));
        }
        pending.push(f);
    }
    pending.extend(kinds.0);

    let mut first_of: HashMap<(Kind, &str), usize> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        if doc.id.is_empty() {
            continue;
        }
        if let Some(&first) = first_of.get(&(doc.kind, doc.id.as_str())) {
            let other = &docs[first];
            let mut f = from_builtin(
                "duplicate-id",
                format!(
                    "{} `{}` is already defined in `{}`",
                    doc.kind, doc.id, other.path
                ),
                Some(doc.path.clone()),
            );
            f.at = Some((doc.index, "/metadata/id".into()));
            f.document = Some(DocRef {
                kind: doc.kind,
                id: doc.id.clone(),
            });
            pending.push(f);
        } else {
            first_of.insert((doc.kind, doc.id.as_str()), i);
        }
    }

    crate::timing("  duplicate ids", &mut clock);
    let ctx = Context::new(docs, as_of, commits)
        .with_unreadable(loaded.problems.iter().filter_map(|p| p.unreadable.clone()))
        .with_tickets(tickets);
    crate::timing("  context", &mut clock);
    // Many controls select the same documents (`approved` processes): the context makes each
    // selection once and keeps it; the distinct ones are made here, side by side.
    let mut selectors: Vec<&crate::controls::Selector> = Vec::new();
    for selector in library
        .controls
        .iter()
        .filter_map(|c| c.applies_to.as_ref())
    {
        if !selectors.iter().any(|s| s.selects_as(selector)) {
            selectors.push(selector);
        }
    }
    selectors.par_iter().for_each(|s| {
        ctx.selected(s);
    });
    crate::timing("  selections", &mut clock);
    let evaluated = std::sync::Mutex::new(BTreeMap::new());
    let recorded = std::sync::Mutex::new(BTreeMap::new());
    // A gate's base: the files of the documents to judge again besides the changed ones, for
    // the controls that read changed kinds only through `index` (as recorded in the head).
    let dependents: BTreeMap<&str, crate::FastSet<&str>> = reused
        .map(|r| {
            library
                .controls
                .iter()
                .filter(|c| !r.untouched(c) && !r.on_unchanged(c))
                .filter_map(|c| Some((c.id.as_str(), r.dependent_files(c)?)))
                .collect()
        })
        .unwrap_or_default();
    let run = || -> Vec<Pending> {
        library
            .controls
            .par_iter()
            .flat_map_iter(|control| {
                let applicable: Vec<usize> = match &control.applies_to {
                    Some(selector) => ctx.selected(selector).to_vec(),
                    None => (0..docs.len()).collect(),
                };
                let mut hits: Vec<Hit> = Vec::new();
                let mut clock = std::time::Instant::now();
                // What the head's verdicts do not already say.
                let untouched = reused.is_some_and(|r| r.untouched(control));
                let fresh: Vec<usize> = if untouched {
                    Vec::new()
                } else if reused.is_some_and(|r| r.on_unchanged(control)) {
                    applicable
                        .iter()
                        .copied()
                        .filter(|&i| is_fresh(&docs[i].path))
                        .collect()
                } else if let Some(dependent) = dependents.get(control.id.as_str()) {
                    applicable
                        .iter()
                        .copied()
                        .filter(|&i| is_fresh(&docs[i].path) || dependent.contains(&*docs[i].path))
                        .collect()
                } else {
                    applicable.clone()
                };
                // A per-document check with nothing to look at has nothing to say (and must not
                // pay for setting up, e.g., a CEL index).
                if !untouched && (!control.check.per_document() || !fresh.is_empty()) {
                    if record {
                        if let Some(reads) =
                            control.check.evaluate_recording(&ctx, &fresh, &mut hits)
                            && let Ok(mut recorded) = recorded.lock()
                        {
                            recorded.insert(control.id.clone(), reads);
                        }
                    } else {
                        control.check.evaluate(&ctx, &fresh, &mut hits);
                    }
                }
                let absent = !untouched && control.check.per_document() && applicable.is_empty();
                if let Some(selector) = control.applies_to.as_ref().filter(|s| absent && s.required)
                {
                    // Absence is not conformity: the control needs evidence that is not there.
                    hits.push(Hit::repository(format!(
                        "no {} exists, so nothing shows that {}",
                        selector.describe().replacen(" documents", " document", 1),
                        lowercase_first(&control.title)
                    )));
                }
                crate::timing(&format!("    {}", control.id), &mut clock);
                let judged = control.check.per_document().then(|| applicable.clone());
                if let Ok(mut e) = evaluated.lock() {
                    e.insert(control.id.clone(), judged);
                }
                hits.into_iter().map(move |hit| {
                    let doc = hit.document.map(|i| &docs[i]);
                    Pending {
                        code: control.id.clone(),
                        severity: control.severity,
                        title: control.title.clone(),
                        help: control.remediation.clone(),
                        iso20000: control.iso20000.clone(),
                        itil4: control.itil4.clone(),
                        path: doc.map(|d| d.path.clone()),
                        at: doc.map(|d| (d.index, hit.pointer.clone())),
                        position: None,
                        document: doc.map(|d| DocRef {
                            kind: d.kind,
                            id: d.id.clone(),
                        }),
                        message: hit.message,
                        on_value: hit.on_value,
                    }
                })
            })
            .collect()
    };
    // On threads with a large stack: organization controls are written by someone else, and
    // a JSON Schema `$ref` chain or a deep expression recurses once per level.
    let control_hits = match evaluation_pool() {
        Some(pool) => pool.install(run),
        None => run(),
    };
    pending.extend(control_hits);
    crate::timing("  controls", &mut clock);

    let mut locator = Locator::default();
    locator.read_ahead(
        loaded,
        pending
            .iter()
            .filter(|p| p.at.is_some())
            .filter_map(|p| p.path.as_deref()),
    );
    let mut findings: Vec<Finding> = pending
        .into_iter()
        .map(|p| {
            let (mut position, mut span_len, mut pointer) = (p.position, 1, None);
            if let (Some(path), Some((index, ptr))) = (&p.path, &p.at) {
                if let Some(at) = locator.locate(loaded, path, *index, ptr, p.on_value) {
                    position = Some(at.position);
                    span_len = at.len;
                }
                pointer = Some(ptr.clone());
            }
            Finding {
                control: p.code,
                severity: p.severity,
                status: Status::Fail,
                path: p.path,
                line: position.map(|p| p.line),
                column: position.map(|p| p.column),
                pointer,
                message: p.message,
                help: p.help,
                iso20000: p.iso20000,
                itil4: p.itil4,
                waiver: None,
                baseline: None,
                document: p.document,
                span_len,
                title: p.title,
            }
        })
        .collect();

    if let Some(r) = reused {
        // The head's verdicts, as they would be judged again: of the untouched controls,
        // all; of those that read no changed kind besides the documents they judge, and of the
        // kind schemas, those on unchanged files.
        let whole: HashSet<&str> = library
            .controls
            .iter()
            .filter(|c| r.untouched(c))
            .map(|c| c.id.as_str())
            .collect();
        let on_unchanged: HashSet<&str> = library
            .controls
            .iter()
            .filter(|c| r.on_unchanged(c))
            .map(|c| c.id.as_str())
            .chain(["schema"])
            .collect();
        findings.extend(
            r.findings
                .iter()
                .filter(|f| {
                    let unchanged_file = f.path.as_deref().filter(|p| !is_fresh(p));
                    whole.contains(f.control.as_str())
                        || (on_unchanged.contains(f.control.as_str()) && unchanged_file.is_some())
                        || dependents
                            .get(f.control.as_str())
                            .zip(unchanged_file)
                            .is_some_and(|(dependent, path)| !dependent.contains(path))
                })
                .map(|f| Finding {
                    status: Status::Fail,
                    waiver: None,
                    baseline: None,
                    ..f.clone()
                }),
        );
    }
    crate::timing("  locating findings", &mut clock);
    let ran: Vec<&str> = library
        .controls
        .iter()
        .map(|c| c.id.as_str())
        .chain(builtin::BUILTINS.iter().map(|b| b.code))
        .collect();
    apply_waivers(&mut findings, config, as_of, &ran);
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.control, &a.message)
            .cmp(&(&b.path, b.line, b.column, &b.control, &b.message))
    });
    findings.dedup();
    crate::timing("  waivers and sorting", &mut clock);
    let failed = findings.iter().filter(|f| f.status == Status::Fail).count();
    let summary = Summary {
        documents: docs.len(),
        controls: library.controls.len(),
        findings: findings.len(),
        failed,
        waived: findings.len() - failed,
    };
    Ok(Outcome {
        as_of,
        summary,
        findings,
        fail_on: config.fail_on,
        strict: false,
        evaluated: evaluated.into_inner().unwrap_or_default(),
        index_reads: recorded.into_inner().unwrap_or_default(),
    })
}

/// "Every change type…" → "every change type…" (an acronym such as "SLAs" stays).
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => first
            .to_lowercase()
            .chain(std::iter::once(second))
            .chain(chars)
            .collect(),
        _ => text.to_string(),
    }
}

/// Applies the configuration's waivers that are in force on `as_of` to `findings` that fail,
/// without reporting unused or expired ones (the check that produced the outcome did). Used by
/// `evident gate` for the findings it adds after comparing base and head.
pub fn waive(findings: &mut [Finding], config: &Config, as_of: Date) {
    for waiver in config.waivers.iter().filter(|w| w.expires >= as_of) {
        for f in findings.iter_mut() {
            if f.status == Status::Fail && waiver_matches(waiver, f) {
                f.status = Status::Waived;
                f.waiver = Some(WaiverInfo {
                    reason: waiver.reason.clone(),
                    approved_by: waiver.approved_by.clone(),
                    expires: waiver.expires.to_string(),
                });
            }
        }
    }
}

fn waiver_matches(waiver: &Waiver, finding: &Finding) -> bool {
    if waiver.control != finding.control {
        return false;
    }
    if waiver.documents.is_empty() {
        return true;
    }
    let Some(path) = &finding.path else {
        return false;
    };
    waiver.documents.iter().any(|pattern| {
        globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .is_ok_and(|g| g.compile_matcher().is_match(path))
    })
}

/// Applies waivers; `ran` lists the codes that were evaluated (a waiver of a control that
/// did not run — disabled, or `--schemas-only` — is neither used nor unused). A waiver of a
/// [gate code](builtin::GATE_CODES) is reported when it has expired, never as unused: whether
/// it matches depends on the change, and [`waive`] applies it to the gate's findings.
fn apply_waivers(findings: &mut Vec<Finding>, config: &Config, as_of: Date, ran: &[&str]) {
    let mut extra = Vec::new();
    for (i, waiver) in config.waivers.iter().enumerate() {
        let change_dependent = builtin::GATE_CODES.contains(&waiver.control.as_str());
        if !ran.contains(&waiver.control.as_str()) && !change_dependent {
            continue;
        }
        let expired = waiver.expires < as_of;
        let pointer = if expired {
            format!("/waivers/{i}/expires")
        } else {
            format!("/waivers/{i}")
        };
        let span = config.span(&pointer);
        let mut matched = 0;
        for f in findings.iter_mut() {
            if f.status == Status::Fail && waiver_matches(waiver, f) {
                matched += 1;
                if !expired {
                    f.status = Status::Waived;
                    f.waiver = Some(WaiverInfo {
                        reason: waiver.reason.clone(),
                        approved_by: waiver.approved_by.clone(),
                        expires: waiver.expires.to_string(),
                    });
                }
            }
        }
        let code_message = if expired {
            Some((
                "waiver-expired",
                format!(
                    "waiver of `{}` expired on {} ({} finding{} no longer waived)",
                    waiver.control,
                    waiver.expires,
                    matched,
                    if matched == 1 { "" } else { "s" }
                ),
            ))
        } else if matched == 0 && !change_dependent {
            Some((
                "waiver-unused",
                format!("waiver of `{}` matches no finding", waiver.control),
            ))
        } else {
            None
        };
        if let Some((code, message)) = code_message {
            extra.push(Finding::builtin(code, message, FILE_NAME, &pointer, span));
        }
    }
    findings.extend(extra);
}
