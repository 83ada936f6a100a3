//! The content of a document: a compact, read-only JSON tree.
//!
//! A repository of 10,000 documents holds about half a million mapping entries. As
//! `serde_json::Value` each mapping is a B-tree node (about 640 bytes for the two to six keys a
//! policy mapping has) and each key its own allocation. Here a mapping is one sorted slice of
//! entries, its keys shared ([`Key`], one pointer, interned while loading: a corpus has a few
//! hundred distinct keys), which takes a fifth of the memory and is faster to build and to search.
//! Short strings are kept inline ([`CompactString`]): half the strings of a policy are ids,
//! statuses, durations or dates.
//!
//! It keeps serde_json's semantics where they show: mappings iterate in key order, numbers are
//! [`serde_json::Number`]s, equality is structural, [`Value::pointer`] follows RFC 6901, and
//! serializing gives the bytes `serde_json::Value` would. Code that needs a
//! `serde_json::Value` (a typed deserialization, a report) converts with [`Value::to_json`].

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

pub use compact_str::CompactString;
use serde::ser::{SerializeMap, SerializeSeq};
pub use serde_json::Number;

/// A mapping key, shared between every mapping that uses it: one pointer (a mapping entry is
/// 32 bytes, where a shared `str`'s length beside its pointer made it 40: 4 MB of a check of
/// 10,000 documents). It reads as text ([`Deref`](std::ops::Deref) to `str`), and compares,
/// orders and hashes as its text does.
#[derive(Clone)]
pub struct Key(Arc<KeyText>);

/// The text a [`Key`] points to.
struct KeyText(Box<str>);

impl Key {
    /// Whether `self` and `other` are the same shared key (not only equal text).
    pub fn ptr_eq(&self, other: &Key) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Key {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0.0
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self
    }
}

impl From<&str> for Key {
    /// A key of its own; [`intern`] shares one.
    fn from(text: &str) -> Key {
        Key(Arc::new(KeyText(text.into())))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.ptr_eq(other) || **self == **other
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

/// A JSON value: what a YAML document reads as under the core schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null`, `~` or nothing.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a finite float.
    Number(Number),
    /// Text (up to 24 bytes kept inline: most ids, statuses and dates).
    String(CompactString),
    /// A sequence.
    Array(Box<[Value]>),
    /// A mapping.
    Object(Map),
}

/// A mapping: entries sorted by key, each key once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    entries: Box<[(Key, Value)]>,
}

static NULL: Value = Value::Null;

impl Value {
    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether the value is a boolean.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    /// Whether the value is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// Whether the value is text.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether the value is a sequence.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether the value is a mapping.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Whether the value is an integer that fits an `i64`.
    pub fn is_i64(&self) -> bool {
        matches!(self, Value::Number(n) if n.is_i64())
    }

    /// Whether the value is an integer that fits a `u64`.
    pub fn is_u64(&self) -> bool {
        matches!(self, Value::Number(n) if n.is_u64())
    }

    /// Whether the value is a float.
    pub fn is_f64(&self) -> bool {
        matches!(self, Value::Number(n) if n.is_f64())
    }

    /// The boolean, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text, if it is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if it is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The number as a `u64`, if it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// The number as an `f64`, if it is a number.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    /// The items, if it is a sequence.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The mapping, if it is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// The value at a JSON pointer (RFC 6901), as `serde_json::Value::pointer` finds it.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |value, token| {
            let token: Cow<'_, str> = if token.contains('~') {
                Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(token)
            };
            match value {
                Value::Object(map) => map.get(&token),
                Value::Array(items) => parse_index(&token).and_then(|i| items.get(i)),
                _ => None,
            }
        })
    }

    /// The same value as a `serde_json::Value`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The same value as a compact tree.
    pub fn from_json(value: &serde_json::Value) -> Value {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.as_str().into()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect())
            }
            // A `serde_json::Map` iterates in key order and holds each key once.
            serde_json::Value::Object(map) => Value::Object(Map {
                entries: map
                    .iter()
                    .map(|(k, v)| (Key::from(k.as_str()), Value::from_json(v)))
                    .collect(),
            }),
        }
    }
}

impl From<serde_json::Value> for Value {
    fn from(value: serde_json::Value) -> Value {
        Value::from_json(&value)
    }
}

/// An array index as RFC 6901 writes it: digits, no sign, no leading zero.
fn parse_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

impl Map {
    /// A mapping of `entries`, which may come in any order but must hold each key once.
    pub fn from_unique(mut entries: Vec<(Key, Value)>) -> Map {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        debug_assert!(entries.windows(2).all(|w| w[0].0 != w[1].0));
        Map {
            entries: entries.into_boxed_slice(),
        }
    }

    /// A mapping of `entries` in any order, or the first key written twice.
    pub fn from_entries(mut entries: Vec<(Key, Value)>) -> Result<Map, Key> {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(w[0].0.clone());
        }
        Ok(Map {
            entries: entries.into_boxed_slice(),
        })
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_key_value(key).map(|(_, v)| v)
    }

    /// The entry under `key`, with the key as stored.
    pub fn get_key_value(&self, key: &str) -> Option<(&Key, &Value)> {
        // Most mappings have a handful of keys: comparing lengths first rules out nearly all
        // of them without reading a byte; a long mapping is searched.
        const SCANNED: usize = 8;
        let found = if self.entries.len() <= SCANNED {
            self.entries
                .iter()
                .find(|(k, _)| k.len() == key.len() && **k == *key)
        } else {
            self.entries
                .binary_search_by(|(k, _)| (**k).cmp(key))
                .ok()
                .map(|i| &self.entries[i])
        };
        found.map(|(k, v)| (k, v))
    }

    /// Whether `key` is there.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Key, &Value)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Key, Value)>,
        fn(&'a (Key, Value)) -> (&'a Key, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl std::ops::Index<&str> for Value {
    type Output = Value;

    /// The value under the key, or `null` (as `serde_json::Value` indexes).
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;

    /// The item at the index, or `null`.
    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<serde_json::Value> for Value {
    /// Structural equality with a `serde_json::Value`, as if converted.
    fn eq(&self, other: &serde_json::Value) -> bool {
        match (self, other) {
            (Value::Null, serde_json::Value::Null) => true,
            (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Value::Number(a), serde_json::Value::Number(b)) => a == b,
            (Value::String(a), serde_json::Value::String(b)) => **a == **b,
            (Value::Array(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Value::Object(a), serde_json::Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|((ka, va), (kb, vb))| **ka == **kb && va == vb)
            }
            _ => false,
        }
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(text) => s.serialize_str(text),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    out.serialize_entry(&**k, v)?;
                }
                out.end()
            }
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON, or indented with `{:#}`, as `serde_json::Value` displays.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        f.write_str(&text.map_err(|_| fmt::Error)?)
    }
}

/// Keys longer than this are not interned (they are data, not field names).
const INTERNED_KEY_LEN: usize = 64;
/// Most keys one thread keeps interned.
const INTERNED_KEYS: usize = 4096;

thread_local! {
    static KEYS: RefCell<HashSet<Key, foldhash::fast::RandomState>> = RefCell::default();
}

/// `key` as a shared [`Key`]: the same allocation for every use of a short key on this thread.
pub fn intern(key: &str) -> Key {
    if key.len() > INTERNED_KEY_LEN {
        return Key::from(key);
    }
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some(k) = keys.get(key) {
            return k.clone();
        }
        let k = Key::from(key);
        if keys.len() < INTERNED_KEYS {
            keys.insert(k.clone());
        }
        k
    })
}

/// Read by the schema validator (`jsonschema`) directly, without a conversion.
pub mod schema {
    use std::borrow::Cow;

    use jsonschema::JsonType;
    use jsonschema::json::{Array, Json, Node, NodeIdentity, Object, cmp};

    use super::{Key, Map, Value};

    /// The representation `jsonschema` validates documents in.
    pub struct Compact;

    impl Json for Compact {
        type Node<'a> = &'a Value;
        type PreparedKey = String;
        type StringBuffer = Value;

        fn prepare_key(key: &str) -> String {
            key.to_owned()
        }

        fn with_string_node<T>(buffer: &mut Value, string: &str, f: impl FnOnce(&Value) -> T) -> T {
            *buffer = Value::String(string.into());
            f(buffer)
        }
    }

    impl<'a> Node<'a, Compact> for &'a Value {
        type Object = &'a Map;
        type Array = &'a [Value];
        type Number = &'a serde_json::Number;

        fn as_object(&self) -> Option<&'a Map> {
            Value::as_object(self)
        }

        fn as_array(&self) -> Option<&'a [Value]> {
            Value::as_array(self)
        }

        fn as_string(&self) -> Option<Cow<'a, str>> {
            Value::as_str(self).map(Cow::Borrowed)
        }

        fn as_number(&self) -> Option<&'a serde_json::Number> {
            Value::as_number(self)
        }

        fn as_boolean(&self) -> Option<bool> {
            Value::as_bool(self)
        }

        fn is_null(&self) -> bool {
            Value::is_null(self)
        }

        fn json_type(&self) -> JsonType {
            match self {
                Value::Null => JsonType::Null,
                Value::Bool(_) => JsonType::Boolean,
                Value::Number(_) => JsonType::Number,
                Value::String(_) => JsonType::String,
                Value::Array(_) => JsonType::Array,
                Value::Object(_) => JsonType::Object,
            }
        }

        /// `const` and `enum`: scalars compare without building a `serde_json::Value` for each
        /// document.
        fn equals_value(&self, expected: &serde_json::Value) -> bool {
            match (self, expected) {
                (Value::String(s), serde_json::Value::String(e)) => **s == **e,
                (Value::String(_), _) | (_, serde_json::Value::String(_)) => false,
                (Value::Bool(b), serde_json::Value::Bool(e)) => b == e,
                (Value::Null, serde_json::Value::Null) => true,
                _ => cmp::equal(&Value::to_json(self), expected),
            }
        }

        fn to_value(&self) -> Cow<'a, serde_json::Value> {
            Cow::Owned(Value::to_json(self))
        }

        fn identity(&self) -> Option<NodeIdentity> {
            Some(NodeIdentity::new(std::ptr::from_ref::<Value>(self) as usize))
        }
    }

    /// The entries of a mapping, keys as text.
    pub struct Members<'a>(std::slice::Iter<'a, (Key, Value)>);

    impl<'a> Iterator for Members<'a> {
        type Item = (&'a str, &'a Value);

        fn next(&mut self) -> Option<Self::Item> {
            self.0.next().map(|(k, v)| (&**k, v))
        }
    }

    impl<'a> Object<'a, Compact> for &'a Map {
        type Node = &'a Value;
        type MemberName = &'a str;
        type MembersIter = Members<'a>;

        fn len(&self) -> usize {
            Map::len(self)
        }

        fn get(&self, key: &String) -> Option<&'a Value> {
            Map::get(self, key)
        }

        fn members(&self) -> Members<'a> {
            Members(self.entries.iter())
        }
    }

    impl<'a> Array<'a, Compact> for &'a [Value] {
        type Node = &'a Value;
        type ElementsIter = std::slice::Iter<'a, Value>;

        fn len(&self) -> usize {
            <[Value]>::len(self)
        }

        fn elements(&self) -> std::slice::Iter<'a, Value> {
            (*self).iter()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        json!({
            "b": [1, -2, 2.5, "x", null, true],
            "a": {"z": {}, "y": [], "a/b": {"m~n": 1}},
            "": "empty key",
            "émoji": "🦀",
        })
    }

    #[test]
    fn converts_both_ways_and_serializes_like_serde_json() {
        let json = sample();
        let compact = Value::from_json(&json);
        assert_eq!(compact.to_json(), json);
        assert_eq!(compact, json);
        assert_eq!(
            serde_json::to_string(&compact).ok(),
            serde_json::to_string(&json).ok()
        );
        assert_eq!(
            serde_json::to_string_pretty(&compact).ok(),
            serde_json::to_string_pretty(&json).ok()
        );
        assert_eq!(compact.to_string(), json.to_string());
        assert_eq!(format!("{compact:#}"), format!("{json:#}"));
    }

    #[test]
    fn pointers_resolve_as_serde_json_resolves_them() {
        let json = sample();
        let compact = Value::from_json(&json);
        for pointer in [
            "",
            "/",
            "/b",
            "/b/0",
            "/b/5",
            "/b/6",
            "/b/01",
            "/b/+1",
            "/b/-1",
            "/a/a~1b/m~0n",
            "/a/a/b",
            "/a/z",
            "/a/z/q",
            "b",
            "/émoji",
            "/b/0/x",
        ] {
            assert_eq!(
                compact.pointer(pointer).map(Value::to_json).as_ref(),
                json.pointer(pointer),
                "{pointer}"
            );
        }
    }

    #[test]
    fn mappings_iterate_in_key_order_and_find_every_key() {
        let map = Map::from_unique(
            ["b", "a", "c", "aa", "B"]
                .into_iter()
                .map(|k| (intern(k), Value::String(k.into())))
                .collect(),
        );
        let keys: Vec<&str> = map.keys().map(|k| &**k).collect();
        assert_eq!(keys, ["B", "a", "aa", "b", "c"]);
        for k in keys {
            assert_eq!(map.get(k).and_then(Value::as_str), Some(k));
        }
        assert!(map.get("d").is_none());
    }

    #[test]
    fn short_keys_are_shared() {
        assert!(intern("metadata").ptr_eq(&intern("metadata")));
        let long = "k".repeat(INTERNED_KEY_LEN + 1);
        assert!(!intern(&long).ptr_eq(&intern(&long)));
        assert_eq!(intern(&long), intern(&long));
    }

    #[test]
    fn a_key_is_one_pointer_and_an_entry_32_bytes() {
        assert_eq!(std::mem::size_of::<Key>(), 8);
        assert_eq!(std::mem::size_of::<(Key, Value)>(), 32);
    }

    #[test]
    fn is_smaller_than_a_serde_json_value() {
        assert!(std::mem::size_of::<Value>() <= 24);
    }
}
