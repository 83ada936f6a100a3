//! `reference`: values at a path name documents of a kind (that match conditions).
//!
//! ```yaml
//! applies_to: {kind: ServiceLevelAgreement}
//! check:
//!   reference: {path: "spec.services[*]", kind: Service, where: {spec.status: live}}
//! ```
//!
//! Values that are not strings are left to the kind schema.

use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::path::Path;
use crate::controls::{Condition, Selector, show_value};

#[derive(Debug)]
struct Reference {
    path: Path,
    target: Selector,
}

/// Compiles `{path, kind, where?}`.
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let path = params
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("", "`path` is required"))?;
    let path = Path::parse(path).map_err(|m| CompileError::at("/path", m))?;
    let target = Selector::from_value(params).map_err(|(p, m)| CompileError::at(p, m))?;
    Ok(Box::new(Reference { path, target }))
}

impl CheckKind for Reference {
    fn name(&self) -> &'static str {
        "reference"
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        let kind = self.target.kind;
        for &i in applicable {
            for (pointer, value) in self.path.select(&ctx.documents[i].value) {
                let Some(id) = value.as_str() else { continue };
                match ctx.find(kind, id) {
                    // The document is there but unreadable; its own finding says why.
                    None if ctx.is_unreadable(kind, id) => {}
                    None => {
                        let hint = crate::suggest::closest(id, ctx.ids_of(kind))
                            .map(|near| format!("; did you mean `{near}`?"))
                            .unwrap_or_default();
                        hits.push(Hit::at_value(
                            i,
                            pointer,
                            format!("no `{kind}` has the id `{id}`{hint}"),
                        ));
                    }
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
