//! `expr`: a predicate in CEL (the Common Expression Language) where JSON Schema cannot say it.
//!
//! ```yaml
//! applies_to: {kind: ServiceLevelAgreement}
//! check:
//!   expr:
//!     for_each: "spec.targets.priorities[*]"   # optional: evaluate once per selected value
//!     assert: "minutes(item.response) <= minutes(item.resolution)"
//!     message: "response target is longer than the resolution target"
//!     at: spec.targets           # optional (without for_each): where the finding points
//! ```
//!
//! Variables: `doc` (the whole document), `metadata`, `spec`, `as_of` (`YYYY-MM-DD`; ISO dates
//! compare correctly as strings), `item` with `for_each`, and `index` — every document as
//! `index.<Kind>["id"]`. Functions beyond standard CEL: `minutes(duration)` → int (for `4h`,
//! `3d`, `PT4H`…), `ascending(list)` → whether the numbers or strings are in non-decreasing
//! order. An expression that fails to evaluate (a missing field, a type error) is a finding:
//! the control cannot show conformity. Guard optional fields with `has(...)`.

use std::sync::Arc;

use cel::objects::Value as CelValue;
use cel::{Context as CelContext, ExecutionError, Program};
use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;
use crate::controls::path::Path;
use crate::model::duration;

struct Expr {
    program: Program,
    source: String,
    for_each: Option<Path>,
    message: String,
    at: String,
    uses_index: bool,
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expr")
            .field("assert", &self.source)
            .finish_non_exhaustive()
    }
}

/// Compiles `{assert, message, for_each?}`.
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let source = params
        .get("assert")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("", "`assert` (a CEL expression) is required"))?;
    let program = Program::compile(source).map_err(|e| {
        CompileError::at(
            "/assert",
            format!("expression does not compile: {}", e.to_string().trim()),
        )
    })?;
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
    let uses_index = program.references().has_variable("index");
    Ok(Box::new(Expr {
        program,
        source: source.to_string(),
        for_each,
        message,
        at,
        uses_index,
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

fn to_cel(value: &Value) -> CelValue {
    cel::to_value(value).unwrap_or(CelValue::Null)
}

impl CheckKind for Expr {
    fn name(&self) -> &'static str {
        "expr"
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        let mut root = CelContext::default();
        // Names are ours and distinct from the standard library's, so registration cannot fail.
        let _ = root.add_function("minutes", minutes);
        let _ = root.add_function("ascending", ascending);
        root.add_variable_from_value("as_of", ctx.as_of.to_string());
        if self.uses_index {
            root.add_variable_from_value("index", ctx.cel_index().clone());
        }
        for &i in applicable {
            let doc = &ctx.documents[i];
            let mut scope = root.new_inner_scope();
            scope.add_variable_from_value("doc", to_cel(&doc.value));
            scope.add_variable_from_value(
                "metadata",
                to_cel(doc.pointer("/metadata").unwrap_or(&Value::Null)),
            );
            scope.add_variable_from_value(
                "spec",
                to_cel(doc.pointer("/spec").unwrap_or(&Value::Null)),
            );
            match &self.for_each {
                None => self.judge(&scope, i, &self.at, hits),
                Some(path) => {
                    for (pointer, item) in path.select(&doc.value) {
                        let mut inner = scope.new_inner_scope();
                        inner.add_variable_from_value("item", to_cel(item));
                        self.judge(&inner, i, &pointer, hits);
                    }
                }
            }
        }
    }
}

impl Expr {
    fn judge(&self, scope: &CelContext<'_, '_>, doc: usize, pointer: &str, hits: &mut Vec<Hit>) {
        match self.program.execute(scope) {
            Ok(CelValue::Bool(true)) => {}
            Ok(CelValue::Bool(false)) => hits.push(Hit::at(doc, pointer, self.message.clone())),
            Ok(other) => hits.push(Hit::at(
                doc,
                pointer,
                format!("expression `{}` gave {other:?}, not a boolean", self.source),
            )),
            Err(e) => hits.push(Hit::at(
                doc,
                pointer,
                format!("{} (the check could not be evaluated: {e})", self.message),
            )),
        }
    }
}
