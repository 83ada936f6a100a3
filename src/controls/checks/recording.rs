//! Which documents a check read besides the one it judges, document by document, in a gate's
//! head: the `index` entries of an `expr` check, the targets of a `reference`.
//!
//! A gate evaluates its head first, then its base, taking from the head every verdict that
//! cannot differ (see [`crate::check::Reused`]). A control that reads `index.Service` used to be
//! judged again on the whole base as soon as one Service changed, although an agreement reads
//! only the services it names. Evaluated in the head, each document's conversation with the
//! index is now recorded: the ids it looked up (found or not), or that it observed a kind's map
//! as a whole (iterated it, took its size, compared or copied it). On the base, a document
//! whose file is the same on both sides and whose recorded reads miss every changed entry is
//! judged as in the head: the evaluation is deterministic in what it reads, so reading the same
//! values it takes the same path and reaches the same verdict.
//!
//! For `expr`, the record is made by [`Recorded`], a CEL value that stands for a kind's map and
//! notes each access in a thread-local before passing it on; the map itself answers. A
//! `reference` notes each id it resolves, or every entry of the kind when one is missing (its
//! message suggests the closest id).

use std::cell::RefCell;
use std::hash::BuildHasher;

use cel::ExecutionError;
use cel::common::traits::{
    Adder, Comparer, Container, Divider, Indexer, Iterable, Modder, Multiplier, Negator, Sizer,
    Subtractor, Zeroer,
};
use cel::common::types::{CelString, Type};
use cel::common::value::{Builtin, BuiltinRef, CowVal, Val};

use crate::model::Kind;

/// What one document's evaluation read of `index`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentReads {
    /// A kind's map was observed whole: any change of that kind may change the verdict.
    pub all: bool,
    /// The entries looked up, as [`entry_key`]s.
    pub entries: Vec<u64>,
}

impl DocumentReads {
    /// Whether any read could see a change to `changed` (entry keys, see [`entry_key`]).
    pub fn touches(&self, changed: &crate::FastSet<u64>) -> bool {
        self.all || self.entries.iter().any(|e| changed.contains(e))
    }
}

/// What a control read of other documents, recorded while it judged a gate's head.
#[derive(Debug, Clone, Default)]
pub struct ControlReads {
    /// The kinds its `lookup`s read (whole selections, not recorded entry by entry).
    pub lookups: Vec<Kind>,
    /// For each document judged that read any other document (an index into the documents),
    /// what it read.
    pub documents: Vec<(usize, DocumentReads)>,
}

/// The key of the entry `id` of `kind`'s map (a hash: two entries that share one make a
/// gate judge more documents again, never fewer).
pub fn entry_key(kind: Kind, id: &str) -> u64 {
    foldhash::quality::FixedState::with_seed(0x0069_6e64_6578).hash_one((kind as u8, id))
}

thread_local! {
    /// The reads of the document being judged on this thread, while one is recorded.
    static READS: RefCell<Option<DocumentReads>> = const { RefCell::new(None) };
}

/// Records what `f` reads of the maps [`Recorded`] stands for, on this thread.
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, DocumentReads) {
    let outer = READS.replace(Some(DocumentReads::default()));
    let value = f();
    let reads = READS.replace(outer).unwrap_or_default();
    (value, reads)
}

/// Notes that the whole of a kind's map was observed.
pub fn note_all() {
    READS.with_borrow_mut(|reads| {
        if let Some(reads) = reads {
            reads.all = true;
        }
    });
}

fn note_key(kind: Kind, key: &dyn Val) {
    READS.with_borrow_mut(|reads| {
        if let Some(reads) = reads {
            match key.downcast_ref::<CelString>() {
                Some(id) => reads.entries.push(entry_key(kind, id.inner())),
                // Ids are text; another key finds nothing, but is not worth reasoning about.
                None => reads.all = true,
            }
        }
    });
}

/// `kind`'s map in `index`, noting each access (see the module's documentation). Everything
/// that is not a lookup by key is answered by the map itself after noting that the map was
/// observed whole, so the expression sees the same value it would see without the record.
#[derive(Debug)]
pub struct Recorded<'a, 'v> {
    /// The map.
    pub map: &'a (dyn Val + 'v),
    /// Its kind.
    pub kind: Kind,
}

impl Container for Recorded<'_, '_> {
    fn contains(&self, value: &dyn Val) -> Result<bool, ExecutionError> {
        note_key(self.kind, value);
        match self.map.as_container() {
            Some(map) => map.contains(value),
            None => Err(ExecutionError::function_error("in", "not a map")),
        }
    }
}

impl Indexer for Recorded<'_, '_> {
    fn get<'b, 'w>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
    where
        Self: 'w,
    {
        note_key(self.kind, idx);
        match self.map.as_indexer() {
            Some(map) => map.get(idx),
            None => Err(ExecutionError::function_error("_[_]", "not a map")),
        }
    }

    fn steal<'w>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'w>, ExecutionError>
    where
        Self: 'w,
    {
        self.get(idx).map(CowVal::into_owned)
    }
}

impl<'v> Val for Recorded<'_, 'v> {
    fn get_type(&self) -> &Type {
        self.map.get_type()
    }

    fn cel_type() -> &'static Type
    where
        Self: Sized,
    {
        &cel::common::types::MAP_TYPE
    }

    fn as_adder<'b, 'w>(&'b self) -> Option<&'b (dyn Adder + 'w)>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_adder()
    }

    fn as_comparer(&self) -> Option<&dyn Comparer> {
        note_all();
        self.map.as_comparer()
    }

    fn as_container(&self) -> Option<&dyn Container> {
        self.map.as_container().map(|_| self as &dyn Container)
    }

    fn as_divider<'b, 'w>(&'b self) -> Option<&'b (dyn Divider + 'w)>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_divider()
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        self.map.as_indexer().map(|_| self as &dyn Indexer)
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_iterable()
    }

    fn as_modder<'b, 'w>(&'b self) -> Option<&'b (dyn Modder + 'w)>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_modder()
    }

    fn as_multiplier<'b, 'w>(&'b self) -> Option<&'b (dyn Multiplier + 'w)>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_multiplier()
    }

    fn as_negator<'b, 'w>(&'b self) -> Option<&'b (dyn Negator + 'w)>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_negator()
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        note_all();
        self.map.as_sizer()
    }

    fn as_subtractor<'b, 'w>(&'b self) -> Option<&'b (dyn Subtractor + 'w)>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_subtractor()
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        note_all();
        self.map.as_zeroer()
    }

    fn equals(&self, other: &dyn Val) -> bool {
        note_all();
        self.map.equals(other)
    }

    fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
    where
        Self: 'w,
    {
        note_all();
        self.map.clone_as_boxed()
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        note_all();
        self.map.as_any()
    }

    fn as_builtin<'b, 'w>(&'b self) -> BuiltinRef<'b, 'w>
    where
        Self: 'w,
    {
        note_all();
        self.map.as_builtin()
    }

    fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
    where
        Self: 'w,
    {
        note_all();
        self.map.clone_as_boxed().into_builtin()
    }
}
