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

/// A file of a commit, not read: its path (relative to the Evident root), blob id and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Repository-relative path, `/`-separated.
    pub path: String,
    /// The blob's id.
    pub blob: Oid,
    /// The git file mode (`0o120000` for a symbolic link).
    pub mode: i32,
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

    /// Where the Evident root sits in the repository: `/`-separated, empty at the top.
    pub fn prefix(&self) -> &str {
        &self.prefix
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
        let entries = self.file_entries(rev, folders)?;
        self.read_entries(rev, entries)
    }

    /// The YAML files under `folders` at `rev`, sorted by path, without reading them: each
    /// with its blob id and file mode (see [`files`](Self::files)).
    pub fn file_entries(&self, rev: &Revision, folders: &[String]) -> Result<Vec<FileEntry>> {
        let commit = self.repo.find_commit(rev.commit)?;
        let tree = commit.tree()?;
        let mut found: Vec<(String, Oid, i32)> = Vec::new();
        // `folders` are normalized by the configuration (`policies`, never `./policies/`), so
        // the paths below are the working tree's paths, byte for byte; `.` is the root itself.
        for folder in folders {
            let (full, base) = if folder == "." {
                (self.prefix.clone(), String::new())
            } else {
                (self.full_path(folder), format!("{folder}/"))
            };
            let sub_id = if full.is_empty() {
                tree.id()
            } else {
                tree.get_path(Path::new(&full))
                    .map_err(|_| {
                        anyhow!("documents folder `{folder}` does not exist at {}", rev.name)
                    })?
                    .id()
            };
            let sub = self
                .repo
                .find_tree(sub_id)
                .map_err(|_| anyhow!("`{folder}` is not a folder at {}", rev.name))?;
            sub.walk(TreeWalkMode::PreOrder, |dir, e| {
                let name = e.name().unwrap_or_default();
                if name.starts_with('.') {
                    return TreeWalkResult::Skip;
                }
                if e.kind() == Some(ObjectType::Blob)
                    && (name.ends_with(".yaml") || name.ends_with(".yml"))
                {
                    found.push((format!("{base}{dir}{name}"), e.id(), e.filemode()));
                }
                // Submodules (commit entries) hold another repository's files: not read.
                TreeWalkResult::Ok
            })?;
        }
        found.sort();
        found.dedup_by(|a, b| a.0 == b.0);
        Ok(found
            .into_iter()
            .map(|(path, blob, mode)| FileEntry { path, blob, mode })
            .collect())
    }

    /// Reads the files `entries` lists (from [`file_entries`](Self::file_entries) at `rev`).
    pub fn read_entries(&self, rev: &Revision, entries: Vec<FileEntry>) -> Result<Vec<RawFile>> {
        let commit = self.repo.find_commit(rev.commit)?;
        let odb = self.repo.odb()?;
        entries
            .into_iter()
            .map(
                |FileEntry {
                     path,
                     blob: oid,
                     mode,
                 }| {
                    let content = if mode == 0o120000 {
                        self.symlink(&commit, &path, oid)?
                    } else {
                        self.blob_in(&odb, oid, &path)?
                    };
                    Ok(RawFile {
                        path,
                        content,
                        origin: None,
                    })
                },
            )
            .collect()
    }

    fn blob(&self, oid: Oid, path: &str) -> Result<RawContent> {
        self.blob_in(&self.repo.odb()?, oid, path)
    }

    /// Reads a blob through `odb`, refusing one over [`MAX_FILE_SIZE`] before inflating it.
    fn blob_in(&self, odb: &git2::Odb<'_>, oid: Oid, path: &str) -> Result<RawContent> {
        let (size, _) = odb
            .read_header(oid)
            .with_context(|| format!("reading `{path}` (corrupt or missing object {oid})"))?;
        if size as u64 > MAX_FILE_SIZE {
            return Ok(RawContent::TooLarge(size as u64));
        }
        let object = odb
            .read(oid)
            .with_context(|| format!("reading `{path}` (corrupt or missing object {oid})"))?;
        Ok(RawContent::Bytes(object.data().to_vec()))
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

    /// The blob id of the regular file at `rel` (relative to the Evident root) at `rev`, without
    /// reading it; `None` for a symbolic link, a folder or nothing.
    pub fn blob_id(&self, rev: &Revision, rel: &str) -> Option<Oid> {
        let tree = self.repo.find_commit(rev.commit).ok()?.tree().ok()?;
        let entry = tree.get_path(Path::new(&self.full_path(rel))).ok()?;
        (entry.kind() == Some(ObjectType::Blob) && entry.filemode() != 0o120000).then(|| entry.id())
    }

    /// Loads git's index ahead of [`worktree_blob_ids`](Self::worktree_blob_ids), which then
    /// finds it loaded (the handle keeps it); nothing when there is none.
    pub fn load_index(&self) {
        let _ = self.repo.index();
    }

    /// The blob ids the working tree's files at `rels` would have; `None` for one that is not
    /// a regular file that can be read. As git does, a file whose size and modification time
    /// are those the index recorded for it, before the index was written, has the index's id;
    /// any other is hashed.
    pub fn worktree_blob_ids(&self, rels: &[String]) -> Vec<Option<Oid>> {
        let Some(workdir) = self.repo.workdir() else {
            return vec![None; rels.len()];
        };
        let index = self.repo.index().ok();
        let written = std::fs::metadata(self.repo.path().join("index"))
            .and_then(|m| m.modified())
            .ok();
        let since_epoch = |t: std::time::SystemTime| {
            t.duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| (d.as_secs() as i64, d.subsec_nanos()))
        };
        let written = written.and_then(since_epoch);
        rels.iter()
            .map(|rel| {
                let full = self.full_path(rel);
                let on_disk = workdir.join(&full);
                // Only a regular file is read (a FIFO would never end).
                let meta = std::fs::symlink_metadata(&on_disk)
                    .ok()
                    .filter(|m| m.is_file())?;
                let modified = meta.modified().ok().and_then(since_epoch);
                let recorded = index
                    .as_ref()
                    .and_then(|i| i.get_path(Path::new(&full), 0))
                    .filter(|e| {
                        let at = (i64::from(e.mtime.seconds()), e.mtime.nanoseconds());
                        u64::from(e.file_size) == meta.len()
                            && modified == Some(at)
                            && written.is_some_and(|w| at < w)
                    });
                match recorded {
                    Some(entry) => Some(entry.id),
                    None => Oid::hash_file(ObjectType::Blob, &on_disk).ok(),
                }
            })
            .collect()
    }

    /// Whether a file (a blob) is at `rel` (relative to the Evident root) at `rev`, without
    /// reading it.
    pub fn has_file(&self, rev: &Revision, rel: &str) -> bool {
        self.repo
            .find_commit(rev.commit)
            .and_then(|c| c.tree())
            .and_then(|t| t.get_path(Path::new(&self.full_path(rel))))
            .is_ok_and(|e| e.kind() == Some(ObjectType::Blob))
    }

    /// Paths (relative to the Evident root) of every file under `folder` (`""`: the root)
    /// at `rev`; hidden entries skipped.
    pub fn blob_paths(&self, rev: &Revision, folder: &str) -> Result<Vec<String>> {
        let tree = self.repo.find_commit(rev.commit)?.tree()?;
        let full = if folder.is_empty() {
            self.prefix.clone()
        } else {
            self.full_path(folder)
        };
        let sub = if full.is_empty() {
            tree
        } else {
            match tree.get_path(Path::new(&full)) {
                Ok(e) => match self.repo.find_tree(e.id()) {
                    Ok(t) => t,
                    Err(_) => return Ok(Vec::new()),
                },
                Err(_) => return Ok(Vec::new()),
            }
        };
        let base = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let mut out = Vec::new();
        sub.walk(TreeWalkMode::PreOrder, |dir, e| {
            let name = e.name().unwrap_or_default();
            if name.starts_with('.') {
                return TreeWalkResult::Skip;
            }
            if e.kind() == Some(ObjectType::Blob) {
                out.push(format!("{base}{dir}{name}"));
            }
            TreeWalkResult::Ok
        })?;
        Ok(out)
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

/// Where `root` sits in the git repository that contains it (`examples/acme`, `/`-separated),
/// or the empty string at the repository's top or outside any repository. Paths that a tool
/// outside Evident resolves against the repository (SARIF URIs, workflow annotations) start
/// with it.
pub fn repo_prefix(root: &Path) -> String {
    Repo::open(root).map(|r| r.prefix).unwrap_or_default()
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

/// A person and a time in a commit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signature {
    /// The name as recorded.
    pub name: String,
    /// The e-mail address as recorded.
    pub email: String,
    /// RFC 3339, with the offset recorded in the commit.
    pub date: String,
}

/// What git records about one commit, for provenance.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommitInfo {
    /// The commit id.
    pub commit: String,
    /// Its tree id.
    pub tree: String,
    /// Parent commit ids, in order.
    pub parents: Vec<String>,
    /// Who wrote the change.
    pub author: Signature,
    /// Who committed it.
    pub committer: Signature,
    /// The first line of the message.
    pub subject: String,
    /// Whether the commit carries a signature (`gpgsig` header: OpenPGP, SSH or X.509). Evident
    /// records its presence; checking it needs the signer's keys, which the auditor holds.
    pub signed: bool,
    /// The `origin` remote's URL when it is a network URL (credentials removed); local paths
    /// are left out, as they name one machine.
    pub remote: Option<String>,
    /// The Evident root inside the repository (`""` at the top).
    pub root: String,
    /// The committer's date, in the committer's offset: the as-of date of an evidence pack.
    #[serde(skip)]
    pub date: Date,
    /// Committer time, seconds since the epoch.
    #[serde(skip)]
    pub time: i64,
}

/// One commit that touched the files of interest, for `history/changes.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// The commit id.
    pub commit: String,
    /// Author name.
    pub author: String,
    /// Author e-mail.
    pub email: String,
    /// Author date, RFC 3339.
    pub date: String,
    /// First line of the message.
    pub subject: String,
    /// Files of interest it added, changed, renamed or deleted (relative to the Evident root).
    pub paths: Vec<String>,
}

fn signature(sig: &git2::Signature<'_>) -> Signature {
    let time = sig.when();
    Signature {
        name: String::from_utf8_lossy(sig.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(sig.email_bytes()).into_owned(),
        date: rfc3339(time.seconds(), time.offset_minutes()),
    }
}

/// The first line of a commit's message.
fn subject(commit: &git2::Commit<'_>) -> String {
    String::from_utf8_lossy(commit.message_bytes())
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// `2026-11-20T14:03:00+01:00`; the epoch if git recorded a time jiff cannot represent.
fn rfc3339(seconds: i64, offset_minutes: i32) -> String {
    zoned(seconds, offset_minutes)
        .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string())
}

fn zoned(seconds: i64, offset_minutes: i32) -> Option<jiff::Zoned> {
    let ts = Timestamp::from_second(seconds).ok()?;
    let offset = Offset::from_seconds(offset_minutes * 60).ok()?;
    Some(ts.to_zoned(TimeZone::fixed(offset)))
}

/// A remote URL fit for a bundle: network URLs without user info; `None` for local paths.
fn public_url(url: &str) -> Option<String> {
    if let Some((scheme, rest)) = url.split_once("://") {
        if scheme == "file" {
            return None;
        }
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        return Some(format!("{scheme}://{host}/{path}"));
    }
    // scp-like `git@host:org/repo.git`: a colon before any slash.
    match (url.find(':'), url.find('/')) {
        (Some(c), slash) if slash.is_none_or(|s| c < s) && c > 1 => Some(url.to_string()),
        _ => None,
    }
}

impl Repo {
    /// Provenance of the commit at `rev`.
    pub fn commit_info(&self, rev: &Revision) -> Result<CommitInfo> {
        let commit = self.repo.find_commit(rev.commit)?;
        let committer = commit.committer();
        let when = committer.when();
        let date = zoned(when.seconds(), when.offset_minutes())
            .map(|z| z.date())
            .ok_or_else(|| anyhow!("commit {} has an impossible date", rev.commit))?;
        let signed = match self.repo.extract_signature(&rev.commit, None) {
            Ok(_) => true,
            Err(e) if e.code() == ErrorCode::NotFound => false,
            Err(e) => return Err(e).context("reading the commit's signature"),
        };
        let remote = self
            .repo
            .find_remote("origin")
            .ok()
            .and_then(|r| r.url().ok().and_then(public_url));
        Ok(CommitInfo {
            commit: commit.id().to_string(),
            tree: commit.tree_id().to_string(),
            parents: commit.parent_ids().map(|p| p.to_string()).collect(),
            author: signature(&commit.author()),
            committer: signature(&committer),
            subject: subject(&commit),
            signed,
            remote,
            root: self.prefix.clone(),
            date,
            time: when.seconds(),
        })
    }

    /// How many files under `folders` (relative to the Evident root) differ between the
    /// working tree and `HEAD`: modified, added, deleted or untracked (ignored files excepted).
    pub fn uncommitted(&self, folders: &[String]) -> Result<usize> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false);
        for f in folders {
            opts.pathspec(self.full_path(f.trim_end_matches('/')));
        }
        Ok(self.repo.statuses(Some(&mut opts))?.len())
    }

    /// The tree of `rev`, for looking up many files.
    pub fn snapshot(&self, rev: &Revision) -> Result<Snapshot<'_>> {
        let tree = self.repo.find_commit(rev.commit)?.tree()?;
        Ok(Snapshot {
            repo: self,
            index: std::cell::RefCell::new(TreeIndex::new(&self.repo, tree)),
        })
    }

    /// Copies each blob into its file, several at a time (each worker opens the repository
    /// for itself, as libgit2 handles are not shared across threads). Large blobs are copied
    /// in pieces when the object database allows it, so they need not fit in memory.
    /// Stops early, with an error, once `stop` is set.
    pub fn copy_blobs(
        &self,
        jobs: &[(Oid, PathBuf)],
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<u64> {
        use rayon::prelude::*;
        let path = self.repo.path().to_path_buf();
        let copied: Vec<Result<u64>> = jobs
            .par_iter()
            .with_max_len(1)
            .map_init(
                || Repository::open(&path),
                |repo, (oid, file)| {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        bail!("interrupted");
                    }
                    let repo = repo
                        .as_ref()
                        .map_err(|e| anyhow!("opening the repository: {e}"))?;
                    let out = std::fs::File::create(file)
                        .with_context(|| format!("writing `{}`", file.display()))?;
                    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
                    let n = copy_blob(repo, *oid, &mut out)
                        .with_context(|| format!("copying object {oid} to `{}`", file.display()))?;
                    std::io::Write::flush(&mut out)
                        .with_context(|| format!("writing `{}`", file.display()))?;
                    Ok(n)
                },
            )
            .collect();
        copied.into_iter().sum()
    }

    /// Every commit reachable from `rev` and committed on or after `since` that added, changed,
    /// renamed or deleted a file under `folders` (documents: `*.yaml`/`*.yml`) or one of
    /// `files`, newest first. A merge is listed only when it differs from every parent on
    /// those files (as `git log` simplifies history).
    pub fn changes(
        &self,
        rev: &Revision,
        since: Date,
        folders: &[String],
        files: &[String],
    ) -> Result<Vec<Change>> {
        let folder_prefixes: Vec<String> = folders
            .iter()
            .map(|f| {
                let f = f.trim_end_matches('/');
                if f.is_empty() || f == "." {
                    self.full_path("")
                } else {
                    format!("{}/", self.full_path(f))
                }
            })
            .collect();
        let file_set: std::collections::HashSet<String> =
            files.iter().map(|f| self.full_path(f)).collect();
        let strip = |p: &str| -> String {
            if self.prefix.is_empty() {
                p.to_string()
            } else {
                p.strip_prefix(&format!("{}/", self.prefix))
                    .unwrap_or(p)
                    .to_string()
            }
        };
        let interesting = |p: &str| {
            file_set.contains(p)
                || ((p.ends_with(".yaml") || p.ends_with(".yml"))
                    && folder_prefixes.iter().any(|f| p.starts_with(f.as_str())))
        };
        let touched = |old: Option<&git2::Tree<'_>>, new: &git2::Tree<'_>| -> Result<Vec<String>> {
            let diff = self.repo.diff_tree_to_tree(old, Some(new), None)?;
            let mut paths = Vec::new();
            for delta in diff.deltas() {
                for file in [delta.old_file(), delta.new_file()] {
                    if let Some(p) = file.path().and_then(|p| p.to_str())
                        && interesting(p)
                    {
                        paths.push(strip(p));
                    }
                }
            }
            paths.sort();
            paths.dedup();
            Ok(paths)
        };
        let mut walk = self.repo.revwalk()?;
        walk.push(rev.commit)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        let mut out = Vec::new();
        for oid in walk {
            // A shallow clone ends early: what was found is still right.
            let Ok(oid) = oid else { break };
            let Ok(commit) = self.repo.find_commit(oid) else {
                break;
            };
            let when = commit.committer().when();
            let Some(day) = zoned(when.seconds(), when.offset_minutes()).map(|z| z.date()) else {
                continue;
            };
            if day < since {
                continue;
            }
            let tree = commit.tree()?;
            let paths = match commit.parent_count() {
                0 => touched(None, &tree)?,
                1 => touched(Some(&commit.parent(0)?.tree()?), &tree)?,
                _ => {
                    let mut first = None;
                    let mut same_as_a_parent = false;
                    for parent in commit.parents() {
                        let p = touched(Some(&parent.tree()?), &tree)?;
                        same_as_a_parent |= p.is_empty();
                        first.get_or_insert(p);
                    }
                    if same_as_a_parent {
                        Vec::new()
                    } else {
                        first.unwrap_or_default()
                    }
                }
            };
            if paths.is_empty() {
                continue;
            }
            let author = commit.author();
            let sig = signature(&author);
            out.push(Change {
                commit: oid.to_string(),
                author: sig.name,
                email: sig.email,
                date: sig.date,
                subject: subject(&commit),
                paths,
            });
        }
        Ok(out)
    }
}

/// Copies the blob `oid` into `out`; returns its size.
pub fn copy_blob(repo: &Repository, oid: Oid, out: &mut dyn std::io::Write) -> Result<u64> {
    let odb = repo.odb()?;
    // libgit2 streams loose objects only; packed ones are read whole.
    if let Ok((mut reader, size, ObjectType::Blob)) = odb.reader(oid) {
        let copied = std::io::copy(&mut reader, out)?;
        if copied != size as u64 {
            bail!("object {oid} ended after {copied} of {size} bytes");
        }
        return Ok(copied);
    }
    let blob = repo
        .find_blob(oid)
        .with_context(|| format!("reading object {oid}"))?;
    out.write_all(blob.content())?;
    Ok(blob.size() as u64)
}

/// A commit's tree, for looking up many files.
pub struct Snapshot<'r> {
    repo: &'r Repo,
    index: std::cell::RefCell<TreeIndex<'r>>,
}

impl Snapshot<'_> {
    /// The blob id and size of the file at `rel` (relative to the Evident root), following a
    /// symbolic link that stays inside the repository. `None` when there is no such file.
    pub fn blob_at(&self, rel: &str) -> Result<Option<(Oid, u64)>> {
        self.index
            .borrow_mut()
            .resolve(&self.repo.full_path(rel))
            .with_context(|| format!("reading `{rel}`"))
    }
}

/// Looks up many paths in one tree, reading each folder's tree object once.
pub struct TreeIndex<'r> {
    repo: &'r Repository,
    root: git2::Tree<'r>,
    dirs: HashMap<String, git2::Tree<'r>>,
}

impl<'r> TreeIndex<'r> {
    /// An index over `root`.
    pub fn new(repo: &'r Repository, root: git2::Tree<'r>) -> Self {
        TreeIndex {
            repo,
            root,
            dirs: HashMap::new(),
        }
    }

    fn dir(&mut self, dir: &str) -> Result<Option<git2::Tree<'r>>> {
        if dir.is_empty() {
            return Ok(Some(self.root.clone()));
        }
        if let Some(t) = self.dirs.get(dir) {
            return Ok(Some(t.clone()));
        }
        let (parent, name) = dir.rsplit_once('/').unwrap_or(("", dir));
        let Some(parent) = self.dir(parent)? else {
            return Ok(None);
        };
        let Some(entry) = parent.get_name(name) else {
            return Ok(None);
        };
        if entry.kind() != Some(ObjectType::Tree) {
            return Ok(None);
        }
        let tree = self.repo.find_tree(entry.id())?;
        self.dirs.insert(dir.to_string(), tree.clone());
        Ok(Some(tree))
    }

    /// Id and mode of the entry at `path` (from the top of the repository), if it is a blob.
    fn blob_entry(&mut self, path: &str) -> Result<Option<(Oid, i32)>> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let Some(tree) = self.dir(dir)? else {
            return Ok(None);
        };
        Ok(tree
            .get_name(name)
            .filter(|e| e.kind() == Some(ObjectType::Blob))
            .map(|e| (e.id(), e.filemode())))
    }

    /// The blob at `path` (from the top of the repository), following symbolic links that
    /// stay inside the tree; `None` when there is no such file.
    pub fn resolve(&mut self, path: &str) -> Result<Option<(Oid, u64)>> {
        let mut path = path.to_string();
        // A chain of links ends within a few hops; more is a loop.
        for _ in 0..8 {
            let Some((oid, mode)) = self.blob_entry(&path)? else {
                return Ok(None);
            };
            if mode != 0o120000 {
                let (size, _) = self
                    .repo
                    .odb()?
                    .read_header(oid)
                    .with_context(|| format!("corrupt or missing object {oid}"))?;
                return Ok(Some((oid, size as u64)));
            }
            let target = self.repo.find_blob(oid)?;
            let target = String::from_utf8_lossy(target.content()).into_owned();
            if Path::new(&target).is_absolute() {
                return Ok(None);
            }
            let mut resolved: Vec<String> = path.split('/').map(String::from).collect();
            resolved.pop();
            for part in target.split('/') {
                match part {
                    "" | "." => {}
                    ".." => {
                        if resolved.pop().is_none() {
                            return Ok(None);
                        }
                    }
                    p => resolved.push(p.to_string()),
                }
            }
            path = resolved.join("/");
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::public_url;

    #[test]
    fn remote_urls_lose_credentials_and_local_paths_are_left_out() {
        assert_eq!(
            public_url("https://ci:s3cret@git.acme.example/sm/policies.git").as_deref(),
            Some("https://git.acme.example/sm/policies.git")
        );
        assert_eq!(
            public_url("git@git.acme.example:sm/policies.git").as_deref(),
            Some("git@git.acme.example:sm/policies.git")
        );
        assert_eq!(
            public_url("ssh://git@git.acme.example/sm/policies.git").as_deref(),
            Some("ssh://git.acme.example/sm/policies.git")
        );
        assert_eq!(public_url("/home/alice/policies"), None);
        assert_eq!(public_url("../policies"), None);
        assert_eq!(public_url("file:///srv/git/policies.git"), None);
        assert_eq!(public_url("C:/repos/policies"), None);
    }
}
