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
//! Every failure is named with its file. Nothing is ever followed through a symbolic link or
//! written anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use jiff::Timestamp;
use serde::Serialize;
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
    /// Time spent hashing.
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

/// Reads a regular file of the bundle, refusing a symbolic link or anything else.
fn read_regular(bundle: &Path, name: &str) -> Result<Option<Vec<u8>>, String> {
    let path = bundle.join(name);
    match fs::symlink_metadata(&path) {
        Err(_) => Ok(None),
        Ok(m) if m.file_type().is_symlink() => Err("is a symbolic link".into()),
        Ok(m) if !m.is_file() => Err("is not a regular file".into()),
        Ok(_) => fs::read(&path)
            .map(Some)
            .map_err(|e| format!("unreadable ({e})")),
    }
}

/// Verifies the bundle folder `bundle`. `Err` only for a bundle that cannot be looked at
/// (not a folder); every problem inside one is a failed [`Check`].
pub fn verify(bundle: &Path, opts: &VerifyOptions<'_>) -> Result<Verified> {
    match fs::symlink_metadata(bundle) {
        Ok(m) if m.is_dir() => {}
        Ok(m) if m.file_type().is_symlink() => {
            bail!(
                "`{}` is a symbolic link; give the bundle folder itself",
                bundle.display()
            )
        }
        Ok(_) => bail!(
            "`{}` is not a folder (a `.tar` must be extracted first: `tar -xf FILE`)",
            bundle.display()
        ),
        Err(e) => bail!("cannot read `{}`: {e}", bundle.display()),
    }
    let mut out = Verified {
        valid: false,
        commit: None,
        signer: None,
        files: 0,
        bytes: 0,
        checks: Vec::new(),
        hashing: Duration::ZERO,
    };
    let later = [
        "signature",
        "manifest",
        "files",
        "digests",
        "attestation",
        "repository",
    ];
    // 1. The manifest's bytes, read once; the signature over them.
    let manifest_bytes = match read_regular(bundle, manifest::FILE) {
        Ok(Some(b)) => b,
        Ok(None) | Err(_) => {
            let why = match read_regular(bundle, manifest::FILE) {
                Err(e) => e,
                _ => "is missing: this is not an evidence bundle, or it lost its manifest".into(),
            };
            out.checks
                .push(check("manifest", vec![problem(manifest::FILE, why)], ""));
            for c in later.into_iter().filter(|c| *c != "manifest") {
                out.checks.push(skipped(c, "no manifest"));
            }
            return Ok(out);
        }
    };
    let mut signer: Option<PublicKey> = None;
    let sig = read_regular(bundle, manifest::SIGNATURE);
    out.checks.push(match (opts.trust, sig) {
        (_, Err(e)) => check("signature", vec![problem(manifest::SIGNATURE, e)], ""),
        (None, Ok(_)) => skipped(
            "signature",
            "not checked: no key given (--allow-unsigned)",
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
            match sign::verify_sshsig(trust, opts.namespace, &manifest_bytes, &armored, opts.now) {
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

    // 2. Strict parse.
    let manifest = match Manifest::parse(&manifest_bytes) {
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
            return Ok(out);
        }
    };
    out.files = manifest.entries.len();
    out.checks.push(check(
        "manifest",
        Vec::new(),
        format!("{} files listed", manifest.entries.len()),
    ));

    // 3. What is on disk: regular files and folders only, each file listed.
    let listed: BTreeMap<&str, &[u8; 32]> = manifest
        .entries
        .iter()
        .map(|e| (e.path.as_str(), &e.sha256))
        .collect();
    let mut present = BTreeSet::new();
    let mut problems = Vec::new();
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
                problems.push(problem(&file, format!("unreadable ({e})")));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(bundle)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let kind = entry.file_type();
        if kind.is_symlink() {
            problems.push(problem(
                &rel,
                "is a symbolic link (a bundle holds regular files only)",
            ));
        } else if kind.is_dir() {
        } else if !kind.is_file() {
            problems.push(problem(&rel, "is a special file (FIFO, socket or device)"));
        } else if rel == manifest::FILE || rel == manifest::SIGNATURE {
        } else if listed.contains_key(rel.as_str()) {
            present.insert(rel);
        } else {
            problems.push(problem(
                &rel,
                "is not listed in SHA256SUMS (added after packing?)",
            ));
        }
    }
    for path in listed.keys() {
        if !present.contains(*path) && !problems.iter().any(|p| p.file == *path) {
            problems.push(problem(path, "is listed in SHA256SUMS but missing"));
        }
    }
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    let files_ok = problems.is_empty();
    out.checks.push(check(
        "files",
        problems,
        "regular files only; every file listed, every listed file present",
    ));

    // 4. Digests of the files present and listed.
    let to_hash: Vec<&str> = present.iter().map(String::as_str).collect();
    let started = Instant::now();
    let hashes = manifest::sha256_files(bundle, &to_hash);
    out.hashing = started.elapsed();
    let mut problems = Vec::new();
    for (path, hash) in to_hash.iter().zip(hashes) {
        match hash {
            Ok((digest, len)) => {
                out.bytes += len;
                if Some(&&digest) != listed.get(path) {
                    problems.push(problem(
                        path,
                        "has been modified (its SHA-256 differs from SHA256SUMS)",
                    ));
                }
            }
            Err(e) => problems.push(problem(path, format!("unreadable ({e})"))),
        }
    }
    let digests_ok = problems.is_empty();
    out.checks.push(check(
        "digests",
        problems,
        format!("{} files hashed", to_hash.len()),
    ));

    // 5. The attestation states exactly the manifest's files, signed by the same key.
    let mut problems = Vec::new();
    let mut commit = None;
    match read_regular(bundle, attestation::FILE) {
        Ok(Some(bytes)) => match attestation::open(&bytes) {
            Ok(opened) => {
                if let Some(key) = &signer
                    && let Err(e) = opened.signed_by(key)
                {
                    problems.push(problem(attestation::FILE, e.to_string()));
                }
                let statement = opened.statement;
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
                        Some(d)
                            if d.map(String::as_str) != Some(manifest::hex(*digest).as_str()) =>
                        {
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
            Err(e) => problems.push(problem(attestation::FILE, format!("{e:#}"))),
        },
        Ok(None) => problems.push(problem(attestation::FILE, "is missing")),
        Err(e) => problems.push(problem(attestation::FILE, e)),
    }
    out.commit = commit.clone();
    let note = if signer.is_some() {
        "subjects equal the manifest; DSSE signature by the same key"
    } else {
        "subjects equal the manifest (DSSE signature not checked: no key)"
    };
    out.checks.push(check("attestation", problems, note));

    // 6. The repository.
    out.checks.push(match opts.repo {
        None => skipped("repository", "no --repo given"),
        Some(repo) => repository(bundle, repo, commit.as_deref(), files_ok && digests_ok),
    });
    out.valid = out.checks.iter().all(|c| c.status != Status::Fail);
    Ok(out)
}

/// Compares the bundle's documents and attachments with the blobs of its commit in `repo`.
fn repository(bundle: &Path, repo_dir: &Path, stated: Option<&str>, intact: bool) -> Check {
    const NAME: &str = "repository";
    const PROVENANCE: &str = "provenance/git.json";
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
    let provenance: serde_json::Value = match read_regular(bundle, PROVENANCE) {
        Ok(Some(b)) => match serde_json::from_slice(&b) {
            Ok(v) => v,
            Err(e) => return fail(PROVENANCE, format!("is not JSON ({e})")),
        },
        Ok(None) => return fail(PROVENANCE, "is missing".into()),
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
    for (section, folder) in [("documents", "policies"), ("attachments", "attachments")] {
        let Some(map) = provenance.get(section).and_then(|m| m.as_object()) else {
            problems.push(problem(PROVENANCE, format!("has no `{section}` map")));
            continue;
        };
        for (path, blob) in map {
            let file = format!("{folder}/{path}");
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
            let expected = match tree.get_path(Path::new(&in_repo)) {
                Ok(e) => e.id(),
                Err(_) => {
                    problems.push(problem(
                        &file,
                        format!("`{in_repo}` is not in commit {commit_id}"),
                    ));
                    continue;
                }
            };
            if blob.as_str() != Some(expected.to_string().as_str()) {
                problems.push(problem(
                    PROVENANCE,
                    format!("records blob {blob} for `{path}`, the commit has {expected}"),
                ));
            }
            // A symbolic link in git is packed as its target's content: compare with that.
            let expected = repo
                .find_blob(expected)
                .ok()
                .filter(|_| {
                    tree.get_path(Path::new(&in_repo))
                        .is_ok_and(|e| e.filemode() != 0o120000)
                })
                .map(|b| b.id());
            let bytes = match read_regular(bundle, &file) {
                Ok(Some(b)) => b,
                Ok(None) => {
                    problems.push(problem(&file, "is missing".to_string()));
                    continue;
                }
                Err(e) => {
                    problems.push(problem(&file, e));
                    continue;
                }
            };
            match git2::Oid::hash_object(git2::ObjectType::Blob, &bytes) {
                Ok(actual) if Some(actual) == expected || expected.is_none() => compared += 1,
                Ok(_) => problems.push(problem(
                    &file,
                    format!("differs from `{in_repo}` at commit {commit_id}"),
                )),
                Err(e) => problems.push(problem(&file, e.message().to_string())),
            }
        }
    }
    let note = if intact {
        format!("commit {commit_id} found; {compared} files equal their blobs")
    } else {
        format!(
            "commit {commit_id} found; {compared} files equal their blobs (some bundle files failed above)"
        )
    };
    check(NAME, problems, note)
}
