//! `underpin`: the agreements or contracts a document rests on are at least as tight as it is.
//!
//! ```yaml
//! applies_to: {kind: ServiceLevelAgreement, where: {spec.type: sla}}
//! check:
//!   underpin: {by: "spec.underpinned_by.suppliers[*]", kind: Supplier, availability: true}
//! ```
//!
//! For every id at `by` that names a document of `kind` (an id that names nothing is left to a
//! `reference` check), and for every priority row of the applicable document's
//! `spec.targets.priorities` and every target it sets (`response`, `resolution`), the
//! underpinning document must have a row for the same priority with that target no longer. With
//! `availability: true`, it must also commit to at least the document's
//! `spec.targets.availability`. A supplier that commits only to its lowest priority underpins
//! nothing for the highest: each priority and target is judged on its own.

use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;
use crate::controls::path::Path;
use crate::model::{self, Kind, duration};

/// The per-priority targets compared, in the order messages name them.
const METRICS: [&str; 2] = ["response", "resolution"];

#[derive(Debug)]
struct Underpin {
    by: Path,
    kind: Kind,
    availability: bool,
}

/// Compiles `{by, kind, availability?}` (the meta-schema has checked the shape).
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let by = params
        .get("by")
        .and_then(Value::as_str)
        .ok_or_else(|| CompileError::at("", "`by` (a path to ids) is required"))?;
    let by = Path::parse(by).map_err(|m| CompileError::at("/by", m))?;
    let kind = params
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .parse::<Kind>()
        .map_err(|e| CompileError::at("/kind", e.to_string()))?;
    let availability = params
        .get("availability")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(Box::new(Underpin {
        by,
        kind,
        availability,
    }))
}

/// `(priority, metric) → minutes` for every row that states a valid duration.
fn rows(targets: Option<&model::Value>) -> Vec<(&str, &'static str, i64, &str)> {
    let mut out = Vec::new();
    for row in targets
        .and_then(|t| t.get("priorities"))
        .and_then(model::Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(priority) = row.get("priority").and_then(model::Value::as_str) else {
            continue;
        };
        for metric in METRICS {
            let Some(text) = row.get(metric).and_then(model::Value::as_str) else {
                continue;
            };
            if let Some(minutes) = duration::parse(text).ok().and_then(duration::minutes) {
                out.push((priority, metric, minutes, text));
            }
        }
    }
    out
}

impl CheckKind for Underpin {
    fn name(&self) -> &'static str {
        "underpin"
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        for &i in applicable {
            let value = &ctx.documents[i].value;
            let targets = value.pointer("/spec/targets");
            let promised = rows(targets);
            let availability = targets
                .and_then(|t| t.get("availability"))
                .and_then(model::Value::as_f64)
                .filter(|_| self.availability);
            if promised.is_empty() && availability.is_none() {
                continue;
            }
            for (pointer, id) in self.by.select(value) {
                let Some(id) = id.as_str() else { continue };
                let Some(under) = ctx.find(self.kind, id) else {
                    continue;
                };
                let under_targets = under.value.pointer("/spec/targets");
                let committed = rows(under_targets);
                let mut gaps: Vec<String> = promised
                    .iter()
                    .filter(|(priority, metric, minutes, _)| {
                        !committed
                            .iter()
                            .any(|(p, m, mins, _)| p == priority && m == metric && mins <= minutes)
                    })
                    .map(|(priority, metric, _, text)| {
                        let theirs = committed
                            .iter()
                            .find(|(p, m, _, _)| p == priority && m == metric)
                            .map_or_else(String::new, |(_, _, _, t)| {
                                format!(" (it commits to {t})")
                            });
                        format!("no {priority} {metric} within {text}{theirs}")
                    })
                    .collect();
                if let Some(wanted) = availability {
                    let theirs = under_targets
                        .and_then(|t| t.get("availability"))
                        .and_then(model::Value::as_f64);
                    match theirs {
                        Some(a) if a >= wanted => {}
                        Some(a) => gaps.push(format!("availability {a}% below {wanted}%")),
                        None => gaps.push(format!("no availability target (agreed: {wanted}%)")),
                    }
                }
                if !gaps.is_empty() {
                    hits.push(Hit::at_value(
                        i,
                        pointer,
                        format!("`{id}` commits to {}", gaps.join(", ")),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controls::checks::NoCommitDates;
    use crate::model::Document;
    use serde_json::json;

    fn doc(kind: Kind, id: &str, spec: Value) -> Document {
        Document {
            kind,
            id: id.into(),
            path: format!("policies/{id}.yaml"),
            index: 0,
            value: crate::model::Value::from_json(&json!({"metadata": {"id": id}, "spec": spec}))
                .into(),
            start: crate::load::yaml::Position { line: 1, column: 1 },
        }
    }

    #[test]
    fn each_priority_and_target_is_underpinned_on_its_own() {
        let check = compile(
            &json!({"by": "spec.underpinned_by.suppliers[*]", "kind": "Supplier", "availability": true}),
            None,
        )
        .expect("compiles");
        let sla = doc(
            Kind::ServiceLevelAgreement,
            "sla",
            json!({"underpinned_by": {"suppliers": ["loose", "tight", "missing"]},
                   "targets": {"availability": 99.9, "priorities": [
                       {"priority": "P1", "response": "30m", "resolution": "4h"},
                       {"priority": "P4", "resolution": "5d"}]}}),
        );
        let loose = doc(
            Kind::Supplier,
            "loose",
            json!({"targets": {"priorities": [{"priority": "P4", "resolution": "3d"}]}}),
        );
        let tight = doc(
            Kind::Supplier,
            "tight",
            json!({"targets": {"availability": 99.95, "priorities": [
                {"priority": "P1", "response": "15m", "resolution": "1h"},
                {"priority": "P4", "resolution": "3d"}]}}),
        );
        let docs = [sla, loose, tight];
        let ctx = Context::new(&docs, "2026-11-21".parse().expect("date"), &NoCommitDates);
        let mut hits = Vec::new();
        check.evaluate(&ctx, &[0], &mut hits);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].pointer, "/spec/underpinned_by/suppliers/0");
        assert_eq!(
            hits[0].message,
            "`loose` commits to no P1 response within 30m, no P1 resolution within 4h, \
             no availability target (agreed: 99.9%)"
        );
    }
}
