//! The document model: the ten kinds of PRODUCT.md §2, the envelope every document shares,
//! and the JSON Schema of each kind.
//!
//! A [`Document`] is a YAML document that passed the envelope check (a known `apiVersion` and
//! `kind`, and a `metadata.id`). Its content stays a JSON [`Value`]: controls are data and
//! address documents by path, so a typed struct per kind would only be a second copy. It is kept
//! compact ([`value`]): a large repository is mostly its documents.

pub mod duration;
pub mod schema;
pub mod value;

use std::fmt;
use std::str::FromStr;

use crate::load::yaml::Position;
pub use value::{Map, Value};

/// The `apiVersion` every document carries.
pub const API_VERSION: &str = "evident/v1";

/// A document kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Service management policy, scope and objectives.
    Policy,
    /// A process definition for one ITIL 4 practice.
    Process,
    /// A service catalogue entry.
    Service,
    /// A service level agreement or operational level agreement.
    ServiceLevelAgreement,
    /// An external or internal supplier.
    Supplier,
    /// A role with responsibilities, authorities and competence.
    Role,
    /// Time zone, working hours and holidays.
    Calendar,
    /// A continuity, availability, capacity, security, improvement or transition plan.
    Plan,
    /// Evidence of the management system running: audits, reviews, nonconformities...
    Record,
    /// Where ticket exports are and how to read them (PRODUCT.md §11).
    TicketSource,
}

impl Kind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [Kind; 10] = [
        Kind::Policy,
        Kind::Process,
        Kind::Service,
        Kind::ServiceLevelAgreement,
        Kind::Supplier,
        Kind::Role,
        Kind::Calendar,
        Kind::Plan,
        Kind::Record,
        Kind::TicketSource,
    ];

    /// The name written in `kind:`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Policy => "Policy",
            Kind::Process => "Process",
            Kind::Service => "Service",
            Kind::ServiceLevelAgreement => "ServiceLevelAgreement",
            Kind::Supplier => "Supplier",
            Kind::Role => "Role",
            Kind::Calendar => "Calendar",
            Kind::Plan => "Plan",
            Kind::Record => "Record",
            Kind::TicketSource => "TicketSource",
        }
    }

    /// The file stem of the kind's schema, e.g. `service-level-agreement`.
    pub fn file_stem(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Process => "process",
            Kind::Service => "service",
            Kind::ServiceLevelAgreement => "service-level-agreement",
            Kind::Supplier => "supplier",
            Kind::Role => "role",
            Kind::Calendar => "calendar",
            Kind::Plan => "plan",
            Kind::Record => "record",
            Kind::TicketSource => "ticket-source",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text was not the name of a kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{0}`")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    /// Accepts the kind name (`ServiceLevelAgreement`) or its file stem
    /// (`service-level-agreement`), ignoring case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s) || k.file_stem().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// A document that passed the envelope check.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its kind.
    pub kind: Kind,
    /// `metadata.id`.
    pub id: String,
    /// Repository-relative path of its file, with `/` separators.
    pub path: String,
    /// Position of the document within its file (0 for the first).
    pub index: usize,
    /// Where the document starts in its file.
    pub start: Position,
    /// The whole document (shared: a gate's base and head hold one copy of a document that
    /// is the same on both sides).
    pub value: std::sync::Arc<Value>,
}

impl Document {
    /// The value at a JSON pointer, if present.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
    }

    /// `metadata.status`, when written.
    pub fn status(&self) -> Option<&str> {
        self.pointer("/metadata/status").and_then(Value::as_str)
    }
}

/// A short reference to a document: `Kind/id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct DocRef {
    /// Its kind.
    pub kind: Kind,
    /// Its id.
    pub id: String,
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for DocRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_by_name_and_stem() {
        for kind in Kind::ALL {
            assert_eq!(kind.name().parse::<Kind>(), Ok(kind));
            assert_eq!(kind.file_stem().parse::<Kind>(), Ok(kind));
        }
        assert!("Widget".parse::<Kind>().is_err());
    }
}
