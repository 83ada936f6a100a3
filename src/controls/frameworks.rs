//! The framework catalogues in `controls/frameworks/`: ISO/IEC 20000-1:2018 clauses and the
//! ITIL 4 practices, as ids and short titles (the texts themselves are copyrighted).

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;

use crate::assets;

/// A clause of ISO/IEC 20000-1:2018.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Clause {
    /// Number, e.g. `8.5.1.3`.
    pub id: String,
    /// Short title.
    pub title: String,
}

/// An ITIL 4 management practice.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Practice {
    /// Id, e.g. `change-enablement`.
    pub id: String,
    /// Name, e.g. `Change enablement`.
    pub name: String,
    /// `general`, `service` or `technical`.
    pub category: String,
}

/// How a practice relates to a clause (see `controls/frameworks/crosswalk.yaml`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Mapping {
    /// ITIL 4 practice id.
    pub practice: String,
    /// ISO/IEC 20000-1:2018 clause.
    pub clause: String,
    /// `equal`, `subset` or `intersect`.
    pub relation: Relation,
}

/// The kind of relation between a practice and a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Same activity.
    Equal,
    /// The practice covers part of the clause.
    Subset,
    /// Partial overlap.
    Intersect,
}

/// A clause or practice deliberately left without a counterpart, with the reason.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Unmapped {
    /// Clause id (for clauses).
    #[serde(default)]
    pub clause: Option<String>,
    /// Practice id (for practices).
    #[serde(default)]
    pub practice: Option<String>,
    /// Why.
    pub note: String,
}

#[derive(Deserialize)]
struct CrosswalkFile {
    mappings: Vec<Mapping>,
    #[serde(default)]
    unmapped_clauses: Vec<Unmapped>,
    #[serde(default)]
    unmapped_practices: Vec<Unmapped>,
}

#[derive(Deserialize)]
struct IsoFile {
    clauses: Vec<Clause>,
}

#[derive(Deserialize)]
struct ItilFile {
    practices: Vec<Practice>,
}

/// Both catalogues.
#[derive(Debug, Clone)]
pub struct Frameworks {
    /// Clauses in document order.
    pub clauses: Vec<Clause>,
    /// Practices in catalogue order.
    pub practices: Vec<Practice>,
    /// Practice ↔ clause relations.
    pub crosswalk: Vec<Mapping>,
    /// Clauses no practice addresses, with the reason.
    pub unmapped_clauses: Vec<Unmapped>,
    /// Practices with no clause, with the reason.
    pub unmapped_practices: Vec<Unmapped>,
}

fn embedded<T: for<'de> Deserialize<'de>>(name: &str) -> Result<T> {
    let text = assets::CONTROLS
        .get_file(format!("frameworks/{name}"))
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| anyhow!("embedded catalogue `controls/frameworks/{name}` is missing"))?;
    let parsed = crate::load::yaml::parse(text);
    if let Some(e) = parsed.error {
        return Err(anyhow!(
            "controls/frameworks/{name}:{}:{}: {}",
            e.position.line,
            e.position.column,
            e.message
        ));
    }
    let value = parsed
        .documents
        .into_iter()
        .next()
        .map(|d| d.value)
        .unwrap_or_default();
    serde_json::from_value(value).with_context(|| format!("reading `controls/frameworks/{name}`"))
}

impl Frameworks {
    /// The catalogues embedded in the binary.
    pub fn builtin() -> Result<Frameworks> {
        let iso: IsoFile = embedded("iso20000-1-2018.yaml")?;
        let itil: ItilFile = embedded("itil4.yaml")?;
        let cross: CrosswalkFile = embedded("crosswalk.yaml")?;
        Ok(Frameworks {
            clauses: iso.clauses,
            practices: itil.practices,
            crosswalk: cross.mappings,
            unmapped_clauses: cross.unmapped_clauses,
            unmapped_practices: cross.unmapped_practices,
        })
    }

    /// The clause with this number.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// Whether `id` is a subclause (has a dot) rather than a top-level clause heading.
    pub fn is_subclause(id: &str) -> bool {
        id.contains('.')
    }

    /// The clauses directly below `id` (e.g. 8.5.1.1–8.5.1.3 below 8.5.1).
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Clause> + 'a {
        self.clauses.iter().filter(move |c| {
            c.id.strip_prefix(id)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| !rest.contains('.'))
        })
    }

    /// The name of practice `id` (the id itself when unknown).
    pub fn practice_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.practice(id).map_or(id, |p| p.name.as_str())
    }

    /// The practice with this id.
    pub fn practice(&self, id: &str) -> Option<&Practice> {
        self.practices.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_load() {
        let f = Frameworks::builtin().expect("loads");
        assert_eq!(f.practices.len(), 34);
        assert!(f.clause("8.5.1.3").is_some());
        assert!(f.clause("7.5.3").is_some());
        assert!(f.practice("change-enablement").is_some());
    }

    #[test]
    fn crosswalk_names_known_ids_and_accounts_for_everything() {
        let f = Frameworks::builtin().expect("loads");
        for m in &f.crosswalk {
            assert!(
                f.practice(&m.practice).is_some(),
                "unknown practice {}",
                m.practice
            );
            assert!(f.clause(&m.clause).is_some(), "unknown clause {}", m.clause);
        }
        for u in &f.unmapped_clauses {
            let id = u.clause.as_deref().expect("clause");
            assert!(f.clause(id).is_some(), "unknown clause {id}");
            assert!(
                !f.crosswalk.iter().any(|m| m.clause == id),
                "{id} is both mapped and unmapped"
            );
        }
        // Every practice relates to a clause or is listed as unmapped, with a reason.
        for p in &f.practices {
            let mapped = f.crosswalk.iter().any(|m| m.practice == p.id);
            let listed = f
                .unmapped_practices
                .iter()
                .any(|u| u.practice.as_deref() == Some(&p.id));
            assert!(
                mapped != listed,
                "{} must be mapped or listed as unmapped (not both)",
                p.id
            );
        }
        // Every second-level clause relates to a practice (itself, a parent or a child) or is
        // listed as unmapped.
        for c in f.clauses.iter().filter(|c| c.id.matches('.').count() == 1) {
            let related = f
                .crosswalk
                .iter()
                .any(|m| m.clause == c.id || m.clause.starts_with(&format!("{}.", c.id)));
            let listed = f
                .unmapped_clauses
                .iter()
                .any(|u| u.clause.as_deref() == Some(&c.id));
            assert!(
                related || listed,
                "clause {} is neither mapped nor listed as unmapped",
                c.id
            );
        }
    }
}
