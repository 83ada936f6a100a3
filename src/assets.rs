//! Data embedded in the binary: the kind schemas, the control library, the reference policy
//! set (for `evident init`) and the report templates.

use include_dir::{Dir, include_dir};

/// `schemas/`: `common.json` and `kinds/<kind>.json`.
pub static SCHEMAS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/schemas");

/// `controls/`: the built-in control library and framework catalogues.
pub static CONTROLS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/controls");

/// `policies/`: the reference organization, written by `evident init`.
pub static POLICIES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/policies");

/// `templates/`: report templates and the files `evident init` writes.
pub static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
