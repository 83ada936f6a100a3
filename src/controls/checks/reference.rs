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
        for &i in applicable {
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
                if ctx.find(kind, id).is_none() && !ctx.is_unreadable(kind, id) {
                    hits.push(Hit::at_value(
                        i,
                        format!("{pointer}/id"),
                        no_such_id(ctx, kind, id),
                    ));
                }
            }
        }
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
        let kind = self.target.kind;
        for &i in applicable {
            for (pointer, value) in self.path.select(&ctx.documents[i].value) {
                let Some(id) = value.as_str() else { continue };
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
        }
    }
}
