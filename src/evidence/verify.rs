//! `evident verify`: checks a bundle without trusting it (PRODUCT.md §6), in this order:
//!
//! 1. `signature`: `SHA256SUMS` is read once, and the SSHSIG in `SHA256SUMS.sig` is verified
//!    over exactly those bytes against the key the caller trusts;
//! 2. `manifest`: the same bytes are parsed strictly;
//! 3. `files`: no symbolic link or special file; nothing listed is missing, nothing present is
//!    unlisted;
//! 4. `digests`: every listed file hashes to its line (files in parallel);
//! 5. `attestation`: the in-toto subjects equal the manifest, and the DSSE signature is by the
//!    same key;
//! 6. `repository` (with `--repo`): the commit exists, every document and attachment equals
//!    its blob there.
//!
//! The bundle is a folder, or a `.tar` made by `evident pack --tar`, which is read as a stream
//! and never extracted. Every failure is named with its file. Nothing is ever followed through
//! a symbolic link or written anywhere.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use ssh_key::{HashAlg, PublicKey};

use super::attestation;
use super::manifest::{self, Manifest};
use super::sign::{self, Trust};

/// How to verify.
#[derive(Debug)]
pub struct VerifyOptions<'a> {
    /// The key to trust; `None` only with `allow_unsigned`.
    pub trust: Option<&'a Trust>,
    /// SSHSIG namespace expected.
    pub namespace: &'a str,
    /// Accept a bundle without a signature (integrity only).
    pub allow_unsigned: bool,
    /// A clone of the repository to compare documents with.
    pub repo: Option<&'a Path>,
    /// The time `valid-after`/`valid-before` in allowed signers are compared with.
    pub now: Timestamp,
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Passed.
    Pass,
    /// Failed: see the problems.
    Fail,
    /// Not run (say why in the note).
    Skipped,
}

/// One problem: which file, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path inside the bundle.
    pub file: String,
    /// What is wrong with it.
    pub message: String,
}

/// One check, in the order run.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `signature`, `manifest`, `files`, `digests`, `attestation`, `repository`.
    pub check: &'static str,
    /// Its outcome.
    pub status: Status,
    /// What was established, or why it was skipped.
    pub note: String,
    /// What failed.
    pub problems: Vec<Problem>,
}

/// The verdict on a bundle.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// True when no check failed.
    pub valid: bool,
    /// The commit the bundle says it was built from.
    pub commit: Option<String>,
    /// The signing key's fingerprint, when the signature was verified.
    pub signer: Option<String>,
    /// Files listed in the manifest.
    pub files: usize,
    /// Bytes hashed.
    pub bytes: u64,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// Time spent hashing (for a folder, from the start of its listing: the two overlap).
    #[serde(skip)]
    pub hashing: Duration,
}

impl Verified {
    /// Every problem, with the check that found it.
    pub fn problems(&self) -> impl Iterator<Item = (&'static str, &Problem)> {
        self.checks
            .iter()
            .flat_map(|c| c.problems.iter().map(move |p| (c.check, p)))
    }
}

fn problem(file: &str, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_string(),
        message: message.into(),
    }
}

fn check(check: &'static str, problems: Vec<Problem>, note: impl Into<String>) -> Check {
    Check {
        check,
        status: if problems.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        },
        note: note.into(),
        problems,
    }
}

fn skipped(check: &'static str, why: &str) -> Check {
    Check {
        check,
        status: Status::Skipped,
        note: why.to_string(),
        problems: Vec::new(),
    }
}

const PROVENANCE: &str = "provenance/git.json";
/// Files whose bytes the checks read, besides hashing them.
const KEEP: [&str; 4] = [
    manifest::FILE,
    manifest::SIGNATURE,
    attestation::FILE,
    PROVENANCE,
];
/// Larger kept files are not an Evident bundle's.
const KEEP_LIMIT: u64 = 256 << 20;

/// One entry of a bundle.
#[derive(Debug)]
enum Item {
    File { sha256: [u8; 32], len: u64 },
    Dir,
    Symlink,
    Special(&'static str),
    Unreadable(String),
}

/// What a bundle holds, gathered in one pass over its folder or archive.
#[derive(Debug, Default)]
struct Inventory {
    items: BTreeMap<String, Item>,
    /// Problems with the container itself (archive entries outside the bundle folder,
    /// duplicates, corruption).
    layout: Vec<Problem>,
    /// The bytes of the [`KEEP`] files.
    kept: HashMap<String, Vec<u8>>,
    hashing: Duration,
}

impl Inventory {
    /// The bytes of a kept file; `Err` says why there are none.
    fn bytes(&self, name: &str) -> Result<&[u8], String> {
        match self.items.get(name) {
            None => Err("is missing".into()),
            Some(Item::File { .. }) => self
                .kept
                .get(name)
                .map(Vec::as_slice)
                .ok_or_else(|| "is too large to be part of a bundle".into()),
            Some(other) => Err(describe(other).unwrap_or_else(|| "is not a regular file".into())),
        }
    }
}

/// Why an entry that is neither a file nor a folder has no place in a bundle.
fn describe(item: &Item) -> Option<String> {
    let what = match item {
        Item::Symlink => "symbolic link",
        Item::Special(what) => what,
        _ => return None,
    };
    Some(format!("is a {what} (a bundle holds regular files only)"))
}

use super::manifest::{Hashed, sha256_reader};

/// A folder: walked without following links; each regular file is hashed, on another core, as
/// soon as the walk finds it, so that walking the folder (one core) and hashing overlap.
fn gather_dir(bundle: &Path) -> Inventory {
    let mut clock = Instant::now();
    let mut inv = Inventory::default();
    let hashed: Mutex<Vec<(String, io::Result<Hashed>)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    rayon::scope(|scope| {
        for entry in walkdir::WalkDir::new(bundle)
            .min_depth(1)
            .follow_links(false)
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let file = e
                        .path()
                        .and_then(|p| p.strip_prefix(bundle).ok())
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    inv.layout.push(problem(&file, format!("unreadable ({e})")));
                    continue;
                }
            };
            let rel = super::bundle_path(bundle, entry.path());
            let kind = entry.file_type();
            let item = if kind.is_symlink() {
                Item::Symlink
            } else if kind.is_dir() {
                Item::Dir
            } else if kind.is_file() {
                let hashed = &hashed;
                scope.spawn(move |_| {
                    let result = hash_file(bundle, &rel);
                    // A poisoned lock means a panic elsewhere, which ends the run anyway.
                    if let Ok(mut hashed) = hashed.lock() {
                        hashed.push((rel, result));
                    }
                });
                continue;
            } else {
                Item::Special("special file")
            };
            inv.items.insert(rel, item);
        }
    });
    inv.hashing = started.elapsed();
    crate::timing("  listing and hashing", &mut clock);
    for (path, hashed) in hashed.into_inner().unwrap_or_default() {
        let item = match hashed {
            Ok((sha256, len, kept)) => {
                if let Some(k) = kept {
                    inv.kept.insert(path.clone(), k);
                }
                Item::File { sha256, len }
            }
            Err(e) => Item::Unreadable(e.to_string()),
        };
        inv.items.insert(path, item);
    }
    inv
}

/// The SHA-256 of the bundle file `rel`, with its bytes when it is one of the [`KEEP`] files.
fn hash_file(bundle: &Path, rel: &str) -> io::Result<Hashed> {
    let keep = KEEP.contains(&rel);
    let file = fs::File::open(bundle.join(rel))?;
    if keep && file.metadata()?.len() > KEEP_LIMIT {
        return sha256_reader(file, false);
    }
    sha256_reader(file, keep)
}

/// An archive: read as one stream, every entry under one top folder, nothing extracted.
fn gather_tar(file: fs::File) -> Inventory {
    let mut inv = Inventory::default();
    let started = Instant::now();
    let mut archive = tar::Archive::new(io::BufReader::with_capacity(1 << 20, file));
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            inv.layout
                .push(problem("", format!("the archive is unreadable ({e})")));
            return inv;
        }
    };
    let mut top: Option<String> = None;
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                inv.layout
                    .push(problem("", format!("the archive is corrupt ({e})")));
                break;
            }
        };
        let raw = entry.path_bytes().into_owned();
        let Ok(name) = String::from_utf8(raw) else {
            inv.layout
                .push(problem("", "an entry's name is not UTF-8".to_string()));
            continue;
        };
        let trimmed = name.trim_end_matches('/');
        if let Err(why) = manifest::check_path(trimmed) {
            inv.layout
                .push(problem(&name, format!("archive entry path {why}")));
            continue;
        }
        let (first, rel) = trimmed.split_once('/').unwrap_or((trimmed, ""));
        match &top {
            None => top = Some(first.to_string()),
            Some(t) if t != first => {
                inv.layout.push(problem(
                    &name,
                    format!("is outside the bundle folder `{t}/` of the archive"),
                ));
                continue;
            }
            Some(_) => {}
        }
        if rel.is_empty() {
            continue;
        }
        use tar::EntryType as T;
        let kind = entry.header().entry_type();
        let item = match kind {
            T::Regular | T::Continuous => {
                let keep = KEEP.contains(&rel) && entry.size() <= KEEP_LIMIT;
                match sha256_reader(&mut entry, keep) {
                    Ok((sha256, len, kept)) => {
                        if let Some(k) = kept {
                            inv.kept.insert(rel.to_string(), k);
                        }
                        Item::File { sha256, len }
                    }
                    Err(e) => {
                        inv.layout
                            .push(problem(rel, format!("the archive is corrupt here ({e})")));
                        break;
                    }
                }
            }
            T::Directory => Item::Dir,
            T::Symlink => Item::Symlink,
            T::Link => Item::Special("hard link"),
            T::XGlobalHeader => continue,
            _ => Item::Special("special file"),
        };
        if inv.items.insert(rel.to_string(), item).is_some() {
            inv.layout
                .push(problem(rel, "appears twice in the archive".to_string()));
        }
    }
    inv.hashing = started.elapsed();
    inv
}

/// Steps 2 to 4 of [`verify`]: parses the manifest strictly, then checks that the bundle holds
/// exactly the files it lists and that each has its digest. Pushes the three checks; `None`
/// when the manifest is malformed (the later checks are then pushed as skipped).
fn check_manifest(inv: &Inventory, manifest_bytes: &[u8], out: &mut Verified) -> Option<Manifest> {
    // 2. Strict parse.
    let manifest = match Manifest::parse(manifest_bytes) {
        Ok(m) => m,
        Err(errors) => {
            let problems = errors
                .into_iter()
                .map(|e| problem(manifest::FILE, format!("line {}: {}", e.line, e.problem)))
                .collect();
            out.checks.push(check("manifest", problems, ""));
            for c in ["files", "digests", "attestation", "repository"] {
                out.checks.push(skipped(c, "the manifest is malformed"));
            }
            return None;
        }
    };
    out.files = manifest.entries.len();
    out.checks.push(check(
        "manifest",
        Vec::new(),
        format!(
            "{} listed",
            crate::report::count(manifest.entries.len(), "file")
        ),
    ));

    // 3. Regular files and folders only; each file listed, each listed file present.
    let listed = listed(&manifest);
    let mut problems = inv.layout.clone();
    for (path, item) in &inv.items {
        match item {
            Item::Dir => {}
            Item::Symlink | Item::Special(_) => {
                problems.push(problem(path, describe(item).unwrap_or_default()));
            }
            Item::Unreadable(e) => problems.push(problem(path, format!("unreadable ({e})"))),
            Item::File { .. } => {
                if path != manifest::FILE
                    && path != manifest::SIGNATURE
                    && !listed.contains_key(path.as_str())
                {
                    problems.push(problem(
                        path,
                        "is not listed in SHA256SUMS (added after packing?)",
                    ));
                }
            }
        }
    }
    for path in listed.keys() {
        match inv.items.get(*path) {
            None => problems.push(problem(path, "is listed in SHA256SUMS but missing")),
            Some(Item::Dir) => problems.push(problem(
                path,
                "is a folder where SHA256SUMS lists a file (a bundle holds regular files only)",
            )),
            Some(_) => {}
        }
    }
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    out.checks.push(check(
        "files",
        problems,
        "regular files only; every file listed, every listed file present",
    ));

    // 4. Digests.
    let mut problems = Vec::new();
    let mut hashed = 0usize;
    for (path, digest) in &listed {
        if let Some(Item::File { sha256, len }) = inv.items.get(*path) {
            hashed += 1;
            out.bytes += len;
            if sha256 != *digest {
                problems.push(problem(
                    path,
                    "has been modified (its SHA-256 differs from SHA256SUMS)",
                ));
            }
        }
    }
    out.checks.push(check(
        "digests",
        problems,
        format!("{} hashed", crate::report::count(hashed, "file")),
    ));
    Some(manifest)
}

/// The manifest's files and their digests, by path.
fn listed(manifest: &Manifest) -> BTreeMap<&str, &[u8; 32]> {
    manifest
        .entries
        .iter()
        .map(|e| (e.path.as_str(), &e.sha256))
        .collect()
}

/// The attestation's statement, and the problem with its signature when `signer` did not make
/// it; `Err` says why it cannot be read.
fn open_attestation(
    inv: &Inventory,
    signer: Option<&PublicKey>,
) -> Result<(attestation::Statement, Option<String>), String> {
    let opened = attestation::open(inv.bytes(attestation::FILE)?).map_err(|e| format!("{e:#}"))?;
    let (statement, unsigned) = rayon::join(
        || opened.statement(),
        || signer.and_then(|key| opened.signed_by(key).err().map(|e| e.to_string())),
    );
    Ok((statement.map_err(|e| format!("{e:#}"))?, unsigned))
}

/// Verifies the bundle at `bundle`: a folder, or a `.tar` written by `evident pack --tar`.
/// `Err` only for a bundle that cannot be looked at; every problem inside one is a failed
/// [`Check`].
pub fn verify(bundle: &Path, opts: &VerifyOptions<'_>) -> Result<Verified> {
    let mut clock = Instant::now();
    let inv = match fs::symlink_metadata(bundle) {
        Ok(m) if m.is_dir() => gather_dir(bundle),
        Ok(m) if m.file_type().is_symlink() => {
            bail!(
                "`{}` is a symbolic link; give the bundle itself",
                bundle.display()
            )
        }
        Ok(m) if m.is_file() => gather_tar(
            fs::File::open(bundle).with_context(|| format!("reading `{}`", bundle.display()))?,
        ),
        Ok(_) => bail!("`{}` is neither a folder nor an archive", bundle.display()),
        Err(e) => bail!("cannot read `{}`: {e}", bundle.display()),
    };
    let mut out = Verified {
        valid: false,
        commit: None,
        signer: None,
        files: 0,
        bytes: 0,
        checks: Vec::new(),
        hashing: inv.hashing,
    };
    crate::timing("files listed and hashed", &mut clock);
    // 1. The manifest's bytes, read once; the signature over them.
    let manifest_bytes = match inv.bytes(manifest::FILE) {
        Ok(b) => b,
        Err(why) => {
            let why = if inv.items.contains_key(manifest::FILE) {
                why
            } else {
                "is missing: this is not an evidence bundle, or it lost its manifest".into()
            };
            let mut problems = inv.layout.clone();
            problems.push(problem(manifest::FILE, why));
            out.checks.push(check("manifest", problems, ""));
            for c in ["signature", "files", "digests", "attestation", "repository"] {
                out.checks.push(skipped(c, "no manifest"));
            }
            return Ok(out);
        }
    };
    let mut signer: Option<PublicKey> = None;
    let sig = match inv.bytes(manifest::SIGNATURE) {
        Ok(b) => Ok(Some(b)),
        Err(_) if !inv.items.contains_key(manifest::SIGNATURE) => Ok(None),
        Err(e) => Err(e),
    };
    out.checks.push(match (opts.trust, sig) {
        (_, Err(e)) => check("signature", vec![problem(manifest::SIGNATURE, e)], ""),
        (None, Ok(_)) if opts.allow_unsigned => {
            skipped("signature", "not checked: no key given (--allow-unsigned)")
        }
        // No trust and no permission to do without: never `valid` (a library caller that
        // forgot the key must not get a bundle waved through).
        (None, Ok(_)) => check(
            "signature",
            vec![problem(
                manifest::SIGNATURE,
                "cannot be checked: no trusted key was given (allowed signers with an identity, or a public key); allow unsigned bundles to check integrity only",
            )],
            "",
        ),
        (Some(_), Ok(None)) if opts.allow_unsigned => {
            skipped("signature", "the bundle is not signed (--allow-unsigned)")
        }
        (Some(_), Ok(None)) => check(
            "signature",
            vec![problem(
                manifest::SIGNATURE,
                "is missing: the bundle is not signed (pass --allow-unsigned to check integrity only)",
            )],
            "",
        ),
        (Some(trust), Ok(Some(armored))) => {
            match sign::verify_sshsig(trust, opts.namespace, manifest_bytes, armored, opts.now) {
                Ok(key) => {
                    let fp = key.fingerprint(HashAlg::Sha256).to_string();
                    let who = match trust {
                        Trust::AllowedSigners { identity, .. } => format!(" as `{identity}`"),
                        Trust::PublicKey(_) => String::new(),
                    };
                    out.signer = Some(fp.clone());
                    signer = Some(key);
                    check(
                        "signature",
                        Vec::new(),
                        format!("signed by {fp}{who}, namespace `{}`", opts.namespace),
                    )
                }
                Err(e) => check(
                    "signature",
                    vec![problem(manifest::SIGNATURE, e.to_string())],
                    "",
                ),
            }
        }
    });

    crate::timing("signature", &mut clock);

    // 2 to 4 (the manifest, the files, the digests) on one core while the attestation is opened
    // and its signature checked on another: both read thousands of entries.
    let (manifest, attested) = rayon::join(
        || check_manifest(&inv, manifest_bytes, &mut out),
        || open_attestation(&inv, signer.as_ref()),
    );
    let Some(manifest) = manifest else {
        return Ok(out);
    };
    let listed = listed(&manifest);

    // 5. The attestation states exactly the manifest's files, signed by the same key.
    let mut problems = Vec::new();
    let mut commit = None;
    match attested {
        Ok((statement, unsigned)) => {
            if let Some(e) = unsigned {
                problems.push(problem(attestation::FILE, e));
            }
            commit = statement
                .predicate
                .get("commit")
                .and_then(|c| c.as_str())
                .map(String::from);
            let stated: BTreeMap<&str, Option<&String>> = statement
                .subject
                .iter()
                .map(|s| (s.name.as_str(), s.digest.get("sha256")))
                .collect();
            if stated.len() != statement.subject.len() {
                problems.push(problem(attestation::FILE, "names a subject twice"));
            }
            for (path, digest) in &listed {
                if *path == attestation::FILE {
                    continue;
                }
                match stated.get(path) {
                    None => problems.push(problem(
                        attestation::FILE,
                        format!("has no subject for `{path}`, which SHA256SUMS lists"),
                    )),
                    Some(d) if d.map(String::as_str) != Some(manifest::hex(*digest).as_str()) => {
                        problems.push(problem(
                            attestation::FILE,
                            format!("states another SHA-256 for `{path}` than SHA256SUMS"),
                        ))
                    }
                    Some(_) => {}
                }
            }
            for path in stated.keys() {
                if !listed.contains_key(path) || *path == attestation::FILE {
                    problems.push(problem(
                        attestation::FILE,
                        format!("names `{path}`, which SHA256SUMS does not list"),
                    ));
                }
            }
        }
        Err(e) => problems.push(problem(attestation::FILE, e)),
    }
    out.commit = commit.clone();
    let note = match (&signer, opts.trust) {
        (Some(_), _) => "subjects equal the manifest; DSSE signature by the same key",
        (None, Some(_)) => {
            "subjects equal the manifest (DSSE signature not checked: the manifest's signature was not verified)"
        }
        (None, None) => "subjects equal the manifest (DSSE signature not checked: no key)",
    };
    out.checks.push(check("attestation", problems, note));

    // 6. The repository.
    out.checks.push(match opts.repo {
        None => skipped("repository", "no --repo given"),
        Some(repo) => repository(&inv, repo, commit.as_deref()),
    });
    out.valid = out.checks.iter().all(|c| c.status != Status::Fail);
    crate::timing("manifest, files, digests and attestation", &mut clock);
    Ok(out)
}

/// A `Write` that only hashes.
struct HashWriter(Sha256);

impl io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Compares the bundle's documents and attachments with the blobs of its commit in `repo`:
/// the blob ids recorded in the provenance, and the SHA-256 of each file against that of
/// its blob's content (streamed, so large attachments need not fit in memory).
fn repository(inv: &Inventory, repo_dir: &Path, stated: Option<&str>) -> Check {
    const NAME: &str = "repository";
    let fail = |file: &str, msg: String| check(NAME, vec![problem(file, msg)], "");
    let repo = match git2::Repository::discover(repo_dir) {
        Ok(r) => r,
        Err(e) => {
            return fail(
                "",
                format!(
                    "`{}` is not a git repository ({})",
                    repo_dir.display(),
                    e.message()
                ),
            );
        }
    };
    let provenance: serde_json::Value = match inv.bytes(PROVENANCE) {
        Ok(b) => match serde_json::from_slice(b) {
            Ok(v) => v,
            Err(e) => return fail(PROVENANCE, format!("is not JSON ({e})")),
        },
        Err(e) => return fail(PROVENANCE, e),
    };
    let Some(commit_id) = provenance.get("commit").and_then(|c| c.as_str()) else {
        return fail(PROVENANCE, "names no commit".into());
    };
    let mut problems = Vec::new();
    if stated.is_some_and(|s| s != commit_id) {
        problems.push(problem(
            PROVENANCE,
            format!("names commit {commit_id}, the attestation another"),
        ));
    }
    let commit = match git2::Oid::from_str(commit_id).and_then(|oid| repo.find_commit(oid)) {
        Ok(c) => c,
        Err(_) => {
            problems.push(problem(
                PROVENANCE,
                format!(
                    "commit {commit_id} is not in `{}` (fetch it, or is this the right repository?)",
                    repo_dir.display()
                ),
            ));
            return check(NAME, problems, "");
        }
    };
    let tree = match commit.tree() {
        Ok(t) => t,
        Err(e) => return fail(PROVENANCE, format!("commit {commit_id}: {}", e.message())),
    };
    let root = provenance
        .get("root")
        .and_then(|r| r.as_str())
        .unwrap_or_default();
    let mut compared = 0usize;
    let mut index = crate::git::TreeIndex::new(&repo, tree);
    let documents_folder = provenance
        .get("documents_folder")
        .and_then(|r| r.as_str())
        .unwrap_or_default();
    for section in ["documents", "attachments"] {
        let Some(map) = provenance.get(section).and_then(|m| m.as_object()) else {
            problems.push(problem(PROVENANCE, format!("has no `{section}` map")));
            continue;
        };
        for (path, blob) in map {
            let file = if section == "documents" {
                crate::evidence::pack::bundle_document_path(documents_folder, path)
            } else {
                format!("attachments/{path}")
            };
            if manifest::check_path(path).is_err() {
                problems.push(problem(
                    PROVENANCE,
                    format!("names an unsafe path `{path}`"),
                ));
                continue;
            }
            let in_repo = if root.is_empty() {
                path.clone()
            } else {
                format!("{root}/{path}")
            };
            let oid = match index.resolve(&in_repo) {
                Ok(Some((oid, _))) => oid,
                Ok(None) => {
                    problems.push(problem(
                        &file,
                        format!("`{in_repo}` is not in commit {commit_id}"),
                    ));
                    continue;
                }
                Err(e) => {
                    problems.push(problem(&file, format!("reading `{in_repo}`: {e:#}")));
                    continue;
                }
            };
            if blob.as_str() != Some(oid.to_string().as_str()) {
                problems.push(problem(
                    PROVENANCE,
                    format!("records blob {blob} for `{path}`, the commit has {oid}"),
                ));
            }
            let Some(Item::File { sha256, .. }) = inv.items.get(&file) else {
                problems.push(problem(&file, "is missing".to_string()));
                continue;
            };
            let mut hasher = HashWriter(Sha256::new());
            if let Err(e) = crate::git::copy_blob(&repo, oid, &mut hasher) {
                problems.push(problem(&file, format!("reading blob {oid}: {e:#}")));
                continue;
            }
            let expected: [u8; 32] = hasher.0.finalize().into();
            if &expected == sha256 {
                compared += 1;
            } else {
                problems.push(problem(
                    &file,
                    format!("differs from `{in_repo}` at commit {commit_id}"),
                ));
            }
        }
    }
    check(
        NAME,
        problems,
        format!(
            "commit {commit_id} found; {} equal{} their blobs",
            crate::report::count(compared, "file"),
            if compared == 1 { "s" } else { "" }
        ),
    )
}
