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
pub mod evidence;
pub mod fsread;
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
    /// The commit the documents were read from; `None` for the working tree.
    pub commit: Option<String>,
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

/// Where the documents come from.
pub enum Source<'a> {
    /// The files on disk under the root.
    WorkTree,
    /// A commit, read from git objects (no checkout).
    Revision(&'a git::Repo, &'a git::Revision),
}

/// Loads `root` (its `evident.yaml`, documents and controls) and evaluates every control.
/// `today` is the as-of date unless `options.as_of` overrides it.
pub fn check_dir(root: &Path, today: Date, options: &CheckOptions) -> Result<Checked> {
    check_source(root, &Source::WorkTree, today, options)
}

/// Like [`check_dir`], with the configuration, organization controls and documents as they
/// are at revision `rev` of the repository that contains `root`.
pub fn check_rev(root: &Path, rev: &str, today: Date, options: &CheckOptions) -> Result<Checked> {
    let repo = git::Repo::open(root)?;
    let revision = repo.resolve(rev)?;
    check_source(root, &Source::Revision(&repo, &revision), today, options)
}

/// Loads from `source` and evaluates every control.
pub fn check_source(
    root: &Path,
    source: &Source<'_>,
    today: Date,
    options: &CheckOptions,
) -> Result<Checked> {
    let mut config = match source {
        Source::WorkTree => config::Config::load(root)?,
        Source::Revision(repo, rev) => match repo.read(rev, config::FILE_NAME)? {
            Some(bytes) => config::Config::parse(&bytes)?,
            None => config::Config::default(),
        },
    };
    if let Some(f) = options.fail_on {
        config.fail_on = f;
    }
    // Controls named on the command line come from the working tree on both sides.
    let mut extra = Vec::new();
    for folder in &options.extra_controls {
        extra.extend(controls::folder_files(root, folder)?);
    }
    match source {
        Source::WorkTree => {
            for folder in &config.controls.extra {
                extra.extend(controls::repo_folder_files(root, folder)?);
            }
        }
        Source::Revision(repo, rev) => {
            if !config.controls.extra.is_empty() {
                extra.extend(repo.control_files(rev, &config.controls.extra)?);
            }
        }
    }
    let mut library = controls::load_with(extra, &config.controls)?;
    config.check_waivers(&library)?;
    if options.schemas_only {
        library.controls.clear();
    }
    let (files, commits) = match source {
        Source::WorkTree => (
            load::walk(root, &config.documents)?,
            git::GitCommitDates::new(root),
        ),
        Source::Revision(repo, rev) => (
            repo.files(rev, &config.documents)?,
            git::GitCommitDates::at(root, rev.commit),
        ),
    };
    let loaded = load::documents(files);
    let as_of = options.as_of.unwrap_or(today);
    let outcome = check::evaluate(&loaded, &library, &config, as_of, &commits)?;
    Ok(Checked {
        config,
        loaded,
        library,
        outcome,
        gate: None,
        commit: match source {
            Source::WorkTree => None,
            Source::Revision(_, rev) => Some(rev.commit.to_string()),
        },
    })
}

/// `evident gate`: evaluates `base` and `head` (a revision, or the working tree when `None`)
/// and classifies the head's findings as new or unchanged, and the base's vanished ones as
/// fixed. The result is the head's check with [`Checked::gate`] filled in.
pub fn gate(
    root: &Path,
    base: &str,
    head: Option<&str>,
    today: Date,
    options: &CheckOptions,
    strict: bool,
) -> Result<Checked> {
    let repo = git::Repo::open(root)?;
    let base_rev = repo.resolve(base)?;
    let head_rev = head.map(|h| repo.resolve(h)).transpose()?;
    // Only a summary of the base is kept, so the two sides are never in memory together.
    let base_checked = gate::Base::new(check_source(
        root,
        &Source::Revision(&repo, &base_rev),
        today,
        options,
    )?);
    let mut head_checked = match &head_rev {
        Some(rev) => check_source(root, &Source::Revision(&repo, rev), today, options)?,
        None => check_source(root, &Source::WorkTree, today, options)?,
    };
    gate::compare(
        &base_checked,
        &mut head_checked,
        base_rev.commit.to_string(),
        head.unwrap_or("working tree").to_string(),
        head_rev.map(|r| r.commit.to_string()),
        base.to_string(),
        strict,
    );
    Ok(head_checked)
}
