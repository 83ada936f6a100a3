//! `evident gate`: evaluate a base and a head revision and classify findings as new, fixed
//! or unchanged, so a pull request learns what it introduces and gets credit for what it fixes.

use serde::Serialize;

use crate::check::Finding;
use crate::model::Kind;

/// How a document changed between base and head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only at head.
    Added,
    /// At both, with different content.
    Modified,
    /// Only at base.
    Removed,
}

/// A document the change touches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ChangedDocument {
    /// Path at head (at base for a removed document).
    pub path: String,
    /// Kind.
    pub kind: Kind,
    /// Id.
    pub id: String,
    /// How it changed.
    pub change: Change,
}

/// What the gate adds to a check of the head.
#[derive(Debug, Clone, Serialize)]
pub struct GateInfo {
    /// The base revision as given.
    pub base: String,
    /// The commit it resolved to.
    pub base_commit: String,
    /// The head revision as given, or `working tree`.
    pub head: String,
    /// The head commit, unless the head is the working tree.
    pub head_commit: Option<String>,
    /// Findings present at base and gone at head (`baseline: fixed`).
    pub fixed: Vec<Finding>,
    /// Documents added, modified or removed.
    pub changed: Vec<ChangedDocument>,
    /// ISO/IEC 20000-1 clauses of the controls that apply to the changed documents.
    pub clauses: Vec<String>,
}
