//! `evident pack` and `evident verify` on real repositories built in temporary folders,
//! checked with the real `sha256sum` and `ssh-keygen` where they are installed (`.ci/run`
//! installs them; without them those tests print `SKIPPED:` and return, or fail under CI).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use evident::evidence::sign::SigningKey;
use serde_json::Value;

use super::{code, copy_tree, evident, git, root};

const NS: &str = "evident-pack-v1";
const RECORD: &str = "policies/records/internal-audit-2026.yaml";
const SCAN: &str = "policies/records/attachments/scan.bin";

/// Whether `tool` can be started; prints why the caller skips when not.
fn installed(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--help").output().is_ok();
    if !ok {
        super::skip_unless_ci(&format!("`{tool}` is not installed (.ci/run installs it)"));
    }
    ok
}

/// The reference set in a fresh repository, plus a binary attachment named by a record.
fn reference_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    copy_tree(&root().join("policies"), &dir.path().join("policies"));
    let scan: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    fs::write(dir.path().join(SCAN), scan).expect("write");
    let record = dir.path().join(RECORD);
    let text = fs::read_to_string(&record).expect("read");
    let text = text.replacen(
        "    - policies/records/attachments/internal-audit-2026.md\n",
        &format!("    - policies/records/attachments/internal-audit-2026.md\n    - {SCAN}\n"),
        1,
    );
    fs::write(&record, text).expect("write");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "reference set"]);
    dir
}

/// Test keys copied into a private folder with mode 0600.
struct Keys(tempfile::TempDir);

impl Keys {
    fn new() -> Keys {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["signer", "other", "protected", "rsa"] {
            for suffix in ["", ".pub"] {
                let to = dir.path().join(format!("{name}{suffix}"));
                fs::copy(
                    root().join(format!("tests/fixtures/keys/{name}{suffix}")),
                    &to,
                )
                .expect("copy key");
                set_mode(&to, 0o600);
            }
        }
        Keys(dir)
    }
    fn path(&self, name: &str) -> String {
        self.0.path().join(name).display().to_string()
    }
    fn signing(&self, name: &str) -> SigningKey {
        SigningKey::load(&self.path(name), &|| Ok(String::new()))
            .expect("key loads")
            .0
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

fn out_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Packs `repo` into `out`, signed with the test signer, and asserts success.
fn pack(repo: &Path, out: &Path, keys: &Keys, extra: &[&str]) -> Output {
    let out_s = out.display().to_string();
    let key = keys.path("signer");
    let mut args = vec!["pack", "--out", &out_s, "--sign", &key];
    args.extend_from_slice(extra);
    let o = evident(repo, &args);
    assert_eq!(code(&o), 0, "{}", out_text(&o));
    o
}

fn verify(bundle: &Path, keys: &Keys, extra: &[&str]) -> Output {
    let b = bundle.display().to_string();
    let public = keys.path("signer.pub");
    let mut args = vec!["verify", &b, "--public-key", &public];
    args.extend_from_slice(extra);
    evident(Path::new("."), &args)
}

/// A signed bundle of the reference repository: (repository, scratch folder, bundle).
fn signed_bundle(keys: &Keys) -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = work.path().join("bundle");
    pack(repo.path(), &bundle, keys, &[]);
    (repo, work, bundle)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

fn fresh_copy(bundle: &Path, work: &Path, name: &str) -> PathBuf {
    let to = work.join(name);
    copy_tree(bundle, &to);
    to
}

/// Rewrites the manifest with `edit` and signs it again with the test signer: what an insider
/// holding the key could do. Returns the new manifest text.
fn resign(bundle: &Path, keys: &Keys, edit: impl Fn(String) -> String) {
    let manifest = edit(fs::read_to_string(bundle.join("SHA256SUMS")).expect("read"));
    fs::write(bundle.join("SHA256SUMS"), &manifest).expect("write");
    let sig = keys
        .signing("signer")
        .sign_sshsig(NS, manifest.as_bytes())
        .expect("sign");
    fs::write(bundle.join("SHA256SUMS.sig"), sig).expect("write");
}

fn sha256_hex(bytes: &[u8]) -> String {
    evident::evidence::manifest::hex(&evident::evidence::manifest::sha256(bytes))
}

/// Replaces the digest on `path`'s manifest line with that of the file's current bytes.
fn rehash(manifest: String, bundle: &Path, path: &str) -> String {
    let digest = sha256_hex(&fs::read(bundle.join(path)).expect("read"));
    manifest
        .lines()
        .map(|l| {
            if l.ends_with(&format!("  {path}")) {
                format!("{digest}  {path}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

#[test]
fn the_same_commit_packs_to_the_same_bytes_with_no_machine_details() {
    let keys = Keys::new();
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    let (ta, tb) = (work.path().join("a.tar"), work.path().join("b.tar"));
    pack(
        repo.path(),
        &a,
        &keys,
        &["--tar", &ta.display().to_string()],
    );
    pack(
        repo.path(),
        &b,
        &keys,
        &["--tar", &tb.display().to_string()],
    );
    let listed = files(&a);
    assert_eq!(listed, files(&b));
    for f in &listed {
        assert_eq!(
            fs::read(a.join(f)).expect("read"),
            fs::read(b.join(f)).expect("read"),
            "{f} differs"
        );
    }
    assert_eq!(
        fs::read(&ta).expect("tar"),
        fs::read(&tb).expect("tar"),
        "archives differ"
    );

    let private_key = fs::read_to_string(keys.path("signer")).expect("key");
    let key_body = private_key.lines().nth(1).expect("key line");
    let host = fs::read_to_string("/etc/hostname").unwrap_or_default();
    let host = host.trim();
    for f in &listed {
        let text = String::from_utf8_lossy(&fs::read(a.join(f)).expect("read")).into_owned();
        for needle in [
            repo.path().display().to_string(),
            work.path().display().to_string(),
            "/tmp/".to_string(),
        ] {
            assert!(!text.contains(&needle), "{f} contains the path `{needle}`");
        }
        if host.len() >= 6 {
            assert!(!text.contains(host), "{f} contains the host name");
        }
        assert!(!text.contains(key_body), "{f} contains the private key");
    }
    // The archive holds the same files under one folder, with pinned headers.
    let mut archive = tar::Archive::new(fs::File::open(&ta).expect("open"));
    let mut names = Vec::new();
    for entry in archive.entries().expect("entries") {
        let entry = entry.expect("entry");
        let h = entry.header();
        assert_eq!((h.uid().expect("uid"), h.gid().expect("gid")), (0, 0));
        assert_eq!(
            h.mtime().expect("mtime"),
            1_795_165_200,
            "mtime is the commit time"
        );
        let name = entry.path().expect("path").display().to_string();
        if h.entry_type().is_file() {
            names.push(name.split_once('/').expect("top folder").1.to_string());
        }
    }
    names.sort();
    assert_eq!(names, listed);
}

#[test]
fn a_bundle_holds_the_committed_bytes_provenance_and_history() {
    let keys = Keys::new();
    let (repo, _work, bundle) = signed_bundle(&keys);
    // The working tree changes after the commit: the bundle must not see it.
    fs::write(repo.path().join(RECORD), "uncommitted: true\n").expect("write");
    let doc = "policies/processes/incident-management.yaml";
    assert_eq!(
        fs::read(bundle.join(doc)).expect("document"),
        fs::read(root().join(doc)).expect("original")
    );
    let scan = fs::read(bundle.join("attachments").join(SCAN)).expect("attachment");
    assert_eq!(scan.len(), 70_000);
    assert!(
        bundle
            .join("attachments/policies/records/attachments/internal-audit-2026.md")
            .is_file()
    );
    for f in [
        "results/results.json",
        "results/results.sarif",
        "results/junit.xml",
        "report/report.html",
        "report/conformity.md",
        "provenance/git.json",
        "history/changes.json",
        "pack.json",
        "VERIFY.txt",
        "attestation.intoto.jsonl",
        "SHA256SUMS",
        "SHA256SUMS.sig",
    ] {
        assert!(bundle.join(f).is_file(), "{f} is missing");
    }
    let read = |f: &str| -> Value {
        serde_json::from_slice(&fs::read(bundle.join(f)).expect(f)).expect(f)
    };
    let pack = read("pack.json");
    assert_eq!(
        pack["as_of"], "2026-11-20",
        "the as-of date is the commit date"
    );
    assert_eq!(pack["result"], "conforming");
    assert_eq!(pack["signature"]["namespace"], NS);
    let provenance = read("provenance/git.json");
    assert_eq!(provenance["author"]["email"], "auditee@acme.example");
    assert_eq!(provenance["committer"]["date"], "2026-11-20T10:00:00+01:00");
    assert_eq!(provenance["signed"], false);
    let packed_documents = files(&bundle.join("policies")).len();
    assert!(packed_documents > 80);
    assert_eq!(
        provenance["documents"].as_object().expect("map").len(),
        packed_documents
    );
    assert!(provenance["attachments"][SCAN].is_string());
    let history = read("history/changes.json");
    let changes = history["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["subject"], "reference set");
    assert!(
        changes[0]["paths"]
            .as_array()
            .expect("paths")
            .iter()
            .any(|p| p == SCAN)
    );
    let results = read("results/results.json");
    assert_eq!(results["as_of"], "2026-11-20");
    // The attestation states every payload file with its digest, documents with their blob.
    let line = fs::read_to_string(bundle.join("attestation.intoto.jsonl")).expect("read");
    let envelope: Value = serde_json::from_str(line.trim()).expect("envelope");
    assert_eq!(envelope["payloadType"], "application/vnd.in-toto+json");
    assert_eq!(envelope["signatures"].as_array().expect("sigs").len(), 1);
    let statement: Value = serde_json::from_slice(
        &B64.decode(envelope["payload"].as_str().expect("payload"))
            .expect("base64"),
    )
    .expect("statement");
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    let subjects = statement["subject"].as_array().expect("subjects");
    let manifest = fs::read_to_string(bundle.join("SHA256SUMS")).expect("manifest");
    assert_eq!(subjects.len() + 1, manifest.lines().count());
    let doc_subject = subjects
        .iter()
        .find(|s| s["name"] == doc)
        .expect("document subject");
    assert_eq!(provenance["documents_folder"], "policies");
    assert_eq!(
        doc_subject["digest"]["gitBlob"],
        provenance["documents"][doc]
    );
    let verify_txt = fs::read_to_string(bundle.join("VERIFY.txt")).expect("VERIFY.txt");
    assert!(verify_txt.contains(&format!("-n {NS} -s SHA256SUMS.sig < SHA256SUMS")));
    assert!(verify_txt.contains("policies/ holds the documents"));
    assert!(verify_txt.contains(&keys.signing("signer").fingerprint()));
}

#[test]
fn standard_tools_verify_a_fresh_bundle() {
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    if installed("sha256sum") {
        let out = Command::new("sha256sum")
            .args(["--strict", "-c", "SHA256SUMS"])
            .current_dir(&bundle)
            .output()
            .expect("sha256sum runs");
        assert!(out.status.success(), "{}", out_text(&out));
    }
    if installed("ssh-keygen") {
        let public = fs::read_to_string(keys.path("signer.pub")).expect("pub");
        let allowed = work.path().join("allowed_signers");
        fs::write(&allowed, format!("ci@acme.example {public}")).expect("write");
        // The command exactly as VERIFY.txt writes it (the identity is the key's comment).
        let text = fs::read_to_string(bundle.join("VERIFY.txt")).expect("VERIFY.txt");
        let command = text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("ssh-keygen -Y verify"))
            .expect("the ssh-keygen command")
            .replace(
                "-f ../allowed_signers",
                &format!("-f '{}'", allowed.display()),
            );
        let out = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(&bundle)
            .output()
            .expect("ssh-keygen runs");
        assert!(out.status.success(), "{}", out_text(&out));
        assert!(out_text(&out).contains("Good \"evident-pack-v1\" signature"));
    }
    // VERIFY.txt's completeness recipe (step 3), run as written, reports nothing on a fresh
    // bundle and names an added file.
    let text = fs::read_to_string(bundle.join("VERIFY.txt")).expect("VERIFY.txt");
    let recipe: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("find . ") || l.starts_with("{ cut -c67-"))
        .collect();
    assert_eq!(recipe.len(), 2, "{text}");
    let script = recipe.join("\n");
    let run = || {
        Command::new("sh")
            .args(["-c", &script])
            .current_dir(&bundle)
            .output()
            .expect("sh runs")
    };
    let out = run();
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}",
        out_text(&out)
    );
    fs::write(bundle.join("extra.txt"), "x").expect("write");
    let out = run();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "extra.txt",
        "{}",
        out_text(&out)
    );
}

#[test]
fn evident_accepts_a_signature_made_by_ssh_keygen() {
    if !installed("ssh-keygen") {
        return;
    }
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    let theirs = fresh_copy(&bundle, work.path(), "theirs");
    fs::remove_file(theirs.join("SHA256SUMS.sig")).expect("rm");
    let out = Command::new("ssh-keygen")
        .args([
            "-Y",
            "sign",
            "-f",
            &keys.path("signer"),
            "-n",
            NS,
            "SHA256SUMS",
        ])
        .current_dir(&theirs)
        .output()
        .expect("ssh-keygen runs");
    assert!(out.status.success(), "{}", out_text(&out));
    // Ed25519 is deterministic: ssh-keygen and Evident make the same bytes.
    assert_eq!(
        fs::read(theirs.join("SHA256SUMS.sig")).expect("theirs"),
        fs::read(bundle.join("SHA256SUMS.sig")).expect("ours")
    );
    let out = verify(&theirs, &keys, &[]);
    assert_eq!(code(&out), 0, "{}", out_text(&out));
}

#[test]
fn one_flipped_byte_in_any_file_is_caught_and_named() {
    let keys = Keys::new();
    let (_repo, _work, bundle) = signed_bundle(&keys);
    let all = files(&bundle);
    assert!(all.len() > 90);
    // Every file in turn, flipped in place and restored after.
    for f in &all {
        let path = bundle.join(f);
        let original = fs::read(&path).expect("read");
        let mut bytes = original.clone();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x01;
        fs::write(&path, bytes).expect("write");
        let out = verify(&bundle, &keys, &[]);
        fs::write(&path, original).expect("restore");
        let text = out_text(&out);
        assert_eq!(
            code(&out),
            1,
            "flipping a byte of {f} went unnoticed:\n{text}"
        );
        assert!(
            text.contains(f.as_str()),
            "the report does not name {f}:\n{text}"
        );
    }
    assert_eq!(code(&verify(&bundle, &keys, &[])), 0, "restored");
}

#[test]
fn verify_json_names_each_check_and_problem() {
    let keys = Keys::new();
    let (_repo, _work, bundle) = signed_bundle(&keys);
    fs::write(bundle.join("extra.txt"), "x").expect("write");
    let b = bundle.display().to_string();
    let public = keys.path("signer.pub");
    let out = evident(
        Path::new("."),
        &["verify", &b, "--public-key", &public, "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["valid"], false);
    let checks: Vec<(&str, &str)> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["check"].as_str().expect("name"),
                c["status"].as_str().expect("status"),
            )
        })
        .collect();
    assert_eq!(
        checks,
        [
            ("signature", "pass"),
            ("manifest", "pass"),
            ("files", "fail"),
            ("digests", "pass"),
            ("attestation", "pass"),
            ("repository", "skipped")
        ]
    );
    assert_eq!(report["checks"][2]["problems"][0]["file"], "extra.txt");
    assert_eq!(report["signer"], keys.signing("signer").fingerprint());
}

#[test]
fn tampering_with_the_files_is_named() {
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    let doc = "policies/catalog/online-banking.yaml";
    type Tamper = fn(&Path);
    let cases: [(&str, Tamper, &str); 6] = [
        (
            "appended",
            |b| {
                let p = b.join("pack.json");
                let mut t = fs::read(&p).expect("read");
                t.extend_from_slice(b" ");
                fs::write(p, t).expect("write");
            },
            "pack.json: has been modified",
        ),
        (
            "added",
            |b| fs::write(b.join("policies/extra.yaml"), "x: 1\n").expect("write"),
            "policies/extra.yaml: is not listed",
        ),
        (
            "removed",
            |b| fs::remove_file(b.join("VERIFY.txt")).expect("rm"),
            "VERIFY.txt: is listed in SHA256SUMS but missing",
        ),
        (
            "renamed",
            |b| fs::rename(b.join("results/junit.xml"), b.join("results/junit2.xml")).expect("mv"),
            "results/junit2.xml: is not listed",
        ),
        (
            "symlink",
            |b| std::os::unix::fs::symlink("/etc/passwd", b.join("history/passwd")).expect("ln"),
            "history/passwd: is a symbolic link",
        ),
        (
            "fifo",
            |b| {
                let ok = Command::new("mkfifo")
                    .arg(b.join("report.fifo"))
                    .status()
                    .expect("mkfifo")
                    .success();
                assert!(ok);
            },
            "report.fifo: is a special file",
        ),
    ];
    for (name, tamper, expected) in cases {
        let copy = fresh_copy(&bundle, work.path(), name);
        tamper(&copy);
        let out = verify(&copy, &keys, &[]);
        let text = out_text(&out);
        assert_eq!(code(&out), 1, "{name}: {text}");
        assert!(
            text.contains(expected),
            "{name}: expected `{expected}` in\n{text}"
        );
    }
    // A symbolic link replacing a listed document: named, and never followed.
    let copy = fresh_copy(&bundle, work.path(), "swapped");
    fs::remove_file(copy.join(doc)).expect("rm");
    std::os::unix::fs::symlink(bundle.join(doc), copy.join(doc)).expect("ln");
    let text = out_text(&verify(&copy, &keys, &[]));
    assert!(
        text.contains(&format!("{doc}: is a symbolic link")),
        "{text}"
    );
}

#[test]
fn signature_problems_are_named() {
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    let check = |copy: &Path, extra: &[&str], expected: &str| {
        let out = verify(copy, &keys, extra);
        let text = out_text(&out);
        assert_eq!(code(&out), 1, "{expected}: {text}");
        assert!(text.contains(expected), "expected `{expected}` in\n{text}");
    };
    let removed = fresh_copy(&bundle, work.path(), "removed");
    fs::remove_file(removed.join("SHA256SUMS.sig")).expect("rm");
    check(&removed, &[], "SHA256SUMS.sig: is missing");
    let truncated = fresh_copy(&bundle, work.path(), "truncated");
    let sig = fs::read(truncated.join("SHA256SUMS.sig")).expect("read");
    fs::write(truncated.join("SHA256SUMS.sig"), &sig[..sig.len() / 2]).expect("write");
    check(&truncated, &[], "SHA256SUMS.sig: not an SSH signature");
    let other = fresh_copy(&bundle, work.path(), "other");
    let manifest = fs::read(other.join("SHA256SUMS")).expect("read");
    let sig = keys
        .signing("other")
        .sign_sshsig(NS, &manifest)
        .expect("sign");
    fs::write(other.join("SHA256SUMS.sig"), sig).expect("write");
    check(&other, &[], "is not the key given");
    check(&bundle, &["--namespace", "other-ns"], "expected `other-ns`");

    // allowed_signers: right identity passes; a wrong one, or a namespace restriction, fails.
    let public = fs::read_to_string(keys.path("signer.pub")).expect("pub");
    let allowed = work.path().join("allowed_signers");
    fs::write(
        &allowed,
        format!("ci@acme.example namespaces=\"{NS}\" {public}"),
    )
    .expect("write");
    let run = |id: &str| {
        let b = bundle.display().to_string();
        let a = allowed.display().to_string();
        evident(
            Path::new("."),
            &["verify", &b, "--allowed-signers", &a, "--identity", id],
        )
    };
    let out = run("ci@acme.example");
    assert_eq!(code(&out), 0, "{}", out_text(&out));
    let out = run("mallory@acme.example");
    assert_eq!(code(&out), 1);
    assert!(out_text(&out).contains("not allowed for identity `mallory@acme.example`"));
}

#[test]
fn a_signed_but_malformed_manifest_is_refused_line_by_line() {
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    let zero = "0".repeat(64);
    let cases = [
        (
            "dotdot",
            format!("{zero}  ../outside\n"),
            "leaves the bundle",
        ),
        ("absolute", format!("{zero}  /etc/passwd\n"), "is absolute"),
        ("backslash", format!("{zero}  a\\b\n"), "backslash"),
        (
            "garbage",
            "this is not a manifest line\n".to_string(),
            "malformed line",
        ),
    ];
    for (name, line, expected) in cases {
        let copy = fresh_copy(&bundle, work.path(), name);
        resign(&copy, &keys, |m| format!("{line}{m}"));
        let out = verify(&copy, &keys, &[]);
        let text = out_text(&out);
        assert_eq!(code(&out), 1, "{name}: {text}");
        assert!(
            text.contains("SHA256SUMS: line 1:") && text.contains(expected),
            "{name}: {text}"
        );
        assert!(
            text.contains("ok   signature"),
            "{name}: the signature itself is good:\n{text}"
        );
    }
    let copy = fresh_copy(&bundle, work.path(), "duplicate");
    resign(&copy, &keys, |m| {
        let first = m.lines().next().expect("line").to_string();
        format!("{first}\n{m}")
    });
    let text = out_text(&verify(&copy, &keys, &[]));
    assert!(text.contains("is listed twice"), "{text}");
}

/// Replaces the payload of `bundle`'s attestation with what `edit` makes of it (the envelope
/// keeps its now wrong signature), then re-signs the manifest with the attestation's new digest.
fn replace_payload(bundle: &Path, keys: &Keys, edit: impl FnOnce(&[u8]) -> Vec<u8>) {
    let file = bundle.join("attestation.intoto.jsonl");
    let mut envelope: Value =
        serde_json::from_slice(&fs::read(&file).expect("read")).expect("json");
    let payload = B64
        .decode(envelope["payload"].as_str().expect("payload"))
        .expect("b64");
    envelope["payload"] = B64.encode(edit(&payload)).into();
    fs::write(&file, format!("{envelope}\n")).expect("write");
    resign(bundle, keys, |m| {
        rehash(m, bundle, "attestation.intoto.jsonl")
    });
}

#[test]
fn attestation_subjects_must_equal_the_manifest() {
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    let copy = fresh_copy(&bundle, work.path(), "attest");
    let mut dropped = Value::Null;
    replace_payload(&copy, &keys, |payload| {
        let mut statement: Value = serde_json::from_slice(payload).expect("statement");
        dropped = statement["subject"]
            .as_array_mut()
            .expect("subjects")
            .remove(0);
        serde_json::to_vec(&statement).expect("json")
    });
    let out = verify(&copy, &keys, &[]);
    let text = out_text(&out);
    assert_eq!(code(&out), 1, "{text}");
    let name = dropped["name"].as_str().expect("name");
    assert!(
        text.contains(&format!("has no subject for `{name}`")),
        "{text}"
    );
    assert!(text.contains("no valid DSSE signature"), "{text}");
}

#[test]
fn an_attestation_whose_payload_is_not_a_statement_is_a_failed_check() {
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    let copy = fresh_copy(&bundle, work.path(), "not-a-statement");
    replace_payload(&copy, &keys, |_| br#"{"subject": "none"}"#.to_vec());
    let out = verify(&copy, &keys, &[]);
    let text = out_text(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains("the payload is not an in-toto Statement"),
        "{text}"
    );
    // The manifest, re-signed, still holds: only the attestation fails.
    assert!(text.contains("ok   signature"), "{text}");
    assert!(text.contains("FAIL attestation"), "{text}");
}

#[test]
fn with_repo_documents_must_equal_their_blobs_and_the_commit_must_exist() {
    let keys = Keys::new();
    let (repo, work, bundle) = signed_bundle(&keys);
    let repo_s = repo.path().display().to_string();
    let out = verify(&bundle, &keys, &["--repo", &repo_s]);
    assert_eq!(code(&out), 0, "{}", out_text(&out));
    assert!(out_text(&out).contains("ok   repository"));

    // An insider with the key edits a document and signs again: only --repo can tell.
    let copy = fresh_copy(&bundle, work.path(), "edited");
    let doc = "policies/roles/change-manager.yaml";
    let mut text = fs::read_to_string(copy.join(doc)).unwrap_or_else(|_| {
        panic!(
            "{doc} exists: {:?}",
            files(&copy)
                .iter()
                .filter(|f| f.contains("roles"))
                .collect::<Vec<_>>()
        )
    });
    text.push_str("# edited after the commit\n");
    fs::write(copy.join(doc), text).expect("write");
    resign(&copy, &keys, |m| rehash(m, &copy, doc));

    let out = verify(&copy, &keys, &["--repo", &repo_s]);
    let text = out_text(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(text.contains(&format!("{doc}: differs from")), "{text}");

    let stranger = tempfile::tempdir().expect("temp dir");
    git(stranger.path(), &["init", "-q"]);
    let out = verify(
        &bundle,
        &keys,
        &["--repo", &stranger.path().display().to_string()],
    );
    let text = out_text(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(text.contains("is not in"), "{text}");
}

#[test]
fn unsigned_bundles_need_allow_unsigned() {
    let keys = Keys::new();
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = work.path().join("unsigned");
    let b = bundle.display().to_string();
    let out = evident(repo.path(), &["pack", "--out", &b]);
    assert_eq!(code(&out), 0, "{}", out_text(&out));
    assert!(!bundle.join("SHA256SUMS.sig").exists());
    let out = evident(Path::new("."), &["verify", &b]);
    assert_eq!(
        code(&out),
        2,
        "no key and no --allow-unsigned is a usage error"
    );
    assert!(out_text(&out).contains("--allow-unsigned"));
    let out = verify(&bundle, &keys, &[]);
    assert_eq!(code(&out), 1);
    assert!(out_text(&out).contains("SHA256SUMS.sig: is missing"));
    let out = evident(Path::new("."), &["verify", &b, "--allow-unsigned"]);
    assert_eq!(code(&out), 0, "{}", out_text(&out));
    assert!(out_text(&out).contains("NOT signed"));
}

#[test]
fn pack_never_overwrites_and_leaves_nothing_behind_on_failure() {
    let keys = Keys::new();
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    let taken = work.path().join("taken");
    fs::create_dir_all(&taken).expect("mkdir");
    fs::write(taken.join("keep.txt"), "mine").expect("write");
    let t = taken.display().to_string();
    let out = evident(repo.path(), &["pack", "--out", &t]);
    assert_eq!(code(&out), 2);
    assert!(
        out_text(&out).contains("not an empty folder"),
        "{}",
        out_text(&out)
    );
    assert_eq!(files(&taken), ["keep.txt"]);

    let target = work.path().join("never").display().to_string();
    let out = evident(
        repo.path(),
        &["pack", "--out", &target, "--rev", "no-such-rev"],
    );
    assert_eq!(code(&out), 2);
    assert!(out_text(&out).contains("unknown revision `no-such-rev`"));
    let key = keys.path("rsa");
    let out = evident(repo.path(), &["pack", "--out", &target, "--sign", &key]);
    assert_eq!(code(&out), 2);
    assert!(out_text(&out).contains("Ed25519"), "{}", out_text(&out));
    assert_eq!(
        files(work.path()),
        ["taken/keep.txt"],
        "nothing half-written is left"
    );

    // An empty folder may be filled.
    let empty = work.path().join("empty");
    fs::create_dir_all(&empty).expect("mkdir");
    pack(repo.path(), &empty, &keys, &[]);
    assert!(empty.join("SHA256SUMS").is_file());
}

#[test]
fn keys_from_the_environment_with_passphrases_and_loose_permissions() {
    let keys = Keys::new();
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    let run = |name: &str, key: &str, env: &[(&str, &str)]| {
        let out = work.path().join(name).display().to_string();
        Command::new(env!("CARGO_BIN_EXE_evident"))
            .args(["pack", "--out", &out, "--sign", key])
            .current_dir(repo.path())
            .env_remove("EVIDENT_KEY_PASSPHRASE")
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("evident runs")
    };
    let protected = keys.path("protected");
    let out = run(
        "p1",
        &protected,
        &[("EVIDENT_KEY_PASSPHRASE", "correct horse")],
    );
    assert_eq!(code(&out), 0, "{}", out_text(&out));
    let out = run("p2", &protected, &[("EVIDENT_KEY_PASSPHRASE", "wrong")]);
    assert_eq!(code(&out), 2);
    assert!(out_text(&out).contains("wrong passphrase"));
    let out = run("p3", &protected, &[]);
    assert_eq!(code(&out), 2);
    assert!(out_text(&out).contains("EVIDENT_KEY_PASSPHRASE"));

    let text = fs::read_to_string(keys.path("signer")).expect("key");
    let out = run("e1", "env:TEST_SIGNING_KEY", &[("TEST_SIGNING_KEY", &text)]);
    assert_eq!(code(&out), 0, "{}", out_text(&out));
    let out = run("f1", &keys.path("signer"), &[]);
    assert_eq!(code(&out), 0, "{}", out_text(&out));
    assert!(!out_text(&out).contains("warning"), "{}", out_text(&out));
    assert_eq!(
        fs::read(work.path().join("e1/SHA256SUMS.sig")).expect("sig"),
        fs::read(work.path().join("f1/SHA256SUMS.sig")).expect("sig"),
        "the same key signs the same way from a file or the environment"
    );
    let out = run("e2", "env:NO_SUCH_VARIABLE", &[]);
    assert_eq!(code(&out), 2);
    assert!(out_text(&out).contains("`NO_SUCH_VARIABLE` is not set"));

    set_mode(Path::new(&keys.path("signer")), 0o644);
    let out = run("f2", &keys.path("signer"), &[]);
    assert_eq!(code(&out), 0);
    assert!(out_text(&out).contains("chmod 600"), "{}", out_text(&out));
}

#[test]
fn an_attachment_missing_from_the_commit_is_reported() {
    let keys = Keys::new();
    let repo = reference_repo();
    let record = repo.path().join(RECORD);
    let text = fs::read_to_string(&record).expect("read");
    fs::write(
        &record,
                text.replacen(
            &format!("    - {SCAN}\n"),
            &format!(
                "    - {SCAN}\n    - policies/records/attachments/lost.pdf\n    - policies/records/attachments/latest.md\n"
            ),
            1,
        ),
    )
    .expect("write");
    // An attachment that is a symbolic link inside the repository is packed as its target.
    std::os::unix::fs::symlink(
        "internal-audit-2026.md",
        repo.path().join("policies/records/attachments/latest.md"),
    )
    .expect("ln");
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "name a lost attachment"]);
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = work.path().join("b");
    let out = pack(repo.path(), &bundle, &keys, &[]);
    assert!(out_text(&out).contains("attachment `policies/records/attachments/lost.pdf`"));
    let pack: Value =
        serde_json::from_slice(&fs::read(bundle.join("pack.json")).expect("read")).expect("json");
    assert_eq!(
        pack["missing_attachments"][0]["path"],
        "policies/records/attachments/lost.pdf"
    );
    assert_eq!(pack["missing_attachments"][0]["named_by"], RECORD);
    let history: Value =
        serde_json::from_slice(&fs::read(bundle.join("history/changes.json")).expect("read"))
            .expect("json");
    assert_eq!(history["changes"][0]["subject"], "name a lost attachment");
    assert_eq!(
        history["changes"][0]["paths"],
        serde_json::json!(["policies/records/attachments/latest.md", RECORD])
    );
    let attached = bundle.join("attachments/policies/records/attachments");
    assert_eq!(
        fs::read(attached.join("latest.md")).expect("link target"),
        fs::read(attached.join("internal-audit-2026.md")).expect("target")
    );
    let out = verify(
        &bundle,
        &keys,
        &["--repo", &repo.path().display().to_string()],
    );
    assert_eq!(code(&out), 0, "{}", out_text(&out));
}

#[test]
fn a_signed_commit_is_recorded_and_impossible_requests_are_refused() {
    let keys = Keys::new();
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    if installed("ssh-keygen") {
        let signing_key = format!("user.signingkey={}", keys.path("signer"));
        git(
            repo.path(),
            &[
                "-c",
                "gpg.format=ssh",
                "-c",
                &signing_key,
                "commit",
                "--allow-empty",
                "-S",
                "-qm",
                "signed",
            ],
        );
        let bundle = work.path().join("signed");
        pack(repo.path(), &bundle, &keys, &[]);
        let provenance: Value =
            serde_json::from_slice(&fs::read(bundle.join("provenance/git.json")).expect("read"))
                .expect("json");
        assert_eq!(provenance["signed"], true);
        assert_eq!(provenance["subject"], "signed");
    }
    let target = work.path().join("late").display().to_string();
    let out = evident(
        repo.path(),
        &["pack", "--out", &target, "--since", "2027-01-01"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        out_text(&out).contains("is after the as-of date 2026-11-20"),
        "{}",
        out_text(&out)
    );
    let tar = work.path().join("taken.tar");
    fs::write(&tar, "mine").expect("write");
    let tar = tar.display().to_string();
    let out = evident(repo.path(), &["pack", "--out", &target, "--tar", &tar]);
    assert_eq!(code(&out), 2);
    assert!(
        out_text(&out).contains("never overwrites an archive"),
        "{}",
        out_text(&out)
    );
    assert!(!Path::new(&target).exists());
}

/// Rebuilds the archive `from` into `to` with `extra` entries appended: (raw name, entry
/// type, data).
fn rebuild_tar(from: &Path, to: &Path, extra: &[(&[u8], tar::EntryType, &[u8])]) {
    let mut archive = tar::Archive::new(fs::File::open(from).expect("open"));
    let mut builder = tar::Builder::new(fs::File::create(to).expect("create"));
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let mut header = entry.header().clone();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).expect("read");
        let path = entry.path().expect("path").into_owned();
        builder
            .append_data(&mut header, path, data.as_slice())
            .expect("append");
    }
    for (name, kind, data) in extra {
        let mut header = tar::Header::new_gnu();
        // Written raw: `append_data` would refuse `..`, which is the point here.
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_entry_type(*kind);
        header.set_mode(0o644);
        header.set_size(data.len() as u64);
        if *kind == tar::EntryType::Symlink {
            header.set_link_name("/etc/passwd").expect("link");
        }
        header.set_cksum();
        builder.append(&header, *data).expect("append");
    }
    builder.finish().expect("finish");
}

#[test]
fn an_archive_is_verified_as_a_stream_and_never_extracted() {
    let keys = Keys::new();
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = work.path().join("b");
    let tar = work.path().join("b.tar");
    pack(
        repo.path(),
        &bundle,
        &keys,
        &["--tar", &tar.display().to_string()],
    );
    let out = verify(&tar, &keys, &["--repo", &repo.path().display().to_string()]);
    assert_eq!(code(&out), 0, "{}", out_text(&out));

    // One flipped byte inside a document's data.
    let mut bytes = fs::read(&tar).expect("read");
    let needle = b"id: change-enablement";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("document in archive");
    bytes[at + 4] ^= 0x01;
    let flipped = work.path().join("flipped.tar");
    fs::write(&flipped, bytes).expect("write");
    let out = verify(&flipped, &keys, &[]);
    let text = out_text(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains("policies/processes/change-enablement.yaml: has been modified"),
        "{text}"
    );

    let mut first = tar::Archive::new(fs::File::open(&tar).expect("open"));
    let top = first
        .entries()
        .expect("entries")
        .next()
        .expect("an entry")
        .expect("entry")
        .path()
        .expect("path")
        .display()
        .to_string();
    let top = top.trim_end_matches('/').to_string();
    let cases: Vec<(Vec<u8>, tar::EntryType, &str)> = vec![
        (
            format!("{top}/../escape").into_bytes(),
            tar::EntryType::Regular,
            "leaves the bundle",
        ),
        (
            b"/etc/cron.d/evil".to_vec(),
            tar::EntryType::Regular,
            "is absolute",
        ),
        (
            b"elsewhere/file".to_vec(),
            tar::EntryType::Regular,
            "is outside the bundle folder",
        ),
        (
            format!("{top}/results/link").into_bytes(),
            tar::EntryType::Symlink,
            "results/link: is a symbolic link",
        ),
        (
            format!("{top}/results/fifo").into_bytes(),
            tar::EntryType::Fifo,
            "results/fifo: is a special file",
        ),
        (
            format!("{top}/pack.json").into_bytes(),
            tar::EntryType::Regular,
            "pack.json: appears twice",
        ),
    ];
    for (i, (name, kind, expected)) in cases.iter().enumerate() {
        let crafted = work.path().join(format!("crafted{i}.tar"));
        rebuild_tar(&tar, &crafted, &[(name.as_slice(), *kind, b"{}")]);
        let out = verify(&crafted, &keys, &[]);
        let text = out_text(&out);
        assert_eq!(code(&out), 1, "{expected}: {text}");
        assert!(text.contains(expected), "expected `{expected}` in\n{text}");
    }
    // Nothing was written beside the archives.
    let mut left: Vec<String> = fs::read_dir(work.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert!(
        left.iter().all(|n| n == "b" || n.ends_with(".tar")),
        "{left:?}"
    );
    assert!(!Path::new("/etc/cron.d/evil").exists());
}

#[test]
fn uncommitted_document_changes_are_pointed_out_and_left_out() {
    let keys = Keys::new();
    let repo = reference_repo();
    let doc = "policies/processes/incident-management.yaml";
    let mut text = fs::read_to_string(repo.path().join(doc)).expect("read");
    text.push_str("# not committed\n");
    fs::write(repo.path().join(doc), &text).expect("write");
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = work.path().join("b");
    let out = pack(repo.path(), &bundle, &keys, &[]);
    assert!(
        out_text(&out).contains("1 file under the documents folders differs from HEAD"),
        "{}",
        out_text(&out)
    );
    let packed = fs::read_to_string(bundle.join(doc)).expect("read");
    assert!(!packed.contains("not committed"));
}

#[test]
fn a_nonconforming_commit_packs_to_the_same_bytes_twice() {
    let keys = Keys::new();
    let repo = tempfile::tempdir().expect("temp dir");
    git(repo.path(), &["init", "-q", "-b", "main"]);
    copy_tree(&root().join("examples/acme-nonconforming"), repo.path());
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "acme"]);
    let work = tempfile::tempdir().expect("temp dir");
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    // A date late enough that many time-dependent controls fire, with their details.
    pack(repo.path(), &a, &keys, &["--as-of", "2031-06-30"]);
    pack(repo.path(), &b, &keys, &["--as-of", "2031-06-30"]);
    let results: Value =
        serde_json::from_slice(&fs::read(a.join("results/results.json")).expect("read"))
            .expect("json");
    assert!(results["findings"].as_array().expect("findings").len() > 22);
    for f in files(&a) {
        assert_eq!(
            fs::read(a.join(&f)).expect("read"),
            fs::read(b.join(&f)).expect("read"),
            "{f} differs"
        );
    }
}

#[test]
fn every_spelling_of_the_documents_folder_gives_the_same_bundle_and_check() {
    let keys = Keys::new();
    let work = tempfile::tempdir().expect("temp dir");
    let mut sums = Vec::new();
    let mut checks = Vec::new();
    for (i, spelling) in ["policies", "policies/", "./policies"].iter().enumerate() {
        let repo = reference_repo();
        fs::write(
            repo.path().join("evident.yaml"),
            format!("apiVersion: evident/v1\nkind: Config\ndocuments: [{spelling}]\n"),
        )
        .expect("write");
        git(repo.path(), &["add", "-A"]);
        git(repo.path(), &["commit", "-qm", "config"]);
        let bundle = work.path().join(format!("bundle-{i}"));
        let out = pack(repo.path(), &bundle, &keys, &[]);
        let text = out_text(&out);
        assert!(!text.contains("symbolic link"), "{spelling}: {text}");
        // The commit differs (so do the files that name it, such as the OSCAL results, whose
        // UUIDs derive from it); the documents, attachments and other results must not.
        let listed = fs::read_to_string(bundle.join("SHA256SUMS")).expect("sums");
        let payload: Vec<String> = listed
            .lines()
            .filter(|l| {
                let path = &l[66..];
                ["policies/", "attachments/", "results/"]
                    .iter()
                    .any(|p| path.starts_with(p))
                    && path != "results/results.oscal.json"
            })
            .map(str::to_string)
            .collect();
        let paths: Vec<String> = listed.lines().map(|l| l[66..].to_string()).collect();
        sums.push((paths, payload));
        assert!(
            bundle
                .join("policies/processes/change-enablement.yaml")
                .is_file(),
            "{spelling}: {:?}",
            files(&bundle)
        );
        assert!(!bundle.join("policies/policies").exists());
        let history = fs::read_to_string(bundle.join("history/changes.json")).expect("history");
        assert!(
            history.contains("policies/processes/"),
            "{spelling}: {history}"
        );
        let verified = verify(
            &bundle,
            &keys,
            &["--repo", &repo.path().display().to_string()],
        );
        assert_eq!(code(&verified), 0, "{}", out_text(&verified));
        for args in [vec![], vec!["--rev", "HEAD"]] {
            let (_, report) = super::check_json(repo.path(), &args);
            checks.push(report);
        }
        let gate = evident(
            repo.path(),
            &[
                "gate",
                "--base",
                "HEAD",
                "--format",
                "json",
                "--as-of",
                super::AS_OF,
            ],
        );
        checks
            .push(serde_json::from_slice::<Value>(&gate.stdout).expect("json")["findings"].clone());
    }
    assert_eq!(sums[0], sums[1]);
    assert_eq!(sums[0], sums[2]);
    for i in [0, 1, 3, 4, 6, 7] {
        assert_eq!(checks[i], checks[0], "check {i}");
    }
    assert_eq!(checks[2], checks[5]);
    assert_eq!(checks[2], checks[8]);
}

#[test]
fn the_library_never_calls_a_bundle_valid_without_trust_unless_told() {
    use evident::evidence::verify::{VerifyOptions, verify as verify_lib};
    let keys = Keys::new();
    let (_repo, _work, bundle) = signed_bundle(&keys);
    let options = |allow_unsigned| VerifyOptions {
        trust: None,
        namespace: NS,
        allow_unsigned,
        repo: None,
        now: jiff::Timestamp::now(),
    };
    let strict = verify_lib(&bundle, &options(false)).expect("verifies");
    assert!(!strict.valid, "{strict:#?}");
    let (check, problem) = strict.problems().next().expect("a problem");
    assert_eq!(check, "signature");
    assert_eq!(problem.file, "SHA256SUMS.sig");
    assert!(problem.message.contains("no trusted key"), "{problem:?}");
    let lenient = verify_lib(&bundle, &options(true)).expect("verifies");
    assert!(lenient.valid, "integrity only, when told: {lenient:#?}");
}

#[test]
fn a_folder_in_place_of_a_listed_file_is_a_named_failure() {
    let keys = Keys::new();
    let repo = reference_repo();
    let work = tempfile::tempdir().expect("temp dir");
    let bundle = work.path().join("b");
    let tar = work.path().join("b.tar");
    pack(
        repo.path(),
        &bundle,
        &keys,
        &["--tar", &tar.display().to_string()],
    );
    let doc = "policies/sms-policy.yaml";

    // In a bundle folder: the file replaced by an empty folder.
    fs::remove_file(bundle.join(doc)).expect("remove");
    fs::create_dir(bundle.join(doc)).expect("mkdir");
    let out = verify(&bundle, &keys, &[]);
    let text = out_text(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains(&format!("{doc}: is a folder where SHA256SUMS lists a file")),
        "{text}"
    );

    // In an archive: a directory entry in place of the file's entry.
    let mut archive = tar::Archive::new(fs::File::open(&tar).expect("open"));
    let swapped = work.path().join("swapped.tar");
    let mut builder = tar::Builder::new(fs::File::create(&swapped).expect("create"));
    let mut replaced = false;
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let path = entry.path().expect("path").into_owned();
        let mut header = entry.header().clone();
        if path.to_string_lossy().ends_with(doc) {
            let mut dir = tar::Header::new_gnu();
            dir.set_entry_type(tar::EntryType::Directory);
            dir.set_mode(0o755);
            dir.set_size(0);
            builder
                .append_data(&mut dir, format!("{}/", path.display()), std::io::empty())
                .expect("append dir");
            replaced = true;
            continue;
        }
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).expect("read");
        builder
            .append_data(&mut header, path, data.as_slice())
            .expect("append");
    }
    builder.finish().expect("finish");
    drop(builder);
    assert!(replaced);
    let out = verify(&swapped, &keys, &[]);
    let text = out_text(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains(&format!("{doc}: is a folder where SHA256SUMS lists a file")),
        "{text}"
    );
}

#[test]
fn verify_txt_works_when_run_literally_from_inside_the_bundle() {
    if !installed("ssh-keygen") || !installed("sha256sum") || !installed("bash") {
        return;
    }
    let keys = Keys::new();
    let (_repo, work, bundle) = signed_bundle(&keys);
    let text = fs::read_to_string(bundle.join("VERIFY.txt")).expect("VERIFY.txt");
    // Where VERIFY.txt says the trust file goes: next to the bundle, never inside it.
    assert!(text.contains("-f ../allowed_signers"), "{text}");
    let identity = keys
        .signing("signer")
        .identity()
        .expect("the key has a comment");
    let public = fs::read_to_string(keys.path("signer.pub")).expect("pub");
    let key = public
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    fs::write(
        work.path().join("allowed_signers"),
        format!("{identity} {key}\n"),
    )
    .expect("write");
    // Every command line of VERIFY.txt, exactly as written, `evident` from this build.
    let commands: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            [
                "ssh-keygen ",
                "sha256sum ",
                "find . ",
                "{ cut ",
                "evident verify ",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
        .collect();
    assert_eq!(commands.len(), 5, "{text}");
    let bin = Path::new(env!("CARGO_BIN_EXE_evident"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in commands {
        let out = Command::new("bash")
            .args(["-c", &format!("set -o pipefail; {command}")])
            .current_dir(&bundle)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("bash runs");
        assert!(out.status.success(), "`{command}`: {}", out_text(&out));
        if command.starts_with("find") || command.starts_with("{ cut") {
            assert!(
                out.stdout.is_empty(),
                "`{command}` reports: {}",
                out_text(&out)
            );
        }
    }
    assert!(!bundle.join("allowed_signers").exists());
}

/// The bundle's report shows what the bundle proves: the signing key, the commit and its
/// signature state, the changes of the period, the attachments with the digests the manifest
/// gives them, every document's git blob, and the verify commands.
#[test]
fn the_bundle_report_shows_the_signer_history_attachments_blobs_and_commands() {
    let keys = Keys::new();
    let (_repo, _work, bundle) = signed_bundle(&keys);
    let html = fs::read_to_string(bundle.join("report/report.html")).expect("report");
    let text = html
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    assert!(html.contains(r#"<h2 id="bundle">This evidence bundle</h2>"#));
    assert!(text.contains(&keys.signing("signer").fingerprint()));
    assert!(text.contains("not signed"), "the commit's signature state");
    assert!(text.contains("Changes in the audit period (1)"));
    assert!(text.contains("reference set"));
    let manifest = fs::read_to_string(bundle.join("SHA256SUMS")).expect("manifest");
    let scan = manifest
        .lines()
        .find(|l| l.ends_with(&format!("attachments/{SCAN}")))
        .expect("the attachment in the manifest");
    assert!(text.contains(&scan[..64]), "the attachment's SHA-256");
    let provenance: Value =
        serde_json::from_slice(&fs::read(bundle.join("provenance/git.json")).expect("read"))
            .expect("json");
    for (path, blob) in provenance["documents"].as_object().expect("map") {
        let blob = &blob.as_str().expect("blob")[..12];
        assert!(
            text.contains(&format!(r#"<td class="mono">{blob}</td>"#)),
            "{path}: blob {blob} is not in the register"
        );
    }
    let verify_txt = fs::read_to_string(bundle.join("VERIFY.txt")).expect("VERIFY.txt");
    assert!(text.contains(verify_txt.trim_end()), "the verify commands");
}
