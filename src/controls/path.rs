//! Paths into documents, as written in controls: `spec.services[*]`, `spec.change_types.*.approval_authority`,
//! `metadata.id`.
//!
//! A path is a dotted list of keys; `[*]` selects every item of a list, `[N]` one item, and a
//! `*` segment every value of a mapping. Selecting returns each matching value with its JSON
//! pointer, so findings can point at it.

use std::fmt;

use crate::model::Value;

use crate::load::yaml::escape_token;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
    AnyItem,
    AnyValue,
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    text: String,
    segments: Vec<Segment>,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Path {
    /// Parses `text`; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Path, String> {
        if text.is_empty() {
            return Err("path is empty".into());
        }
        let mut segments = Vec::new();
        for part in text.split('.') {
            let (name, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            match name {
                "" if rest.is_empty() => return Err(format!("path `{text}` has an empty segment")),
                "" => {}
                "*" => segments.push(Segment::AnyValue),
                _ => segments.push(Segment::Key(name.to_string())),
            }
            while !rest.is_empty() {
                let end = rest
                    .find(']')
                    .ok_or_else(|| format!("path `{text}` has an unclosed `[`"))?;
                let inner = &rest[1..end];
                segments.push(match inner {
                    "*" => Segment::AnyItem,
                    n => Segment::Index(n.parse().map_err(|_| {
                        format!("path `{text}`: `[{n}]` is neither `[*]` nor an index")
                    })?),
                });
                rest = &rest[end + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(format!("path `{text}`: expected `.` or `[` after `]`"));
                }
            }
        }
        Ok(Path {
            text: text.to_string(),
            segments,
        })
    }

    /// The text of the path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Every value the path selects in `root`, with its JSON pointer.
    pub fn select<'v>(&self, root: &'v Value) -> Vec<(String, &'v Value)> {
        let mut current = vec![(String::new(), root)];
        for segment in &self.segments {
            let mut next = Vec::new();
            for (pointer, value) in current {
                match (segment, value) {
                    (Segment::Key(k), Value::Object(map)) => {
                        if let Some(v) = map.get(k) {
                            next.push((format!("{pointer}/{}", escape_token(k)), v));
                        }
                    }
                    (Segment::Index(i), Value::Array(items)) => {
                        if let Some(v) = items.get(*i) {
                            next.push((format!("{pointer}/{i}"), v));
                        }
                    }
                    (Segment::AnyItem, Value::Array(items)) => {
                        next.extend(
                            items
                                .iter()
                                .enumerate()
                                .map(|(i, v)| (format!("{pointer}/{i}"), v)),
                        );
                    }
                    (Segment::AnyValue, Value::Object(map)) => {
                        next.extend(
                            map.iter()
                                .map(|(k, v)| (format!("{pointer}/{}", escape_token(k)), v)),
                        );
                    }
                    _ => {}
                }
            }
            current = next;
        }
        current
    }

    /// The first value the path selects, if any (without building pointers: selectors call
    /// this for every document).
    pub fn first<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        fn walk<'v>(segments: &[Segment], value: &'v Value) -> Option<&'v Value> {
            let Some((head, rest)) = segments.split_first() else {
                return Some(value);
            };
            match (head, value) {
                (Segment::Key(k), Value::Object(map)) => walk(rest, map.get(k)?),
                (Segment::Index(i), Value::Array(items)) => walk(rest, items.get(*i)?),
                (Segment::AnyItem, Value::Array(items)) => items.iter().find_map(|v| walk(rest, v)),
                (Segment::AnyValue, Value::Object(map)) => map.values().find_map(|v| walk(rest, v)),
                _ => None,
            }
        }
        walk(&self.segments, root)
    }

    /// The JSON pointer of the deepest fixed prefix of the path (used to point at the parent
    /// of a missing value).
    pub fn fixed_prefix_pointer(&self) -> String {
        let mut pointer = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Key(k) => {
                    pointer.push('/');
                    pointer.push_str(&escape_token(k));
                }
                Segment::Index(i) => pointer.push_str(&format!("/{i}")),
                Segment::AnyItem | Segment::AnyValue => break,
            }
        }
        pointer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_with_wildcards() {
        let doc = Value::from_json(
            &json!({"spec": {"types": {"a": {"x": 1}, "b": {"x": 2}}, "list": [{"y": 1}, {"y": 2}, {}]}}),
        );
        let p = Path::parse("spec.types.*.x").expect("parses");
        let got: Vec<_> = p
            .select(&doc)
            .into_iter()
            .map(|(ptr, v)| (ptr, v.to_json()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/spec/types/a/x".into(), json!(1)),
                ("/spec/types/b/x".into(), json!(2))
            ]
        );
        let p = Path::parse("spec.list[*].y").expect("parses");
        assert_eq!(p.select(&doc).len(), 2);
        let p = Path::parse("spec.list[1]").expect("parses");
        assert_eq!(p.select(&doc)[0].0, "/spec/list/1");
        for text in [
            "spec.types.*.x",
            "spec.list[*].y",
            "spec.list[2].y",
            "spec.nothing",
        ] {
            let p = Path::parse(text).expect("parses");
            assert_eq!(
                p.first(&doc),
                p.select(&doc).first().map(|(_, v)| *v),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in ["", "a..b", "a[", "a[x]", "a[0]b"] {
            assert!(Path::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fixed_prefix() {
        let p = Path::parse("spec.targets.priorities[*].response").expect("parses");
        assert_eq!(p.fixed_prefix_pointer(), "/spec/targets/priorities");
    }
}
