//! Loading: from files to [`Document`]s.
//!
//! Two steps, so that the same code serves a working tree and (later) a git tree:
//! 1. a *source* lists the YAML files under the configured folders and reads their bytes
//!    ([`walk`] for a directory on disk), refusing what must not be read (symlinks leaving the
//!    repository, files over the size limit);
//! 2. [`documents`] turns those bytes into documents — UTF-8 check, YAML, envelope — with no
//!    I/O, in parallel. Every problem becomes a [`LoadProblem`] with its position, so one run
//!    shows every problem.
//!
//! Positions of keys and values are not kept for every document (that would double the memory
//! of a large repository); [`Locator`] finds them again for the few documents that have findings.

pub mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Value;
use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::model::{API_VERSION, Document, Kind};
use yaml::{NodeSpan, Position};

/// Largest policy file read, in bytes. Real policy files are a few KB.
pub const MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// A file found by a source.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// What could be read.
    pub content: RawContent,
    /// The file on disk the bytes were read from, if they were: its text is not held but read
    /// again from there for the few files that findings point into (see [`Text`]).
    pub origin: Option<PathBuf>,
}

/// The content of a [`RawFile`], or why it was not read.
#[derive(Debug, Clone)]
pub enum RawContent {
    /// The file's bytes.
    Bytes(Vec<u8>),
    /// A file at the [`RawFile`]'s `origin`, read when it is loaded: each file is then read and
    /// parsed in one go, and the bytes of all files are never held at once. `listed`: the walk
    /// listed it as a regular file itself, not through a symbolic link.
    OnDisk {
        /// Whether the folder walk listed it as a regular file.
        listed: bool,
    },
    /// Larger than [`MAX_FILE_SIZE`]; not read.
    TooLarge(u64),
    /// A symbolic link whose target is outside the repository.
    SymlinkOutside(String),
    /// Could not be read.
    Unreadable(String),
}

/// A problem found while loading, before any control runs.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadProblem {
    /// Diagnostic code, e.g. `yaml-syntax` (see `check::builtin`).
    pub code: &'static str,
    /// Repository-relative file path.
    pub path: String,
    /// Which document of the file, when the problem is in one.
    pub document: Option<usize>,
    /// JSON pointer within that document.
    pub pointer: Option<String>,
    /// Position, when known without a document (syntax errors).
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// For a document that failed its envelope check: the kind it declares (or most likely
    /// means, for a misspelt kind) and its `metadata.id`, so that references to it are not
    /// reported again as references to nothing (one typo, one finding).
    pub unreadable: Option<(Kind, String)>,
    /// How to fix it, when it depends on the problem (syntax errors); otherwise the code's
    /// remediation applies.
    pub help: Option<&'static str>,
}

/// A file that was read, kept so findings can show its lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Repository-relative path.
    pub path: String,
    /// Its text, when it was valid UTF-8.
    pub text: Option<Text>,
    /// The git blob id of its bytes, when asked for ([`documents_with_blob_ids`]).
    pub blob: Option<[u8; 20]>,
}

/// The id git gives a blob of `bytes`: the SHA-1 of `blob <length>\0` and the bytes.
pub fn git_blob_id(bytes: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    let mut hasher = sha1::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()));
    hasher.update(bytes);
    hasher.finalize().into()
}

/// The text of a file, for the few files that findings point into (to locate and show them).
/// Holding every text was a sixth of the memory of a check of 10,000 documents, so a file read
/// from disk keeps only its length and a hash of its bytes, and is read again when asked for;
/// other texts (from a git tree, from standard input) are held compressed: LZ4 (`lz4_flex`,
/// safe Rust) compresses policy YAML about fourfold and expands it at gigabytes per second.
#[derive(Debug, Clone)]
pub struct Text(Arc<(Held, std::sync::OnceLock<Option<Arc<str>>>)>);

#[derive(Clone)]
enum Held {
    OnDisk {
        path: Arc<Path>,
        len: usize,
        hash: u64,
    },
    Packed(Arc<[u8]>),
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Held::OnDisk { path, len, .. } => write!(f, "{} ({len} bytes)", path.display()),
            Held::Packed(bytes) => write!(f, "{} bytes compressed", bytes.len()),
        }
    }
}

/// The hash that tells whether a file read again is the file read first.
fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x65_76_69_64_65_6e_74).hash_one(bytes)
}

impl Text {
    /// The text of `bytes` (valid UTF-8, a byte order mark left out), read from `origin` if
    /// it was read from a file.
    fn new(bytes: &[u8], origin: Option<PathBuf>) -> Text {
        let held = match origin {
            Some(path) => Held::OnDisk {
                path: path.into(),
                len: bytes.len(),
                hash: content_hash(bytes),
            },
            None => Held::Packed(lz4_flex::compress_prepend_size(without_bom(bytes)).into()),
        };
        Text(Arc::new((held, std::sync::OnceLock::new())))
    }

    /// The text; `None` when the file on disk changed since it was read (its findings are then
    /// reported without their lines rather than with lines that are not the ones judged). It
    /// is read once and then kept: every report shows the same lines.
    pub fn get(&self) -> Option<Arc<str>> {
        self.0.1.get_or_init(|| self.read()).clone()
    }

    fn read(&self) -> Option<Arc<str>> {
        let bytes = match &self.0.0 {
            Held::OnDisk { path, len, hash } => {
                let bytes = crate::fsread::read(path, MAX_FILE_SIZE).ok()?;
                if bytes.len() != *len || content_hash(&bytes) != *hash {
                    return None;
                }
                String::from_utf8(bytes).ok()?
            }
            Held::Packed(packed) => {
                String::from_utf8(lz4_flex::decompress_size_prepended(packed).ok()?).ok()?
            }
        };
        Some(Arc::from(bytes.strip_prefix('\u{feff}').unwrap_or(&bytes)))
    }
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes)
}

/// The outcome of loading.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Every file found, sorted by path.
    pub files: Vec<SourceFile>,
    /// Every document that passed the envelope check, in file order.
    pub documents: Vec<Document>,
    /// Every problem, in file order.
    pub problems: Vec<LoadProblem>,
}

impl Loaded {
    /// The files of `other` whose paths are in `keep` (their text, documents and problems, as
    /// loaded there) together with everything in `self`, in file order: what loading both sets
    /// of files at once would give.
    pub fn merged_with(self, other: &Loaded, keep: &crate::FastSet<String>) -> Loaded {
        fn by_path<T>(items: &[T], path: impl Fn(&T) -> &str) -> crate::FastMap<&str, Vec<&T>> {
            let mut map: crate::FastMap<&str, Vec<&T>> = crate::FastMap::default();
            for item in items {
                map.entry(path(item)).or_default().push(item);
            }
            map
        }
        let docs = by_path(&other.documents, |d| d.path.as_str());
        let problems = by_path(&other.problems, |p| p.path.as_str());
        let fresh_docs = by_path(&self.documents, |d| d.path.as_str());
        let fresh_problems = by_path(&self.problems, |p| p.path.as_str());
        let mut files: Vec<SourceFile> = other
            .files
            .iter()
            .filter(|f| keep.contains(&f.path))
            .cloned()
            .chain(self.files.iter().cloned())
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut merged = Loaded {
            files: Vec::with_capacity(files.len()),
            documents: Vec::with_capacity(self.documents.len() + other.documents.len()),
            problems: Vec::new(),
        };
        for file in files {
            let path = file.path.as_str();
            let (d, p) = if keep.contains(path) {
                (docs.get(path), problems.get(path))
            } else {
                (fresh_docs.get(path), fresh_problems.get(path))
            };
            merged
                .documents
                .extend(d.into_iter().flatten().map(|&d| d.clone()));
            merged
                .problems
                .extend(p.into_iter().flatten().map(|&p| p.clone()));
            merged.files.push(file);
        }
        merged
    }

    /// The text of a file, if it was read.
    pub fn text(&self, path: &str) -> Option<Arc<str>> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .and_then(|i| self.files[i].text.as_ref())
            .and_then(Text::get)
    }
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Where a configured folder really is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    /// A folder inside the repository.
    Inside,
    /// Nothing is there.
    Missing,
    /// Something other than a folder is there, e.g. `a regular file`.
    NotAFolder(&'static str),
    /// The path is, or goes through, a symbolic link leading out of the repository, to this
    /// target.
    Outside(String),
}

/// Resolves `folder` (relative to `root`, which must be canonical) through any symbolic links
/// on its way and says whether it is a folder inside the repository.
pub fn resolve_folder(root: &Path, folder: &str) -> Folder {
    let dir = root.join(folder);
    match dir.canonicalize() {
        Ok(target) if !target.starts_with(root) => Folder::Outside(target.display().to_string()),
        Ok(target) => match std::fs::metadata(&target) {
            Ok(m) if m.is_dir() => Folder::Inside,
            Ok(m) if m.is_file() => Folder::NotAFolder("a regular file"),
            Ok(m) => Folder::NotAFolder(crate::fsread::describe(&m)),
            Err(_) => Folder::Missing,
        },
        // A dangling link, or a folder on the way that does not exist.
        Err(_) => Folder::Missing,
    }
}

/// Lists and reads every `*.yaml` / `*.yml` file under `folders` (relative to `root`), at any
/// depth, sorted by path. Hidden entries are skipped; symbolic links are not followed out of
/// `root` (a configured folder that leads out of it is a `symlink-outside` problem, not read);
/// symlinked folders are not entered.
pub fn walk(root: &Path, folders: &[String]) -> Result<Vec<RawFile>> {
    let root = root
        .canonicalize()
        .with_context(|| format!("reading `{}`", root.display()))?;
    let mut found = Vec::new();
    let mut refused = Vec::new();
    for folder in folders {
        let dir = root.join(folder);
        match resolve_folder(&root, folder) {
            Folder::Inside => {}
            Folder::Missing => bail!(
                "documents folder `{folder}` does not exist in `{}`",
                root.display()
            ),
            Folder::NotAFolder(what) => bail!(
                "documents folder `{folder}` is {what}, not a folder; set `documents:` in `evident.yaml` to the folders that hold the policy documents"
            ),
            Folder::Outside(target) => {
                refused.push(RawFile {
                    path: relative(&root, &dir),
                    content: RawContent::SymlinkOutside(target),
                    origin: None,
                });
                continue;
            }
        }
        // The folder's own entries first; its subfolders are then walked side by side.
        let mut subfolders = Vec::new();
        for entry in visible(walkdir::WalkDir::new(&dir).max_depth(1)) {
            let entry = entry.with_context(|| format!("walking `{folder}`"))?;
            if entry.depth() == 1 && entry.file_type().is_dir() {
                subfolders.push(entry.into_path());
            } else {
                found.extend(candidate(&root, &entry));
            }
        }
        let walked: Vec<Result<Vec<Candidate>>> = subfolders
            .par_iter()
            .map(|sub| {
                visible(walkdir::WalkDir::new(sub))
                    .map(|entry| {
                        let entry = entry.with_context(|| format!("walking `{folder}`"))?;
                        Ok(candidate(&root, &entry))
                    })
                    .filter_map(Result::transpose)
                    .collect()
            })
            .collect();
        for files in walked {
            found.extend(files?);
        }
    }
    // Symbolic links are resolved here, in parallel; files are read when they are loaded.
    let mut files: Vec<RawFile> = found
        .into_par_iter()
        .filter_map(|(rel, path, symlink, regular)| {
            let (content, origin) = if symlink {
                match path.canonicalize() {
                    Ok(target) if !target.starts_with(&root) => (
                        RawContent::SymlinkOutside(target.display().to_string()),
                        None,
                    ),
                    Ok(target) if target.is_dir() => return None,
                    Ok(target) => (RawContent::OnDisk { listed: false }, Some(target)),
                    Err(e) => (
                        RawContent::Unreadable(format!("broken symbolic link: {e}")),
                        None,
                    ),
                }
            } else if regular {
                (RawContent::OnDisk { listed: true }, Some(path))
            } else {
                (RawContent::Unreadable("not a regular file".into()), None)
            };
            Some(RawFile {
                path: rel,
                content,
                origin,
            })
        })
        .collect();
    files.extend(refused);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Ok(files)
}

/// A file a walk found: (repository-relative path, path, is a symbolic link, is a regular file).
type Candidate = (String, PathBuf, bool, bool);

/// The entries of a walk in name order, without hidden ones (below its start) and without
/// following symbolic links.
fn visible(walk: walkdir::WalkDir) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walk.follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
}

/// `entry`, when it may be a policy file: a YAML name, not a folder.
fn candidate(root: &Path, entry: &walkdir::DirEntry) -> Option<Candidate> {
    let path = entry.path();
    if !is_yaml(path) || entry.file_type().is_dir() {
        return None;
    }
    Some((
        relative(root, path),
        path.to_path_buf(),
        entry.path_is_symlink(),
        entry.file_type().is_file(),
    ))
}

fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the file at `path` into `bytes`; `Err` says why it was not read.
fn read_file(path: &Path, listed: bool, bytes: &mut Vec<u8>) -> Result<(), RawContent> {
    use crate::fsread::{self, ReadError};
    let read = if listed {
        fsread::read_listed_into(path, MAX_FILE_SIZE, bytes)
    } else {
        fsread::read_into(path, MAX_FILE_SIZE, bytes)
    };
    read.map_err(|e| match e {
        ReadError::TooLarge { .. } => {
            RawContent::TooLarge(std::fs::metadata(path).map_or(MAX_FILE_SIZE + 1, |m| m.len()))
        }
        ReadError::NotRegular { what, .. } => {
            RawContent::Unreadable(format!("it is {what}, not a regular file"))
        }
        ReadError::Io { source, .. } => RawContent::Unreadable(source.to_string()),
        e @ ReadError::Missing { .. } => RawContent::Unreadable(e.to_string()),
    })
}

thread_local! {
    /// Each thread's buffer for the policy files it reads. The file's bytes are parsed from it
    /// and not kept, so the next file is read into memory already in use: reading each into
    /// fresh memory cost the kernel a page fault for every 4 KB.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Larger read buffers are not kept for the next file.
const READ_BUFFER_KEPT: usize = 1 << 20;

/// Turns raw files into documents and problems (no I/O; parallel over files).
pub fn documents(files: Vec<RawFile>) -> Loaded {
    load_all(files, false)
}

/// [`documents`], with the git blob id of each file read (for a gate, which compares them
/// with the base's tree), computed while its bytes are at hand.
pub fn documents_with_blob_ids(files: Vec<RawFile>) -> Loaded {
    load_all(files, true)
}

fn load_all(files: Vec<RawFile>, blob_ids: bool) -> Loaded {
    let per_file: Vec<(SourceFile, Vec<Document>, Vec<LoadProblem>)> = files
        .into_par_iter()
        .map(|file| load_file(file, blob_ids))
        .collect();
    // Sized once: the documents are kept for the whole run.
    let mut loaded = Loaded {
        files: Vec::with_capacity(per_file.len()),
        documents: Vec::with_capacity(per_file.iter().map(|f| f.1.len()).sum()),
        problems: Vec::new(),
    };
    for (file, docs, problems) in per_file {
        loaded.files.push(file);
        loaded.documents.extend(docs);
        loaded.problems.extend(problems);
    }
    loaded.files.sort_by(|a, b| a.path.cmp(&b.path));
    loaded
}

fn problem(code: &'static str, path: &str, message: String) -> LoadProblem {
    LoadProblem {
        unreadable: None,
        code,
        path: path.to_string(),
        document: None,
        pointer: None,
        position: None,
        message,
        help: None,
    }
}

/// Line and column (1-based, in characters) of byte `offset` in `bytes`.
pub fn position_of(bytes: &[u8], offset: usize) -> Position {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

fn load_file(mut file: RawFile, blob_id: bool) -> (SourceFile, Vec<Document>, Vec<LoadProblem>) {
    let mut source = SourceFile {
        path: file.path,
        text: None,
        blob: None,
    };
    let content = match (file.content, &file.origin) {
        (RawContent::OnDisk { listed }, Some(origin)) => {
            let mut bytes = READ_BUFFER.take();
            let result = match read_file(origin, listed, &mut bytes) {
                Ok(()) => {
                    source.blob = blob_id.then(|| git_blob_id(&bytes));
                    Ok(parse_file(source, &bytes, file.origin.take()))
                }
                Err(content) => Err((source, content)),
            };
            if bytes.capacity() <= READ_BUFFER_KEPT {
                READ_BUFFER.set(bytes);
            }
            match result {
                Ok(parsed) => return parsed,
                Err((unread, content)) => {
                    source = unread;
                    content
                }
            }
        }
        (RawContent::OnDisk { .. }, None) => {
            RawContent::Unreadable("no path to read it from".into())
        }
        (content, _) => content,
    };
    let (code, message) = match content {
        RawContent::Bytes(bytes) => {
            source.blob = blob_id.then(|| git_blob_id(&bytes));
            return parse_file(source, &bytes, file.origin);
        }
        RawContent::TooLarge(size) => (
            "file-too-large",
            format!(
                "file is {size} bytes, more than the {MAX_FILE_SIZE}-byte limit for a policy document"
            ),
        ),
        RawContent::SymlinkOutside(target) => (
            "symlink-outside",
            format!("symbolic link points outside the repository, to `{target}`"),
        ),
        RawContent::Unreadable(why) => ("unreadable", format!("cannot read the file: {why}")),
        RawContent::OnDisk { .. } => ("unreadable", "cannot read the file".into()),
    };
    let found = problem(code, &source.path, message);
    (source, Vec::new(), vec![found])
}

/// [`load_file`] of a file whose bytes were read (from `origin`, when from disk).
fn parse_file(
    mut source: SourceFile,
    bytes: &[u8],
    origin: Option<PathBuf>,
) -> (SourceFile, Vec<Document>, Vec<LoadProblem>) {
    let path = source.path.clone();
    let mut problems = Vec::new();
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(at) = head.iter().position(|&b| b == 0) {
        let mut p = problem(
            "encoding",
            &path,
            "file is binary (it contains a NUL byte), not YAML text".into(),
        );
        p.position = Some(position_of(bytes, at));
        problems.push(p);
        return (source, Vec::new(), problems);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let mut p = problem(
                "encoding",
                &path,
                format!(
                    "file is not valid UTF-8 (byte 0x{:02x} at offset {})",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            );
            p.position = Some(position_of(bytes, e.valid_up_to()));
            problems.push(p);
            return (source, Vec::new(), problems);
        }
    };
    source.text = Some(Text::new(bytes, origin));
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = yaml::parse(text);
    if let Some(e) = &parsed.error {
        let mut p = problem("yaml-syntax", &path, e.message.clone());
        p.position = Some(e.position);
        p.help = Some(e.help);
        problems.push(p);
    } else if parsed.documents.iter().all(|d| d.value.is_null()) {
        problems.push(problem(
            "empty-file",
            &path,
            "file holds no document".into(),
        ));
    }
    let mut docs = Vec::new();
    for (index, doc) in parsed.documents.into_iter().enumerate() {
        if doc.value.is_null() {
            continue; // an empty document between `---` separators
        }
        match envelope(&doc.value) {
            Ok((kind, id)) => docs.push(Document {
                kind,
                id,
                path: path.clone(),
                index,
                start: doc.start,
                value: std::sync::Arc::new(doc.value),
            }),
            Err((pointer, message)) => problems.push(LoadProblem {
                unreadable: intended(&doc.value),
                code: "envelope",
                path: path.clone(),
                document: Some(index),
                pointer: Some(pointer.to_string()),
                position: Some(doc.start).filter(|_| pointer.is_empty()),
                message,
                help: None,
            }),
        }
    }
    (source, docs, problems)
}

/// The kind and id a document that failed its envelope check was meant to have, when both can
/// be told: its `kind` (or the kind it is a likely misspelling of) and its `metadata.id`.
fn intended(value: &Value) -> Option<(Kind, String)> {
    let written = value.get("kind")?.as_str()?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.name() == written)
        .or_else(|| {
            crate::suggest::closest(written, Kind::ALL.iter().map(|k| k.name()))
                .and_then(|name| name.parse().ok())
        })?;
    let id = value.pointer("/metadata/id")?.as_str()?;
    Some((kind, id.to_string()))
}

/// Checks the envelope fields that decide how a document is read: `apiVersion` and `kind`.
/// Everything else (`metadata`, `spec`) is the kind schema's job, so that all its problems are
/// reported at once.
fn envelope(value: &Value) -> Result<(Kind, String), (&'static str, String)> {
    let Some(map) = value.as_object() else {
        return Err((
            "",
            "document is not a mapping of `apiVersion`, `kind`, `metadata` and `spec`".into(),
        ));
    };
    match map.get("apiVersion") {
        None => return Err(("", "`apiVersion` is missing".into())),
        Some(Value::String(v)) if &**v == API_VERSION => {}
        Some(v) => {
            return Err((
                "/apiVersion",
                format!(
                    "unsupported apiVersion {v}; this version of Evident reads `{API_VERSION}`"
                ),
            ));
        }
    }
    let kind = match map.get("kind") {
        None => return Err(("", "`kind` is missing".into())),
        Some(Value::String(k)) => Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == &**k)
            .ok_or_else(|| {
                let hint = crate::suggest::closest(k, Kind::ALL.iter().map(|k| k.name()))
                    .map(|name| format!("; did you mean `{name}`?"))
                    .unwrap_or_default();
                ("/kind", format!("unknown kind `{k}`{hint}"))
            })?,
        Some(v) => return Err(("/kind", format!("`kind` must be a string, not {v}"))),
    };
    let id = value
        .pointer("/metadata/id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Ok((kind, id))
}

/// Where a finding points: a position and what to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// Line and column.
    pub position: Position,
    /// How many characters to underline (at least 1).
    pub len: u32,
}

/// Finds positions of JSON pointers in documents again, parsing each file at most once.
#[derive(Debug, Default)]
pub struct Locator {
    cache: HashMap<String, Vec<Option<HashMap<String, NodeSpan>>>>,
}

impl Locator {
    /// Parses the files of `paths` that are not parsed yet, side by side (one finding in ten
    /// documents means a thousand files to parse again at 10,000 documents).
    pub fn read_ahead<'p>(&mut self, loaded: &Loaded, paths: impl IntoIterator<Item = &'p str>) {
        let mut wanted: Vec<&str> = paths
            .into_iter()
            .filter(|p| !self.cache.contains_key(*p))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let parsed: Vec<_> = wanted
            .into_par_iter()
            .map(|path| (path.to_string(), Self::spans_of(loaded, path)))
            .collect();
        self.cache.extend(parsed);
    }

    /// The spans of each document of `path`, parsed again from its text.
    fn spans_of(loaded: &Loaded, path: &str) -> Vec<Option<HashMap<String, NodeSpan>>> {
        loaded
            .text(path)
            .map(|text| {
                yaml::parse_with_positions(&text)
                    .documents
                    .into_iter()
                    .map(|d| d.spans)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Position of `pointer` in document `index` of `path`. A pointer that is absent (a missing
    /// key) resolves to its nearest present ancestor.
    pub fn locate(
        &mut self,
        loaded: &Loaded,
        path: &str,
        index: usize,
        pointer: &str,
        on_value: bool,
    ) -> Option<Located> {
        let spans = self
            .cache
            .entry(path.to_string())
            .or_insert_with(|| Self::spans_of(loaded, path));
        let spans = spans.get(index)?.as_ref()?;
        let mut p = pointer;
        loop {
            if let Some(span) = spans.get(p) {
                let key = if on_value && p == pointer {
                    None
                } else {
                    span.key
                };
                return Some(match key {
                    Some((position, len)) => Located {
                        position,
                        len: len.max(1),
                    },
                    None => Located {
                        position: span.value,
                        len: span.value_len.max(1),
                    },
                });
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(path: &str, text: &[u8]) -> RawFile {
        RawFile {
            path: path.into(),
            content: RawContent::Bytes(text.to_vec()),
            origin: None,
        }
    }

    #[test]
    fn blob_ids_are_the_ids_git_gives() {
        for bytes in [
            &b""[..],
            b"kind: Role\n",
            b"\xef\xbb\xbfkind: Role\n",
            &[0xff; 70_000],
        ] {
            let git = git2::Oid::hash_object(git2::ObjectType::Blob, bytes).expect("hashed");
            assert_eq!(git.as_bytes(), git_blob_id(bytes));
        }
    }

    #[test]
    fn a_text_read_from_disk_is_read_again_and_only_if_unchanged() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let docs = dir.path().join("policies");
        std::fs::create_dir(&docs).expect("folder");
        let text = "apiVersion: evident/v1\nkind: Role\nmetadata: {id: r}\n";
        std::fs::write(docs.join("r.yaml"), format!("\u{feff}{text}")).expect("written");
        let load = || documents(walk(dir.path(), &["policies".into()]).expect("walked"));
        let loaded = load();
        assert_eq!(loaded.documents.len(), 1);
        // The byte order mark is not part of the text, as when it was parsed; once read, the
        // text is kept.
        assert_eq!(loaded.text("policies/r.yaml").as_deref(), Some(text));
        std::fs::write(docs.join("r.yaml"), "changed").expect("written");
        assert_eq!(loaded.text("policies/r.yaml").as_deref(), Some(text));
        // Changed after it was judged and before it was read again: no text rather than lines
        // that were not judged.
        std::fs::write(docs.join("r.yaml"), format!("\u{feff}{text}")).expect("written");
        let loaded = load();
        std::fs::write(docs.join("r.yaml"), text.replace("id: r", "id: q")).expect("written");
        assert_eq!(loaded.text("policies/r.yaml"), None);
        // Text that was not read from a file is held.
        let held = documents(vec![raw("x.yaml", text.as_bytes())]);
        assert_eq!(held.text("x.yaml").as_deref(), Some(text));
    }

    #[test]
    fn envelope_problems_are_located() {
        let loaded = documents(vec![raw(
            "a.yaml",
            b"apiVersion: evident/v1\nkind: Widget\nmetadata: {id: x}\n---\napiVersion: v2\nkind: Role\n",
        )]);
        assert!(loaded.documents.is_empty());
        let codes: Vec<_> = loaded
            .problems
            .iter()
            .map(|p| (p.code, p.document, p.pointer.clone()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("envelope", Some(0), Some("/kind".to_string())),
                ("envelope", Some(1), Some("/apiVersion".to_string())),
            ]
        );
    }

    #[test]
    fn non_utf8_and_binary_are_problems_with_positions() {
        let loaded = documents(vec![
            raw("bad.yaml", b"a: 1\nb: \xff\n"),
            raw("bin.yaml", b"\x00\x01\x02"),
            raw("empty.yaml", b""),
        ]);
        let got: Vec<_> = loaded
            .problems
            .iter()
            .map(|p| (p.code, p.position))
            .collect();
        assert_eq!(
            got,
            vec![
                ("encoding", Some(Position { line: 2, column: 4 })),
                ("encoding", Some(Position { line: 1, column: 1 })),
                ("empty-file", None),
            ]
        );
    }

    #[test]
    fn locator_falls_back_to_the_nearest_ancestor() {
        let loaded = documents(vec![raw(
            "p.yaml",
            b"apiVersion: evident/v1\nkind: Role\nmetadata:\n  id: r\nspec:\n  responsibilities: []\n",
        )]);
        let mut locator = Locator::default();
        let at = locator
            .locate(&loaded, "p.yaml", 0, "/spec/authorities", false)
            .expect("located");
        assert_eq!(at.position, Position { line: 5, column: 1 });
        assert_eq!(at.len, 4);
    }
}
