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
        Ok(Frameworks {
            clauses: iso.clauses,
            practices: itil.practices,
        })
    }

    /// The clause with this number.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
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
}
