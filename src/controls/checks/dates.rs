//! `dates`: dates are not in the future, and events come in the order they must.
//!
//! ```yaml
//! check:
//!   dates:
//!     not_after_as_of: [metadata.last_reviewed, spec.date, "spec.actions[*].completed"]
//!     order:
//!       - {earlier: spec.period.from, later: spec.period.to}
//!       - {earlier: spec.date, later: "spec.actions[*].due"}
//!       - {each: "spec.milestones[*]", earlier: start, later: end}
//! ```
//!
//! A record dated after the as-of date claims evidence that cannot exist yet: a review "held"
//! next year satisfies every freshness rule until it is found out. `order` pairs an earlier and
//! a later date: every later value (paths may select many) must not precede the earlier one;
//! with `each`, the pair is read within each selected item. Values that are not dates are left
//! to the kind schema.

use jiff::civil::Date;
use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;
use crate::controls::path::Path;
use crate::model;

#[derive(Debug)]
struct Order {
    each: Option<Path>,
    earlier: Path,
    later: Path,
}

#[derive(Debug)]
struct Dates {
    not_after: Vec<Path>,
    order: Vec<Order>,
}

fn path_at(value: Option<&Value>, pointer: &str) -> Result<Option<Path>, CompileError> {
    value
        .map(|v| {
            let text = v
                .as_str()
                .ok_or_else(|| CompileError::at(pointer, "expected a path"))?;
            Path::parse(text).map_err(|m| CompileError::at(pointer, m))
        })
        .transpose()
}

/// Compiles `{not_after_as_of?, order?}` (the meta-schema has checked the shape).
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let mut not_after = Vec::new();
    for (i, v) in params
        .get("not_after_as_of")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let pointer = format!("/not_after_as_of/{i}");
        not_after.extend(path_at(Some(v), &pointer)?);
    }
    let mut order = Vec::new();
    for (i, pair) in params
        .get("order")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = |key: &str| format!("/order/{i}/{key}");
        let (Some(earlier), Some(later)) = (
            path_at(pair.get("earlier"), &at("earlier"))?,
            path_at(pair.get("later"), &at("later"))?,
        ) else {
            return Err(CompileError::at(
                format!("/order/{i}"),
                "give both `earlier` and `later`",
            ));
        };
        order.push(Order {
            each: path_at(pair.get("each"), &at("each"))?,
            earlier,
            later,
        });
    }
    if not_after.is_empty() && order.is_empty() {
        return Err(CompileError::at(
            "",
            "give `not_after_as_of`, `order`, or both",
        ));
    }
    Ok(Box::new(Dates { not_after, order }))
}

fn date(value: &model::Value) -> Option<Date> {
    value.as_str()?.parse().ok()
}

impl Dates {
    fn check_order(
        &self,
        index: usize,
        root: &model::Value,
        base: &str,
        pair: &Order,
        hits: &mut Vec<Hit>,
    ) {
        let Some(earliest) = pair
            .earlier
            .select(root)
            .into_iter()
            .filter_map(|(_, v)| date(v))
            .min()
        else {
            return;
        };
        for (pointer, value) in pair.later.select(root) {
            if let Some(later) = date(value).filter(|&d| d < earliest) {
                hits.push(Hit::at_value(
                    index,
                    format!("{base}{pointer}"),
                    format!(
                        "`{}` is {later}, before `{}` ({earliest})",
                        pair.later, pair.earlier
                    ),
                ));
            }
        }
    }
}

impl CheckKind for Dates {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn reads(&self) -> Option<Vec<crate::model::Kind>> {
        Some(Vec::new())
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        for &i in applicable {
            let value = &ctx.documents[i].value;
            for path in &self.not_after {
                for (pointer, v) in path.select(value) {
                    if let Some(d) = date(v).filter(|&d| d > ctx.as_of) {
                        hits.push(Hit::at_value(
                            i,
                            pointer,
                            format!(
                                "`{path}` is {d}, after the as-of date {}: evidence cannot be dated in the future",
                                ctx.as_of
                            ),
                        ));
                    }
                }
            }
            for pair in &self.order {
                match &pair.each {
                    None => self.check_order(i, value, "", pair, hits),
                    Some(each) => {
                        for (base, item) in each.select(value) {
                            self.check_order(i, item, &base, pair, hits);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controls::checks::NoCommitDates;
    use crate::model::{Document, Kind};
    use serde_json::json;

    fn run(params: Value, spec: Value) -> Vec<Hit> {
        let check = compile(&params, None).expect("compiles");
        let doc = Document {
            kind: Kind::Record,
            id: "r".into(),
            path: "policies/r.yaml".into(),
            index: 0,
            value: crate::model::Value::from_json(
                &json!({"metadata": {"last_reviewed": "2026-10-01"}, "spec": spec}),
            )
            .into(),
            start: crate::load::yaml::Position { line: 1, column: 1 },
        };
        let docs = [doc];
        let ctx = Context::new(&docs, "2026-11-21".parse().expect("date"), &NoCommitDates);
        let mut hits = Vec::new();
        check.evaluate(&ctx, &[0], &mut hits);
        hits
    }

    #[test]
    fn future_dates_and_wrong_order_are_hits() {
        let params = json!({
            "not_after_as_of": ["metadata.last_reviewed", "spec.date"],
            "order": [
                {"earlier": "spec.date", "later": "spec.actions[*].due"},
                {"each": "spec.milestones[*]", "earlier": "start", "later": "end"}
            ]
        });
        let ok = run(
            params.clone(),
            json!({"date": "2026-11-01", "actions": [{"due": "2026-12-01"}],
                   "milestones": [{"start": "2026-01-01", "end": "2026-02-01"}]}),
        );
        assert!(ok.is_empty(), "{ok:?}");
        let bad = run(
            params,
            json!({"date": "2027-01-01", "actions": [{"due": "2026-12-01"}, {"due": "2027-02-01"}],
                   "milestones": [{"start": "2026-03-01", "end": "2026-02-01"}]}),
        );
        let pointers: Vec<&str> = bad.iter().map(|h| h.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/spec/date",
                "/spec/actions/0/due",
                "/spec/milestones/0/end"
            ]
        );
    }

    #[test]
    fn nothing_to_check_is_a_compile_error() {
        assert!(compile(&json!({}), None).is_err());
    }
}
