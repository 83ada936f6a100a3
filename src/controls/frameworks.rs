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

/// One requirement or objective of another framework, with the ISO/IEC 20000-1 clauses it
/// corresponds to.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalItem {
    /// Id in that framework, e.g. `PR9` or `DSS02`.
    pub id: String,
    /// Short title (our own words).
    pub title: String,
    /// ISO/IEC 20000-1:2018 clauses it corresponds to.
    pub clauses: Vec<String>,
}

/// Another framework reached through the ISO/IEC 20000-1 clauses: FitSM, COBIT 2019
/// (`controls/frameworks/<key>.yaml`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct External {
    /// Key, e.g. `fitsm` or `cobit2019`.
    pub framework: String,
    /// Title.
    pub title: String,
    /// Whose it is and under what terms.
    pub attribution: String,
    /// Requirements or objectives, in catalogue order.
    pub items: Vec<ExternalItem>,
}

/// The frameworks beyond ISO/IEC 20000-1 and ITIL 4 that Evident maps, by key.
pub const EXTERNAL: [&str; 2] = ["fitsm", "cobit2019"];

/// `a` is `b`, or one clause contains the other (`8.5.1` and `8.5.1.3`).
pub fn clauses_related(a: &str, b: &str) -> bool {
    a == b
        || a.strip_prefix(b).is_some_and(|r| r.starts_with('.'))
        || b.strip_prefix(a).is_some_and(|r| r.starts_with('.'))
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
    /// FitSM and COBIT 2019, crosswalked to the clauses.
    pub external: Vec<External>,
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
        .map(|d| d.value.to_json())
        .unwrap_or_default();
    serde_json::from_value(value).with_context(|| format!("reading `controls/frameworks/{name}`"))
}

impl Frameworks {
    /// The catalogues embedded in the binary.
    pub fn builtin() -> Result<Frameworks> {
        let iso: IsoFile = embedded("iso20000-1-2018.yaml")?;
        let itil: ItilFile = embedded("itil4.yaml")?;
        let cross: CrosswalkFile = embedded("crosswalk.yaml")?;
        let external = EXTERNAL
            .iter()
            .map(|key| embedded::<External>(&format!("{key}.yaml")))
            .collect::<Result<Vec<_>>>()?;
        Ok(Frameworks {
            external,
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

    /// The external framework with this key (`fitsm`, `cobit2019`).
    pub fn external(&self, key: &str) -> Option<&External> {
        self.external.iter().find(|e| e.framework == key)
    }

    /// The ids of `framework` that correspond to any of `clauses` (a control's clauses): how a
    /// control reaches FitSM or COBIT.
    pub fn related_items<'a>(&'a self, framework: &str, clauses: &[String]) -> Vec<&'a str> {
        self.external(framework)
            .into_iter()
            .flat_map(|e| &e.items)
            .filter(|item| {
                item.clauses
                    .iter()
                    .any(|c| clauses.iter().any(|x| clauses_related(c, x)))
            })
            .map(|item| item.id.as_str())
            .collect()
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
    fn fitsm_and_cobit_are_complete_and_map_known_clauses() {
        let f = Frameworks::builtin().expect("loads");
        let fitsm = f.external("fitsm").expect("fitsm");
        let ids: Vec<&str> = fitsm.items.iter().map(|i| i.id.as_str()).collect();
        let want: Vec<String> = (1..=7)
            .map(|n| format!("GR{n}"))
            .chain((1..=14).map(|n| format!("PR{n}")))
            .collect();
        assert_eq!(ids, want);
        let cobit = f.external("cobit2019").expect("cobit");
        let ids: Vec<&str> = cobit.items.iter().map(|i| i.id.as_str()).collect();
        let want: Vec<String> = [("EDM", 5), ("APO", 14), ("BAI", 11), ("DSS", 6), ("MEA", 4)]
            .iter()
            .flat_map(|(p, n)| (1..=*n).map(move |i| format!("{p}{i:02}")))
            .collect();
        assert_eq!(ids, want, "the 40 objectives in order");
        for e in &f.external {
            for item in &e.items {
                assert!(!item.clauses.is_empty(), "{} maps no clause", item.id);
                for c in &item.clauses {
                    assert!(f.clause(c).is_some(), "{}: unknown clause {c}", item.id);
                }
            }
        }
        assert_eq!(
            f.related_items("fitsm", &["8.6.1".to_string()]),
            ["PR9"],
            "a control on 8.6.1 reaches FitSM PR9"
        );
        assert!(
            f.related_items("cobit2019", &["8.5.1.3".to_string()])
                .contains(&"BAI06")
        );
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
