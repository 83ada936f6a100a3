//! `freshness`: a date is recent enough relative to the as-of date.
//!
//! ```yaml
//! applies_to: {kind: Record, where: {spec.type: management-review}}
//! check:
//!   freshness:
//!     date: spec.date            # the date to test
//!     max_age: 12mo              # a fixed allowance, and/or
//!     max_age_from: spec.interval  # the document's own interval (wins when present)
//!     git_fallback: true         # no date written: use the file's last commit date
//!     of: latest                 # `each` (default) or `latest`: only the most recent document
//! ```
//!
//! `of: latest` suits records that accumulate (audits, reviews, tests): the newest must be
//! recent, older ones are history. When no document applies, that is itself a finding. A date
//! after the as-of date is a finding too: evidence cannot come from the future.

use jiff::Span;
use jiff::civil::Date;
use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::Selector;
use crate::controls::path::Path;
use crate::model::duration;

#[derive(Debug)]
struct Freshness {
    date: Path,
    max_age: Option<(String, Span)>,
    max_age_from: Option<Path>,
    git_fallback: bool,
    latest: bool,
    what: Option<String>,
}

fn path_param(params: &Value, key: &str) -> Result<Option<Path>, CompileError> {
    params
        .get(key)
        .map(|v| {
            let text = v.as_str().ok_or_else(|| {
                CompileError::at(format!("/{key}"), format!("`{key}` must be a path"))
            })?;
            Path::parse(text).map_err(|m| CompileError::at(format!("/{key}"), m))
        })
        .transpose()
}

/// Compiles `{date, max_age?, max_age_from?, git_fallback?}`.
pub fn compile(params: &Value, selector: Option<&Selector>) -> Result<Check, CompileError> {
    let date =
        path_param(params, "date")?.ok_or_else(|| CompileError::at("", "`date` is required"))?;
    let max_age = match params.get("max_age") {
        None => None,
        Some(Value::String(s)) => Some((
            s.clone(),
            duration::parse(s).map_err(|m| CompileError::at("/max_age", m))?,
        )),
        Some(_) => {
            return Err(CompileError::at(
                "/max_age",
                "`max_age` must be a duration such as `12mo`",
            ));
        }
    };
    let max_age_from = path_param(params, "max_age_from")?;
    if max_age.is_none() && max_age_from.is_none() {
        return Err(CompileError::at(
            "",
            "give `max_age`, `max_age_from`, or both",
        ));
    }
    let git_fallback = params
        .get("git_fallback")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let latest = match params.get("of").and_then(Value::as_str) {
        None | Some("each") => false,
        Some("latest") => true,
        Some(other) => {
            return Err(CompileError::at(
                "/of",
                format!("`of` is `each` or `latest`, not `{other}`"),
            ));
        }
    };
    Ok(Box::new(Freshness {
        date,
        max_age,
        max_age_from,
        git_fallback,
        latest,
        what: selector.map(Selector::describe),
    }))
}

impl CheckKind for Freshness {
    fn name(&self) -> &'static str {
        "freshness"
    }

    /// With `of: latest` the verdict is about the repository: is there a recent one at all?
    fn per_document(&self) -> bool {
        !self.latest
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        let newest;
        let applicable = if self.latest {
            let dated = applicable.iter().copied().filter_map(|i| {
                let d = self
                    .date
                    .first(&ctx.documents[i].value)?
                    .as_str()?
                    .parse::<Date>()
                    .ok()?;
                Some((d, i))
            });
            match dated.max() {
                Some((_, i)) => {
                    newest = [i];
                    &newest[..]
                }
                None => {
                    let what = self.what.as_deref().unwrap_or("documents").replacen(
                        " documents",
                        " document",
                        1,
                    );
                    let joint = if what.contains(" with ") {
                        "and"
                    } else {
                        "with"
                    };
                    hits.push(Hit::repository(format!(
                        "no {what} {joint} a `{}` date exists",
                        self.date
                    )));
                    return;
                }
            }
        } else {
            applicable
        };
        for &i in applicable {
            let doc = &ctx.documents[i];
            // The allowance: the document's own interval when it states one, else the fixed one.
            let own = self.max_age_from.as_ref().and_then(|p| {
                p.select(&doc.value)
                    .into_iter()
                    .next()
                    .and_then(|(_, v)| v.as_str().map(str::to_string))
            });
            let allowance = match (own, &self.max_age) {
                (Some(text), _) => match duration::parse(&text) {
                    Ok(span) => (text, span),
                    Err(_) => continue, // the kind schema reports a malformed duration
                },
                (None, Some(fixed)) => fixed.clone(),
                (None, None) => {
                    let path = self
                        .max_age_from
                        .as_ref()
                        .map(Path::to_string)
                        .unwrap_or_default();
                    hits.push(Hit::at(
                        i,
                        self.max_age_from
                            .as_ref()
                            .map(Path::fixed_prefix_pointer)
                            .unwrap_or_default(),
                        format!("`{path}` is missing, so the interval cannot be checked"),
                    ));
                    continue;
                }
            };
            let written = self.date.select(&doc.value).into_iter().next();
            let (pointer, date, source) = match written {
                Some((pointer, v)) => match v.as_str().and_then(|s| s.parse::<Date>().ok()) {
                    Some(d) => (pointer, d, "dated"),
                    None => continue, // not a date: the kind schema reports it
                },
                None if self.git_fallback => match ctx.commits.last_commit(&doc.path) {
                    Some(d) => ("/metadata".to_string(), d, "last committed"),
                    None => {
                        hits.push(Hit::at(
                            i,
                            self.date.fixed_prefix_pointer(),
                            format!(
                                "`{}` is missing and the file has no git history to date it",
                                self.date
                            ),
                        ));
                        continue;
                    }
                },
                None => {
                    hits.push(Hit::at(
                        i,
                        self.date.fixed_prefix_pointer(),
                        format!("`{}` is missing", self.date),
                    ));
                    continue;
                }
            };
            if date > ctx.as_of {
                hits.push(Hit::at(
                    i,
                    pointer,
                    format!(
                        "{source} {date}, after the as-of date {}: a date in the future shows nothing yet",
                        ctx.as_of
                    ),
                ));
                continue;
            }
            let (text, span) = allowance;
            match duration::add(date, span) {
                Some(due) if due >= ctx.as_of => {}
                _ => {
                    let days = (ctx.as_of - date).get_days();
                    hits.push(Hit::at(
                        i,
                        pointer,
                        format!(
                            "{source} {date}, {days} days before {}; at most {text} allowed",
                            ctx.as_of
                        ),
                    ));
                }
            }
        }
    }
}
