//! Git: dates of the last commit that touched each file (for `freshness` checks on documents
//! that carry no date of their own).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use git2::{Repository, Sort};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

use crate::controls::checks::CommitDates;

/// Last-commit dates read from the repository that contains a folder, computed on first use.
pub struct GitCommitDates {
    root: PathBuf,
    dates: OnceLock<HashMap<String, Date>>,
}

impl GitCommitDates {
    /// Dates for files under `root` (paths relative to `root`).
    pub fn new(root: &Path) -> Self {
        GitCommitDates {
            root: root.to_path_buf(),
            dates: OnceLock::new(),
        }
    }

    fn compute(&self) -> HashMap<String, Date> {
        self.try_compute().unwrap_or_default()
    }

    fn try_compute(&self) -> Result<HashMap<String, Date>, git2::Error> {
        let repo = Repository::discover(&self.root)?;
        let workdir = repo
            .workdir()
            .and_then(|w| w.canonicalize().ok())
            .ok_or_else(|| git2::Error::from_str("bare repository"))?;
        let root = self
            .root
            .canonicalize()
            .map_err(|e| git2::Error::from_str(&e.to_string()))?;
        let prefix = root
            .strip_prefix(&workdir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let mut walk = repo.revwalk()?;
        walk.push_head()?;
        walk.set_sorting(Sort::TIME)?;
        let mut dates = HashMap::new();
        for oid in walk {
            let commit = repo.find_commit(oid?)?;
            let tree = commit.tree()?;
            let parent = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
            let diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), None)?;
            let time = commit.time();
            let date = Timestamp::from_second(time.seconds()).ok().and_then(|ts| {
                let offset = Offset::from_seconds(time.offset_minutes() * 60).ok()?;
                Some(ts.to_zoned(TimeZone::fixed(offset)).date())
            });
            let Some(date) = date else { continue };
            for delta in diff.deltas() {
                let Some(path) = delta.new_file().path() else {
                    continue;
                };
                let path = path.to_string_lossy().replace('\\', "/");
                let rel = if prefix.is_empty() {
                    Some(path.as_str())
                } else {
                    path.strip_prefix(&prefix).and_then(|p| p.strip_prefix('/'))
                };
                if let Some(rel) = rel {
                    dates.entry(rel.to_string()).or_insert(date);
                }
            }
        }
        Ok(dates)
    }
}

impl CommitDates for GitCommitDates {
    fn last_commit(&self, path: &str) -> Option<Date> {
        self.dates.get_or_init(|| self.compute()).get(path).copied()
    }
}
