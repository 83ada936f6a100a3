//! A fast reader for the block-style YAML that policy files are written in.
//!
//! Reading YAML was a third of a check's time, most of it in the general scanner. Policy files
//! use a small part of YAML: block mappings and sequences, one-line plain and quoted scalars,
//! one-line flow collections, `|` and `>` block scalars, comments and `---`. This reader takes
//! that part line by line and gives up (`None`) on anything else — a tab, an anchor, a tag, a
//! multi-line plain or quoted scalar, an escape, a keep-chomped or indented-header block
//! scalar, a duplicate key, anything that would be an error — and the caller then reads the
//! text with the general parser, which also reports errors. Scalars are typed by the same
//! function as there (YAML 1.2 core schema), so a document read here equals the general
//! parser's reading; a test compares both on every YAML file of the project and on thousands of
//! mutations of them.

use std::borrow::Cow;

use saphyr_parser::{Marker, ScalarStyle};

use super::{Position, YamlDocument, scalar_key, scalar_value};
use crate::model::value::{CompactString, Key, Map, Value, intern};

/// Nesting beyond which this reader leaves the text to the general parser.
const MAX_DEPTH: usize = 64;

/// The documents of `text`, or `None` when it is not entirely in the subset this reader takes.
pub(super) fn parse(text: &str) -> Option<Vec<YamlDocument>> {
    if !plain_text(text) {
        return None;
    }
    let mut reader = Reader {
        lines: text.split('\n').collect(),
        at: 0,
        depth: 0,
    };
    let mut documents = Vec::new();
    loop {
        reader.skip_insignificant();
        let Some(line) = reader.line() else { break };
        if line.starts_with("...") || line.starts_with('%') {
            return None;
        }
        if document_marker(line) {
            // An explicit start: an empty document, or one whose content follows.
            reader.at += 1;
            reader.skip_insignificant();
            match reader.line() {
                Some(next) if !document_marker(next) => {}
                _ => return None,
            }
            continue;
        }
        let indent = indentation(line);
        let start = Position {
            line: u32::try_from(reader.at + 1).ok()?,
            column: u32::try_from(indent + 1).ok()?,
        };
        let value = reader.block(indent)?;
        reader.skip_insignificant();
        if let Some(next) = reader.line()
            && !document_marker(next)
        {
            return None;
        }
        documents.push(YamlDocument {
            value,
            start,
            spans: None,
        });
    }
    Some(documents)
}

/// No tab, carriage return, control character, byte order mark or line separator other than
/// `\n`: text where columns and line breaks mean the same to every YAML reader.
fn plain_text(text: &str) -> bool {
    let bytes_ok = text.bytes().all(|b| b == b'\n' || (b >= 0x20 && b != 0x7f));
    bytes_ok
        && (text.is_ascii()
            || !text.chars().any(|c| {
                matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{feff}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn document_marker(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.trim_end_matches(' ').is_empty())
}

/// A line that is blank or only a comment.
fn insignificant(line: &str) -> bool {
    let content = line.trim_start_matches(' ');
    content.is_empty() || content.starts_with('#')
}

/// `- …` or `-`: a block sequence entry.
fn entry(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// What follows a value on its line: nothing, or a comment after a space.
fn rest_is_empty(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

fn plain(text: &str) -> Option<Value> {
    scalar_value(
        Cow::Borrowed(text),
        ScalarStyle::Plain,
        None,
        Marker::default(),
    )
    .ok()
}

fn string(text: Cow<'_, str>) -> Value {
    Value::String(match text {
        Cow::Borrowed(s) => CompactString::new(s),
        Cow::Owned(s) => CompactString::from(s),
    })
}

/// Where the first ` #` of `text` starts (a comment), and whether a `: ` comes before it:
/// one look at each space, where two substring searches took a hundredth of a check's time.
fn spaces(text: &str) -> (Option<usize>, bool) {
    let bytes = text.as_bytes();
    let mut colon = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b' ' {
            continue;
        }
        if bytes.get(i + 1) == Some(&b'#') {
            return (Some(i), colon);
        }
        colon |= i > 0 && bytes[i - 1] == b':';
    }
    (None, colon)
}

/// A plain scalar may not start with an indicator, except `-`, `?` and `:` before a
/// non-space.
fn plain_start(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        None => false,
        Some('-' | '?' | ':') => chars.next().is_some_and(|c| c != ' '),
        Some(c) => !"[]{},#&*!|>'\"%@`".contains(c),
    }
}

/// A quoted scalar at the start of `text` (which starts with its quote): its value and what
/// follows the closing quote. `None` for a scalar that does not close on this line or, in
/// double quotes, has an escape.
fn quoted(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let quote = text.chars().next()?;
    let body = &text[1..];
    if quote == '"' {
        let end = body.find(['"', '\\'])?;
        if body.as_bytes()[end] == b'\\' {
            return None;
        }
        return Some((Cow::Borrowed(&body[..end]), &body[end + 1..]));
    }
    let mut value = String::new();
    let mut rest = body;
    loop {
        let end = rest.find('\'')?;
        value.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                value.push('\'');
                rest = after;
            }
            None => return Some((Cow::Owned(value), rest)),
        }
    }
}

/// The longest implicit key YAML allows.
const MAX_KEY: usize = 1024;

/// `key: rest` (or `key:`): the key and the text after the colon (empty, or from a space).
fn split_key(content: &str) -> Option<(Key, &str)> {
    let (key, after) = if content.starts_with(['"', '\'']) {
        let (key, after) = quoted(content)?;
        if after.len() + MAX_KEY < content.len() {
            return None;
        }
        (intern(&key), after.strip_prefix(':')?)
    } else {
        let bytes = content.as_bytes();
        let colon = (0..bytes.len())
            .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| b == b' '))?;
        let text = content[..colon].trim_end_matches(' ');
        if !plain_start(text) || text.contains(" #") || text.len() > MAX_KEY {
            return None;
        }
        let key = scalar_key(
            Cow::Borrowed(text),
            ScalarStyle::Plain,
            None,
            Marker::default(),
        )
        .ok()?;
        (key, &content[colon + 1..])
    };
    (after.is_empty() || after.starts_with(' ')).then_some((key, after))
}

struct Reader<'t> {
    lines: Vec<&'t str>,
    at: usize,
    depth: usize,
}

impl<'t> Reader<'t> {
    fn line(&self) -> Option<&'t str> {
        self.lines.get(self.at).copied()
    }

    fn skip_insignificant(&mut self) {
        while self.line().is_some_and(insignificant) {
            self.at += 1;
        }
    }

    /// The next line that is not blank or a comment, without moving.
    fn peek_significant(&self) -> Option<&'t str> {
        self.lines[self.at.min(self.lines.len())..]
            .iter()
            .copied()
            .find(|l| !insignificant(l))
    }

    /// The block node whose first line (the current one) is indented by `indent`.
    fn block(&mut self, indent: usize) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let content = &self.line()?[indent..];
        let value = if entry(content) {
            self.sequence(indent)
        } else {
            self.mapping(indent, None)
        };
        self.depth -= 1;
        value
    }

    /// The next significant line, from `indent` on, when it is indented by exactly `indent`
    /// (not taken); `Some(None)` where the block ends (a line indented less, a document
    /// marker, the end of the text); `None` for a line indented more, which the reader leaves
    /// to the general parser.
    fn line_at(&mut self, indent: usize) -> Option<Option<&'t str>> {
        self.skip_insignificant();
        let Some(line) = self.line() else {
            return Some(None);
        };
        let here = indentation(line);
        if here < indent || document_marker(line) {
            return Some(None);
        }
        (here == indent).then(|| Some(&line[indent..]))
    }

    /// A block sequence whose entries are indented by `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some(content) = self.line_at(indent)? {
            if !entry(content) {
                break;
            }
            let after = &content[1..];
            let item = after.trim_start_matches(' ');
            let column = indent + 1 + (after.len() - item.len());
            self.at += 1;
            let value = if rest_is_empty(after) {
                self.nested(indent, false)?
            } else if entry(item) {
                return None;
            } else if split_key(item).is_some() {
                self.depth += 1;
                let map = self.mapping(column, Some(item))?;
                self.depth -= 1;
                map
            } else {
                self.inline(item, indent)?
            };
            items.push(value);
        }
        Some(Value::Array(items.into_boxed_slice()))
    }

    /// A block mapping whose keys are indented by `indent`; `first` is its first entry when it
    /// is written on the line of a sequence entry (`- key: value`).
    fn mapping(&mut self, indent: usize, mut first: Option<&'t str>) -> Option<Value> {
        let mut entries: Vec<(Key, Value)> = Vec::new();
        loop {
            let content = match first.take() {
                Some(content) => content,
                None => {
                    let Some(content) = self.line_at(indent)? else {
                        break;
                    };
                    self.at += 1;
                    content
                }
            };
            if entry(content) {
                return None;
            }
            let (key, after) = split_key(content)?;
            let value = if rest_is_empty(after) {
                self.nested(indent, true)?
            } else {
                self.inline(after.trim_start_matches(' '), indent)?
            };
            entries.push((key, value));
        }
        Map::from_entries(entries).ok().map(Value::Object)
    }

    /// The value of a key or sequence entry written on the lines after it: a block node
    /// indented more than `parent`, a sequence at the key's own indentation (`in_mapping`), or
    /// nothing (null).
    fn nested(&mut self, parent: usize, in_mapping: bool) -> Option<Value> {
        let Some(next) = self.peek_significant() else {
            return Some(Value::Null);
        };
        let here = indentation(next);
        if document_marker(next) {
            return Some(Value::Null);
        }
        self.skip_insignificant();
        if here > parent {
            self.block(here)
        } else if here == parent && in_mapping && entry(&next[here..]) {
            self.depth += 1;
            let value = self.sequence(here);
            self.depth -= 1;
            value
        } else {
            Some(Value::Null)
        }
    }

    /// A value written on the line of its key or entry (`text`), whose parent is indented by
    /// `parent`: a block scalar, a flow collection, a quoted or a plain scalar.
    fn inline(&mut self, text: &'t str, parent: usize) -> Option<Value> {
        if text.starts_with(['|', '>']) {
            return self.block_scalar(text, parent);
        }
        let value = if text.starts_with(['[', '{']) {
            let mut rest = text;
            let value = flow(&mut rest, self.depth)?;
            rest_is_empty(rest).then_some(value)?
        } else if text.starts_with(['"', '\'']) {
            let (value, rest) = quoted(text)?;
            rest_is_empty(rest).then(|| string(value))?
        } else {
            let (comment, colon) = spaces(text);
            let scalar = text[..comment.unwrap_or(text.len())].trim_end_matches(' ');
            // `: ` before the comment (or ending the scalar once trimmed) would be a mapping.
            if !plain_start(scalar) || colon || scalar.ends_with(':') {
                return None;
            }
            match comment {
                None => self.plain_lines(scalar, parent)?,
                Some(_) => plain(scalar)?,
            }
        };
        // A more indented line next would continue the scalar (or be an error).
        match self.peek_significant() {
            Some(next) if indentation(next) > parent => None,
            _ => Some(value),
        }
    }

    /// A plain scalar that starts with `first` and goes on over the lines indented more than
    /// `parent` right after it, each line break read as a space (an editor's or a YAML
    /// writer's wrapping of a long line).
    fn plain_lines(&mut self, first: &str, parent: usize) -> Option<Value> {
        let mut text: Option<String> = None;
        while let Some(line) = self.line() {
            let content = line.trim_start_matches(' ');
            if indentation(line) <= parent || content.is_empty() || content.starts_with('#') {
                break;
            }
            let content = content.trim_end_matches(' ');
            if !plain_start(content)
                || content.starts_with(['-', '?', ':'])
                || spaces(content) != (None, false)
                || content.ends_with(':')
                || document_marker(line)
            {
                return None;
            }
            let text = text.get_or_insert_with(|| first.to_string());
            text.push(' ');
            text.push_str(content);
            self.at += 1;
        }
        plain(text.as_deref().unwrap_or(first))
    }

    /// `|`, `|-`, `>` or `>-` and the lines indented more than `parent` after it.
    fn block_scalar(&mut self, header: &str, parent: usize) -> Option<Value> {
        let folded = match header.trim_end_matches(' ') {
            "|" | "|-" => false,
            ">" | ">-" => true,
            _ => return None,
        };
        let strip = header.trim_end_matches(' ').ends_with('-');
        let mut lines: Vec<&str> = Vec::new();
        while let Some(line) = self.line() {
            let blank = line.trim_start_matches(' ').is_empty();
            if !blank && indentation(line) <= parent {
                break;
            }
            lines.push(line);
            self.at += 1;
        }
        while lines
            .last()
            .is_some_and(|l| l.trim_start_matches(' ').is_empty())
        {
            lines.pop();
        }
        let first = lines.first()?;
        let indent = indentation(first);
        if indent == first.len() {
            return None;
        }
        let mut text = String::new();
        let mut blank_run = 0;
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start_matches(' ').is_empty() {
                if line.len() > indent {
                    return None;
                }
                blank_run += 1;
                continue;
            }
            if indentation(line) < indent || (folded && indentation(line) > indent) {
                return None;
            }
            if i > 0 {
                if folded {
                    if blank_run == 0 {
                        text.push(' ');
                    }
                } else {
                    text.push('\n');
                }
                (0..blank_run).for_each(|_| text.push('\n'));
            }
            blank_run = 0;
            text.push_str(&line[indent..]);
        }
        if !strip {
            text.push('\n');
        }
        Some(string(Cow::Owned(text)))
    }
}

/// A flow collection or scalar at the start of `text`, all on one line; `text` is left after
/// it.
fn flow(text: &mut &str, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    *text = text.trim_start_matches(' ');
    if let Some(rest) = text.strip_prefix('[') {
        *text = rest;
        let items = flow_items(text, ']', |text| flow(text, depth + 1))?;
        return Some(Value::Array(items.into_boxed_slice()));
    }
    if let Some(rest) = text.strip_prefix('{') {
        *text = rest;
        let entries = flow_items(text, '}', |text| {
            let key = flow_key(text)?;
            *text = text.strip_prefix(": ")?.trim_start_matches(' ');
            if text.starts_with([',', '}']) {
                return None;
            }
            Some((key, flow(text, depth + 1)?))
        })?;
        return Map::from_entries(entries).ok().map(Value::Object);
    }
    if text.starts_with(['"', '\'']) {
        let (value, rest) = quoted(text)?;
        *text = rest;
        return Some(string(value));
    }
    // A plain scalar ends at a flow indicator, `: ` or a comment.
    let bytes = text.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| {
            matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}')
                || (bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| b == b' ' || b == b','))
                || (bytes[i] == b'#' && i > 0 && bytes[i - 1] == b' ')
        })
        .unwrap_or(bytes.len());
    let scalar = text[..end].trim_end_matches(' ');
    // Indicators inside a flow scalar are read differently by YAML readers: leave them.
    if !plain_start(scalar) || odd_in_flow(scalar) {
        return None;
    }
    *text = &text[end..];
    plain(scalar)
}

/// `-`, `?` or `:` after a space or at the end of a flow scalar.
fn odd_in_flow(scalar: &str) -> bool {
    scalar.ends_with(['-', '?', ':']) || [" -", " ?", " :"].iter().any(|p| scalar.contains(p))
}

/// The items of a flow collection, after its opening bracket up to and past `close`: none, or
/// `item`s separated by commas (a trailing comma is left to the general parser).
fn flow_items<T>(
    text: &mut &str,
    close: char,
    mut item: impl FnMut(&mut &str) -> Option<T>,
) -> Option<Vec<T>> {
    let mut items = Vec::new();
    *text = text.trim_start_matches(' ');
    if let Some(rest) = text.strip_prefix(close) {
        *text = rest;
        return Some(items);
    }
    loop {
        items.push(item(text)?);
        *text = text.trim_start_matches(' ');
        if let Some(rest) = text.strip_prefix(',') {
            *text = rest.trim_start_matches(' ');
            if text.starts_with(close) {
                return None;
            }
        } else if let Some(rest) = text.strip_prefix(close) {
            *text = rest;
            return Some(items);
        } else {
            return None;
        }
    }
}

/// The key of a flow mapping entry at the start of `text`, typed as a block mapping's key;
/// `text` is left at its colon.
fn flow_key(text: &mut &str) -> Option<Key> {
    if text.starts_with(['"', '\'']) {
        let (key, rest) = quoted(text)?;
        *text = rest;
        return Some(intern(&key));
    }
    let end = text.find(": ")?;
    let key = &text[..end];
    if !plain_start(key) || key.contains([',', '[', ']', '{', '}', '#']) || key.ends_with(' ') {
        return None;
    }
    *text = &text[end..];
    scalar_key(
        Cow::Borrowed(key),
        ScalarStyle::Plain,
        None,
        Marker::default(),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::Loader;
    use super::*;

    /// What the general parser reads, when it reads the whole text without error.
    fn general(text: &str) -> Option<Vec<(Value, Position)>> {
        let parsed = Loader::new(false).run(text);
        parsed.error.is_none().then(|| {
            parsed
                .documents
                .into_iter()
                .map(|d| (d.value, d.start))
                .collect()
        })
    }

    /// `None`, or exactly the general parser's documents.
    fn agrees(text: &str) -> Result<bool, String> {
        let Some(fast) = parse(text) else {
            return Ok(false);
        };
        let fast: Vec<(Value, Position)> = fast.into_iter().map(|d| (d.value, d.start)).collect();
        match general(text) {
            Some(expected) if expected == fast => Ok(true),
            Some(expected) => Err(format!("read {fast:?}, the general parser {expected:?}")),
            None => Err(format!(
                "read {fast:?}, the general parser refuses the text"
            )),
        }
    }

    fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }

    fn project_files(folders: &[&str]) -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        for folder in folders {
            yaml_files(&root.join(folder), &mut paths);
        }
        paths.sort();
        paths
            .into_iter()
            .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
            .collect()
    }

    #[test]
    fn reads_every_yaml_file_of_the_project_as_the_general_parser_does() {
        let files = project_files(&["policies", "examples", "controls", "templates", "tests"]);
        assert!(files.len() > 100, "{} files", files.len());
        let mut taken = 0;
        for (path, text) in &files {
            match agrees(text) {
                Ok(fast) => taken += usize::from(fast),
                Err(e) => panic!("{path}: {e}"),
            }
        }
        // The reference set is what the reader is for: all of it is read here.
        for (path, text) in project_files(&["policies"]) {
            assert!(
                parse(&text).is_some(),
                "{path} is left to the general parser"
            );
        }
        assert!(taken * 2 > files.len(), "{taken} of {} files", files.len());
    }

    /// `text` with every line over 60 characters broken after a space past column 40, the
    /// rest indented two more than the line's own indentation plus its `- `.
    fn wrap(text: &str) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let indent = indentation(line)
                + if line.trim_start().starts_with("- ") {
                    4
                } else {
                    2
                };
            match line.char_indices().skip(40).find(|&(_, c)| c == ' ') {
                Some((at, _)) if line.len() > 60 => {
                    out.push_str(&line[..at]);
                    out.push('\n');
                    out.push_str(&" ".repeat(indent));
                    out.push_str(&line[at + 1..]);
                }
                _ => out.push_str(line),
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn mutated_policy_files_are_read_as_the_general_parser_does_or_left_to_it() {
        const FUZZ_ROUNDS: usize = 60;
        const PIECES: &[&str] = &[
            " ",
            "  ",
            ":",
            ": ",
            "-",
            "- ",
            "#",
            " #",
            "'",
            "\"",
            "[",
            "]",
            "{",
            "}",
            ",",
            "|",
            ">",
            "|-",
            ">-",
            "\n",
            "\n\n",
            "a",
            "1",
            "1.5",
            "~",
            "true",
            "null",
            "---\n",
            "\\",
            "é",
            "key: value\n",
            "  - x\n",
            "&a ",
            "*a",
            "!!str ",
            "? ",
            "...\n",
            "''",
        ];
        let mut state: u64 = 0x0bad_cafe_dead_beef;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        let (mut taken, mut total) = (0, 0);
        let files = project_files(&["policies", "examples/acme-nonconforming"]);
        // Each file also with its long lines wrapped, as YAML writers wrap them.
        let wrapped = files
            .iter()
            .map(|(path, text)| (format!("{path} (wrapped)"), wrap(text)));
        for (path, text) in files.clone().into_iter().chain(wrapped) {
            for _ in 0..FUZZ_ROUNDS {
                let mut mutant = text.clone();
                for _ in 0..1 + next(3) {
                    let mut at = next(mutant.len() + 1);
                    while !mutant.is_char_boundary(at) {
                        at -= 1;
                    }
                    match next(4) {
                        0 => mutant.insert_str(at, PIECES[next(PIECES.len())]),
                        1 => {
                            let mut end = (at + 1 + next(8)).min(mutant.len());
                            while !mutant.is_char_boundary(end) {
                                end += 1;
                            }
                            mutant.replace_range(at..end, "");
                        }
                        2 => {
                            // Re-indent a line.
                            let start = mutant[..at].rfind('\n').map_or(0, |i| i + 1);
                            mutant.insert_str(start, ["  ", " ", "    "][next(3)]);
                        }
                        _ => {
                            let start = mutant[..at].rfind('\n').map_or(0, |i| i + 1);
                            let spaces = mutant[start..].len()
                                - mutant[start..].trim_start_matches(' ').len();
                            mutant.replace_range(start..start + spaces.min(next(3)), "");
                        }
                    }
                }
                total += 1;
                match agrees(&mutant) {
                    Ok(fast) => taken += usize::from(fast),
                    Err(e) => panic!("{path}, mutated:\n{mutant}\n{e}"),
                }
            }
        }
        // Many mutants are still in the subset: the comparison is not vacuous.
        assert!(taken * 10 > total, "{taken} of {total} mutants read here");
    }

    #[test]
    fn block_scalars_fold_and_chomp() {
        let text =
            "a: |\n  one\n\n  two\n\nb: >\n  one\n  two\n\n  three\nc: |-\n  x\nd: >-\n  y\n  z\n";
        assert_eq!(agrees(text), Ok(true));
        let docs = parse(text).expect("in the subset");
        assert_eq!(
            docs[0].value.get("a").and_then(Value::as_str),
            Some("one\n\ntwo\n")
        );
        assert_eq!(
            docs[0].value.get("b").and_then(Value::as_str),
            Some("one two\nthree\n")
        );
        assert_eq!(docs[0].value.get("d").and_then(Value::as_str), Some("y z"));
    }

    #[test]
    fn plain_scalars_wrapped_over_lines_are_joined_with_spaces() {
        let text = "a: one two\n  three\n    four\nb:\n- five\n  six\n- seven: eight\n    nine\n  ten: 10\n";
        assert_eq!(agrees(text), Ok(true));
        let doc = &parse(text).expect("in the subset")[0].value;
        assert_eq!(
            doc.get("a").and_then(Value::as_str),
            Some("one two three four")
        );
        assert_eq!(
            doc.pointer("/b/0").and_then(Value::as_str),
            Some("five six")
        );
        assert_eq!(
            doc.pointer("/b/1/seven").and_then(Value::as_str),
            Some("eight nine")
        );
        for text in [
            "a: one\n\n  two\n",
            "a: one # c\n  two\n",
            "a: one\n  two: 2\n",
            "a: one\n  - two\n",
            "a: one\n  # c\n  two\n",
        ] {
            assert_eq!(agrees(text), Ok(false), "{text:?}");
        }
    }

    /// `EVIDENT_YAML_DIR=… cargo test --release -- --ignored every_file_of_a_directory`: the
    /// comparison on a corpus (e.g. one from `benches/gen_corpus.py`).
    #[test]
    #[ignore = "reads a directory named by EVIDENT_YAML_DIR"]
    fn every_file_of_a_directory_is_read_as_the_general_parser_does() {
        let dir = std::env::var("EVIDENT_YAML_DIR").expect("EVIDENT_YAML_DIR");
        let mut paths = Vec::new();
        yaml_files(Path::new(&dir), &mut paths);
        let mut taken = 0;
        for path in &paths {
            let text = std::fs::read_to_string(path).expect("readable");
            match agrees(&text) {
                Ok(fast) => taken += usize::from(fast),
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
        eprintln!(
            "{taken} of {} files read by the block-style reader",
            paths.len()
        );
    }

    #[test]
    fn what_is_outside_the_subset_is_left_to_the_general_parser() {
        for text in [
            "a:\tb\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: one\n\n  two\n",
            "a: \"x\\ny\"\n",
            "a: |+\n  x\n\n",
            "a: 1\na: 2\n",
            "a: [1,\n  2]\n",
            "a: 1\r\n",
            "--- x\n",
            "? a\n: b\n",
            "plain\n",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }
}
