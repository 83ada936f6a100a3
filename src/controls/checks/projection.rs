//! What a CEL expression can observe of a document, so that only that part is converted.
//!
//! Most expressions read a few fields (`spec.targets.priorities`, `metadata.status`), yet
//! converting a whole `spec` to CEL maps for every applicable document was the largest cost
//! of a check. The expression's syntax tree says which fields can be observed: a chain of
//! field selections from a variable (`spec.a.b`, `has(spec.a.b)`) observes only that path, and
//! any other use of the variable or of a partial path (`spec.size()`, `spec[k]`, `spec.a ==
//! x`, a comprehension over `spec.a`) observes the value whole. A [`Projection`] is the union
//! of those observations, and [`project`] converts exactly that part: every field the
//! expression can name is there with its whole value, so the result of the evaluation is the
//! same as on the whole document.

use std::collections::BTreeMap;

use crate::model::Value;
use cel::common::ast::{EntryExpr, Expr as Node, IdedExpr, operators};
use cel::common::types::{CelMap, CelMapKey, CelNull};
use cel::common::value::Val;

use super::expr::to_val;

/// The part of a value an expression can observe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Projection {
    /// The whole value.
    Whole,
    /// Only these fields of a mapping, each with its own projection.
    Fields(BTreeMap<String, Projection>),
}

impl Projection {
    fn nothing() -> Projection {
        Projection::Fields(BTreeMap::new())
    }

    /// Adds the observation of `path` (field names from this value): the value at the end of
    /// the path is observed whole.
    fn add(&mut self, path: &[&str]) {
        let Some((first, rest)) = path.split_first() else {
            *self = Projection::Whole;
            return;
        };
        if let Projection::Fields(fields) = self {
            fields
                .entry((*first).to_string())
                .or_insert_with(Projection::nothing)
                .add(rest);
        }
    }
}

/// What expressions read of each of a set of variables (`None` for a variable never named),
/// and of the documents in collections: each kind through `index.<Kind>[id]`, and the
/// `lookup`s that map keys to documents.
///
/// A collection exposes only its keys when it is iterated (`index.Record.exists(k, …)`) or
/// searched (`x in index.Process`); `index.<Kind>[id].a.b` observes the path `a.b` of those
/// documents; any other use of the collection, or of `index` itself, observes them whole.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    variables: BTreeMap<String, Projection>,
    /// By `index.<Kind>` or by the lookup's name.
    collections: BTreeMap<String, Projection>,
    whole_index: bool,
}

impl Reads {
    /// What `programs` read of the variables `names` and of the documents of the map-valued
    /// lookups `lookups` (and of `index`).
    pub fn of<'p>(
        names: &[&str],
        lookups: &[&str],
        programs: impl IntoIterator<Item = &'p IdedExpr>,
    ) -> Reads {
        let mut reads = Reads::default();
        for root in programs {
            reads.visit(names, lookups, root);
        }
        reads
    }

    /// What is read of `name`, if it is named at all.
    pub fn get(&self, name: &str) -> Option<&Projection> {
        self.variables.get(name)
    }

    /// What is read of the documents of `kind` through `index`.
    pub fn index(&self, kind: &str) -> Projection {
        if self.whole_index {
            return Projection::Whole;
        }
        self.collection(&format!("index.{kind}"))
    }

    /// What is read of the documents of the map-valued lookup `name`.
    pub fn lookup(&self, name: &str) -> Projection {
        self.collection(name)
    }

    fn collection(&self, key: &str) -> Projection {
        self.collections
            .get(key)
            .cloned()
            .unwrap_or_else(Projection::nothing)
    }

    fn observe_collection(&mut self, key: String, path: &[&str]) {
        self.collections
            .entry(key)
            .or_insert_with(Projection::nothing)
            .add(path);
    }

    fn observe(&mut self, name: &str, path: &[&str]) {
        self.variables
            .entry(name.to_string())
            .or_insert_with(Projection::nothing)
            .add(path);
    }

    /// Walks the tree without recursion (a long chain of operators is deep).
    fn visit(&mut self, names: &[&str], lookups: &[&str], root: &IdedExpr) {
        let mut pending = vec![root];
        while let Some(e) = pending.pop() {
            match &e.expr {
                Node::Select(s) => match chain(e, lookups) {
                    Some((Root::Variable(name), path)) => {
                        if names.contains(&name) {
                            self.observe(name, &path);
                        }
                    }
                    Some((Root::Entry { collection, key }, path)) => {
                        self.observe_collection(collection, &path);
                        pending.push(key);
                    }
                    Some((Root::Collection(collection), _)) => {
                        self.observe_collection(collection, &[]);
                    }
                    None => pending.push(&s.operand),
                },
                Node::Ident(name) => {
                    if name == "index" {
                        self.whole_index = true;
                    }
                    if names.contains(&name.as_str()) {
                        self.observe(name, &[]);
                    }
                    if lookups.contains(&name.as_str()) {
                        self.observe_collection(name.clone(), &[]);
                    }
                }
                Node::Call(call) => {
                    if let Some((Root::Entry { collection, key }, _)) = chain(e, lookups) {
                        self.observe_collection(collection, &[]);
                        pending.push(key);
                        continue;
                    }
                    // `x in index.<Kind>` tests an id: only the keys are observed.
                    if call.func_name == operators::IN
                        && let [needle, haystack] = call.args.as_slice()
                        && collection(haystack, lookups).is_some()
                    {
                        pending.push(needle);
                        continue;
                    }
                    pending.extend(call.target.iter().map(|t| t.as_ref()));
                    pending.extend(call.args.iter());
                }
                Node::Comprehension(c) => {
                    // Iterating a collection with one variable visits its keys only.
                    if c.iter_var2.is_some() || collection(&c.iter_range, lookups).is_none() {
                        pending.push(&c.iter_range);
                    }
                    pending.extend([&c.accu_init, &c.loop_cond, &c.loop_step, &c.result]);
                }
                Node::List(list) => pending.extend(list.elements.iter()),
                Node::Map(map) => {
                    for entry in &map.entries {
                        if let EntryExpr::MapEntry(m) = &entry.expr {
                            pending.push(&m.key);
                            pending.push(&m.value);
                        }
                    }
                }
                Node::Struct(s) => {
                    for entry in &s.entries {
                        match &entry.expr {
                            EntryExpr::StructField(f) => pending.push(&f.value),
                            EntryExpr::MapEntry(m) => {
                                pending.push(&m.key);
                                pending.push(&m.value);
                            }
                        }
                    }
                }
                Node::Unspecified | Node::Literal(_) => {}
            }
        }
    }
}

/// Where a chain of field selections starts.
enum Root<'e> {
    /// An identifier: `spec` in `spec.a.b`.
    Variable(&'e str),
    /// A document of a collection: `index.Process[key]` in `index.Process[key].spec.a`.
    Entry {
        collection: String,
        key: &'e IdedExpr,
    },
    /// A collection used as a value: `index.Process` (not iterated or searched).
    Collection(String),
}

/// `index.<Kind>` (as `index.<Kind>`) or a map-valued lookup named in `lookups`.
fn collection(e: &IdedExpr, lookups: &[&str]) -> Option<String> {
    match &e.expr {
        Node::Select(s) if !s.test => match &s.operand.expr {
            Node::Ident(name) if name == "index" => Some(format!("index.{}", s.field)),
            _ => None,
        },
        Node::Ident(name) if lookups.contains(&name.as_str()) => Some(name.clone()),
        _ => None,
    }
}

/// `a.b.c` (or `has(a.b.c)`) as its root `a` and the path `[b, c]`; `None` when the chain
/// does not start at an identifier or a document of a collection.
fn chain<'e>(e: &'e IdedExpr, lookups: &[&str]) -> Option<(Root<'e>, Vec<&'e str>)> {
    let mut path = Vec::new();
    let mut at = e;
    loop {
        if let Some(c) = collection(at, lookups) {
            path.reverse();
            return Some((Root::Collection(c), path));
        }
        match &at.expr {
            Node::Select(s) => {
                path.push(s.field.as_str());
                at = &s.operand;
            }
            Node::Ident(name) => {
                path.reverse();
                return Some((Root::Variable(name.as_str()), path));
            }
            Node::Call(call) if call.func_name == operators::INDEX && call.target.is_none() => {
                let [map, key] = call.args.as_slice() else {
                    return None;
                };
                let collection = collection(map, lookups)?;
                path.reverse();
                return Some((Root::Entry { collection, key }, path));
            }
            _ => return None,
        }
    }
}

/// `value` as CEL, converting only what `projection` observes (borrowing strings as
/// [`to_val`] does). A value that is not a mapping is converted whole: selecting a field of it
/// fails the same way whatever it holds.
pub fn project<'a>(value: &'a Value, projection: &Projection) -> Box<dyn Val + 'a> {
    match (projection, value) {
        (Projection::Fields(fields), Value::Object(map)) => Box::new(CelMap::from(
            fields
                .iter()
                .filter_map(|(k, p)| {
                    let (key, v) = map.get_key_value(k)?;
                    Some((CelMapKey::from(&**key), project(v, p)))
                })
                .collect::<std::collections::HashMap<_, _>>(),
        )),
        _ => to_val(value),
    }
}

/// `project` of an optional value: CEL null when absent.
pub fn project_or_null<'a>(value: Option<&'a Value>, projection: &Projection) -> Box<dyn Val + 'a> {
    match value {
        Some(v) => project(v, projection),
        None => Box::new(CelNull),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(source: &str) -> Reads {
        let program = cel::Program::compile(source).expect("compiles");
        Reads::of(
            &["spec", "metadata", "item"],
            &["reports"],
            [program.expression()],
        )
    }

    fn fields(pairs: &[(&str, Projection)]) -> Projection {
        Projection::Fields(
            pairs
                .iter()
                .map(|(k, p)| ((*k).to_string(), p.clone()))
                .collect(),
        )
    }

    #[test]
    fn a_chain_of_fields_observes_its_path_and_other_uses_observe_the_whole() {
        let r = reads("spec.a.b > 1 && has(spec.c.d) && metadata.size() > 0");
        assert_eq!(
            r.get("spec"),
            Some(&fields(&[
                ("a", fields(&[("b", Projection::Whole)])),
                ("c", fields(&[("d", Projection::Whole)])),
            ]))
        );
        assert_eq!(r.get("metadata"), Some(&Projection::Whole));
        assert_eq!(r.get("item"), None);
        // A shorter path observes the value whole, even if a longer one is also read.
        let r = reads("spec.a.b == 1 && spec.a == {}");
        assert_eq!(r.get("spec"), Some(&fields(&[("a", Projection::Whole)])));
        // Indexing, comprehensions and functions observe the value at the end of the chain.
        let r = reads("spec.list.all(x, x.y in spec.m) && spec['k'] == 1");
        assert_eq!(r.get("spec"), Some(&Projection::Whole));
    }

    #[test]
    fn documents_read_through_the_index_are_projected_and_ids_alone_read_nothing() {
        let r = reads(
            "index.Record.exists(k, index.Record[k].spec.type == 'x' && has(index.Record[k].spec.date)) \
             && spec.p in index.Process && index.Process[spec.p].metadata.owner != ''",
        );
        assert_eq!(
            r.index("Record"),
            fields(&[(
                "spec",
                fields(&[("type", Projection::Whole), ("date", Projection::Whole)])
            )])
        );
        assert_eq!(
            r.index("Process"),
            fields(&[("metadata", fields(&[("owner", Projection::Whole)]))])
        );
        assert_eq!(r.index("Service"), fields(&[]));
        // The key expression is read as usual.
        assert_eq!(r.get("spec"), Some(&fields(&[("p", Projection::Whole)])));
        // A document used whole, a kind used as a value, two-variable iteration, `index` itself.
        for source in [
            "index.Process['a'] != null",
            "size(index.Process) > 0",
            "index.Process.all(k, v, v.spec.x == 1)",
            "index['Process'].size() > 0",
        ] {
            assert_eq!(
                reads(source).index("Process"),
                Projection::Whole,
                "{source}"
            );
        }
    }

    #[test]
    fn lookups_that_map_keys_to_documents_are_collections() {
        let r = reads("spec.s.all(s, s in reports && reports[s].spec.date >= as_of)");
        assert_eq!(
            r.lookup("reports"),
            fields(&[("spec", fields(&[("date", Projection::Whole)]))])
        );
        assert_eq!(
            reads("reports.all(k, k != '')").lookup("reports"),
            fields(&[])
        );
        assert_eq!(
            reads("size(reports['a']) > 0").lookup("reports"),
            Projection::Whole
        );
        assert_eq!(reads("reports == {}").lookup("reports"), Projection::Whole);
    }

    #[test]
    fn a_projected_value_keeps_every_observed_field_whole() {
        let value = Value::from_json(
            &serde_json::json!({"a": {"b": 1, "x": [1, 2]}, "c": "text", "z": {"q": 1}}),
        );
        let projection = fields(&[
            ("a", fields(&[("b", Projection::Whole)])),
            ("c", fields(&[("d", Projection::Whole)])),
            ("missing", Projection::Whole),
        ]);
        let got = project(&value, &projection);
        let expected = Value::from_json(&serde_json::json!({"a": {"b": 1}, "c": "text"}));
        let want = to_val(&expected);
        assert!(got.equals(want.as_ref()), "{got:?}");
    }
}
