//! YAML text → JSON [`Value`] documents, with source positions.
//!
//! We drive saphyr's event parser ourselves instead of using its tree loader because its loader
//! recurses once per nesting level (a 10,000-deep document overflows the stack) and because we
//! want to build the JSON value and the JSON-pointer → position index in one pass.
//!
//! Semantics (PRODUCT.md §2): YAML 1.2 core schema (`yes`/`no`/`on`/`off` stay strings, `0755`
//! is not octal), duplicate keys are errors, aliases expand within a node budget (stops
//! "billion laughs"), nesting is bounded, and every key and value keeps its `line:column`.
//!
//! Positions are optional: loading thousands of documents does not need them, so the loader
//! records them only when asked ([`parse_with_positions`]), which happens for the few files
//! that have findings.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr::Scalar;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};
use serde_json::Number;

pub use crate::model::Value;
use crate::model::value::{CompactString, Key, Map, intern};

mod block;

/// Deepest nesting of sequences and mappings we accept. Real documents stay under 20.
pub const MAX_DEPTH: usize = 128;
/// Most nodes that alias expansion may produce in one file.
pub const ALIAS_NODE_BUDGET: usize = 100_000;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Position {
    fn from_marker(m: Marker) -> Self {
        Position {
            line: u32::try_from(m.line()).unwrap_or(u32::MAX),
            column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
        }
    }
}

/// Where a node is written: the key that introduces it (in a mapping) and the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpan {
    /// The key's position and its length in characters, when the node is a mapping value.
    pub key: Option<(Position, u32)>,
    /// The value's position.
    pub value: Position,
    /// Length of the value in characters when it is a scalar on one line, else 0.
    pub value_len: u32,
}

/// A document read from a YAML stream.
#[derive(Debug, Clone)]
pub struct YamlDocument {
    /// The document's content.
    pub value: Value,
    /// Where the document's root node starts.
    pub start: Position,
    /// JSON pointer → position, when positions were requested.
    pub spans: Option<HashMap<String, NodeSpan>>,
}

/// A YAML stream that could not be read to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What went wrong, as a lowercase phrase.
    pub message: String,
    /// Where.
    pub position: Position,
    /// How to fix this class of error.
    pub help: &'static str,
}

/// Everything read from one YAML stream: the complete documents before any error, and the error.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Documents read completely.
    pub documents: Vec<YamlDocument>,
    /// The first error, after which reading stopped.
    pub error: Option<SyntaxError>,
}

/// Reads every document of `text` without recording positions: with the block-style reader
/// when the text is in the part of YAML it takes, else with the general parser.
pub fn parse(text: &str) -> Parsed {
    match block::parse(text) {
        Some(documents) => Parsed {
            documents,
            error: None,
        },
        None => Loader::new(false).run(text),
    }
}

/// Reads every document of `text` and records the position of every key and value.
pub fn parse_with_positions(text: &str) -> Parsed {
    Loader::new(true).run(text)
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        pointer: String,
    },
    Map {
        /// The entries read, in the order written.
        entries: Vec<(Key, Value)>,
        /// The keys of a large mapping, for the duplicate check (a small one is scanned).
        seen: Option<HashSet<Key>>,
        /// The key read, waiting for its value.
        key: Option<(Key, Marker, u32)>,
        anchor: usize,
        pointer: String,
    },
}

struct Loader {
    positions: bool,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    alias_budget: usize,
    documents: Vec<YamlDocument>,
    root: Option<Value>,
    root_start: Position,
    spans: HashMap<String, NodeSpan>,
}

type Step = Result<(), SyntaxError>;

fn error(message: impl Into<String>, at: Marker) -> SyntaxError {
    let message = message.into();
    SyntaxError {
        help: help_for(&message),
        message,
        position: Position::from_marker(at),
    }
}

/// Escapes one JSON-pointer reference token (RFC 6901).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

impl Loader {
    fn new(positions: bool) -> Self {
        Loader {
            positions,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_budget: ALIAS_NODE_BUDGET,
            documents: Vec::new(),
            root: None,
            root_start: Position::default(),
            spans: HashMap::new(),
        }
    }

    fn run(mut self, text: &str) -> Parsed {
        let mut parser = Parser::new_from_str(text);
        let mut failed = None;
        for event in &mut parser {
            let step = match event {
                Ok((event, span)) => self.on_event(event, span),
                Err(e) => Err(indentation_culprit(
                    text,
                    error(
                        match e.info() {
                            "recursion limit exceeded" => {
                                "nesting is too deep (parser recursion limit exceeded)".to_string()
                            }
                            info => info.to_string(),
                        },
                        *e.marker(),
                    ),
                )),
            };
            if let Err(e) = step {
                failed = Some(e);
                break;
            }
        }
        Parsed {
            documents: self.documents,
            error: failed,
        }
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Step {
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.anchors.clear();
                self.alias_budget = ALIAS_NODE_BUDGET;
                self.root = None;
                self.spans = HashMap::new();
                Ok(())
            }
            Event::DocumentEnd => {
                let value = self.root.take().unwrap_or(Value::Null);
                let spans = self.positions.then(|| std::mem::take(&mut self.spans));
                self.documents.push(YamlDocument {
                    value,
                    start: self.root_start,
                    spans,
                });
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                let len = if span.start.line() == span.end.line() {
                    u32::try_from(span.end.index().saturating_sub(span.start.index())).unwrap_or(0)
                } else {
                    0
                };
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    let name = scalar_key(text, style, tag.as_ref(), span.start)?;
                    *key = Some((name, span.start, len));
                    if anchor > 0 {
                        // An anchored key can be aliased as a value elsewhere; keep it as text.
                        if let Some(Frame::Map {
                            key: Some((k, ..)), ..
                        }) = self.stack.last()
                        {
                            self.anchors.insert(anchor, Value::String((**k).into()));
                        }
                    }
                    return Ok(());
                }
                let value = scalar_value(text, style, tag.as_ref(), span.start)?;
                if anchor > 0 {
                    self.anchors.insert(anchor, value.clone());
                }
                self.record(span.start, len);
                self.attach(value, span.start)
            }
            Event::Alias(id) => {
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    return Err(error(
                        "an alias cannot be used as a mapping key",
                        span.start,
                    ));
                }
                let Some(value) = self.anchors.get(&id) else {
                    return Err(error("alias refers to an unknown anchor", span.start));
                };
                let nodes = count_nodes(value, self.alias_budget);
                if nodes >= self.alias_budget {
                    return Err(error(
                        format!(
                            "alias expansion exceeds {ALIAS_NODE_BUDGET} nodes (possible \"billion laughs\" document)"
                        ),
                        span.start,
                    ));
                }
                self.alias_budget -= nodes;
                let value = value.clone();
                self.record(span.start, 0);
                self.attach(value, span.start)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
                    return Err(error(
                        "a sequence or mapping cannot be used as a mapping key",
                        span.start,
                    ));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(error(
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                        span.start,
                    ));
                }
                self.record(span.start, 0);
                let pointer = if self.positions {
                    self.child_pointer()
                } else {
                    String::new()
                };
                if self.stack.is_empty() {
                    self.root_start = Position::from_marker(span.start);
                }
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq {
                            items: Vec::new(),
                            anchor,
                            pointer,
                        }
                    } else {
                        Frame::Map {
                            entries: Vec::new(),
                            seen: None,
                            key: None,
                            anchor,
                            pointer,
                        }
                    });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    // Documents are kept for the whole run: drop the growth slack.
                    Some(Frame::Seq { items, anchor, .. }) => {
                        (Value::Array(items.into_boxed_slice()), anchor)
                    }
                    Some(Frame::Map {
                        entries, anchor, ..
                    }) => (Value::Object(Map::from_unique(entries)), anchor),
                    None => return Err(error("unbalanced end of collection", span.start)),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, value.clone());
                }
                self.attach(value, span.start)
            }
        }
    }

    /// The pointer of the node about to be attached to the current collection.
    fn child_pointer(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq { items, pointer, .. }) => format!("{pointer}/{}", items.len()),
            Some(Frame::Map { key, pointer, .. }) => {
                let k = key.as_ref().map(|(k, ..)| &**k).unwrap_or_default();
                format!("{pointer}/{}", escape_token(k))
            }
        }
    }

    /// Records where the node about to be attached is written.
    fn record(&mut self, at: Marker, len: u32) {
        if self.stack.is_empty() {
            self.root_start = Position::from_marker(at);
        }
        if !self.positions {
            return;
        }
        let key = match self.stack.last() {
            Some(Frame::Map {
                key: Some((_, m, l)),
                ..
            }) => Some((Position::from_marker(*m), *l)),
            _ => None,
        };
        let pointer = self.child_pointer();
        self.spans.insert(
            pointer,
            NodeSpan {
                key,
                value: Position::from_marker(at),
                value_len: len,
            },
        );
    }

    fn attach(&mut self, value: Value, at: Marker) -> Step {
        match self.stack.last_mut() {
            None => {
                self.root = Some(value);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(value);
                Ok(())
            }
            Some(Frame::Map {
                entries, seen, key, ..
            }) => {
                let Some((name, key_at, _)) = key.take() else {
                    return Err(error("a mapping key must be a scalar", at));
                };
                // A scan is quicker than hashing for the few keys of a policy mapping; a set
                // keeps a mapping of many keys linear.
                const SCANNED: usize = 16;
                let duplicate = match seen {
                    Some(seen) => !seen.insert(name.clone()),
                    None if entries.len() < SCANNED => entries.iter().any(|(k, _)| *k == name),
                    None => {
                        let set: &mut HashSet<Key> =
                            seen.insert(entries.iter().map(|(k, _)| k.clone()).collect());
                        !set.insert(name.clone())
                    }
                };
                if duplicate {
                    return Err(error(format!("duplicate key `{name}`"), key_at));
                }
                entries.push((name, value));
                Ok(())
            }
        }
    }
}

/// Help for each class of syntax error, chosen from the parser's message.
fn help_for(message: &str) -> &'static str {
    const CLASSES: &[(&[&str], &str)] = &[
        (
            &["duplicate key"],
            "YAML forbids a key twice in one mapping: keep one of the two entries.",
        ),
        (
            &["tab"],
            "Indent with spaces: YAML does not allow tabs for indentation.",
        ),
        (
            &["alias", "anchor"],
            "Define an anchor (`&name`) before an alias (`*name`) uses it; an alias may not expand to more than 100,000 nodes.",
        ),
        (
            &["nesting"],
            "Flatten the structure: documents may nest at most 128 levels.",
        ),
        (
            &[
                "quoted scalar",
                "unexpected end of stream",
                "flow",
                "bracket",
                "','",
                "illegal placement",
            ],
            "Close the quote, `[` or `{` that starts here; inside quotes, escape a quote of the same kind (`\"` in double quotes, `''` in single quotes).",
        ),
        (
            &[
                "indentation",
                "expected key",
                "mapping values are not allowed",
                "'-' indicator",
                "simple key",
                "document start",
                "block",
            ],
            "Indent every key of a mapping, and every item of a list, by the same number of spaces; a plain value that contains `: ` must be quoted.",
        ),
    ];
    CLASSES
        .iter()
        .find(|(needles, _)| needles.iter().any(|n| message.contains(n)))
        .map_or(
            "Fix the syntax at the position shown; `evident schema --out schemas/` gives editors what they need to flag it as you type.",
            |(_, help)| help,
        )
}

/// The parser notices bad indentation where the next entry fails to continue the block, often
/// a line after the one that is wrong: `   availability: 99.9` indented by 3 where its siblings
/// have 4 is reported at the sibling on the next line. When the first entry of the block
/// disagrees with the reported line, and the entries after it (or, when there are none, the
/// usual two-space step from the parent) side with the reported line, point at the first entry.
fn indentation_culprit(text: &str, e: SyntaxError) -> SyntaxError {
    const CLASS: &[&str] = &[
        "did not find expected key",
        "mapping values are not allowed",
        "did not find expected '-' indicator",
        "did not find expected <document start>",
    ];
    if !CLASS.iter().any(|c| e.message.contains(c)) {
        return e;
    }
    let lines: Vec<&str> = text.lines().collect();
    let reported = e.position.line as usize;
    let Some(l) = reported.checked_sub(1).filter(|&l| l < lines.len()) else {
        return e;
    };
    let content = |i: usize| {
        let t = lines[i].trim_start_matches(' ');
        !t.is_empty() && !t.starts_with('#')
    };
    let indent = |i: usize| lines[i].len() - lines[i].trim_start_matches(' ').len();
    let is_item = |i: usize| lines[i].trim_start_matches(' ').starts_with('-');
    let opens = |i: usize| {
        let line = lines[i];
        let t = line.split(" #").next().unwrap_or(line).trim_end();
        t.ends_with(':')
    };
    let at = indent(l);
    // Walk back to the block's parent, keeping the block's first entry.
    let mut first: Option<usize> = None;
    let mut parent: Option<usize> = None;
    let mut i = l;
    while let Some(q) = i.checked_sub(1) {
        i = q;
        if !content(q) {
            continue;
        }
        let ind = indent(q);
        if ind == at {
            return e; // A sibling agrees with the reported line: the problem is on it.
        }
        if ind > at {
            first = Some(q);
            continue;
        }
        if opens(q) {
            parent = Some(q);
        } else {
            // An entry that cannot hold the reported line: a suspect only if it began its block.
            let before = (0..q).rev().find(|&b| content(b));
            if first.is_some() || before.is_some_and(|b| indent(b) >= ind) {
                return e;
            }
            first = Some(q);
            parent = before;
        }
        break;
    }
    let Some(p) = first.filter(|&p| is_item(p) == is_item(l)) else {
        return e;
    };
    let (ind_p, widest) = (indent(p), indent(p).max(at));
    // The next entry of the same kind (a key, or a list item) at the block's level.
    let is_key = |i: usize| {
        let t = lines[i].trim();
        !t.starts_with('-') && (t.contains(": ") || t.ends_with(':'))
    };
    let same_kind = |n: usize| is_item(n) == is_item(l) && is_key(n) == is_key(l);
    let next = (l + 1..lines.len()).find(|&n| content(n) && indent(n) <= widest && same_kind(n));
    let p_is_wrong = match next.map(indent) {
        Some(n) if n == at => true,
        Some(n) if n == ind_p => false,
        // No later sibling to decide: the usual two-space step from the parent does.
        _ => {
            let expected = parent.map_or(0, |q| indent(q) + 2);
            at == expected && ind_p != expected
        }
    };
    if p_is_wrong {
        moved(e, p, lines[p], reported, at)
    } else {
        e
    }
}

fn moved(e: SyntaxError, line: usize, text: &str, reported: usize, at: usize) -> SyntaxError {
    let ind = text.len() - text.trim_start_matches(' ').len();
    SyntaxError {
        message: format!(
            "bad indentation: this entry is indented by {ind} spaces, the entry at line {reported} by {at} (the YAML parser stopped at {reported}:{}: {})",
            e.position.column, e.message
        ),
        position: Position {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(ind + 1).unwrap_or(u32::MAX),
        },
        help: e.help,
    }
}

/// Counts the nodes of `value`, stopping once `budget` is reached.
fn count_nodes(value: &Value, budget: usize) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        count += 1;
        if count >= budget {
            return count;
        }
        match v {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    count
}

fn resolve<'a>(
    text: Cow<'a, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'a, Tag>>,
    at: Marker,
) -> Result<Scalar<'a>, SyntaxError> {
    // Only a tagged scalar can fail to resolve (`!!int abc`); keep its text for the message.
    // Untagged ones — nearly all — are resolved without copying.
    let shown = tag.map(|_| text.to_string());
    Scalar::parse_from_cow_and_metadata(text, style, tag).ok_or_else(|| {
        let tag = tag.map(|t| t.to_string()).unwrap_or_default();
        error(
            format!("`{}` cannot be read as {tag}", shown.unwrap_or_default()),
            at,
        )
    })
}

/// How YAML writes a float that JSON cannot hold.
fn non_finite(f: f64) -> &'static str {
    if f.is_nan() {
        ".nan"
    } else if f > 0.0 {
        ".inf"
    } else {
        "-.inf"
    }
}

/// A string kept for the whole run: inline when short, else without the scanner's growth slack.
fn kept(s: Cow<'_, str>) -> CompactString {
    match s {
        Cow::Borrowed(s) => CompactString::new(s),
        Cow::Owned(mut s) => {
            s.shrink_to_fit();
            CompactString::from(s)
        }
    }
}

fn scalar_value(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'_, Tag>>,
    at: Marker,
) -> Result<Value, SyntaxError> {
    Ok(match resolve(text, style, tag, at)? {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(b),
        Scalar::Integer(i) => Value::Number(i.into()),
        // JSON has no NaN or infinity: keep such values as YAML text.
        Scalar::FloatingPoint(f) => {
            let f = f.into_inner();
            Number::from_f64(f).map_or_else(|| Value::String(non_finite(f).into()), Value::Number)
        }
        Scalar::String(s) => Value::String(kept(s)),
    })
}

fn scalar_key(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Cow<'_, Tag>>,
    at: Marker,
) -> Result<Key, SyntaxError> {
    Ok(match resolve(text, style, tag, at)? {
        Scalar::String(s) => intern(&s),
        Scalar::Null => intern("null"),
        Scalar::Boolean(b) => intern(&b.to_string()),
        Scalar::Integer(i) => intern(&i.to_string()),
        Scalar::FloatingPoint(f) => {
            let f = f.into_inner();
            if f.is_finite() {
                intern(&f.to_string())
            } else {
                intern(non_finite(f))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> YamlDocument {
        let parsed = parse_with_positions(text);
        assert_eq!(parsed.error, None);
        assert_eq!(parsed.documents.len(), 1);
        parsed.documents.into_iter().next().expect("one document")
    }

    #[test]
    fn yaml_1_2_scalars() {
        let doc = one("a: yes\nb: no\nc: 0755\nd: 0o17\ne: 1.5\nf: ~\ng: '12'\nh: 2026-05-14\n");
        assert_eq!(
            doc.value,
            json!({"a": "yes", "b": "no", "c": 755, "d": 15, "e": 1.5, "f": null, "g": "12", "h": "2026-05-14"})
        );
    }

    #[test]
    fn positions_of_keys_and_values() {
        let doc = one("metadata:\n  id: x\nspec:\n  list:\n    - a\n    - b: 1\n");
        let spans = doc.spans.expect("positions");
        let id = spans["/metadata/id"];
        assert_eq!(id.key, Some((Position { line: 2, column: 3 }, 2)));
        assert_eq!(id.value, Position { line: 2, column: 7 });
        assert_eq!(spans["/spec/list/1"].value, Position { line: 6, column: 7 });
        assert_eq!(
            spans["/spec/list/1/b"].key.map(|k| k.0),
            Some(Position { line: 6, column: 7 })
        );
        assert_eq!(doc.start, Position { line: 1, column: 1 });
    }

    #[test]
    fn several_documents_and_their_starts() {
        let parsed = parse("a: 1\n---\nb: 2\n---\n- 3\n");
        assert_eq!(parsed.error, None);
        let starts: Vec<u32> = parsed.documents.iter().map(|d| d.start.line).collect();
        assert_eq!(starts, vec![1, 3, 5]);
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let parsed = parse("a: 1\nb: 2\na: 3\n");
        let e = parsed.error.expect("error");
        assert_eq!(e.position, Position { line: 3, column: 1 });
        assert!(e.message.contains("duplicate key `a`"));
    }

    #[test]
    fn alias_bomb_stops() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&text).error.expect("error");
        assert!(e.message.contains("alias expansion"), "{}", e.message);
    }

    #[test]
    fn aliases_within_budget_expand() {
        let doc = one("base: &b {x: 1}\nother: *b\n");
        assert_eq!(doc.value, json!({"base": {"x": 1}, "other": {"x": 1}}));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse(&text).error.expect("error");
        assert!(e.message.contains("nesting"), "{}", e.message);
        let block: String = (0..10_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse(&block).error.is_some());
    }

    #[test]
    fn complete_documents_before_an_error_are_kept() {
        let parsed = parse("a: 1\n---\nb: [\n");
        assert_eq!(parsed.documents.len(), 1);
        assert!(parsed.error.is_some());
    }

    #[test]
    fn bad_indentation_points_at_the_line_that_is_wrong() {
        // The first entry of `targets` is indented by 3, its siblings by 4: the parser stops
        // at the sibling (3:15), the error points at the first entry.
        let text = "spec:\n  targets:\n   availability: 99.9\n    priorities: []\n    other: 1\n";
        let e = parse(text).error.expect("error");
        assert_eq!(e.position, Position { line: 3, column: 4 }, "{}", e.message);
        assert!(e.message.starts_with("bad indentation"), "{}", e.message);
        // Over-indented first entry, no later sibling: the two-space step decides.
        let text = "metadata:\n   id: x\n  title: y\n";
        let e = parse(text).error.expect("error");
        assert_eq!(e.position.line, 2, "{}", e.message);
        // The reported line is the wrong one: it stays.
        let text = "metadata:\n  id: x\n   title: y\n  owner: z\n";
        let e = parse(text).error.expect("error");
        assert_eq!(e.position.line, 3, "{}", e.message);
    }

    #[test]
    fn help_fits_the_error() {
        let help = |text: &str| parse(text).error.expect("error").help;
        assert!(help("a: 1\na: 2\n").contains("keep one"));
        assert!(help("a:\n\t- b\n").contains("tabs"));
        assert!(help("a: \"abc\nb: 2\n").contains("Close the quote"));
        assert!(help("a: [1, 2\nb: 2\n").contains("Close the quote"));
        assert!(help("a: *x\n").contains("anchor"));
        assert!(help("a: 1\n b: 2\nc: 3\n").contains("Indent"));
        assert!(!help("a: 1\n b: 2\nc: 3\n").contains("duplicate"));
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        let doc = one("\"a/b\": {\"c~d\": 1}\n");
        let spans = doc.spans.expect("positions");
        assert!(spans.contains_key("/a~1b/c~0d"));
    }
}
