//! `evident pack`: an evidence bundle from one commit (PRODUCT.md §6).
//!
//! Everything is read from git objects at the commit, never from the working tree. The bundle
//! is written into a hidden temporary folder beside `--out` and renamed into place only when
//! complete, so a failed or interrupted pack leaves no half-written bundle.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;

use super::attestation::{self, Statement, Subject};
use super::manifest::{self, Entry, Manifest};
use super::sign::SigningKey;
use super::{FORMAT, canonical_json};
use crate::git::{CommitInfo, Repo, Revision};
use crate::model::Kind;
use crate::report::{self, Format, audit};
use crate::{CheckOptions, Checked, Source};

/// What to pack and how.
#[derive(Debug)]
pub struct PackOptions<'a> {
    /// The commit (any revision git understands).
    pub rev: &'a str,
    /// The bundle folder to create; it must not exist or be empty.
    pub out: &'a Path,
    /// Sign with this key.
    pub key: Option<&'a SigningKey>,
    /// SSHSIG namespace.
    pub namespace: &'a str,
    /// The signer identity `VERIFY.txt` names (default: the key's comment when it is one
    /// word, such as `ci@acme.example`).
    pub identity: Option<&'a str>,
    /// Start of the audit period for `history/changes.json` (default: a year before the
    /// as-of date).
    pub since: Option<Date>,
    /// Also write a deterministic `.tar` of the bundle here.
    pub tar: Option<&'a Path>,
    /// Check options; `as_of` defaults to `as_of` in `evident.yaml` at the commit, else the
    /// commit date.
    pub check: CheckOptions,
}

/// What was packed.
#[derive(Debug)]
pub struct Packed {
    /// The bundle folder.
    pub out: PathBuf,
    /// The commit packed.
    pub commit: CommitInfo,
    /// The as-of date used.
    pub as_of: Date,
    /// Files listed in the manifest.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Time spent hashing them (files in parallel).
    pub hashing: Duration,
    /// Wall time of each stage, in order (for benchmarks).
    pub stages: Vec<(&'static str, Duration)>,
    /// The signing key's fingerprint, when signed.
    pub signer: Option<String>,
    /// The check of the commit.
    pub checked: Checked,
    /// Things the user should know (an attachment named but absent…).
    pub warnings: Vec<String>,
}

/// The temporary folder and archive of the pack in progress, so that an interrupted run can
/// remove them ([`abandon`]).
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set by [`abandon`]: every writer stops before its next file.
static ABANDONED: AtomicBool = AtomicBool::new(false);

/// Stops the pack in progress and removes what it wrote. For signal handlers: call it, then
/// exit. Writers may be in the middle of a file, so removal is retried until they have
/// stopped (for at most about two seconds).
pub fn abandon() {
    ABANDONED.store(true, Ordering::SeqCst);
    let paths = IN_PROGRESS
        .lock()
        .map(|mut g| std::mem::take(&mut *g))
        .unwrap_or_default();
    for path in paths {
        for _ in 0..40 {
            let removed = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            match removed {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}

fn interrupted() -> Result<()> {
    if ABANDONED.load(Ordering::SeqCst) {
        bail!("interrupted");
    }
    Ok(())
}

/// Forgets the registered paths when the pack ends, however it ends.
struct Registered;

impl Registered {
    fn new() -> Registered {
        Registered
    }

    fn add(&self, path: &Path) {
        if let Ok(mut g) = IN_PROGRESS.lock() {
            g.push(path.to_path_buf());
        }
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut g) = IN_PROGRESS.lock() {
            g.clear();
        }
    }
}

/// Files written so far: bundle path → git blob id for those copied from git; and the blobs
/// still to copy.
struct Writer<'a> {
    dir: &'a Path,
    files: BTreeMap<String, Option<String>>,
    blobs: Vec<(git2::Oid, PathBuf)>,
}

impl Writer<'_> {
    /// Checks and records `path`, and makes its folder; returns where it goes.
    fn register(&mut self, path: &str, blob: Option<String>) -> Result<PathBuf> {
        interrupted()?;
        manifest::check_path(path)
            .map_err(|why| anyhow!("cannot pack `{path}`: the path {why}"))?;
        if self.files.insert(path.to_string(), blob).is_some() {
            bail!("`{path}` would be written twice");
        }
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(full)
    }

    fn put(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let full = self.register(path, None)?;
        File::create(&full)
            .and_then(|mut f| f.write_all(bytes))
            .with_context(|| format!("writing `{path}`"))
    }

    /// Registers a file to be copied from git by [`Repo::copy_blobs`].
    fn put_blob(&mut self, path: &str, oid: git2::Oid) -> Result<()> {
        let full = self.register(path, Some(oid.to_string()))?;
        self.blobs.push((oid, full));
        Ok(())
    }
}

/// Every `spec.attachments` entry of every Record, with the document that names it.
fn attachments(checked: &Checked) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for doc in &checked.loaded.documents {
        if doc.kind != Kind::Record {
            continue;
        }
        let list = doc
            .value
            .pointer("/spec/attachments")
            .and_then(|v| v.as_array());
        for a in list.into_iter().flatten().filter_map(|v| v.as_str()) {
            out.entry(a.to_string()).or_insert_with(|| doc.path.clone());
        }
    }
    out
}

/// The folder whose contents the bundle's `policies/` holds: the one documents folder, so that
/// `policies/processes/x.yaml` in the repository is `policies/processes/x.yaml` in the bundle
/// (not `policies/policies/…`); with several folders (or the root, `.`), none, and every
/// document keeps its whole path under `policies/` so that two folders cannot collide.
pub fn documents_folder(folders: &[String]) -> &str {
    match folders {
        [one] if one != "." => one,
        _ => "",
    }
}

/// Where a document (at `path`, relative to the Evident root) goes in the bundle.
pub fn bundle_document_path(folder: &str, path: &str) -> String {
    let inner = if folder.is_empty() {
        path
    } else {
        path.strip_prefix(folder)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    };
    format!("policies/{inner}")
}

/// Builds the bundle for `opts.rev` of the repository containing `root`.
pub fn pack(root: &Path, opts: &PackOptions<'_>) -> Result<Packed> {
    let out = opts.out;
    if fs::symlink_metadata(out).is_ok() {
        let empty = out.is_dir()
            && fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
        if !empty {
            bail!(
                "`{}` already exists and is not an empty folder; Evident never overwrites a bundle, so name a new folder",
                out.display()
            );
        }
    }
    if let Some(tar) = opts.tar
        && fs::symlink_metadata(tar).is_ok()
    {
        bail!(
            "`{}` already exists; Evident never overwrites an archive, so name a new file",
            tar.display()
        );
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("creating `{}`", parent.display()))?;

    let mut stages = Vec::new();
    let mut clock = Instant::now();
    let mut stage = |name: &'static str| {
        stages.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let repo = Repo::open(root)?;
    let rev: Revision = repo.resolve(opts.rev)?;
    let info = repo.commit_info(&rev)?;
    // The as-of date: --as-of; else `as_of` of `evident.yaml` at that commit (a snapshot
    // repository packs as of its snapshot); else the commit's date, the only clock a
    // reproducible bundle may have.
    let configured = match repo.read(&rev, crate::config::FILE_NAME)? {
        Some(bytes) => crate::config::Config::parse(&bytes)?.as_of,
        None => None,
    };
    let (as_of, as_of_source) = match (opts.check.as_of, configured) {
        (Some(d), _) => (d, crate::AsOfSource::Option),
        (None, Some(d)) => (d, crate::AsOfSource::Config),
        (None, None) => (info.date, crate::AsOfSource::Commit),
    };
    let since = match opts.since {
        Some(d) => d,
        None => as_of
            .checked_sub(1.year())
            .map_err(|e| anyhow!("computing the audit period: {e}"))?,
    };
    if since > as_of {
        bail!("--since {since} is after the as-of date {as_of}: the audit period would be empty");
    }
    let options = CheckOptions {
        as_of: Some(as_of),
        as_of_source: Some(as_of_source),
        ..opts.check.clone()
    };
    let checked = crate::check_source(root, &Source::Revision(&repo, &rev), as_of, &options)?;
    stage("check");
    let mut warnings = Vec::new();
    if opts.rev == "HEAD" {
        let dirty = repo.uncommitted(&checked.config.documents)?;
        if dirty > 0 {
            warnings.push(format!(
                "{dirty} file{} under the documents folders differ{} from HEAD in the working tree; the bundle holds the committed versions (commit first to include the changes)",
                if dirty == 1 { "" } else { "s" },
                if dirty == 1 { "s" } else { "" },
            ));
        }
    }

    let tmp = tempfile::Builder::new()
        .prefix(".evident-pack-")
        .tempdir_in(parent)
        .with_context(|| format!("creating a temporary folder in `{}`", parent.display()))?;
    let registered = Registered::new();
    registered.add(tmp.path());
    let mut w = Writer {
        dir: tmp.path(),
        files: BTreeMap::new(),
        blobs: Vec::new(),
    };
    let snapshot = repo.snapshot(&rev)?;

    // Documents and attachments, exactly as committed.
    let folder = documents_folder(&checked.config.documents);
    let mut documents = BTreeMap::new();
    for file in &checked.loaded.files {
        match snapshot.blob_at(&file.path)? {
            Some((oid, _)) => {
                w.put_blob(&bundle_document_path(folder, &file.path), oid)?;
                documents.insert(file.path.clone(), oid.to_string());
            }
            None => warnings.push(format!(
                "`{}` is a symbolic link that leaves the repository; not packed",
                file.path
            )),
        }
    }
    let mut attached = BTreeMap::new();
    let mut missing = Vec::new();
    for (path, named_by) in attachments(&checked) {
        let found = match manifest::check_path(&path) {
            Ok(()) => snapshot.blob_at(&path)?,
            Err(_) => None,
        };
        match found {
            Some((oid, _)) => {
                w.put_blob(&format!("attachments/{path}"), oid)?;
                attached.insert(path, oid.to_string());
            }
            None => {
                warnings.push(format!(
                    "attachment `{path}` named by `{named_by}` is not in commit {}; not packed",
                    &info.commit[..12]
                ));
                missing.push(json!({"path": path, "named_by": named_by}));
            }
        }
    }

    repo.copy_blobs(&w.blobs, &ABANDONED)?;
    stage("copy documents and attachments");

    // Results and reports.
    w.put(
        "results/results.json",
        &report::render_to_vec(Format::Json, &checked)?,
    )?;
    w.put(
        "results/results.sarif",
        &report::render_to_vec(Format::Sarif, &checked)?,
    )?;
    w.put(
        "results/junit.xml",
        &report::render_to_vec(Format::Junit, &checked)?,
    )?;
    w.put(
        "results/results.oscal.json",
        &report::render_to_vec(Format::OscalAr, &checked)?,
    )?;
    // Operational evidence (PRODUCT.md §11): the computed tables and the missed tickets, and
    // for every export its SHA-256, size and rows (in attainment.json). The raw exports hold
    // personal data: they enter the bundle only when their TicketSource asks.
    let measured = &checked.tickets;
    if !measured.sources.is_empty() {
        let as_of_text = as_of.to_string();
        w.put(
            "results/sla/attainment.json",
            &canonical_json(&report::sla::json(measured, &as_of_text))?,
        )?;
        w.put(
            "results/sla/attainment.csv",
            report::sla::attainment_csv(measured).as_bytes(),
        )?;
        w.put(
            "results/sla/kpis.csv",
            report::sla::kpis_csv(measured).as_bytes(),
        )?;
        w.put(
            "results/sla/missed.csv",
            report::sla::missed_csv(measured).as_bytes(),
        )?;
        let mut raw = Vec::new();
        for s in measured.sources.iter().filter(|s| s.include_in_bundle) {
            for f in &s.files {
                match snapshot.blob_at(&f.path)? {
                    Some((oid, _)) => raw.push((format!("exports/{}", f.path), oid)),
                    None => warnings.push(format!(
                        "export `{}` of TicketSource `{}` is not a file of the commit; not packed",
                        f.path, s.id
                    )),
                }
            }
        }
        if !raw.is_empty() {
            w.blobs.clear();
            for (path, oid) in raw {
                w.put_blob(&path, oid)?;
            }
            repo.copy_blobs(&w.blobs, &ABANDONED)?;
        }
    }
    stage("results");

    // Provenance and history.
    #[derive(Serialize)]
    struct GitProvenance<'a> {
        #[serde(flatten)]
        commit: &'a CommitInfo,
        /// The documents folder whose contents `policies/` holds (empty: the Evident root).
        documents_folder: &'a str,
        documents: &'a BTreeMap<String, String>,
        attachments: &'a BTreeMap<String, String>,
    }
    w.put(
        "provenance/git.json",
        &canonical_json(&GitProvenance {
            commit: &info,
            documents_folder: folder,
            documents: &documents,
            attachments: &attached,
        })?,
    )?;
    if repo.git().is_shallow() {
        warnings.push(
            "this is a shallow clone: history/changes.json lists only the commits fetched; fetch the full history (`git fetch --unshallow`) for a complete audit period".into(),
        );
    }
    let attachment_paths: Vec<String> = attached.keys().cloned().collect();
    let changes = repo.changes(&rev, since, &checked.config.documents, &attachment_paths)?;
    w.put(
        "history/changes.json",
        &canonical_json(&json!({
            "since": since.to_string(),
            "until": as_of.to_string(),
            "commit": info.commit,
            "changes": changes,
        }))?,
    )?;

    stage("provenance and history");
    let summary = &checked.outcome.summary;
    let result = if checked.outcome.fails() {
        "nonconforming"
    } else {
        "conforming"
    };
    let tool = json!({"name": "evident", "version": env!("CARGO_PKG_VERSION")});
    let library = json!({
        "sha256": checked.library.digest,
        "controls": checked.library.controls.len(),
    });
    let signer = opts.key.map(SigningKey::fingerprint);
    let identity = opts
        .identity
        .map(str::to_string)
        .or_else(|| opts.key.and_then(SigningKey::identity))
        .unwrap_or_else(|| "SIGNER".to_string());
    w.put(
        "pack.json",
        &canonical_json(&json!({
            "format": FORMAT,
            "tool": tool,
            "organization": checked.config.organization,
            "commit": info.commit,
            "as_of": as_of.to_string(),
            "audit_period": {"since": since.to_string(), "until": as_of.to_string()},
            "control_library": library,
            "result": result,
            "summary": summary,
            "signature": signer.as_ref().map(|f| json!({
                "file": manifest::SIGNATURE,
                "format": "sshsig",
                                "namespace": opts.namespace,
                "key": f,
                "identity": identity,
            })),
            "layout": {
                "documents": if folder.is_empty() {
                    "policies/<path relative to the Evident root>".to_string()
                } else {
                    format!("policies/<path relative to `{folder}`>")
                },
                "attachments": "attachments/<path relative to the Evident root>",
            },
            "missing_attachments": missing,
        }))?,
    )?;
    let verify = verify_text(
        &checked,
        &info,
        as_of,
        opts.namespace,
        signer.as_deref(),
        &identity,
    );
    w.put("VERIFY.txt", verify.as_bytes())?;

    // The reports, last of the payload, so that they can show what the bundle holds.
    stage("pack.json and VERIFY.txt");
    let provenance = audit::Provenance {
        commit: Some(info.commit.clone()),
        tree: Some(info.tree.clone()),
        author: Some(format!("{} <{}>", info.author.name, info.author.email)),
        committer: Some(format!(
            "{} <{}>",
            info.committer.name, info.committer.email
        )),
        date: Some(info.committer.date.clone()),
        subject: Some(info.subject.clone()),
        signed: Some(info.signed),
        remote: info.remote.clone(),
        documents: documents.clone(),
        bundle: Some(audit::BundleInfo {
            signer: signer.clone(),
            identity: signer.as_ref().map(|_| identity.clone()),
            namespace: opts.namespace.to_string(),
            since: since.to_string(),
            until: as_of.to_string(),
            changes: changes.clone(),
            attachments: attachment_digests(w.dir, &attached)?,
            missing: missing
                .iter()
                .map(|m| {
                    format!(
                        "{} (named by {})",
                        m["path"].as_str().unwrap_or_default(),
                        m["named_by"].as_str().unwrap_or_default()
                    )
                })
                .collect(),
            verify: verify.clone(),
        }),
    };
    let mut html = Vec::new();
    audit::html(&checked, &provenance, &mut html)?;
    w.put("report/report.html", &html)?;
    let mut markdown = Vec::new();
    audit::markdown(&checked, &provenance, &mut markdown)?;
    w.put("report/conformity.md", &markdown)?;

    stage("reports");

    // Hash every payload file, then state them in the attestation.
    let started = Instant::now();
    let paths: Vec<&str> = w.files.keys().map(String::as_str).collect();
    let hashes = manifest::sha256_files(w.dir, &paths);
    let hashing = started.elapsed();
    let mut entries = Vec::with_capacity(paths.len() + 1);
    let mut subjects = Vec::with_capacity(paths.len());
    let mut bytes = 0u64;
    for ((path, blob), hash) in w.files.iter().zip(hashes) {
        let (sha256, len) = hash.with_context(|| format!("hashing `{path}`"))?;
        bytes += len;
        let mut digest = BTreeMap::from([("sha256".to_string(), manifest::hex(&sha256))]);
        if let Some(b) = blob {
            digest.insert("gitBlob".to_string(), b.clone());
        }
        subjects.push(Subject {
            name: path.clone(),
            digest,
        });
        entries.push(Entry {
            path: path.clone(),
            sha256,
        });
    }
    let statement = Statement {
        type_: attestation::STATEMENT_TYPE.into(),
        subject: subjects,
        predicate_type: attestation::PREDICATE_TYPE.into(),
        predicate: json!({
            "commit": info.commit,
            "tree": info.tree,
            "tool": tool,
            "control_library": library,
            "as_of": as_of.to_string(),
            "result": result,
            "summary": summary,
        }),
    };
    let envelope = attestation::envelope(&statement, opts.key)?;
    w.put(attestation::FILE, &envelope)?;
    entries.push(Entry {
        path: attestation::FILE.into(),
        sha256: manifest::sha256(&envelope),
    });
    bytes += envelope.len() as u64;
    let manifest = Manifest::new(entries);
    let manifest_bytes = manifest.render();
    fs::write(tmp.path().join(manifest::FILE), &manifest_bytes).context("writing the manifest")?;
    if let Some(key) = opts.key {
        let sig = key.sign_sshsig(opts.namespace, &manifest_bytes)?;
        fs::write(tmp.path().join(manifest::SIGNATURE), sig).context("writing the signature")?;
    }

    // The archive is made before the folder moves, so a failure leaves neither behind.
    stage("hash, attest, sign");
    let archive = match opts.tar {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut f = tempfile::Builder::new()
                .prefix(".evident-pack-")
                .suffix(".tar")
                .tempfile_in(dir)
                .with_context(|| format!("creating a temporary file in `{}`", dir.display()))?;
            registered.add(f.path());
            let top = format!("evidence-{}", &info.commit[..12]);
            super::archive::write(
                tmp.path(),
                &top,
                u64::try_from(info.time).unwrap_or(0),
                f.as_file_mut(),
            )
            .with_context(|| format!("writing `{}`", path.display()))?;
            Some((f, path))
        }
        None => None,
    };
    stage("archive");
    let kept = tmp.keep();
    if let Err(e) = fs::rename(&kept, out) {
        let _ = fs::remove_dir_all(&kept);
        return Err(anyhow!(e))
            .with_context(|| format!("moving the bundle to `{}`", out.display()));
    }
    if let Some((f, path)) = archive {
        f.persist(path)
            .map_err(|e| anyhow!(e.error))
            .with_context(|| format!("writing `{}`", path.display()))?;
    }
    Ok(Packed {
        out: out.to_path_buf(),
        commit: info,
        as_of,
        files: manifest.entries.len(),
        bytes,
        hashing,
        stages,
        signer,
        checked,
        warnings,
    })
}

/// `VERIFY.txt`: the commands an auditor runs, with this bundle's values filled in.
/// The attachments packed (path → git blob id), with the SHA-256 of the copies in `dir`.
fn attachment_digests(
    dir: &Path,
    attached: &BTreeMap<String, String>,
) -> Result<Vec<audit::AttachmentInfo>> {
    let paths: Vec<String> = attached
        .keys()
        .map(|p| format!("attachments/{p}"))
        .collect();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    attached
        .iter()
        .zip(manifest::sha256_files(dir, &refs))
        .map(|((path, blob), hash)| {
            let (sha256, _) = hash.with_context(|| format!("hashing attachment `{path}`"))?;
            Ok(audit::AttachmentInfo {
                path: path.clone(),
                blob: blob.clone(),
                sha256: manifest::hex(&sha256),
            })
        })
        .collect()
}

fn verify_text(
    checked: &Checked,
    info: &CommitInfo,
    as_of: Date,
    namespace: &str,
    signer: Option<&str>,
    identity: &str,
) -> String {
    let org = match checked.config.organization.as_deref() {
        Some(name) => format!(": {name}"),
        None => String::new(),
    };
    let signature = match signer {
        Some(fp) => format!(
            "The manifest is signed (SSHSIG, namespace `{namespace}`) by the key with fingerprint\n{fp}\n\
             Check that fingerprint with the organization through a channel you trust; never take\n\
             the key from this bundle."
        ),
        None => "This bundle is NOT signed: it proves integrity (the files match the manifest),\n\
                 not who made it."
            .to_string(),
    };
    let step1 = if signer.is_some() {
        format!(
            "1. Check the signature over the manifest. Put the signer's public key, as the\n   \
             organization gave it to you, in a file `allowed_signers` NEXT TO this folder\n   \
             (outside the bundle: trust never comes from the bundle itself) as one line\n   \
             `{identity} ssh-ed25519 AAAA…` (the identity, then the key), then run:\n\n   \
             ssh-keygen -Y verify -f ../allowed_signers -I {identity} -n {namespace} -s SHA256SUMS.sig < SHA256SUMS\n\n   \
             It prints `Good \"{namespace}\" signature for {identity} …`.\n\n"
        )
    } else {
        "1. (No signature to check.)\n\n".to_string()
    };
    let evident = if signer.is_some() {
        format!("evident verify . --allowed-signers ../allowed_signers --identity {identity}")
    } else {
        "evident verify . --allow-unsigned".to_string()
    };
    format!(
        "Evidence bundle{org}\n\
         Commit {commit} ({date}), as of {as_of}.\n\
         Made by evident {version}.\n\n\
         {signature}\n\n\
         How to verify, from inside this folder (standard tools only):\n\n\
         {step1}\
         2. Check every listed file against the manifest:\n\n   \
         sha256sum --strict -c SHA256SUMS\n\n   \
         Every line must end in `OK`.\n\n\
         3. sha256sum does not notice extra files, symbolic links or special files. Both\n   \
         commands must print nothing (the second prints any file that is listed but\n   \
         missing, or present but unlisted):\n\n   \
         find . ! -type f ! -type d\n   \
         {{ cut -c67- SHA256SUMS; find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig | sed 's|^\\./||'; }} | LC_ALL=C sort | uniq -u\n\n\
                  Or all of it with Evident (on this folder, or on the bundle's .tar):\n\n   \
         {evident}\n\n\
         Add `--repo PATH-TO-A-CLONE` to also check that the commit exists there and that\n\
         every document equals its git blob.\n\n\
         Layout: policies/ holds the documents (at their paths in the documents folder),\n\
         attachments/ the files records name (at their paths in the repository); results/\n\
         the check results (JSON, SARIF, JUnit, OSCAL) and, with ticket data, results/sla/\n\
         the attainment, KPIs and missed tickets (exports/ holds the raw exports only when\n\
         their TicketSource sets `include_in_bundle`); report/ the report for people;\n\
         provenance/git.json the commit and each document's blob; history/ the changes in\n\
         the audit period; attestation.intoto.jsonl the in-toto statement.\n",
        commit = info.commit,
        date = info.committer.date,
        version = env!("CARGO_PKG_VERSION"),
    )
}
