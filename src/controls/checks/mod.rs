//! Check kinds: one file each, registered in [`REGISTRY`].
//!
//! A check kind compiles its parameters once ([`CompileFn`]) into a [`CheckKind`] that the
//! engine evaluates over the documents a control applies to, producing [`Hit`]s — a document,
//! a JSON pointer and a message. The engine turns hits into located findings.

pub mod attainment;
pub mod coverage;
pub mod dates;
pub mod expr;
pub mod freshness;
pub mod kind_index;
pub mod projection;
pub mod recording;
pub mod reference;
pub mod require;
pub mod schema;
pub mod underpin;
pub mod unique;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::Arc;

use jiff::civil::Date;
use serde_json::Value;

use super::Selector;
use crate::model::{Document, Kind};

/// A compiled check.
pub trait CheckKind: Send + Sync + Debug {
    /// The registered name, e.g. `schema`.
    fn name(&self) -> &'static str;
    /// Whether the check judges individual documents (most do) rather than the repository as
    /// a whole (`require`).
    fn per_document(&self) -> bool {
        true
    }
    /// Evaluates the check. `applicable` lists the indexes (into `ctx.documents`) of the
    /// documents the control's `applies_to` selects (every document when it has none).
    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>);
    /// The kinds of documents the check reads besides the one it judges, when it can say
    /// (empty: its verdict on a document depends on that document and the as-of date alone);
    /// `None` when it may read anything else (every document, the repository, git history,
    /// ticket data). A gate's base reuses the head's verdicts on documents that are the same on
    /// both sides when none of these kinds changed, and all of a control's verdicts when its
    /// own kind did not change either.
    fn reads(&self) -> Option<Vec<Kind>> {
        None
    }
    /// [`evaluate`](Self::evaluate), telling what each document judged read of other
    /// documents, for a gate's base ([`recording`]); `None` when the check cannot tell (it is
    /// neither `expr` nor `reference`, or the record is not whole).
    fn evaluate_recording(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
    ) -> Option<recording::ControlReads> {
        self.evaluate(ctx, applicable, hits);
        None
    }
}

/// A compiled check of any kind.
pub type Check = Box<dyn CheckKind>;

/// Why a check's parameters do not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// JSON pointer within the check's parameters.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl CompileError {
    /// An error at `pointer` (relative to the check's parameters).
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        CompileError {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Compiles a check's parameters; gets the control's `applies_to` for checks that need it.
pub type CompileFn = fn(&Value, Option<&Selector>) -> Result<Check, CompileError>;

/// The registration table: every check kind, by the name used under `check:`.
pub const REGISTRY: &[(&str, CompileFn)] = &[
    ("schema", schema::compile),
    ("require", require::compile),
    ("reference", reference::compile),
    ("coverage", coverage::compile),
    ("unique", unique::compile),
    ("freshness", freshness::compile),
    ("expr", expr::compile),
    ("dates", dates::compile),
    ("underpin", underpin::compile),
    ("attainment", attainment::compile),
];

/// The names of every check kind.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|(n, _)| *n).collect()
}

/// Compiles the check called `name`.
pub fn compile(
    name: &str,
    params: &Value,
    applies_to: Option<&Selector>,
) -> Result<Check, CompileError> {
    let (_, f) = REGISTRY
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| CompileError::at("", format!("unknown check kind `{name}`")))?;
    f(params, applies_to)
}

/// Where a check found a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the document in `Context::documents`; `None` for a repository-level finding
    /// (e.g. a required document that does not exist).
    pub document: Option<usize>,
    /// JSON pointer within the document.
    pub pointer: String,
    /// What is wrong, as a lowercase phrase.
    pub message: String,
    /// Point at the value rather than its key (when the value itself is wrong, e.g. a
    /// reference to an unknown id).
    pub on_value: bool,
}

impl Hit {
    /// A hit in document `document` at `pointer`.
    pub fn at(document: usize, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Hit {
            document: Some(document),
            pointer: pointer.into(),
            message: message.into(),
            on_value: false,
        }
    }

    /// A hit about the value at `pointer` (underlines the value, not its key).
    pub fn at_value(
        document: usize,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Hit {
            on_value: true,
            ..Hit::at(document, pointer, message)
        }
    }

    /// A repository-level hit (no document).
    pub fn repository(message: impl Into<String>) -> Self {
        Hit {
            document: None,
            pointer: String::new(),
            message: message.into(),
            on_value: false,
        }
    }
}

/// The last commit date of a file, for freshness checks on documents without a date field.
pub trait CommitDates: Sync {
    /// The date of the last commit that changed `path`, if known.
    fn last_commit(&self, path: &str) -> Option<Date>;
}

/// No git information.
#[derive(Debug, Default)]
pub struct NoCommitDates;

impl CommitDates for NoCommitDates {
    fn last_commit(&self, _: &str) -> Option<Date> {
        None
    }
}

/// What a check sees: every document, indexed, and the as-of date.
pub struct Context<'a> {
    /// Every document.
    pub documents: &'a [Document],
    /// The date checks that depend on time use.
    pub as_of: Date,
    /// Last commit dates of files.
    pub commits: &'a dyn CommitDates,
    ids: crate::FastMap<(Kind, &'a str), usize>,
    unreadable: std::collections::HashSet<(Kind, String)>,
    by_kind: BTreeMap<Kind, Vec<usize>>,
    tickets: Option<&'a crate::tickets::Measured>,
    /// The documents each selector selects, made once for all the checks that use it.
    selections: std::sync::Mutex<Vec<(Selector, Arc<[usize]>)>>,
    /// What each document of a kind has at a path (see [`Selector::found`]), for the
    /// selectors that test it: twenty selectors of records test `spec.type`, and the path is
    /// followed once per record instead of twenty times.
    columns: std::sync::Mutex<Vec<Column<'a>>>,
}

/// One of [`Context`]'s columns: kind, path, and the value of each document of the kind.
type Column<'a> = (
    Kind,
    crate::controls::path::Path,
    Arc<[Option<&'a crate::model::Value>]>,
);

impl<'a> Context<'a> {
    /// Indexes `documents`. The first document with a given kind and id wins (duplicates are
    /// reported by the engine).
    pub fn new(documents: &'a [Document], as_of: Date, commits: &'a dyn CommitDates) -> Self {
        let mut ids = crate::FastMap::default();
        let mut by_kind: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
        for (i, d) in documents.iter().enumerate() {
            ids.entry((d.kind, d.id.as_str())).or_insert(i);
            by_kind.entry(d.kind).or_default().push(i);
        }
        Context {
            documents,
            as_of,
            commits,
            ids,
            unreadable: Default::default(),
            by_kind,
            tickets: None,
            selections: Default::default(),
            columns: Default::default(),
        }
    }

    /// The indexes of the documents `selector` selects, in order; made once per distinct
    /// selection and shared (many controls and lookups select, e.g., the approved processes).
    pub fn selected(&self, selector: &Selector) -> Arc<[usize]> {
        let cached = |selections: &[(Selector, Arc<[usize]>)]| {
            selections
                .iter()
                .find(|(s, _)| s.selects_as(selector))
                .map(|(_, found)| Arc::clone(found))
        };
        if let Some(found) = self.selections.lock().ok().and_then(|s| cached(&s)) {
            return found;
        }
        // Made outside the lock: two threads may both make it, and the first one is kept.
        let of_kind = self.of_kind(selector.kind);
        let columns: Vec<_> = selector
            .conditions
            .iter()
            .map(|(path, _)| self.column(selector.kind, path))
            .collect();
        let found: Arc<[usize]> = (0..of_kind.len())
            .filter(|&j| selector.holds_on(|c| columns[c][j]))
            .map(|j| of_kind[j])
            .collect();
        match self.selections.lock() {
            Ok(mut selections) => cached(&selections).unwrap_or_else(|| {
                selections.push((selector.clone(), Arc::clone(&found)));
                found
            }),
            Err(_) => found,
        }
    }

    /// What each document of `kind` (in [`of_kind`](Self::of_kind) order) has at `path`,
    /// made once and shared like the selections.
    fn column(
        &self,
        kind: Kind,
        path: &crate::controls::path::Path,
    ) -> Arc<[Option<&'a crate::model::Value>]> {
        let cached = |columns: &[Column<'a>]| {
            columns
                .iter()
                .find(|(k, p, _)| *k == kind && p == path)
                .map(|(_, _, values)| Arc::clone(values))
        };
        if let Some(found) = self.columns.lock().ok().and_then(|c| cached(&c)) {
            return found;
        }
        let documents = self.documents;
        let values: Arc<[Option<&'a crate::model::Value>]> = self
            .of_kind(kind)
            .iter()
            .map(|&i| Selector::found(path, &documents[i].value))
            .collect();
        match self.columns.lock() {
            Ok(mut columns) => cached(&columns).unwrap_or_else(|| {
                columns.push((kind, path.clone(), Arc::clone(&values)));
                values
            }),
            Err(_) => values,
        }
    }

    /// Adds what the ticket exports gave, for the `attainment` check.
    pub fn with_tickets(mut self, tickets: &'a crate::tickets::Measured) -> Self {
        self.tickets = Some(tickets);
        self
    }

    /// What the ticket exports gave, when measured.
    pub fn tickets(&self) -> Option<&'a crate::tickets::Measured> {
        self.tickets
    }

    /// Records documents that exist but could not be read (a misspelt kind, a bad envelope),
    /// by the kind and id they were meant to have: a reference to one of them is explained by
    /// the finding on that document, not reported as a reference to nothing.
    pub fn with_unreadable(mut self, documents: impl IntoIterator<Item = (Kind, String)>) -> Self {
        self.unreadable.extend(documents);
        self
    }

    /// Whether a document of `kind` with `id` exists but could not be read.
    pub fn is_unreadable(&self, kind: Kind, id: &str) -> bool {
        self.unreadable.contains(&(kind, id.to_string()))
    }

    /// The ids of the documents of `kind`.
    pub fn ids_of(&self, kind: Kind) -> impl Iterator<Item = &'a str> + '_ {
        self.of_kind(kind)
            .iter()
            .map(|&i| self.documents[i].id.as_str())
    }

    /// The document of `kind` with `id`.
    pub fn find(&self, kind: Kind, id: &str) -> Option<&'a Document> {
        self.ids.get(&(kind, id)).map(|&i| &self.documents[i])
    }

    /// The document of each (kind, id): the first with that id.
    pub(crate) fn ids(&self) -> &crate::FastMap<(Kind, &'a str), usize> {
        &self.ids
    }

    /// Indexes of the documents of `kind`.
    pub fn of_kind(&self, kind: Kind) -> &[usize] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }
}
