//! Coverage: which controls evidence each ISO/IEC 20000-1 clause and ITIL 4 practice, and how
//! they fared on a repository.

use serde::Serialize;

use super::{Outcome, Status};
use crate::controls::frameworks::Frameworks;
use crate::controls::{Library, Severity};

/// How one control fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Result {
    /// No finding.
    Pass,
    /// At least one failed finding.
    Fail,
    /// Findings, all waived.
    Waived,
}

/// A control and its result.
#[derive(Debug, Clone, Serialize)]
pub struct ControlResult {
    /// Control id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// Failed findings.
    pub failed: usize,
    /// Waived findings.
    pub waived: usize,
    /// Overall.
    pub result: Result,
}

/// One clause: its controls and whether it is covered.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseRow {
    /// Clause number.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Controls mapped to this clause directly.
    pub controls: Vec<ControlResult>,
    /// Whether a control maps to it or to one of its subclauses.
    pub covered: bool,
    /// Worst result among its controls (and its subclauses' controls); `None` when uncovered.
    pub result: Option<Result>,
}

/// One practice: its controls and the clauses it relates to.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeRow {
    /// Practice id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `general`, `service` or `technical`.
    pub category: String,
    /// Clauses related through the crosswalk.
    pub clauses: Vec<String>,
    /// Controls mapped to this practice.
    pub controls: Vec<ControlResult>,
    /// Worst result among its controls; `None` when no control maps to it.
    pub result: Option<Result>,
}

/// One requirement or objective of FitSM or COBIT 2019: the controls that reach it through
/// its ISO/IEC 20000-1 clauses.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalRow {
    /// Id, e.g. `PR9`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// The clauses it corresponds to.
    pub clauses: Vec<String>,
    /// Controls mapped to those clauses (or their subclauses).
    pub controls: Vec<ControlResult>,
    /// Worst result among them; `None` when no control reaches it.
    pub result: Option<Result>,
}

/// The view of one external framework.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalView {
    /// Key: `fitsm` or `cobit2019`.
    pub framework: String,
    /// Title.
    pub title: String,
    /// Whose it is.
    pub attribution: String,
    /// Rows in catalogue order.
    pub rows: Vec<ExternalRow>,
}

/// The whole matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Subclauses (numbers with a dot) in the catalogue.
    pub subclauses: usize,
    /// Subclauses with at least one control (directly or through a subclause of their own).
    pub covered: usize,
    /// Clause rows in catalogue order.
    pub clauses: Vec<ClauseRow>,
    /// Practice rows in catalogue order.
    pub practices: Vec<PracticeRow>,
    /// FitSM and COBIT 2019, reached through the clauses.
    pub frameworks: Vec<ExternalView>,
}

fn worst(results: impl IntoIterator<Item = Result>) -> Option<Result> {
    results.into_iter().max_by_key(|r| match r {
        Result::Pass => 0,
        Result::Waived => 1,
        Result::Fail => 2,
    })
}

/// Computes the matrix for `library`, with results from `outcome` (or all `pass` when no
/// repository was checked).
pub fn coverage(library: &Library, outcome: Option<&Outcome>) -> Coverage {
    let result_of = |id: &str| -> ControlResult {
        let control = library.get(id);
        let (mut failed, mut waived) = (0, 0);
        for f in outcome
            .into_iter()
            .flat_map(|o| &o.findings)
            .filter(|f| f.control == id)
        {
            match f.status {
                Status::Fail => failed += 1,
                Status::Waived => waived += 1,
            }
        }
        ControlResult {
            id: id.to_string(),
            title: control.map(|c| c.title.clone()).unwrap_or_default(),
            severity: control.map_or(Severity::Info, |c| c.severity),
            failed,
            waived,
            result: if failed > 0 {
                Result::Fail
            } else if waived > 0 {
                Result::Waived
            } else {
                Result::Pass
            },
        }
    };
    let fw: &Frameworks = &library.frameworks;
    let direct = |clause: &str| -> Vec<ControlResult> {
        library
            .controls
            .iter()
            .filter(|c| c.iso20000.iter().any(|i| i == clause))
            .map(|c| result_of(&c.id))
            .collect()
    };
    let clauses: Vec<ClauseRow> = fw
        .clauses
        .iter()
        .map(|c| {
            let prefix = format!("{}.", c.id);
            let under: Vec<ControlResult> = library
                .controls
                .iter()
                .filter(|k| {
                    k.iso20000
                        .iter()
                        .any(|i| *i == c.id || i.starts_with(&prefix))
                })
                .map(|k| result_of(&k.id))
                .collect();
            ClauseRow {
                id: c.id.clone(),
                title: c.title.clone(),
                controls: direct(&c.id),
                covered: !under.is_empty(),
                result: worst(under.iter().map(|r| r.result)),
            }
        })
        .collect();
    let practices = fw
        .practices
        .iter()
        .map(|p| {
            let controls: Vec<ControlResult> = library
                .controls
                .iter()
                .filter(|c| c.itil4.contains(&p.id))
                .map(|c| result_of(&c.id))
                .collect();
            PracticeRow {
                id: p.id.clone(),
                name: p.name.clone(),
                category: p.category.clone(),
                clauses: fw
                    .crosswalk
                    .iter()
                    .filter(|m| m.practice == p.id)
                    .map(|m| m.clause.clone())
                    .collect(),
                result: worst(controls.iter().map(|r| r.result)),
                controls,
            }
        })
        .collect();
    let frameworks = fw
        .external
        .iter()
        .map(|e| ExternalView {
            framework: e.framework.clone(),
            title: e.title.clone(),
            attribution: e.attribution.clone(),
            rows: e
                .items
                .iter()
                .map(|item| {
                    let controls: Vec<ControlResult> = library
                        .controls
                        .iter()
                        .filter(|c| {
                            c.iso20000.iter().any(|x| {
                                item.clauses
                                    .iter()
                                    .any(|cl| x == cl || x.starts_with(&format!("{cl}.")))
                            })
                        })
                        .map(|c| result_of(&c.id))
                        .collect();
                    ExternalRow {
                        id: item.id.clone(),
                        title: item.title.clone(),
                        clauses: item.clauses.clone(),
                        result: worst(controls.iter().map(|r| r.result)),
                        controls,
                    }
                })
                .collect(),
        })
        .collect();
    let sub: Vec<&ClauseRow> = clauses
        .iter()
        .filter(|c| Frameworks::is_subclause(&c.id))
        .collect();
    Coverage {
        subclauses: sub.len(),
        covered: sub.iter().filter(|c| c.covered).count(),
        clauses,
        practices,
        frameworks,
    }
}
