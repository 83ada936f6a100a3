//! Evident audits IT service management documents kept as YAML in git against
//! ISO/IEC 20000-1:2018 and ITIL 4.
//!
//! The library is the product; the `evident` binary is a thin layer over it. Data flows one
//! way:
//!
//! ```text
//! load (files → documents)  →  check (documents × controls → findings)  →  report (text, JSON…)
//! ```
//!
//! - [`load`]: walk folders, read YAML with positions, check each document's envelope;
//! - [`model`]: the document kinds and their JSON Schemas;
//! - [`controls`]: the control library, its check kinds and the framework catalogues;
//! - [`config`](crate::config): `evident.yaml`;
//! - [`check`]: the engine — findings, waivers, the outcome;
//! - [`report`]: renderers, one file per format;
//! - [`git`]: what git knows about the files.

pub mod assets;
pub mod check;
pub mod config;
pub mod controls;
pub mod error;
pub mod gate;
pub mod git;
pub mod init;
pub mod load;
pub mod model;
pub mod report;
pub mod suggest;

use std::path::Path;

use anyhow::Result;
use jiff::civil::Date;

/// Everything a check of a working tree produced.
#[derive(Debug)]
pub struct Checked {
    /// The configuration used.
    pub config: config::Config,
    /// The documents and files read.
    pub loaded: load::Loaded,
    /// The controls run.
    pub library: controls::Library,
    /// The findings.
    pub outcome: check::Outcome,
    /// With `evident gate`: the comparison with the base revision.
    pub gate: Option<gate::GateInfo>,
}

/// What to check and how, beyond `evident.yaml`.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The as-of date for time-dependent checks.
    pub as_of: Option<Date>,
    /// Extra control folders (added to the configuration's).
    pub extra_controls: Vec<String>,
    /// Overrides `fail_on`.
    pub fail_on: Option<controls::Severity>,
    /// Run no control: only read the documents and validate them against their kind schemas.
    pub schemas_only: bool,
}

/// Loads `root` (its `evident.yaml`, documents and controls) and evaluates every control.
/// `today` is the as-of date unless `options.as_of` overrides it.
pub fn check_dir(root: &Path, today: Date, options: &CheckOptions) -> Result<Checked> {
    let mut config = config::Config::load(root)?;
    config
        .controls
        .extra
        .extend(options.extra_controls.iter().cloned());
    if let Some(f) = options.fail_on {
        config.fail_on = f;
    }
    let mut library = controls::load(root, &config.controls)?;
    config.check_waivers(&library)?;
    if options.schemas_only {
        library.controls.clear();
    }
    let files = load::walk(root, &config.documents)?;
    let loaded = load::documents(files);
    let commits = git::GitCommitDates::new(root);
    let as_of = options.as_of.unwrap_or(today);
    let outcome = check::evaluate(&loaded, &library, &config, as_of, &commits)?;
    Ok(Checked {
        config,
        loaded,
        library,
        outcome,
        gate: None,
    })
}
