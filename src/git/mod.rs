//! Git: documents at a revision, read straight from the object database (no checkout), and
//! the dates of the last commit that touched each file (for `freshness` checks on documents
//! that carry no date of their own).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow, bail};
use git2::{ErrorCode, ObjectType, Oid, Repository, Sort, TreeWalkMode, TreeWalkResult};

use crate::load::{MAX_FILE_SIZE, RawContent, RawFile};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

use crate::controls::checks::CommitDates;

/// A git repository and where the Evident root sits inside it.
pub struct Repo {
    repo: Repository,
    /// The Evident root relative to the repository's top, `/`-separated (empty at the top).
    prefix: String,
}

/// A resolved revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// As given, e.g. `origin/main`.
    pub name: String,
    /// The commit id.
    pub commit: Oid,
}

impl Repo {
    /// Opens the repository that contains `root`.
    pub fn open(root: &Path) -> Result<Repo> {
        let repo = Repository::discover(root).map_err(|e| {
            anyhow!(
                "`{}` is not inside a git repository ({})",
                root.display(),
                e.message()
            )
        })?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| {
                anyhow!(
                    "`{}` is a bare repository; run Evident in a clone",
                    root.display()
                )
            })?
            .canonicalize()
            .context("reading the repository's work tree")?;
        let root = root
            .canonicalize()
            .with_context(|| format!("reading `{}`", root.display()))?;
        let prefix = root
            .strip_prefix(&workdir)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        Ok(Repo { repo, prefix })
    }

    /// The underlying repository.
    pub fn git(&self) -> &Repository {
        &self.repo
    }

    /// Resolves `rev` (a branch, tag, commit id, `HEAD~3`…) to a commit.
    pub fn resolve(&self, rev: &str) -> Result<Revision> {
        let object = match self.repo.revparse_single(rev) {
            Ok(o) => o,
            Err(e) => {
                let hint = if self.repo.is_shallow() {
                    " — this is a shallow clone, so older commits are missing: fetch the full history \
                     (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)"
                } else if e.code() == ErrorCode::NotFound && rev.contains('/') {
                    " — fetch it first (`git fetch origin`)"
                } else {
                    ""
                };
                bail!("unknown revision `{rev}`: {}{hint}", e.message());
            }
        };
        let commit = object
            .peel_to_commit()
            .map_err(|e| anyhow!("`{rev}` does not name a commit: {}", e.message()))?;
        Ok(Revision {
            name: rev.to_string(),
            commit: commit.id(),
        })
    }

    fn full_path(&self, rel: &str) -> String {
        if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }

    /// The bytes of the file at `rel` (relative to the Evident root) at `rev`, if it exists.
    pub fn read(&self, rev: &Revision, rel: &str) -> Result<Option<Vec<u8>>> {
        let tree = self.repo.find_commit(rev.commit)?.tree()?;
        let entry = match tree.get_path(Path::new(&self.full_path(rel))) {
            Ok(e) => e,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading `{rel}` at {}", rev.name)),
        };
        let blob = self.repo.find_blob(entry.id()).with_context(|| {
            format!(
                "reading `{rel}` at {} (corrupt or missing object?)",
                rev.name
            )
        })?;
        Ok(Some(blob.content().to_vec()))
    }

    /// Every `*.yaml`/`*.yml` file under `folders` (relative to the Evident root) at `rev`,
    /// read from git objects, with the same rules as [`crate::load::walk`]: hidden entries
    /// skipped, symbolic links leaving the repository refused, size limit.
    pub fn files(&self, rev: &Revision, folders: &[String]) -> Result<Vec<RawFile>> {
        let commit = self.repo.find_commit(rev.commit)?;
        let tree = commit.tree()?;
        let mut found: Vec<(String, Oid, i32)> = Vec::new();
        for folder in folders {
            let full = self.full_path(folder.trim_end_matches('/'));
            let entry = tree.get_path(Path::new(&full)).map_err(|_| {
                anyhow!("documents folder `{folder}` does not exist at {}", rev.name)
            })?;
            let sub = self
                .repo
                .find_tree(entry.id())
                .map_err(|_| anyhow!("`{folder}` is not a folder at {}", rev.name))?;
            sub.walk(TreeWalkMode::PreOrder, |dir, e| {
                let name = e.name().unwrap_or_default();
                if name.starts_with('.') {
                    return TreeWalkResult::Skip;
                }
                if e.kind() == Some(ObjectType::Blob)
                    && (name.ends_with(".yaml") || name.ends_with(".yml"))
                {
                    found.push((format!("{folder}/{dir}{name}"), e.id(), e.filemode()));
                }
                // Submodules (commit entries) hold another repository's files: not read.
                TreeWalkResult::Ok
            })?;
        }
        found.sort();
        found.dedup_by(|a, b| a.0 == b.0);
        found
            .into_iter()
            .map(|(path, oid, mode)| {
                let content = if mode == 0o120000 {
                    self.symlink(&commit, &path, oid)?
                } else {
                    self.blob(oid, &path)?
                };
                Ok(RawFile { path, content })
            })
            .collect()
    }

    fn blob(&self, oid: Oid, path: &str) -> Result<RawContent> {
        let odb = self.repo.odb()?;
        let (size, _) = odb
            .read_header(oid)
            .with_context(|| format!("reading `{path}` (corrupt or missing object {oid})"))?;
        if size as u64 > MAX_FILE_SIZE {
            return Ok(RawContent::TooLarge(size as u64));
        }
        let blob = self
            .repo
            .find_blob(oid)
            .with_context(|| format!("reading `{path}` (corrupt or missing object {oid})"))?;
        Ok(RawContent::Bytes(blob.content().to_vec()))
    }

    /// A symbolic link stored in git: its blob is the target path.
    fn symlink(&self, commit: &git2::Commit<'_>, path: &str, oid: Oid) -> Result<RawContent> {
        let blob = self.repo.find_blob(oid)?;
        let target = String::from_utf8_lossy(blob.content()).into_owned();
        let link_dir = Path::new(&self.full_path(path))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut resolved: Vec<String> = Vec::new();
        if Path::new(&target).is_absolute() {
            return Ok(RawContent::SymlinkOutside(target));
        }
        for c in link_dir.join(&target).components() {
            match c {
                Component::Normal(s) => resolved.push(s.to_string_lossy().into_owned()),
                // The guard pops one level; only a `..` above the top escapes.
                Component::ParentDir if resolved.pop().is_none() => {
                    return Ok(RawContent::SymlinkOutside(target));
                }
                _ => {}
            }
        }
        let resolved = resolved.join("/");
        match commit.tree()?.get_path(Path::new(&resolved)) {
            Ok(e) if e.kind() == Some(ObjectType::Blob) => self.blob(e.id(), path),
            Ok(_) => Ok(RawContent::Unreadable("symbolic link to a folder".into())),
            Err(_) => Ok(RawContent::Unreadable(format!(
                "broken symbolic link to `{target}`"
            ))),
        }
    }

    /// Every control file under `folders` at `rev`.
    pub fn control_files(
        &self,
        rev: &Revision,
        folders: &[String],
    ) -> Result<Vec<crate::controls::ControlFile>> {
        let mut out = Vec::new();
        for file in self.files(rev, folders)? {
            if let RawContent::Bytes(bytes) = file.content {
                let text = String::from_utf8(bytes).map_err(|_| {
                    anyhow!(
                        "control file `{}` at {} is not valid UTF-8",
                        file.path,
                        rev.name
                    )
                })?;
                out.push(crate::controls::ControlFile {
                    name: file.path,
                    text,
                });
            }
        }
        Ok(out)
    }
}

/// Last-commit dates read from the repository that contains a folder, computed on first use.
pub struct GitCommitDates {
    root: PathBuf,
    start: Option<Oid>,
    dates: OnceLock<HashMap<String, Date>>,
}

impl GitCommitDates {
    /// Dates for files under `root` (paths relative to `root`), from `HEAD`'s history.
    pub fn new(root: &Path) -> Self {
        GitCommitDates {
            root: root.to_path_buf(),
            start: None,
            dates: OnceLock::new(),
        }
    }

    /// Dates from the history of `commit` rather than `HEAD`.
    pub fn at(root: &Path, commit: Oid) -> Self {
        GitCommitDates {
            root: root.to_path_buf(),
            start: Some(commit),
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
        match self.start {
            Some(oid) => walk.push(oid)?,
            None => walk.push_head()?,
        }
        walk.set_sorting(Sort::TIME)?;
        let mut dates = HashMap::new();
        for oid in walk {
            // A shallow clone ends early; dates found so far are still right.
            let Ok(oid) = oid else { break };
            let Ok(commit) = repo.find_commit(oid) else {
                break;
            };
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
