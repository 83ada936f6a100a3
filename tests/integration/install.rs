//! What a user installs and runs beside the binary: shell completions, man pages, the package
//! manifest, the GitHub Action, the container image and the CI examples.
//!
//! Tests that need an outside tool (bash, man, check-jsonschema, docker) print a line starting
//! with `SKIPPED:` when it is absent. Under `CI=true` a missing `check-jsonschema` fails instead
//! (`.ci/run` installs it); a container engine is never guaranteed, so the image build skips.

use std::process::Command;

use super::{code, evident, root};

/// Whether `tool args` runs; prints why the caller skips when it does not.
fn have(tool: &str, args: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!("SKIPPED: `{tool}` is not available");
    }
    ok
}

const SUBCOMMANDS: [&str; 11] = [
    "check",
    "gate",
    "pack",
    "verify",
    "explain",
    "controls",
    "coverage",
    "init",
    "schema",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = evident(&root(), &["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks `{sub}`");
        }
        assert!(script.contains("fail-on"), "{shell} completion lacks flags");
    }
    let out = evident(&root(), &["completions", "tcsh"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn bash_completion_parses() {
    if !have("bash", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("evident.bash");
    let out = evident(&root(), &["completions", "bash"]);
    std::fs::write(&file, &out.stdout).expect("write");
    let check = Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .expect("bash runs");
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn man_pages_render() {
    let out = evident(&root(), &["man"]);
    assert_eq!(code(&out), 0);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH evident 1"), "{page}");
    assert!(page.contains("completions") && page.contains("gate"));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = evident(dir.path(), &["man", "--out", "man1"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    for sub in SUBCOMMANDS {
        let path = dir.path().join(format!("man1/evident-{sub}.1"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path:?}"));
        assert!(text.contains(&format!(".TH evident-{sub} 1")), "{path:?}");
    }
    if !have("man", &["--version"]) {
        return;
    }
    let page = dir.path().join("man1/evident-check.1");
    let rendered = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .expect("man runs");
    assert!(rendered.status.success(), "{rendered:?}");
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(text.contains("--fail-on"), "{text}");
}
