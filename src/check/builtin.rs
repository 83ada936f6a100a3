//! Diagnostic codes that are not controls: problems reading documents, and waiver bookkeeping.
//! Each has a stable code, a severity and documentation printed by `evident explain CODE`.

use crate::controls::Severity;

/// A built-in diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// The code, e.g. `yaml-syntax`.
    pub code: &'static str,
    /// Headline.
    pub title: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// ISO/IEC 20000-1:2018 clauses.
    pub iso20000: &'static [&'static str],
    /// What it means and why it matters.
    pub rationale: &'static str,
    /// How to fix it.
    pub remediation: &'static str,
}

const DOC_CONTROL: &[&str] = &["7.5.2", "7.5.3"];

/// Every built-in code.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        code: "yaml-syntax",
        title: "file is not valid YAML",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "A document that cannot be read cannot be checked, so none of the controls that depend on it can show conformity. Duplicate keys are refused too: YAML forbids them, and a parser that silently keeps one of two values hides which one the author meant.",
        remediation: "Fix the syntax at the position shown. For a duplicate key, keep one of the two entries.",
    },
    Builtin {
        code: "encoding",
        title: "file is not UTF-8 text",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "Policy documents are YAML text in UTF-8. A binary file or another encoding under the documents folder is either misplaced or corrupt.",
        remediation: "Re-save the file as UTF-8, or move binary evidence out of the documents folder and list it under a Record's `spec.attachments`.",
    },
    Builtin {
        code: "file-too-large",
        title: "file is too large to be a policy document",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "Policy documents are small. A very large YAML file is usually generated data or an export placed in the wrong folder; reading it would slow every check.",
        remediation: "Split the file, or move the data out of the documents folder and reference it from a Record's `spec.attachments`.",
    },
    Builtin {
        code: "symlink-outside",
        title: "symbolic link leaves the repository",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "Evidence must be what is in the repository. A link to a file outside it would make the result depend on the machine that runs the check, and could expose files that were never meant to be read.",
        remediation: "Replace the link with the file itself, or remove it.",
    },
    Builtin {
        code: "unreadable",
        title: "file cannot be read",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "A document that cannot be read cannot be checked.",
        remediation: "Check the file's permissions, or remove a broken link.",
    },
    Builtin {
        code: "empty-file",
        title: "file holds no document",
        severity: Severity::Low,
        iso20000: DOC_CONTROL,
        rationale: "An empty file under the documents folder is usually an unfinished or accidentally emptied document.",
        remediation: "Write the document, or delete the file.",
    },
    Builtin {
        code: "envelope",
        title: "document is not an Evident document",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "Every document starts with `apiVersion: evident/v1` and a `kind` that Evident knows; without them it cannot be checked against the right schema and controls.",
        remediation: "Start the document with `apiVersion: evident/v1` and one of the kinds: Policy, Process, Service, ServiceLevelAgreement, Supplier, Role, Calendar, Plan, Record. `evident schema` prints their schemas.",
    },
    Builtin {
        code: "schema",
        title: "document does not match the schema of its kind",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "Each kind has a JSON Schema of required fields, allowed values and formats. A misspelt key or a wrong value would otherwise pass unnoticed and make controls miss what they look for.",
        remediation: "Correct the field shown. Point your editor at the schemas from `evident schema --out schemas/` for completion and inline errors.",
    },
    Builtin {
        code: "duplicate-id",
        title: "two documents of the same kind share an id",
        severity: Severity::High,
        iso20000: DOC_CONTROL,
        rationale: "Documents refer to each other by id; two documents with one id make every reference to it ambiguous.",
        remediation: "Give one of the documents another `metadata.id`, or remove the copy.",
    },
    Builtin {
        code: "document-version",
        title: "changed document keeps its version",
        severity: Severity::Medium,
        iso20000: &["7.5.3"],
        rationale: "Controlled documents are identified by version. A document whose content changes without a new version cannot be told apart from the one that was approved, so nobody can say which text was in force when. Reported by `evident gate` for documents the change modifies; waivable like any code.",
        remediation: "Raise `metadata.version` (e.g. 2.3.0 → 2.4.0 for a change in substance, 2.3.1 for a correction).",
    },
    Builtin {
        code: "review-date-future",
        title: "review date is in the future",
        severity: Severity::Medium,
        iso20000: &["7.5.3"],
        rationale: "A review recorded for a date that has not come yet is not evidence of a review; it makes freshness checks pass for the wrong reason. Reported by `evident gate` for documents the change adds or modifies.",
        remediation: "Set `metadata.last_reviewed` to the date the review actually took place.",
    },
    Builtin {
        code: "approval-missing",
        title: "approved document names no approver",
        severity: Severity::High,
        iso20000: &["7.5.3", "7.5.2"],
        rationale: "Approval before issue is the core of document control: an approved document must say who approved it. Reported by `evident gate` for documents the change adds or modifies.",
        remediation: "Set `metadata.approved_by` to the Role that approved this version, or set `metadata.status: draft` until it is approved.",
    },
    Builtin {
        code: "waiver-expired",
        title: "waiver has expired",
        severity: Severity::Medium,
        iso20000: &["10.1"],
        rationale: "A waiver accepts a known nonconformity for a limited time. After its expiry date it no longer waives, and the finding it covered counts again.",
        remediation: "Fix the nonconformity and remove the waiver, or renew it with a new `expires` date and approval.",
    },
    Builtin {
        code: "waiver-unused",
        title: "waiver matches no finding",
        severity: Severity::Low,
        iso20000: &["10.1"],
        rationale: "A waiver that matches nothing is stale: the nonconformity was fixed, or the waiver names the wrong control or files. Left in place, it would silently waive a future finding.",
        remediation: "Remove the waiver, or correct its `control` and `documents`.",
    },
];

/// The codes `evident gate` reports on the documents a change adds or modifies. They depend on
/// the change, so a waiver of one that matches nothing in this change is not "unused": `check`
/// never reports it, and `gate` applies it to its own findings after the comparison.
pub const GATE_CODES: [&str; 3] = ["document-version", "review-date-future", "approval-missing"];

/// The built-in code `code`.
pub fn builtin(code: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.code == code)
}
