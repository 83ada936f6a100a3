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

#![forbid(unsafe_code)]

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
pub mod tickets;

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
    /// With a commit: the git blob id of each file read (path → id), for the report's
    /// document register. Empty for the working tree.
    pub blobs: std::collections::BTreeMap<String, String>,
    /// Where the as-of date came from.
    pub as_of_source: AsOfSource,
    /// What the ticket exports of the repository's TicketSources gave (PRODUCT.md §11);
    /// empty when there are none.
    pub tickets: tickets::Measured,
    /// Where the Evident root sits in its git repository (`examples/acme`; empty at the top or
    /// outside git). SARIF URIs and workflow annotations are relative to the repository root,
    /// so they start with it; every other path is relative to the Evident root.
    pub repo_prefix: String,
    /// A digest of the configuration and organization controls the check ran with: a gate's
    /// two sides reuse each other's verdicts only when theirs are the same.
    setup: [u8; 32],
}

impl Checked {
    /// `path` (relative to the Evident root) relative to the git repository root.
    pub fn repo_path(&self, path: &str) -> String {
        if self.repo_prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.repo_prefix)
        }
    }
}

/// Where the as-of date of a run comes from, as reports say it ("as of 2026-11-21, from
/// evident.yaml").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum AsOfSource {
    /// The day the run happened (`check` and `gate` of a living repository).
    #[default]
    #[serde(rename = "today")]
    Today,
    /// `--as-of` (or a library caller's explicit date).
    #[serde(rename = "--as-of")]
    Option,
    /// `as_of` in `evident.yaml`: the repository is a snapshot of that day.
    #[serde(rename = "evident.yaml")]
    Config,
    /// The commit's date (`pack`).
    #[serde(rename = "commit")]
    Commit,
}

impl AsOfSource {
    /// How reports name it: `today`, `--as-of`, `evident.yaml`, `commit`.
    pub fn name(self) -> &'static str {
        match self {
            AsOfSource::Today => "today",
            AsOfSource::Option => "--as-of",
            AsOfSource::Config => "evident.yaml",
            AsOfSource::Commit => "commit",
        }
    }
}

/// What to check and how, beyond `evident.yaml`.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The as-of date for time-dependent checks; `None`: `as_of` of `evident.yaml`, else today.
    pub as_of: Option<Date>,
    /// Where `as_of` came from, for reports (default: `--as-of`).
    pub as_of_source: Option<AsOfSource>,
    /// Extra control folders (added to the configuration's).
    pub extra_controls: Vec<String>,
    /// Overrides `fail_on`.
    pub fail_on: Option<controls::Severity>,
    /// Run no control: only read the documents and validate them against their kind schemas.
    pub schemas_only: bool,
    /// `gate`: evaluate the base on its own, without taking from the head the verdicts on
    /// what is the same on both sides (the results are the same; for comparing the two).
    pub whole_base: bool,
}

/// Where the documents come from.
pub enum Source<'a> {
    /// The files on disk under the root.
    WorkTree,
    /// A commit, read from git objects (no checkout).
    Revision(&'a git::Repo, &'a git::Revision),
    /// The files on disk under the root, with one more file given in memory (a YAML stream
    /// read from standard input): it replaces the file of the same path, if there is one.
    WorkTreeWith(&'a load::RawFile),
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

/// A hash map keyed by what the run reads itself (ids, paths, hours): foldhash, several times
/// faster than the standard SipHash on short keys, and still seeded at random.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A hash set of such keys (see [`FastMap`]).
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// With `EVIDENT_TIMINGS` set, prints to standard error how long a stage took since `since`
/// and restarts the clock (for the benchmark kit and for finding where time goes).
pub(crate) fn timing(stage: &str, since: &mut std::time::Instant) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("EVIDENT_TIMINGS").is_some()) {
        // Resident and peak memory so far, where the system tells them (Linux).
        let memory = std::fs::read_to_string("/proc/self/status")
            .ok()
            .map(|status| {
                status
                    .lines()
                    .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        // The CPU time of the whole process so far (user and system, in clock ticks of
        // usually 10 ms), to tell a stage that runs on every core from one that waits.
        let cpu = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|stat| {
                let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
                let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
                Some(format!(", CPU so far: {} ticks", ticks(11)? + ticks(12)?))
            })
            .unwrap_or_default();
        eprintln!(
            "timing: {stage}: {:.3} s ({memory}{cpu})",
            since.elapsed().as_secs_f64()
        );
    }
    *since = std::time::Instant::now();
}

/// The as-of date of a run and where it comes from: `--as-of`, else `evident.yaml`, else
/// `today`.
fn as_of(options: &CheckOptions, config: &config::Config, today: Date) -> (Date, AsOfSource) {
    match (options.as_of, config.as_of) {
        (Some(date), _) => (date, options.as_of_source.unwrap_or(AsOfSource::Option)),
        (None, Some(date)) => (date, AsOfSource::Config),
        (None, None) => (today, AsOfSource::Today),
    }
}

/// What a check of `source` runs with besides the documents: the configuration (with the
/// options' overrides), the organization's control files, and a digest of both as written.
pub(crate) fn setup_of(
    root: &Path,
    source: &Source<'_>,
    options: &CheckOptions,
) -> Result<(config::Config, Vec<controls::ControlFile>, [u8; 32])> {
    // Read once, bounded and as a regular file (a FIFO is an error, not a wait).
    let bytes = match source {
        Source::WorkTree | Source::WorkTreeWith(_) => {
            fsread::read_optional(&root.join(config::FILE_NAME), fsread::MAX_CONFIG_SIZE)?
        }
        Source::Revision(repo, rev) => repo.read(rev, config::FILE_NAME)?,
    };
    let mut config = match &bytes {
        Some(bytes) => config::Config::parse(bytes)?,
        None => config::Config::default(),
    };
    if let Some(f) = options.fail_on {
        config.fail_on = f;
    }
    let extra = control_files(root, source, options, &config)?;
    let setup = gate::setup_digest(bytes.as_deref(), &extra);
    Ok((config, extra, setup))
}

/// The organization's control files a check of `source` runs with: the folders named on the
/// command line (from the working tree on both sides of a gate), then those of `config`.
fn control_files(
    root: &Path,
    source: &Source<'_>,
    options: &CheckOptions,
    config: &config::Config,
) -> Result<Vec<controls::ControlFile>> {
    // Controls named on the command line come from the working tree on both sides.
    let mut extra = Vec::new();
    for folder in &options.extra_controls {
        extra.extend(controls::folder_files(root, folder)?);
    }
    match source {
        Source::WorkTree | Source::WorkTreeWith(_) => {
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
    Ok(extra)
}

/// Reads and parses the documents of `source`, with the commit dates of its files and, from
/// a commit, the blob id of each file.
fn read_documents(
    root: &Path,
    source: &Source<'_>,
    config: &config::Config,
    blob_ids: bool,
    clock: &mut std::time::Instant,
) -> Result<(
    load::Loaded,
    git::GitCommitDates,
    std::collections::BTreeMap<String, String>,
)> {
    let (files, commits) = match source {
        Source::WorkTree => (
            load::walk(root, &config.documents)?,
            git::GitCommitDates::new(root),
        ),
        Source::Revision(repo, rev) => (
            repo.files(rev, &config.documents)?,
            git::GitCommitDates::at(root, rev.commit),
        ),
        Source::WorkTreeWith(extra) => {
            let mut files = load::walk(root, &config.documents)?;
            files.retain(|f| f.path != extra.path);
            files.push((*extra).clone());
            (files, git::GitCommitDates::new(root))
        }
    };
    timing("reading files", clock);
    // Of a commit's files, and of the working tree's for a gate, the git blob id is computed
    // while they are read and parsed.
    let with_blob_ids = blob_ids || matches!(source, Source::Revision(..));
    let loaded = if with_blob_ids {
        load::documents_with_blob_ids(files)
    } else {
        load::documents(files)
    };
    // The report's register shows the blob ids of a commit's files.
    let blobs = match source {
        Source::Revision(..) => loaded
            .files
            .iter()
            .filter_map(|f| {
                Some((
                    f.path.clone(),
                    git2::Oid::from_bytes(&f.blob?).ok()?.to_string(),
                ))
            })
            .collect(),
        _ => std::collections::BTreeMap::new(),
    };
    timing("parsing documents", clock);
    Ok((loaded, commits, blobs))
}

/// Loads from `source` and evaluates every control.
pub fn check_source(
    root: &Path,
    source: &Source<'_>,
    today: Date,
    options: &CheckOptions,
) -> Result<Checked> {
    check_source_with(root, source, today, options, false)
}

/// [`check_source`]; for a gate's head (`gate_head`), each file's git blob id is computed as
/// it is read, even from the working tree, and what each document read of other documents is
/// recorded, so that the base need not read those files again nor judge again what they read.
fn check_source_with(
    root: &Path,
    source: &Source<'_>,
    today: Date,
    options: &CheckOptions,
    gate_head: bool,
) -> Result<Checked> {
    // Before any parallel work: the controls' threads need deep stacks (see there).
    check::deep_global_pool();
    let mut clock = std::time::Instant::now();
    let (config, extra, setup) = setup_of(root, source, options)?;
    // The controls and the kind schemas are compiled on a thread of their own while the
    // documents are read and parsed; a problem with the controls is still reported first.
    let (library, read) = std::thread::scope(|scope| {
        let compiling = std::thread::Builder::new()
            .name("evident-controls".into())
            .stack_size(controls::checks::expr::STACK_SIZE)
            .spawn_scoped(scope, || -> Result<controls::Library> {
                controls::checks::expr::mark_deep_stack();
                let mut library = controls::load_with(extra, &config.controls)?;
                config.check_waivers(&library)?;
                if options.schemas_only {
                    library.controls.clear();
                }
                check::prepare();
                Ok(library)
            });
        let read = read_documents(root, source, &config, gate_head, &mut clock);
        let library = match compiling {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("compiling the controls failed"))),
            Err(e) => Err(anyhow::anyhow!("cannot start a thread: {e}")),
        };
        (library, read)
    });
    let library = library?;
    let (loaded, commits, blobs) = read?;
    timing("controls compiled", &mut clock);
    let (as_of, as_of_source) = as_of(options, &config, today);
    // Ticket exports are read from the same place as the documents; the kind schemas judge
    // the documents meanwhile (reading exports leaves a core idle at times).
    let measure = || {
        if options.schemas_only {
            tickets::Measured::default()
        } else {
            match source {
                Source::WorkTree | Source::WorkTreeWith(_) => {
                    tickets::measure(&loaded.documents, &tickets::WorkTree(root))
                }
                Source::Revision(repo, rev) => {
                    tickets::measure(&loaded.documents, &tickets::Revision { repo, rev })
                }
            }
        }
    };
    let (measured, kinds) = std::thread::scope(|scope| {
        // Both stages hand their work to the same thread pool (a repository handle cannot
        // move to another thread, so the tickets are measured from this one).
        let judging = std::thread::Builder::new()
            .name("evident-kinds".into())
            .spawn_scoped(scope, || check::judge_kinds(&loaded, None));
        let measured = measure();
        let kinds = match judging {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("validating the documents failed"))),
            // No thread to spare: one stage after the other.
            Err(_) => check::judge_kinds(&loaded, None),
        };
        (measured, kinds)
    });
    if !measured.over_limit.is_empty() {
        anyhow::bail!(
            "ticket data cannot be trusted: {}",
            measured.over_limit.join("\n")
        );
    }
    timing("ticket data and kind schemas", &mut clock);
    let side = if gate_head {
        check::Side::Head
    } else {
        check::Side::Alone
    };
    let outcome = check::evaluate_with_kinds(
        kinds?, &loaded, &library, &config, as_of, &commits, &measured, side,
    )?;
    timing("evaluation", &mut clock);
    Ok(Checked {
        config,
        loaded,
        library,
        outcome,
        gate: None,
        blobs,
        tickets: measured,
        as_of_source,
        commit: match source {
            Source::WorkTree | Source::WorkTreeWith(_) => None,
            Source::Revision(_, rev) => Some(rev.commit.to_string()),
        },
        repo_prefix: match source {
            Source::WorkTree | Source::WorkTreeWith(_) => git::repo_prefix(root),
            Source::Revision(repo, _) => repo.prefix().to_string(),
        },
        setup,
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
    // Both sides are judged on one day: `--as-of`, else the head's `as_of` (a snapshot
    // repository), else today — never a base's own `as_of`, which would make old findings
    // look new or fixed.
    let mut options = options.clone();
    if options.as_of.is_none() {
        let head_config = match &head_rev {
            Some(rev) => match repo.read(rev, config::FILE_NAME)? {
                Some(bytes) => config::Config::parse(&bytes)?,
                None => config::Config::default(),
            },
            None => config::Config::load(root)?,
        };
        if let Some(date) = head_config.as_of {
            options.as_of = Some(date);
            options.as_of_source = Some(AsOfSource::Config);
        }
    }
    let options = &options;
    // The head first; the base takes from it the verdicts on files that are the same on both
    // sides, and only a summary of the base is kept.
    // The base's tree is listed meanwhile, on a thread of its own.
    let (head_checked, listed) = std::thread::scope(|scope| {
        let listing = (!options.whole_base).then(|| {
            std::thread::Builder::new()
                .name("evident-base".into())
                .spawn_scoped(scope, || {
                    gate::BaseTree::list(root, &base_rev, options, head_rev.is_none())
                })
        });
        let head_checked = match &head_rev {
            Some(rev) => {
                check_source_with(root, &Source::Revision(&repo, rev), today, options, true)
            }
            None => check_source_with(root, &Source::WorkTree, today, options, true),
        };
        let listed = listing.map(|started| match started {
            Ok(thread) => thread
                .join()
                .map_err(|_| anyhow::anyhow!("listing the base's files failed")),
            // No thread to spare: listed now.
            Err(_) => Ok(gate::BaseTree::list(
                root,
                &base_rev,
                options,
                head_rev.is_none(),
            )),
        });
        (head_checked, listed)
    });
    let mut head_checked = head_checked?;
    let mut clock = std::time::Instant::now();
    let reuse = gate::Reuse::new(&repo, &head_checked, head_rev.as_ref());
    timing("gate: the head's blob ids", &mut clock);
    let reused = match listed {
        None => None,
        Some(listed) => reuse.base(root, &base_rev, listed?)?,
    };
    let base_checked = match reused {
        Some(base) => base,
        // Another configuration or other controls at the base: evaluated on its own.
        None => gate::Base::new(
            check_source(root, &Source::Revision(&repo, &base_rev), today, options)?,
            &head_checked,
        ),
    };
    drop(reuse);
    timing("gate: summary of the base", &mut clock);
    gate::compare(
        &base_checked,
        &mut head_checked,
        base_rev.commit.to_string(),
        head.unwrap_or("working tree").to_string(),
        head_rev.map(|r| r.commit.to_string()),
        base.to_string(),
        strict,
    );
    timing("gate: comparison", &mut clock);
    Ok(head_checked)
}

/// What `evident sla` works on: the documents of a repository and what their ticket exports
/// gave, without running the control library.
#[derive(Debug)]
pub struct SlaRun {
    /// The configuration.
    pub config: config::Config,
    /// The documents read.
    pub loaded: load::Loaded,
    /// The measurement.
    pub measured: tickets::Measured,
    /// The as-of date (for the report's header).
    pub as_of: Date,
}

/// Reads the configuration and documents of `root` (at `rev`, or the working tree) for
/// `evident sla`.
fn sla_documents(
    root: &Path,
    rev: Option<(&git::Repo, &git::Revision)>,
) -> Result<(config::Config, load::Loaded)> {
    let config = match rev {
        None => config::Config::load(root)?,
        Some((repo, rev)) => match repo.read(rev, config::FILE_NAME)? {
            Some(bytes) => config::Config::parse(&bytes)?,
            None => config::Config::default(),
        },
    };
    let files = match rev {
        None => load::walk(root, &config.documents)?,
        Some((repo, rev)) => repo.files(rev, &config.documents)?,
    };
    Ok((config, load::documents(files)))
}

/// Measures the ticket exports of `root` (PRODUCT.md §11) at `rev`, or in the working tree.
pub fn sla_report(
    root: &Path,
    rev: Option<&str>,
    today: Date,
    as_of: Option<Date>,
) -> Result<SlaRun> {
    let (config, loaded, measured) = match rev {
        None => {
            let (config, loaded) = sla_documents(root, None)?;
            let measured = tickets::measure(&loaded.documents, &tickets::WorkTree(root));
            (config, loaded, measured)
        }
        Some(rev) => {
            let repo = git::Repo::open(root)?;
            let rev = repo.resolve(rev)?;
            let (config, loaded) = sla_documents(root, Some((&repo, &rev)))?;
            let measured = tickets::measure(
                &loaded.documents,
                &tickets::Revision {
                    repo: &repo,
                    rev: &rev,
                },
            );
            (config, loaded, measured)
        }
    };
    if !measured.over_limit.is_empty() {
        anyhow::bail!(
            "ticket data cannot be trusted: {}",
            measured.over_limit.join("\n")
        );
    }
    let as_of = as_of.or(config.as_of).unwrap_or(today);
    Ok(SlaRun {
        config,
        loaded,
        measured,
        as_of,
    })
}

/// `evident sla explain`: the clock of `ticket` in every source that has it (or `source`).
pub fn sla_explain(
    root: &Path,
    ticket: &str,
    source: Option<&str>,
) -> Result<Vec<tickets::explain::Explanation>> {
    let (_, loaded) = sla_documents(root, None)?;
    tickets::explain::explain(&loaded.documents, &tickets::WorkTree(root), ticket, source)
}
