//! `coverage`: every applicable document is referenced by some document of another kind.
//!
//! ```yaml
//! applies_to: {kind: Service, where: {spec.status: live}}
//! check:
//!   coverage: {by: {kind: ServiceLevelAgreement, where: {spec.type: sla}, path: "spec.services[*]"}}
//! ```

use std::collections::HashSet;

use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};

use crate::controls::Selector;
use crate::controls::path::Path;

#[derive(Debug)]
struct Coverage {
    by: Selector,
    path: Path,
}

/// Compiles `{by: {kind, where?, path}}`.
pub fn compile(params: &Value, applies_to: Option<&Selector>) -> Result<Check, CompileError> {
    if applies_to.is_none() {
        return Err(CompileError::at(
            "",
            "a `coverage` check needs `applies_to`",
        ));
    }
    let by = params
        .get("by")
        .ok_or_else(|| CompileError::at("", "`by` is required"))?;
    let selector =
        Selector::from_value(by).map_err(|(p, m)| CompileError::at(format!("/by{p}"), m))?;
    let path = by
        .get("path")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("/by", "`path` is required"))?;
    let path = Path::parse(path).map_err(|m| CompileError::at("/by/path", m))?;
    Ok(Box::new(Coverage { by: selector, path }))
}

impl CheckKind for Coverage {
    fn name(&self) -> &'static str {
        "coverage"
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        let referenced: HashSet<&str> = ctx
            .of_kind(self.by.kind)
            .iter()
            .map(|&i| &ctx.documents[i])
            .filter(|d| self.by.matches(d))
            .flat_map(|d| self.path.select(&d.value))
            .filter_map(|(_, v)| v.as_str())
            .collect();
        // A reference that names no document of the applicable kind but is a likely typo of
        // one (`paymnets`) is reported once, by the check of that reference; the document it
        // meant to cover is not reported again as uncovered.
        let kind = ctx
            .documents
            .get(applicable.first().copied().unwrap_or(usize::MAX))
            .map(|d| d.kind);
        let dangling: Vec<&str> = kind.map_or_else(Vec::new, |kind| {
            referenced
                .iter()
                .copied()
                .filter(|id| ctx.find(kind, id).is_none())
                .collect()
        });
        for &i in applicable {
            let doc = &ctx.documents[i];
            let meant = dangling
                .iter()
                .any(|typo| crate::suggest::closest(typo, [doc.id.as_str()]).is_some());
            if !referenced.contains(doc.id.as_str()) && !meant {
                hits.push(Hit::at(
                    i,
                    "/metadata/id",
                    format!(
                        "no {} lists `{}` in `{}`",
                        self.by.describe().replacen(" documents", " document", 1),
                        doc.id,
                        self.path
                    ),
                ));
            }
        }
    }
}
