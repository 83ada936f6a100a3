//! `index.<Kind>`: the documents of a kind by id, as a CEL map that converts a document only
//! when an expression looks it up.
//!
//! Expressions mostly look entries up by id (`index.Service[item]`, `spec.calendar in
//! index.Calendar`): an agreement reads the few services it names. Converting every document
//! of every kind that some expression names, as the maps were built before, held a fifth of a
//! check's memory at 10,000 documents for entries mostly never read. Here a lookup by text
//! finds the entry through a hash map of ids and converts its document on first use, once for
//! the control, and only what the control's expression reads of it. Everything else a map answers (iteration, size of a comparison, a copy, another
//! kind of key) is answered by the plain map, built whole the first time it is needed, so every
//! answer is the one the plain map gives.

use std::sync::OnceLock;

use cel::ExecutionError;
use cel::common::traits::{Container, Indexer, Iterable, Sizer, Zeroer};
use cel::common::types::{CelInt, CelMap, CelMapKey, CelString, Type};
use cel::common::value::{Builtin, BuiltinRef, CowVal, Val};

use super::Context;
use super::projection::{self, Projection};
use crate::model::{Document, Kind};

/// The documents of one kind by id, converted as they are looked up. Built per control: ids
/// are found through the run's index of every document ([`Context`]), and only the
/// conversions are the control's.
pub struct KindIndex<'a> {
    documents: &'a [Document],
    kind: Kind,
    /// The run's index: (kind, id) → the first document with that id, which wins, as in the
    /// plain map.
    ids: &'a crate::FastMap<(Kind, &'a str), usize>,
    /// The documents of the kind, in order (indexes into `documents`).
    of_kind: &'a [usize],
    /// What the expression reads of these documents.
    projection: Projection,
    /// Per document of the kind, its conversion.
    converted: Vec<OnceLock<Box<dyn Val + 'a>>>,
    /// The plain map, for whatever is not a lookup by text.
    whole: OnceLock<CelMap<'a>>,
}

impl std::fmt::Debug for KindIndex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "index of {} {}s", self.of_kind.len(), self.kind.name())
    }
}

impl<'a> KindIndex<'a> {
    /// The index of the documents of `kind` in `ctx`, converting `projection` of each.
    pub fn new(ctx: &'a Context<'_>, kind: Kind, projection: Projection) -> Self {
        let of_kind = ctx.of_kind(kind);
        KindIndex {
            documents: ctx.documents,
            kind,
            ids: ctx.ids(),
            of_kind,
            projection,
            converted: std::iter::repeat_with(OnceLock::new)
                .take(of_kind.len())
                .collect(),
            whole: OnceLock::new(),
        }
    }

    /// The document with `id`, if one of the kind has it.
    fn document(&self, id: &str) -> Option<usize> {
        self.ids.get(&(self.kind, id)).copied()
    }

    /// The entries: one document per id, the first.
    fn entries(&self) -> impl Iterator<Item = usize> + '_ {
        self.of_kind
            .iter()
            .copied()
            .filter(|&i| self.document(&self.documents[i].id) == Some(i))
    }

    /// The conversion of document `document` (one of the kind).
    fn converted(&self, document: usize) -> Option<&(dyn Val + 'a)> {
        let at = self.of_kind.binary_search(&document).ok()?;
        let value = self.converted[at]
            .get_or_init(|| projection::project(&self.documents[document].value, &self.projection));
        Some(value.as_ref())
    }

    /// The plain map: every entry, converted afresh.
    fn whole(&self) -> &CelMap<'a> {
        self.whole.get_or_init(|| {
            let by_id: std::collections::HashMap<_, _> = self
                .entries()
                .map(|document| {
                    let d = &self.documents[document];
                    (
                        CelMapKey::from(d.id.as_str()),
                        projection::project(&d.value, &self.projection),
                    )
                })
                .collect();
            CelMap::from(by_id)
        })
    }

    /// Where `key` is, when it is text: `Some(None)` when no entry has that id.
    fn find(&self, key: &dyn Val) -> Option<Option<&(dyn Val + 'a)>> {
        let id = key.downcast_ref::<CelString>()?;
        Some(
            self.document(id.inner())
                .and_then(|document| self.converted(document)),
        )
    }
}

impl Container for KindIndex<'_> {
    /// `id in index.<Kind>`: whether an entry has that id, without converting it.
    fn contains(&self, value: &dyn Val) -> Result<bool, ExecutionError> {
        match value.downcast_ref::<CelString>() {
            Some(id) => Ok(self.document(id.inner()).is_some()),
            None => self.whole().contains(value),
        }
    }
}

impl<'a> Indexer for KindIndex<'a> {
    fn get<'b, 'w>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
    where
        Self: 'w,
    {
        match self.find(idx) {
            Some(Some(value)) => Ok(CowVal::Borrowed(value)),
            // What the plain map answers for a missing text key.
            Some(None) => Err(ExecutionError::NoSuchKey(std::sync::Arc::new(
                idx.downcast_ref::<CelString>()
                    .map(|s| s.inner().to_string())
                    .unwrap_or_default(),
            ))),
            None => self.whole().get(idx),
        }
    }

    fn steal<'w>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'w>, ExecutionError>
    where
        Self: 'w,
    {
        self.get(idx).map(CowVal::into_owned)
    }
}

impl Sizer for KindIndex<'_> {
    fn size(&self) -> CelInt {
        (self.entries().count() as i64).into()
    }
}

impl Zeroer for KindIndex<'_> {
    fn is_zero_value(&self) -> bool {
        self.of_kind.is_empty()
    }
}

impl<'a> Val for KindIndex<'a> {
    fn get_type(&self) -> &Type {
        &cel::common::types::MAP_TYPE
    }

    fn cel_type() -> &'static Type
    where
        Self: Sized,
    {
        &cel::common::types::MAP_TYPE
    }

    fn as_container(&self) -> Option<&dyn Container> {
        Some(self)
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        self.whole().as_iterable()
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        Some(self)
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        Some(self)
    }

    fn equals(&self, other: &dyn Val) -> bool {
        self.whole().equals(other)
    }

    fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
    where
        Self: 'w,
    {
        self.whole().clone_as_boxed()
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        self.whole().as_any()
    }

    fn as_builtin<'b, 'w>(&'b self) -> BuiltinRef<'b, 'w>
    where
        Self: 'w,
    {
        self.whole().as_builtin()
    }

    fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
    where
        Self: 'w,
    {
        self.whole().clone_as_boxed().into_builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use cel::context::VariableResolver;
    use serde_json::json;

    /// Binds `m` by reference, as `expr` binds `index.<Kind>`.
    struct Bound<'m, 'v>(&'m (dyn Val + 'v));

    impl VariableResolver for Bound<'_, '_> {
        fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
            (variable == "m").then_some(CowVal::Borrowed(self.0))
        }
    }

    fn run(map: &dyn Val, expression: &str) -> String {
        let program = cel::Program::compile(expression).expect("compiles");
        let bound = Bound(map);
        let mut context = cel::Context::default();
        context.set_variable_resolver(&bound);
        match program.execute(&context) {
            Ok(value) => format!("{value:?}"),
            // An error that shows a map shows it in hash order: the kind of error, and the
            // key it names.
            Err(ExecutionError::NoSuchKey(key)) => format!("no such key {key}"),
            Err(e) => format!("{e:?}")
                .split('(')
                .next()
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// Every answer of the index is the plain map's: lookups found and missing, keys of
    /// other types, size, iteration, comparison, copies. A document with a repeated id is
    /// not the one found.
    #[test]
    fn the_index_answers_as_the_plain_map() {
        let document = |id: &str, x: i64| Document {
            kind: Kind::Service,
            id: id.into(),
            path: format!("{id}.yaml"),
            index: 0,
            start: Default::default(),
            value: crate::model::Value::from_json(
                &json!({"metadata": {"id": id}, "spec": {"x": x, "y": [id]}}),
            )
            .into(),
        };
        let documents = vec![document("a", 1), document("b", 2), document("a", 3)];
        let as_of = jiff::civil::date(2026, 11, 21);
        let ctx = Context::new(&documents, as_of, &crate::controls::checks::NoCommitDates);
        let index = KindIndex::new(&ctx, Kind::Service, Projection::Whole);
        let plain = KindIndex::new(&ctx, Kind::Service, Projection::Whole);
        let plain: &dyn Val = plain.whole();
        for expression in [
            "m.a.spec.x",
            "m['b'].spec.y[0]",
            "'a' in m && !('c' in m)",
            "has(m.a.spec) && !has(m.c)",
            "m.c",
            "m['c'].spec",
            "1 in m",
            "m[1]",
            "m[1.0]",
            "m[true]",
            "[1] in m",
            "m[[1]]",
            "size(m)",
            "m.map(k, k)",
            "m.all(k, m[k].spec.x < 3)",
            "m.filter(k, k != 'a')",
            "m == {}",
            "{} == m",
            "m == m",
            "[m][0].b.spec.x",
            "{'k': m}.k.a.spec.x",
            "type(m)",
            "m + m",
            "-m",
        ] {
            assert_eq!(
                run(&index, expression),
                run(plain, expression),
                "{expression}"
            );
        }
        assert_eq!(run(&index, "m.a.spec.x"), "Int(1)");
        assert_eq!(run(&index, "m.c"), "no such key c");
        let empty = KindIndex::new(&ctx, Kind::Calendar, Projection::Whole);
        assert_eq!(run(&empty, "size(m) == 0 && m == {}"), "Bool(true)");
    }
}
