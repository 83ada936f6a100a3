//! `require`: at least N documents of a kind, matching conditions, exist.
//!
//! ```yaml
//! check:
//!   require: {kind: Process, where: {spec.practice: incident-management}, min: 1}
//! ```
//!
//! A repository-level check: its finding belongs to no document.

use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;

#[derive(Debug)]
struct Require {
    selector: Selector,
    min: usize,
}

/// Compiles `{kind, where?, min?}`.
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let selector = Selector::from_value(params).map_err(|(p, m)| CompileError::at(p, m))?;
    let min = match params.get("min") {
        None => 1,
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n > 0)
            .ok_or_else(|| CompileError::at("/min", "`min` must be a positive integer"))?,
    };
    Ok(Box::new(Require { selector, min }))
}

impl CheckKind for Require {
    fn name(&self) -> &'static str {
        "require"
    }

    fn reads(&self) -> Option<Vec<crate::model::Kind>> {
        Some(vec![self.selector.kind])
    }

    fn per_document(&self) -> bool {
        false
    }

    fn evaluate(&self, ctx: &Context<'_>, _: &[usize], hits: &mut Vec<Hit>) {
        let found = ctx.selected(&self.selector).len();
        if found < self.min {
            hits.push(Hit::repository(format!(
                "found {found} {}, at least {} required",
                self.selector.describe(),
                self.min
            )));
        }
    }
}
