//! `reference`: values at a path name documents of a kind (that match conditions).
//!
//! ```yaml
//! applies_to: {kind: ServiceLevelAgreement}
//! check:
//!   reference: {path: "spec.services[*]", kind: Service, where: {spec.status: live}}
//! ```
//!
//! Values that are not strings are left to the kind schema.
//!
//! With `typed: true` each value is a link `{kind, id}` naming its own kind, as in a record's
//! `spec.related`:
//!
//! ```yaml
//! check:
//!   reference: {path: "spec.related[*]", typed: true}
//! ```

use serde_json::Value;

use super::recording::{ControlReads, DocumentReads, entry_key};
use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::path::Path;
use crate::controls::{Condition, Selector, show_value};
use crate::model::{self, Kind};

#[derive(Debug)]
struct Reference {
    path: Path,
    target: Selector,
}

/// Links that name their own kind: `{kind, id}`.
#[derive(Debug)]
struct Typed {
    path: Path,
}

/// Compiles `{path, kind, where?}` or `{path, typed: true}`.
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let path = params
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("", "`path` is required"))?;
    let path = Path::parse(path).map_err(|m| CompileError::at("/path", m))?;
    if params.get("typed").and_then(Value::as_bool) == Some(true) {
        if params.get("kind").is_some() || params.get("where").is_some() {
            return Err(CompileError::at(
                "/typed",
                "a `typed` reference takes its kind from each link: leave out `kind` and `where`",
            ));
        }
        return Ok(Box::new(Typed { path }));
    }
    let target = Selector::from_value(params).map_err(|(p, m)| CompileError::at(p, m))?;
    Ok(Box::new(Reference { path, target }))
}

/// "no `Service` has the id `paymnets`; did you mean `payments`?"
fn no_such_id(ctx: &Context<'_>, kind: Kind, id: &str) -> String {
    let hint = crate::suggest::closest(id, ctx.ids_of(kind))
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default();
    format!("no `{kind}` has the id `{id}`{hint}")
}

impl CheckKind for Typed {
    fn name(&self) -> &'static str {
        "reference"
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        self.judge(ctx, applicable, hits, &mut None);
    }

    fn evaluate_recording(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
    ) -> Option<ControlReads> {
        recorded(|record| self.judge(ctx, applicable, hits, record))
    }
}

impl Typed {
    fn judge(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
        record: &mut Option<ControlReads>,
    ) {
        for &i in applicable {
            let mut reads = DocumentReads::default();
            for (pointer, link) in self.path.select(&ctx.documents[i].value) {
                let (Some(kind_name), Some(id)) = (
                    link.get("kind").and_then(model::Value::as_str),
                    link.get("id").and_then(model::Value::as_str),
                ) else {
                    continue; // the kind schema reports a malformed link
                };
                let Ok(kind) = kind_name.parse::<Kind>() else {
                    hits.push(Hit::at_value(
                        i,
                        format!("{pointer}/kind"),
                        format!("`{kind_name}` is not a kind"),
                    ));
                    continue;
                };
                note(&mut reads, ctx, kind, id);
                if ctx.find(kind, id).is_none() && !ctx.is_unreadable(kind, id) {
                    hits.push(Hit::at_value(
                        i,
                        format!("{pointer}/id"),
                        no_such_id(ctx, kind, id),
                    ));
                }
            }
            keep(record, i, reads);
        }
    }
}

/// Notes in `reads` that the judged document refers to `id` of `kind`: that entry when it
/// exists, every one of the kind when it does not (the message suggests the closest id).
fn note(reads: &mut DocumentReads, ctx: &Context<'_>, kind: Kind, id: &str) {
    reads.entries.push(entry_key(kind, id));
    reads.all |= ctx.find(kind, id).is_none();
}

/// What `judge` records, given a record to fill.
fn recorded(judge: impl FnOnce(&mut Option<ControlReads>)) -> Option<ControlReads> {
    let mut record = Some(ControlReads::default());
    judge(&mut record);
    record
}

/// Keeps what document `i` read, when recording.
fn keep(record: &mut Option<ControlReads>, i: usize, reads: DocumentReads) {
    if let Some(record) = record
        && reads != DocumentReads::default()
    {
        record.documents.push((i, reads));
    }
}

impl CheckKind for Reference {
    fn name(&self) -> &'static str {
        "reference"
    }

    fn reads(&self) -> Option<Vec<Kind>> {
        Some(vec![self.target.kind])
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        self.judge(ctx, applicable, hits, &mut None);
    }

    fn evaluate_recording(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
    ) -> Option<ControlReads> {
        recorded(|record| self.judge(ctx, applicable, hits, record))
    }
}

impl Reference {
    fn judge(
        &self,
        ctx: &Context<'_>,
        applicable: &[usize],
        hits: &mut Vec<Hit>,
        record: &mut Option<ControlReads>,
    ) {
        let kind = self.target.kind;
        for &i in applicable {
            let mut reads = DocumentReads::default();
            for (pointer, value) in self.path.select(&ctx.documents[i].value) {
                let Some(id) = value.as_str() else { continue };
                note(&mut reads, ctx, kind, id);
                match ctx.find(kind, id) {
                    // The document is there but unreadable; its own finding says why.
                    None if ctx.is_unreadable(kind, id) => {}
                    None => hits.push(Hit::at_value(i, pointer, no_such_id(ctx, kind, id))),
                    Some(target) if !self.target.matches(target) => {
                        let why: Vec<String> = self
                            .target
                            .conditions
                            .iter()
                            .filter(|(path, condition)| !condition.holds(path.first(&target.value)))
                            .map(|(path, condition)| {
                                let actual = path
                                    .first(&target.value)
                                    .map_or_else(|| "not set".to_string(), show_value);
                                match condition {
                                    Condition::OneOf(vs) => {
                                        let vs: Vec<String> = vs.iter().map(show_value).collect();
                                        format!("its `{path}` is {actual}, not {}", vs.join(" or "))
                                    }
                                    other => format!(
                                        "its `{path}` is {actual}; expected {}",
                                        other.describe()
                                    ),
                                }
                            })
                            .collect();
                        hits.push(Hit::at_value(
                            i,
                            pointer,
                            format!("`{kind}` `{id}` does not qualify: {}", why.join("; ")),
                        ));
                    }
                    Some(_) => {}
                }
            }
            keep(record, i, reads);
        }
    }
}
