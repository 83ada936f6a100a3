//! `expr`: a predicate in CEL (the Common Expression Language) where JSON Schema cannot say it.
//!
//! ```yaml
//! applies_to: {kind: ServiceLevelAgreement}
//! check:
//!   expr:
//!     for_each: "spec.targets.priorities[*]"   # optional: evaluate once per selected value
//!     assert: "minutes(item.response) <= minutes(item.resolution)"
//!     message: "response target is longer than the resolution target"
//!     at: response                   # optional: where the finding points (relative to the
//!                                    # item with for_each, to the document without)
//!     detail: "item.priority + ': ' + item.response + ' > ' + item.resolution"
//! ```
//!
//! `detail` is an optional CEL expression giving a string, evaluated only when the assertion
//! fails, and appended to the message to name the values at fault.
//!
//! `lookup` binds, once per run, documents found by selector — a list, or grouped by `key` (a
//! path whose values become map keys), keeping only the `latest` by a date path if asked:
//!
//! ```yaml
//!     lookup:
//!       reports: {kind: Record, where: {spec.type: service-report}, key: "spec.services[*]", latest: spec.date}
//!     assert: "spec.services.all(s, s in reports && date_add(reports[s].spec.date, '2mo') >= as_of)"
//! ```
//!
//! Cost: only the variables an expression reads are converted to CEL (borrowing the document's
//! strings), for the expression, and dropped after it, and of each only what the expression can
//! observe (`projection`: `spec.a.b` converts `spec` with just `a.b`); `index` holds only the
//! kinds it names, bound by reference; a document of a kind is converted when the expression
//! first looks it up by id, once per control, with what the expression reads of it
//! ([`super::kind_index`]); and a `lookup` converts of its documents what the expression reads
//! of them. An expression that scans a whole kind (`index.Record.exists(...)`) for every
//! applicable document is quadratic, and converts the whole kind: use a keyed `lookup` instead.
//!
//! Variables: `doc` (the whole document), `metadata`, `spec`, `as_of` (`YYYY-MM-DD`; ISO dates
//! compare correctly as strings), `item` with `for_each`, and `index` — every document as
//! `index.<Kind>["id"]`. Functions beyond standard CEL: `minutes(duration)` → int (for `4h`,
//! `3d`, `PT4H`…), `ascending(list)` → whether the numbers or strings are in non-decreasing
//! order, `days_between(from, to)` → int, `number(x)` → the double a value such as `"97 %"` or
//! `">= 99.9"` states, `numeric(x)` → whether it states one, `meets(value, target, better)` → whether a
//! measure meets its target (a `<=`/`>` written in the target decides the direction, else `better`), `date_add(date, duration)` → `YYYY-MM-DD`
//! (calendar-aware; ISO dates compare correctly as strings), and CEL's `strings` and `lists` extensions (`join`, `flatten`, `distinct`…). An expression that fails to evaluate (a missing field, a type error) is a finding:
//! the control cannot show conformity. Guard optional fields with `has(...)`.
//!
//! Budgets: an organization's expression must not be able to take the tool down. At compile
//! time an expression is at most [`MAX_SOURCE`] bytes and [`MAX_NESTING`] levels deep (a
//! located control-file error). At evaluation, every control's expressions run on one thread
//! with a [`STACK_SIZE`] stack, and each evaluation under cel's budget (a patch of ours,
//! `vendor/cel/src/budget.rs`): [`MAX_STEPS`] nodes, strings of at most [`MAX_STRING`] bytes,
//! lists and maps of at most [`MAX_ITEMS`] entries, [`MAX_BYTES`] of values in all, and
//! [`TIME_BUDGET`] for the whole control. A budget exceeded is a finding naming the budget, and
//! the control stops there. Maps are iterated in sorted key order (the same patch), so that
//! messages built by iterating a map are the same in every run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt,
};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::objects::Value as CelValue;
use cel::{Context as CelContext, Env, ExecutionError, Program};
use serde_json::Value;

use super::kind_index::KindIndex;
use super::projection::{self, Reads};
use super::recording::{self, ControlReads, DocumentReads, Recorded};
use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;
use crate::controls::path::Path;
use crate::model::{self, duration};

/// Longest expression (`assert` or `detail`), in bytes.
pub const MAX_SOURCE: usize = 4096;
/// Deepest nesting of an expression's syntax tree.
pub const MAX_NESTING: usize = 64;
/// Most nodes one evaluation may visit.
pub const MAX_STEPS: u64 = 5_000_000;
/// Longest string one node may produce, in bytes.
pub const MAX_STRING: usize = 1024 * 1024;
/// Most items of a list (entries of a map) one node may produce.
pub const MAX_ITEMS: usize = 100_000;
/// Most bytes of strings and list or map slots one evaluation may produce, in all.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;
/// Time for all evaluations of one control.
pub const TIME_BUDGET: Duration = Duration::from_secs(10);
/// Stack of the thread that evaluates a control's expressions (reserved, not committed).
pub const STACK_SIZE: usize = 256 * 1024 * 1024;

thread_local! {
    /// Whether this thread's stack is at least [`STACK_SIZE`] (see [`mark_deep_stack`]).
    static DEEP_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the calling thread as one whose stack is at least [`STACK_SIZE`]: expressions are
/// then compiled and evaluated on it, not on a thread started for each of them.
pub fn mark_deep_stack() {
    DEEP_STACK.set(true);
}

/// Runs `f` with a [`STACK_SIZE`] stack: here when this thread has one, else on a thread of
/// its own. `Ok(Err(()))` when `f` panicked, `Err` when no thread could be started.
fn on_deep_stack<T: Send>(
    name: &str,
    f: impl FnOnce() -> T + Send,
) -> std::io::Result<Result<T, ()>> {
    if DEEP_STACK.get() {
        return Ok(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| ()));
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(name.into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, f)
            .map(|thread| thread.join().map_err(|_| ()))
    })
}

struct Expr {
    program: Program,
    source: String,
    for_each: Option<Path>,
    message: String,
    at: String,
    detail: Option<Program>,
    /// What the assertion and the detail read of the document variables.
    reads: Reads,
    index_kinds: Vec<crate::model::Kind>,
    lookups: Vec<Lookup>,
}

/// A `lookup` binding: documents found by selector, as a list or grouped by key.
#[derive(Debug)]
struct Lookup {
    name: String,
    selector: Selector,
    key: Option<Path>,
    latest: Option<Path>,
    /// Keep the earliest rather than the latest (`earliest: path` instead of `latest: path`).
    earliest: bool,
    /// What the expressions read of the documents bound (set once the expressions compile).
    projection: projection::Projection,
}

/// Whether `word` stands in `text` on its own, not inside a longer name: `index.Service`
/// names the kind `Service`, `index.ServiceLevelAgreement` does not (a gate re-evaluated such
/// controls on the whole base whenever a Service changed).
fn names_word(text: &str, word: &str) -> bool {
    let part_of_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(at, _)| {
        !part_of_name(text[..at].chars().next_back())
            && !part_of_name(text[at + word.len()..].chars().next())
    })
}

/// Names an expression already uses; a lookup may not shadow them.
const RESERVED: &[&str] = &["doc", "metadata", "spec", "item", "index", "as_of"];

fn compile_lookups(params: &Value) -> Result<Vec<Lookup>, CompileError> {
    let Some(map) = params.get("lookup") else {
        return Ok(Vec::new());
    };
    let map = map.as_object().ok_or_else(|| {
        CompileError::at(
            "/lookup",
            "`lookup` maps names to `{kind, where, key, latest}`",
        )
    })?;
    let mut out = Vec::new();
    for (name, spec) in map {
        let at = format!("/lookup/{name}");
        if RESERVED.contains(&name.as_str())
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(CompileError::at(
                at,
                format!("`{name}` cannot name a lookup"),
            ));
        }
        let selector =
            Selector::from_value(spec).map_err(|(p, m)| CompileError::at(format!("{at}{p}"), m))?;
        let path = |key: &str| -> Result<Option<Path>, CompileError> {
            spec.get(key)
                .map(|v| {
                    v.as_str()
                        .ok_or_else(|| {
                            CompileError::at(
                                format!("{at}/{key}"),
                                format!("`{key}` must be a path"),
                            )
                        })
                        .and_then(|p| {
                            Path::parse(p).map_err(|m| CompileError::at(format!("{at}/{key}"), m))
                        })
                })
                .transpose()
        };
        let (latest, earliest) = match (path("latest")?, path("earliest")?) {
            (Some(_), Some(_)) => {
                return Err(CompileError::at(
                    at,
                    "give `latest` or `earliest`, not both",
                ));
            }
            (Some(p), None) => (Some(p), false),
            (None, Some(p)) => (Some(p), true),
            (None, None) => (None, false),
        };
        out.push(Lookup {
            name: name.clone(),
            selector,
            key: path("key")?,
            latest,
            earliest,
            projection: projection::Projection::Whole,
        });
    }
    Ok(out)
}

impl Lookup {
    /// The latest document by the date path, or the earliest with `earliest`.
    fn pick(&self, docs: &[usize], date: &dyn Fn(usize) -> String) -> Option<usize> {
        let iter = docs.iter().copied();
        if self.earliest {
            iter.min_by_key(|&i| date(i))
        } else {
            iter.max_by_key(|&i| date(i))
        }
    }

    /// The binding's value: a list of documents, a map key → list, or with `latest` a map
    /// key → document (or, without `key`, the single latest document or null).
    fn value<'a>(&self, ctx: &Context<'a>) -> Box<dyn Val + 'a> {
        let documents: &'a [crate::model::Document] = ctx.documents;
        let doc = |i: usize| projection::project(&documents[i].value, &self.projection);
        let list = |docs: &[usize]| -> Box<dyn Val + 'a> {
            Box::new(CelList::from(
                docs.iter().map(|&i| doc(i)).collect::<Vec<_>>(),
            ))
        };
        let found = ctx.selected(&self.selector);
        let date = |i: usize| -> String {
            self.latest
                .as_ref()
                .and_then(|p| p.first(&documents[i].value))
                .and_then(model::Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let null = || -> Box<dyn Val + 'a> { Box::new(CelNull) };
        match (&self.key, &self.latest) {
            (None, None) => list(&found),
            (None, Some(_)) => self.pick(&found, &date).map_or_else(null, doc),
            (Some(key), latest) => {
                let mut groups: std::collections::BTreeMap<String, Vec<usize>> =
                    std::collections::BTreeMap::new();
                for &i in found.iter() {
                    for (_, k) in key.select(&documents[i].value) {
                        if let Some(k) = k.as_str() {
                            groups.entry(k.to_string()).or_default().push(i);
                        }
                    }
                }
                let map: std::collections::HashMap<CelMapKey<'a>, Box<dyn Val + 'a>> = groups
                    .into_iter()
                    .map(|(k, docs)| {
                        let v = match latest {
                            Some(_) => self.pick(&docs, &date).map_or_else(null, doc),
                            None => list(&docs),
                        };
                        (CelMapKey::from(k), v)
                    })
                    .collect();
                Box::new(CelMap::from(map))
            }
        }
    }
}

/// The document variables: only what an expression reads of them is converted to CEL.
const DOCUMENT_VARIABLES: [&str; 4] = ["doc", "metadata", "spec", "item"];

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expr")
            .field("assert", &self.source)
            .finish_non_exhaustive()
    }
}

/// Compiles one expression within the size and nesting budgets; errors point at `pointer`.
fn compile_expression(source: &str, pointer: &str) -> Result<Program, CompileError> {
    if source.len() > MAX_SOURCE {
        return Err(CompileError::at(
            pointer,
            format!(
                "expression is {} bytes, more than the {MAX_SOURCE}-byte budget; split the check or use a `lookup`",
                source.len()
            ),
        ));
    }
    // Parsed, measured and (when too deep) dropped off the caller's stack: the parser, and the
    // drop of the tree, recurse once per level, and a long chain of operators is deep.
    let parse = || {
        env().compile(source).map(|program| {
            let depth = nesting(program.expression());
            (depth <= MAX_NESTING).then_some(program).ok_or(depth)
        })
    };
    let parsed = on_deep_stack("evident-cel-compile", parse);
    let parsed = match parsed {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(_)) => {
            return Err(CompileError::at(
                pointer,
                "expression does not compile: the parser failed",
            ));
        }
        Err(_) => parse(),
    };
    let program = parsed.map_err(|e| {
        CompileError::at(
            pointer,
            format!("expression does not compile: {}", e.to_string().trim()),
        )
    })?;
    let program = program.map_err(|depth| {
        CompileError::at(
            pointer,
            format!(
                "expression nests {depth} levels deep, more than the {MAX_NESTING}-level budget (a long chain of operators nests one level per operator)"
            ),
        )
    })?;
    Ok(program)
}

/// Depth of an expression's syntax tree, walked without recursion (the tree of a long chain
/// of operators is as deep as the chain is long).
fn nesting(root: &cel::parser::Expression) -> usize {
    use cel::common::ast::{EntryExpr, Expr as Node};
    let mut deepest = 0;
    let mut pending = vec![(root, 1usize)];
    while let Some((e, depth)) = pending.pop() {
        deepest = deepest.max(depth);
        let d = depth + 1;
        match &e.expr {
            Node::Call(call) => {
                pending.extend(call.target.iter().map(|t| (t.as_ref(), d)));
                pending.extend(call.args.iter().map(|a| (a, d)));
            }
            Node::Comprehension(c) => pending.extend(
                [
                    &c.iter_range,
                    &c.accu_init,
                    &c.loop_cond,
                    &c.loop_step,
                    &c.result,
                ]
                .map(|x| (x, d)),
            ),
            Node::List(list) => pending.extend(list.elements.iter().map(|x| (x, d))),
            Node::Map(map) => {
                for entry in &map.entries {
                    if let EntryExpr::MapEntry(m) = &entry.expr {
                        pending.push((&m.key, d));
                        pending.push((&m.value, d));
                    }
                }
            }
            Node::Struct(s) => {
                for entry in &s.entries {
                    match &entry.expr {
                        EntryExpr::StructField(f) => pending.push((&f.value, d)),
                        EntryExpr::MapEntry(m) => {
                            pending.push((&m.key, d));
                            pending.push((&m.value, d));
                        }
                    }
                }
            }
            Node::Select(s) => pending.push((&s.operand, d)),
            Node::Unspecified | Node::Ident(_) | Node::Literal(_) => {}
        }
    }
    deepest
}

/// Compiles `{assert, message, for_each?}`.
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let source = params
        .get("assert")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("", "`assert` (a CEL expression) is required"))?;
    let program = compile_expression(source, "/assert")?;
    let message = params
        .get("message")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("", "`message` is required"))?
        .to_string();
    let for_each = match params.get("for_each") {
        None => None,
        Some(v) => Some(
            v.as_str()
                .ok_or_else(|| CompileError::at("/for_each", "`for_each` must be a path"))
                .and_then(|p| Path::parse(p).map_err(|m| CompileError::at("/for_each", m)))?,
        ),
    };
    let at = match params.get("at") {
        None => String::new(),
        Some(v) => v
            .as_str()
            .ok_or_else(|| CompileError::at("/at", "`at` must be a path"))
            .and_then(|p| Path::parse(p).map_err(|m| CompileError::at("/at", m)))?
            .fixed_prefix_pointer(),
    };
    let detail = match params.get("detail") {
        None => None,
        Some(v) => {
            let text = v
                .as_str()
                .ok_or_else(|| CompileError::at("/detail", "`detail` must be a CEL expression"))?;
            Some(compile_expression(text, "/detail")?)
        }
    };
    let uses = |name: &str| {
        program.references().has_variable(name)
            || detail
                .as_ref()
                .is_some_and(|d| d.references().has_variable(name))
    };
    let mut lookups = compile_lookups(params)?;
    // A lookup with a `key` maps keys to documents (a collection); one with only `latest` or
    // `earliest` is a document (a variable); a plain list is converted whole.
    let collections: Vec<&str> = lookups
        .iter()
        .filter(|l| l.key.is_some())
        .map(|l| l.name.as_str())
        .collect();
    let variables: Vec<&str> = DOCUMENT_VARIABLES
        .into_iter()
        .chain(
            lookups
                .iter()
                .filter(|l| l.key.is_none() && l.latest.is_some())
                .map(|l| l.name.as_str()),
        )
        .collect();
    let reads = Reads::of(
        &variables,
        &collections,
        std::iter::once(program.expression()).chain(detail.as_ref().map(|d| d.expression())),
    );
    for lookup in &mut lookups {
        lookup.projection = match (&lookup.key, &lookup.latest) {
            (Some(_), _) => reads.lookup(&lookup.name),
            (None, Some(_)) => reads
                .get(&lookup.name)
                .cloned()
                .unwrap_or(projection::Projection::Fields(Default::default())),
            (None, None) => projection::Projection::Whole,
        };
    }
    // Only the kinds an expression names are indexed (converting every document is costly).
    let index_kinds: Vec<crate::model::Kind> = if uses("index") {
        let text = format!(
            "{source} {}",
            params
                .get("detail")
                .and_then(Value::as_str)
                .unwrap_or_default()
        );
        crate::model::Kind::ALL
            .into_iter()
            .filter(|k| names_word(&text, k.name()))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Box::new(Expr {
        program,
        source: source.to_string(),
        for_each,
        message,
        at,
        detail,
        reads,
        index_kinds,
        lookups,
    }))
}

/// The CEL environment: the standard library plus the `strings` (`join`, `split`,
/// `lowerAscii`…) and `lists` (`flatten`, `distinct`, `sort`…) extensions.
fn env() -> Arc<Env> {
    static ENV: std::sync::OnceLock<Arc<Env>> = std::sync::OnceLock::new();
    Arc::clone(ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // The extensions define distinct names; registration only fails on a clash.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(cel::extensions::lists);
        Arc::new(env)
    }))
}

fn minutes(text: Arc<String>) -> Result<CelValue, ExecutionError> {
    duration::parse(&text)
        .ok()
        .and_then(duration::minutes)
        .map(CelValue::Int)
        .ok_or_else(|| {
            ExecutionError::function_error("minutes", format!("`{text}` is not a duration"))
        })
}

fn parse_date(function: &str, text: &str) -> Result<jiff::civil::Date, ExecutionError> {
    text.parse().map_err(|_| {
        ExecutionError::function_error(function, format!("`{text}` is not a date (YYYY-MM-DD)"))
    })
}

/// `days_between(from, to)`: whole days from one date to another (negative when `to` is
/// earlier).
fn days_between(from: Arc<String>, to: Arc<String>) -> Result<CelValue, ExecutionError> {
    let (a, b) = (
        parse_date("days_between", &from)?,
        parse_date("days_between", &to)?,
    );
    let days = a
        .until(b)
        .map_err(|e| ExecutionError::function_error("days_between", e.to_string()))?
        .get_days();
    Ok(CelValue::Int(i64::from(days)))
}

/// `date_add(date, duration)`: the date plus a duration, calendar-aware (`2026-01-31` +
/// `1mo` = `2026-02-28`), as `YYYY-MM-DD` (so it compares with other dates as a string).
fn date_add(date: Arc<String>, span: Arc<String>) -> Result<CelValue, ExecutionError> {
    let d = parse_date("date_add", &date)?;
    let s = duration::parse(&span).map_err(|e| ExecutionError::function_error("date_add", e))?;
    duration::add(d, s)
        .map(|r| CelValue::String(Arc::new(r.to_string())))
        .ok_or_else(|| ExecutionError::function_error("date_add", "date out of range"))
}

/// The number a measured value or target states: `99.9`, `"97%"`, `"61 %"`, `">= 99.9%"`
/// (a leading comparison and a trailing percent sign are allowed around one decimal number).
/// `None` for text such as `"14 of 15"`, which states no single number.
pub fn stated_number(value: &CelValue) -> Option<f64> {
    match value {
        CelValue::Int(i) => Some(*i as f64),
        CelValue::UInt(u) => Some(*u as f64),
        CelValue::Float(f) => Some(*f),
        CelValue::String(s) => {
            let t = s.trim();
            let t = ["≥", "≤", ">=", "<=", ">", "<", "="]
                .iter()
                .find_map(|op| t.strip_prefix(op))
                .unwrap_or(t)
                .trim();
            let t = t.strip_suffix('%').unwrap_or(t).trim_end();
            let plain = !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+');
            if plain { t.parse().ok() } else { None }
        }
        _ => None,
    }
}

/// `number(x)`: the number `x` states (see [`stated_number`]); an error for other text.
fn number(value: CelValue) -> Result<CelValue, ExecutionError> {
    stated_number(&value).map(CelValue::Float).ok_or_else(|| {
        ExecutionError::function_error("number", format!("{value:?} states no single number"))
    })
}

/// `meets(value, target, better)`: whether a measured value meets its target. A comparison
/// written in the target (`"<= 5%"`, `"> 99"`) decides the direction; otherwise `better`
/// (`"higher"` or `"lower"`) does, and the target itself counts as met.
fn meets(
    value: CelValue,
    target: CelValue,
    better: Arc<String>,
) -> Result<CelValue, ExecutionError> {
    let (Some(v), Some(t)) = (stated_number(&value), stated_number(&target)) else {
        return Err(ExecutionError::function_error(
            "meets",
            "the value or the target states no single number",
        ));
    };
    let op = match &target {
        CelValue::String(s) => ["≥", "≤", ">=", "<=", ">", "<"]
            .into_iter()
            .find(|op| s.trim_start().starts_with(op)),
        _ => None,
    };
    let met = match op {
        Some(">=" | "≥") => v >= t,
        Some(">") => v > t,
        Some("<=" | "≤") => v <= t,
        Some("<") => v < t,
        _ if better.as_str() == "lower" => v <= t,
        _ => v >= t,
    };
    Ok(CelValue::Bool(met))
}

/// `numeric(x)`: whether `x` states a single number, so that `number(x)` succeeds.
fn numeric(value: CelValue) -> Result<CelValue, ExecutionError> {
    Ok(CelValue::Bool(stated_number(&value).is_some()))
}

fn ascending(items: Arc<Vec<CelValue>>) -> Result<CelValue, ExecutionError> {
    let mut sorted = true;
    for pair in items.windows(2) {
        let ordered = match (&pair[0], &pair[1]) {
            (CelValue::Int(a), CelValue::Int(b)) => a <= b,
            (CelValue::Float(a), CelValue::Float(b)) => a <= b,
            (CelValue::Int(a), CelValue::Float(b)) => (*a as f64) <= *b,
            (CelValue::Float(a), CelValue::Int(b)) => *a <= (*b as f64),
            (CelValue::String(a), CelValue::String(b)) => a <= b,
            _ => {
                return Err(ExecutionError::function_error(
                    "ascending",
                    "expects a list of numbers or of strings",
                ));
            }
        };
        sorted &= ordered;
    }
    Ok(CelValue::Bool(sorted))
}

/// Converts JSON to a CEL value directly, borrowing its strings (map keys and string values)
/// rather than copying them. Numbers become `int` when they fit, else `uint`, else `double`.
pub fn to_val(value: &model::Value) -> Box<dyn Val + '_> {
    match value {
        model::Value::Null => Box::new(CelNull),
        model::Value::Bool(b) => Box::new(CelBool::from(*b)),
        model::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Box::new(CelInt::from(i)),
            (None, Some(u), _) => Box::new(CelUInt::from(u)),
            (_, _, Some(f)) => Box::new(CelDouble::from(f)),
            _ => Box::new(CelNull),
        },
        model::Value::String(s) => Box::new(CelString::from(&**s)),
        model::Value::Array(items) => {
            Box::new(CelList::from(items.iter().map(to_val).collect::<Vec<_>>()))
        }
        model::Value::Object(map) => Box::new(CelMap::from(
            map.iter()
                .map(|(k, v)| (CelMapKey::from(&**k), to_val(v)))
                .collect::<std::collections::HashMap<_, _>>(),
        )),
    }
}

/// Variables bound by reference to values that outlive the scope (a document's conversion, the
/// control's `index.<Kind>`), so that binding them copies nothing. cel consults a
/// scope's resolver before its own variables; every name here is one of ours.
struct Borrowed<'b, 'v> {
    variables: Vec<(&'b str, &'b (dyn Val + 'v))>,
    /// `index` as a whole, built (by copying the kinds' maps) only if an expression reads it
    /// other than as `index.<Kind>`, which cel resolves as the qualified name first.
    whole_index: Option<WholeIndex<'b, 'v>>,
}

/// The kinds of `index` and, once asked for, the whole map.
struct WholeIndex<'b, 'v> {
    kinds: Vec<(crate::model::Kind, &'b (dyn Val + 'v))>,
    built: std::sync::OnceLock<Box<dyn Val + 'v>>,
}

impl VariableResolver for Borrowed<'_, '_> {
    fn resolve<'c>(&'c self, variable: &str) -> Option<CowVal<'c, 'c>> {
        if let Some((_, value)) = self.variables.iter().find(|(name, _)| *name == variable) {
            return Some(CowVal::Borrowed(*value));
        }
        let index = self.whole_index.as_ref().filter(|_| variable == "index")?;
        recording::note_all();
        let built = index.built.get_or_init(|| {
            let map: std::collections::HashMap<CelMapKey<'_>, Box<dyn Val + '_>> = index
                .kinds
                .iter()
                .map(|(kind, value)| (CelMapKey::from(kind.name()), value.clone_as_boxed()))
                .collect();
            Box::new(CelMap::from(map))
        });
        Some(CowVal::Borrowed(built.as_ref()))
    }
}

impl CheckKind for Expr {
    fn name(&self) -> &'static str {
        "expr"
    }

    /// The document, `as_of`, and the kinds of `index` and of the lookups.
    fn reads(&self) -> Option<Vec<crate::model::Kind>> {
        Some(
            self.index_kinds
                .iter()
                .copied()
                .chain(self.lookups.iter().map(|l| l.selector.kind))
                .collect(),
        )
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        self.evaluate_with(ctx, applicable, hits, false);
    }

    fn evaluate_recording(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
    ) -> Option<ControlReads> {
        self.evaluate_with(ctx, applicable, hits, true)
    }
}

impl Expr {
    /// Evaluates on every applicable document, recording what each read of `index` when
    /// `record` is set (`None` when the record is not whole: the evaluator failed, or a budget
    /// stopped the control before its last document).
    fn evaluate_with(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
        record: bool,
    ) -> Option<ControlReads> {
        // Off the caller's stack: cel's interpreter recurses once per level of the expression
        // and of the values it builds.
        let found = on_deep_stack("evident-cel", || {
            let mut found = Vec::new();
            let reads = self.evaluate_here(ctx, applicable, &mut found, record);
            (found, reads)
        });
        match found {
            Ok(Ok((found, reads))) => {
                hits.extend(found);
                reads
            }
            // The evaluator panicked: a finding on the first document, not a crash.
            Ok(Err(_)) => {
                if let Some(&first) = applicable.first() {
                    hits.push(Hit::at(
                        first,
                        &self.at,
                        format!(
                            "{} (the check could not be evaluated: the expression evaluator failed)",
                            self.message
                        ),
                    ));
                }
                None
            }
            // No thread could be started: evaluate here.
            Err(_) => self.evaluate_here(ctx, applicable, hits, record),
        }
    }
}

impl Expr {
    fn evaluate_here(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
        record: bool,
    ) -> Option<ControlReads> {
        let deadline = Instant::now() + TIME_BUDGET;
        // `index.<Kind>` names, bound by reference to the kinds' indexes below.
        let index_names: Vec<String> = self
            .index_kinds
            .iter()
            .map(|k| format!("index.{}", k.name()))
            .collect();
        // Each kind's documents by id, converted as they are looked up and only as far as
        // this expression reads them. They go with the control: kept for the run, the
        // conversions of every control's lookups held 5 MB of a check of 10,000 documents.
        let indexes: Vec<KindIndex<'_>> = self
            .index_kinds
            .iter()
            .map(|&kind| KindIndex::new(ctx, kind, self.reads.index(kind.name())))
            .collect();
        // In a gate's head, each kind's map notes what is read of it.
        let recorded: Vec<Recorded<'_, '_>> = self
            .index_kinds
            .iter()
            .zip(&indexes)
            .map(|(&kind, map)| Recorded { map, kind })
            .collect();
        let index = Borrowed {
            variables: index_names
                .iter()
                .zip(&recorded)
                .map(|(name, map)| {
                    let map: &dyn Val = if record { map } else { map.map };
                    (name.as_str(), map)
                })
                .collect(),
            whole_index: (!self.index_kinds.is_empty()).then(|| WholeIndex {
                kinds: self
                    .index_kinds
                    .iter()
                    .zip(&indexes)
                    .map(|(&kind, map)| (kind, map as &dyn Val))
                    .collect(),
                built: std::sync::OnceLock::new(),
            }),
        };
        let mut root = CelContext::with_env(env());
        // Names are ours and distinct from the standard library's, so registration cannot fail.
        let _ = root.add_function("minutes", minutes);
        let _ = root.add_function("ascending", ascending);
        let _ = root.add_function("days_between", days_between);
        let _ = root.add_function("date_add", date_add);
        let _ = root.add_function("number", number);
        let _ = root.add_function("numeric", numeric);
        let _ = root.add_function("meets", meets);
        root.add_variable_from_value("as_of", ctx.as_of.to_string());
        if !self.index_kinds.is_empty() {
            root.set_variable_resolver(&index);
        }
        for lookup in &self.lookups {
            root.add_variable_as_val(lookup.name.clone(), lookup.value(ctx));
        }
        let mut read = ControlReads {
            lookups: self.lookups.iter().map(|l| l.selector.kind).collect(),
            documents: Vec::new(),
        };
        for &i in applicable {
            let doc = &ctx.documents[i];
            // Only what the expression can observe is converted, for this expression, and
            // dropped after it: holding every document's conversion for the whole run costs
            // more memory than converting again costs time.
            let part = |name: &str| {
                let value = if name == "doc" {
                    Some(&*doc.value)
                } else {
                    doc.value.get(name)
                };
                self.reads
                    .get(name)
                    .map(|p| projection::project_or_null(value, p))
            };
            let whole = part("doc");
            let metadata = part("metadata");
            let spec = part("spec");
            let bound = Borrowed {
                variables: [("metadata", &metadata), ("spec", &spec), ("doc", &whole)]
                    .into_iter()
                    .filter_map(|(name, value)| Some((name, value.as_deref()?)))
                    .collect(),
                whole_index: None,
            };
            let mut scope = root.new_inner_scope();
            scope.set_variable_resolver(&bound);
            let mut judge = || match &self.for_each {
                None => self.judge(&scope, i, &self.at, deadline, hits),
                Some(path) => {
                    let mut spent = false;
                    for (pointer, item) in path.select(&doc.value) {
                        let mut inner = scope.new_inner_scope();
                        if let Some(p) = self.reads.get("item") {
                            inner.add_variable_as_val("item", projection::project(item, p));
                        }
                        let at = format!("{pointer}{}", self.at);
                        let at = if item.pointer(&self.at).is_some() {
                            at
                        } else {
                            pointer
                        };
                        spent = self.judge(&inner, i, &at, deadline, hits);
                        if spent {
                            break;
                        }
                    }
                    spent
                }
            };
            let spent = if record {
                let (spent, reads) = recording::recording(judge);
                if reads != DocumentReads::default() {
                    read.documents.push((i, reads));
                }
                spent
            } else {
                judge()
            };
            if spent {
                // A budget is exceeded: the control stops, with one finding saying so (and
                // what the documents after this one read is not known).
                return None;
            }
        }
        record.then_some(read)
    }
}

/// Why an expression could not be evaluated on a document, said in the document's terms
/// rather than the evaluator's: what is missing or of the wrong type.
fn in_document_terms(e: &ExecutionError) -> String {
    match e {
        ExecutionError::NoSuchKey(key) => {
            format!("`{key}` is missing (a field the check reads, or an id it looks up)")
        }
        ExecutionError::UnexpectedType { got, want } => {
            format!(
                "a value is {} where {} is needed",
                article(got),
                article(want)
            )
        }
        ExecutionError::NoSuchOverload(_)
        | ExecutionError::ValuesNotComparable(..)
        | ExecutionError::UnsupportedBinaryOperator(..) => {
            "values of different types are compared or combined (text where a number, date or \
             duration is expected?)"
                .to_string()
        }
        ExecutionError::FunctionError { message, .. } => message.clone(),
        ExecutionError::UnsupportedIndex(..) | ExecutionError::UnsupportedKeyType(_) => {
            "a value is used to look something up but is not text or a number".to_string()
        }
        ExecutionError::DivisionByZero(_) | ExecutionError::RemainderByZero(_) => {
            "a value it divides by is zero".to_string()
        }
        other => format!("the expression failed on this document ({other})"),
    }
}

/// `"string"` → "text", `"int"` → "a number"…, for messages.
fn article(cel_type: &str) -> String {
    match cel_type {
        "string" => "text".to_string(),
        "int" | "uint" | "double" => "a number".to_string(),
        "bool" => "true or false".to_string(),
        "list" => "a list".to_string(),
        "map" => "a mapping".to_string(),
        "null" => "empty (null)".to_string(),
        other => format!("`{other}`"),
    }
}

impl Expr {
    /// Runs one program under the evaluation budget; `Err` names the budget exceeded.
    fn run(
        program: &Program,
        scope: &CelContext<'_, '_>,
        deadline: Instant,
    ) -> Result<Result<CelValue, ExecutionError>, String> {
        let budget = cel::budget::Budget {
            max_steps: MAX_STEPS,
            max_depth: u32::try_from(MAX_NESTING * 16).unwrap_or(u32::MAX),
            max_string: MAX_STRING,
            max_items: MAX_ITEMS,
            max_bytes: MAX_BYTES,
            deadline: Some(deadline),
        };
        cel::budget::with_budget(budget, || {
            let result = program.execute(scope);
            match (cel::budget::exceeded(), &result) {
                (Some("time"), Err(_)) => Err(format!(
                    "its time budget ({} seconds for the control)",
                    TIME_BUDGET.as_secs()
                )),
                (Some(_), Err(e)) => {
                    let text = e.to_string();
                    // cel words it as a function error: keep what was exceeded.
                    let what = text.split_once("': ").map_or(text.as_str(), |(_, w)| w);
                    Err(format!("its evaluation budget: {}", what.trim()))
                }
                _ => Ok(result),
            }
        })
    }

    /// Judges one document (or item); returns whether a budget was exceeded.
    fn judge(
        &self,
        scope: &CelContext<'_, '_>,
        doc: usize,
        pointer: &str,
        deadline: Instant,
        hits: &mut Vec<Hit>,
    ) -> bool {
        let over = |budget: String, hits: &mut Vec<Hit>| {
            hits.push(Hit::at(
                doc,
                pointer,
                format!(
                    "{} (the check was stopped: the expression exceeded {budget}; the control was not evaluated further)",
                    self.message
                ),
            ));
            true
        };
        let result = match Self::run(&self.program, scope, deadline) {
            Ok(result) => result,
            Err(budget) => return over(budget, hits),
        };
        match result {
            Ok(CelValue::Bool(true)) => {}
            Ok(CelValue::Bool(false)) => {
                let detail = match self.detail.as_ref().map(|d| Self::run(d, scope, deadline)) {
                    None => None,
                    Some(Ok(Ok(CelValue::String(s)))) => Some(s.to_string()),
                    Some(Ok(_)) => None,
                    Some(Err(budget)) => return over(budget, hits),
                };
                let message = match detail {
                    Some(d) => format!("{}: {d}", self.message),
                    None => self.message.clone(),
                };
                hits.push(Hit::at(doc, pointer, message));
            }
            Ok(other) => hits.push(Hit::at(
                doc,
                pointer,
                format!("expression `{}` gave {other:?}, not a boolean", self.source),
            )),
            Err(e) => hits.push(Hit::at(
                doc,
                pointer,
                format!(
                    "{} (it cannot be judged: {})",
                    self.message,
                    in_document_terms(&e)
                ),
            )),
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controls::checks::NoCommitDates;
    use crate::model::{Document, Kind};
    use serde_json::json;

    fn hits(params: Value, spec: Value) -> Vec<Hit> {
        let check = compile(&params, None).expect("compiles");
        let docs = vec![Document {
            kind: Kind::Process,
            id: "p".into(),
            path: "p.yaml".into(),
            index: 0,
            start: Default::default(),
            value: crate::model::Value::from_json(&json!({"metadata": {"id": "p"}, "spec": spec}))
                .into(),
        }];
        let ctx = Context::new(
            &docs,
            jiff::civil::Date::constant(2026, 11, 21),
            &NoCommitDates,
        );
        let mut out = Vec::new();
        check.evaluate(&ctx, &[0], &mut out);
        out
    }

    #[test]
    fn for_each_points_at_each_failing_item_and_its_key() {
        let found = hits(
            json!({"for_each": "spec.t[*]", "assert": "minutes(item.a) <= minutes(item.b)", "message": "m",
                   "at": "a", "detail": "item.a + ' > ' + item.b"}),
            json!({"t": [{"a": "1h", "b": "2h"}, {"a": "3d", "b": "PT4H"}]}),
        );
        assert_eq!(found, vec![Hit::at(0, "/spec/t/1/a", "m: 3d > PT4H")]);
    }

    #[test]
    fn ascending_and_joins() {
        assert!(
            hits(
                json!({"assert": "ascending([1, 2, 2, 5])", "message": "m"}),
                json!({})
            )
            .is_empty()
        );
        assert_eq!(
            hits(
                json!({"assert": "ascending(['P2', 'P1'])", "message": "m"}),
                json!({})
            )
            .len(),
            1
        );
        let found = hits(
            json!({"assert": "false", "message": "m", "detail": "['a', 'b'].filter(s, s != 'a').join(', ')"}),
            json!({}),
        );
        assert_eq!(found[0].message, "m: b");
    }

    #[test]
    fn date_functions() {
        let ok = |e: &str| hits(json!({"assert": e, "message": "m"}), json!({})).is_empty();
        assert!(ok("days_between('2026-01-01', '2026-03-01') == 59"));
        assert!(ok("days_between('2026-03-01', '2026-01-01') == -59"));
        assert!(ok("date_add('2026-01-31', '1mo') == '2026-02-28'"));
        assert!(ok("date_add('2025-11-21', '1y') >= as_of"));
        assert!(!ok("date_add('2025-11-20', '12mo') >= as_of"));
        assert!(!ok("days_between('soon', '2026-01-01') == 0"));
    }

    /// Evaluates `assert` on a Process `p` (`spec.x: 1`) with and without recording what
    /// it reads of `index`; the verdicts must be the same.
    fn recorded(assert: &str) -> (usize, Option<ControlReads>) {
        let check = compile(&json!({"assert": assert, "message": "m"}), None).expect("compiles");
        let docs = vec![Document {
            kind: Kind::Process,
            id: "p".into(),
            path: "p.yaml".into(),
            index: 0,
            start: Default::default(),
            value: crate::model::Value::from_json(
                &json!({"metadata": {"id": "p"}, "spec": {"x": 1}}),
            )
            .into(),
        }];
        let as_of = jiff::civil::Date::constant(2026, 11, 21);
        let ctx = Context::new(&docs, as_of, &NoCommitDates);
        let (mut plain, mut with_record) = (Vec::new(), Vec::new());
        check.evaluate(&ctx, &[0], &mut plain);
        let reads = check.evaluate_recording(&ctx, &[0], &mut with_record);
        assert_eq!(plain, with_record, "{assert}");
        (plain.len(), reads)
    }

    #[test]
    fn index_reads_are_recorded_entry_by_entry_or_whole() {
        let key = |kind, id| recording::entry_key(kind, id);
        let entries = |assert: &str| {
            let (_, reads) = recorded(assert);
            let reads = reads.expect("recorded");
            assert_eq!(reads.lookups, Vec::new());
            match reads.documents.as_slice() {
                [] => None,
                [(0, read)] => Some(read.clone()),
                other => panic!("{assert}: {other:?}"),
            }
        };
        let found = |keys: Vec<u64>| {
            Some(DocumentReads {
                all: false,
                entries: keys,
            })
        };
        let p = key(Kind::Process, "p");
        assert_eq!(
            entries("'p' in index.Process && index.Process['p'].spec.x == 1"),
            found(vec![p, p])
        );
        assert_eq!(
            entries("has(index.Process.p.spec.x) && index.Process.p.spec.x == 1"),
            found(vec![p, p])
        );
        // A key looked up and not found is read too: were it added, the verdict could change.
        assert_eq!(
            entries("!('q' in index.Role)"),
            found(vec![key(Kind::Role, "q")])
        );
        assert_eq!(entries("spec.x == 1"), None);
        // Whatever observes a kind's map as a whole reads every entry.
        for whole in [
            "index.Process.all(k, k == 'p')",
            "size(index.Role) == 0",
            "has(index.Process) && size(index) == 1",
            "index.Role == {}",
            "{} == index.Role",
            "[index.Process][0].p.spec.x == 1",
        ] {
            assert!(entries(whole).is_some_and(|r| r.all), "{whole}");
            assert_eq!(recorded(whole).0, 0, "{whole} holds");
        }
        // The same verdicts when they fail.
        assert_eq!(recorded("index.Process == {}").0, 1);
        assert_eq!(recorded("'q' in index.Process").0, 1);
    }

    #[test]
    fn index_by_kind_and_as_a_whole() {
        let ok = |e: &str| hits(json!({"assert": e, "message": "m"}), json!({"x": 1})).is_empty();
        assert!(ok("'p' in index.Process && index.Process['p'].spec.x == 1"));
        assert!(ok("has(index.Process) && size(index) == 1"));
        assert!(ok(
            "index['Process'].p.metadata.id == 'p' && 'Role' in index && size(index) == 2"
        ));
        assert!(ok(
            "[1].all(index, index == 1) && index.Process.all(k, k == 'p')"
        ));
        assert!(ok("size(index.Role) == 0"));
        let found = hits(
            json!({"assert": "index.Process.q.spec.x == 1", "message": "m"}),
            json!({}),
        );
        assert!(
            found[0].message.contains("`q` is missing"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn evaluation_errors_are_findings_not_crashes() {
        let found = hits(
            json!({"assert": "spec.missing == 1", "message": "m"}),
            json!({}),
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .starts_with("m (it cannot be judged: `missing` is missing"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn budgets_stop_runaway_expressions_with_a_finding() {
        let stopped = |assert: String| {
            let found = hits(json!({"assert": assert, "message": "m"}), json!({}));
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].message.contains("exceeded its evaluation budget"),
                "{}",
                found[0].message
            );
            found[0].message.clone()
        };
        let doubling = format!(
            "['{}']{}.size() == 0",
            "a".repeat(16),
            ".map(s, s + s)".repeat(40)
        );
        assert!(stopped(doubling).contains("string of"));
        let n: Vec<String> = (0..60).map(|i| i.to_string()).collect();
        let n = n.join(",");
        let nested =
            format!("[{n}].all(a, [{n}].all(b, [{n}].all(c, [{n}].all(d, a + b + c + d >= 0))))");
        assert!(stopped(nested).contains("steps"));
    }

    #[test]
    fn size_and_nesting_are_bounded_at_compile_time() {
        let chain = format!("1{} > 0", "+1".repeat(500));
        let err = compile(&json!({"assert": chain, "message": "m"}), None).expect_err("deep");
        assert_eq!(err.pointer, "/assert");
        assert!(err.message.contains("levels deep"), "{}", err.message);
        let long = format!("1{} > 0", "+1".repeat(5000));
        let err = compile(
            &json!({"assert": "true", "message": "m", "detail": long}),
            None,
        )
        .expect_err("long");
        assert_eq!(err.pointer, "/detail");
        assert!(err.message.contains("bytes"), "{}", err.message);
    }

    #[test]
    fn maps_are_iterated_in_sorted_order() {
        let found = hits(
            json!({"assert": "false", "message": "m", "detail": "spec.m.map(k, k).join(',')"}),
            json!({"m": {"q": 1, "b": 2, "z": 3, "a": 4, "k": 5}}),
        );
        assert_eq!(found[0].message, "m: a,b,k,q,z");
    }

    #[test]
    fn expressions_that_do_not_compile_are_rejected() {
        let err =
            compile(&json!({"assert": "has(spec.x &&", "message": "m"}), None).expect_err("bad");
        assert_eq!(err.pointer, "/assert");
        let err = compile(
            &json!({"assert": "true", "message": "m", "detail": "'a' +"}),
            None,
        )
        .expect_err("bad");
        assert_eq!(err.pointer, "/detail");
    }

    #[test]
    fn a_kind_is_read_where_its_name_stands_alone() {
        let text = "item.agreement in index.ServiceLevelAgreement && index['Role'].size() > 0";
        assert!(names_word(text, "ServiceLevelAgreement"));
        assert!(names_word(text, "Role"));
        assert!(!names_word(text, "Service"));
        assert!(names_word("index.Service[item]", "Service"));
        assert!(!names_word("index.Services_x", "Service"));
        assert!(!names_word("", "Service"));
    }
}
