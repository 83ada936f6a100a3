//! `unique`: values at a path are unique across the applicable documents.
//!
//! ```yaml
//! applies_to: {kind: Supplier}
//! check:
//!   unique: {path: spec.contract.id}
//! ```
//!
//! The first occurrence (in file order) is kept; each later one is a hit.

use std::collections::HashMap;

use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};

use crate::controls::path::Path;
use crate::controls::{Selector, show_value};

#[derive(Debug)]
struct Unique {
    path: Path,
}

/// Compiles `{path}`.
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let path = params
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("", "`path` is required"))?;
    let path = Path::parse(path).map_err(|m| CompileError::at("/path", m))?;
    Ok(Box::new(Unique { path }))
}

impl CheckKind for Unique {
    fn name(&self) -> &'static str {
        "unique"
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for &i in applicable {
            for (pointer, value) in self.path.select(&ctx.documents[i].value) {
                if value.is_null() {
                    continue;
                }
                let key = value.to_string();
                match seen.get(&key) {
                    Some(&first) => {
                        let other = &ctx.documents[first];
                        hits.push(Hit::at(
                            i,
                            pointer,
                            format!(
                                "{} is already used by `{}` in `{}`",
                                show_value(value),
                                other.id,
                                other.path
                            ),
                        ));
                    }
                    None => {
                        seen.insert(key, i);
                    }
                }
            }
        }
    }
}
