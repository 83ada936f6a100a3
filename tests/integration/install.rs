//! What a user installs and runs beside the binary: shell completions, man pages, the package
//! manifest, the GitHub Action, the container image and the CI examples.
//!
//! Tests that need an outside tool (bash, man, check-jsonschema, docker) print a line starting
//! with `SKIPPED:` when it is absent. Under `CI=true` a missing `check-jsonschema` fails instead
//! (`.ci/run` installs it); a container engine is never guaranteed, so the image build skips.

use std::process::Command;

use serde_json::Value;

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

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
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

/// Whether `path` (relative to the project root) exists; used by the tests below.
fn project_file(path: &str) -> std::path::PathBuf {
    let p = root().join(path);
    assert!(p.is_file(), "`{path}` is missing");
    p
}

#[test]
fn install_instructions_name_the_published_package_and_lock() {
    let manifest = std::fs::read_to_string(project_file("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"evident-itsm\""));
    project_file("LICENSE");
    let mut files = vec![
        "README.md".to_string(),
        ".pre-commit-hooks.yaml".to_string(),
        "templates/init/evident-workflow.yml".to_string(),
    ];
    for entry in std::fs::read_dir(root().join("examples/ci")).expect("examples/ci") {
        files.push(format!(
            "examples/ci/{}",
            entry.expect("entry").file_name().to_string_lossy()
        ));
    }
    for file in &files {
        let text = std::fs::read_to_string(root().join(file)).expect("readable");
        for (n, line) in text.lines().enumerate() {
            if let Some(at) = line.find("cargo install") {
                let rest = &line[at..];
                assert!(
                    rest.contains("--locked"),
                    "{file}:{}: `cargo install` without `--locked`",
                    n + 1
                );
                assert!(
                    rest.contains("evident-itsm") || rest.contains("--path"),
                    "{file}:{}: installs a package other than `evident-itsm`",
                    n + 1
                );
            }
        }
    }
}

/// A YAML file of the project as a JSON value (read with Evident's own loader).
fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(project_file(path)).expect("readable");
    let parsed = evident::load::yaml::parse(&text);
    assert!(parsed.error.is_none(), "{path}: {:?}", parsed.error);
    parsed
        .documents
        .into_iter()
        .next()
        .map(|d| d.value.to_json())
        .unwrap_or_else(|| panic!("{path} is empty"))
}

/// GitHub's metadata rules for a composite action
/// (https://docs.github.com/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions),
/// and that every `inputs.X` and `steps.X` the action names exists.
#[test]
fn action_metadata_follows_the_rules() {
    let action = yaml("action.yml");
    for key in ["name", "description"] {
        assert!(
            action[key].as_str().is_some_and(|s| !s.is_empty()),
            "`{key}` is required"
        );
    }
    let inputs = action["inputs"].as_object().expect("inputs");
    for (name, input) in inputs {
        assert!(
            input["description"].as_str().is_some_and(|s| !s.is_empty()),
            "input `{name}` needs a description"
        );
        if let Some(default) = input.get("default") {
            assert!(default.is_string(), "input `{name}`: defaults are strings");
        }
    }
    for name in [
        "command", "path", "base", "format", "outputs", "fail-on", "args", "version",
    ] {
        assert!(inputs.contains_key(name), "input `{name}` is missing");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let mut ids = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let has_run = step.get("run").is_some();
        let has_uses = step.get("uses").is_some();
        assert!(
            has_run != has_uses,
            "step {i}: exactly one of `run` and `uses`"
        );
        if has_run {
            assert!(
                step["shell"].as_str().is_some(),
                "step {i}: `run` needs `shell` in a composite action"
            );
        }
        if let Some(id) = step["id"].as_str() {
            ids.push(id.to_string());
        }
    }
    // The expressions of the action itself, not of the usage example in its comments.
    let text: String = std::fs::read_to_string(project_file("action.yml"))
        .expect("readable")
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    for (prefix, known) in [
        ("inputs.", inputs.keys().cloned().collect::<Vec<_>>()),
        ("steps.", ids),
    ] {
        for (at, _) in text.match_indices(&format!("${{{{ {prefix}")) {
            let name: String = text[at + 4 + prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(
                known.contains(&name),
                "action.yml names unknown `{prefix}{name}`"
            );
        }
    }
    for (name, output) in action["outputs"].as_object().expect("outputs") {
        assert!(output["description"].is_string(), "output `{name}`");
        assert!(
            output["value"].is_string(),
            "output `{name}` needs a `value`"
        );
    }
}

/// Runs `check-jsonschema --builtin-schema NAME FILES`; skips when the tool is absent, except
/// under `CI=true`.
fn check_jsonschema(schema: &str, files: &[&str]) {
    if !Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(
            !under_ci(),
            "check-jsonschema is required under CI=true (`.ci/run` installs it)"
        );
        println!("SKIPPED: `check-jsonschema` is not installed");
        return;
    }
    let out = Command::new("check-jsonschema")
        .args(["--builtin-schema", schema])
        .args(files)
        .current_dir(root())
        .output()
        .expect("check-jsonschema runs");
    assert!(
        out.status.success(),
        "{files:?} against {schema}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn action_validates_against_the_action_schema() {
    check_jsonschema("vendor.github-actions", &["action.yml"]);
}

#[test]
fn example_workflows_validate_and_use_the_action() {
    let workflows = [
        "examples/ci/github-actions.yml",
        "templates/init/evident-workflow.yml",
    ];
    check_jsonschema("vendor.github-workflows", &workflows);
    check_jsonschema("vendor.gitlab-ci", &["examples/ci/gitlab-ci.yml"]);
    for file in workflows {
        let wf = yaml(file);
        let uses: Vec<&str> = wf["jobs"]
            .as_object()
            .expect("jobs")
            .values()
            .flat_map(|job| job["steps"].as_array().into_iter().flatten())
            .filter_map(|step| step["uses"].as_str())
            .collect();
        assert!(
            uses.iter().any(|u| u.starts_with("evident-itsm/evident@")),
            "{file} does not use the Evident action: {uses:?}"
        );
    }
    let gitlab = yaml("examples/ci/gitlab-ci.yml");
    let image = gitlab["evident"]["image"]["name"].as_str().expect("image");
    assert!(image.contains("evident"), "{image}");
}

#[test]
fn dockerfile_is_multi_stage_locked_and_unprivileged() {
    let text = std::fs::read_to_string(project_file("Dockerfile")).expect("Dockerfile");
    let froms = text.lines().filter(|l| l.starts_with("FROM ")).count();
    assert!(
        froms >= 2,
        "multi-stage: a build stage and a small final stage"
    );
    for part in [
        "cargo build --release --locked",
        "FROM debian:bookworm-slim",
        "USER evident",
        "WORKDIR /repo",
        "ENTRYPOINT [\"evident\"]",
        "safe.directory /repo",
    ] {
        assert!(text.contains(part), "Dockerfile lacks `{part}`");
    }
    let ignore = std::fs::read_to_string(project_file(".dockerignore")).expect("ignore");
    assert!(
        ignore.lines().any(|l| l == "/target"),
        "the build context skips target/"
    );
}

/// Builds the image and checks the reference organization in a mounted copy, where a
/// container engine answers; otherwise (also under CI, which guarantees none) skips.
#[test]
fn dockerfile_builds_and_checks_a_mounted_repository() {
    if !Command::new("docker")
        .arg("info")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("SKIPPED: no container engine (`docker info` fails); the image is not built");
        return;
    }
    let tag = "evident-test:integration";
    let build = Command::new("docker")
        .args(["build", "--quiet", "-t", tag, "."])
        .current_dir(root())
        .output()
        .expect("docker runs");
    assert!(
        build.status.success(),
        "docker build: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let repo = tempfile::tempdir().expect("temp dir");
    super::copy_tree(&root().join("policies"), &repo.path().join("policies"));
    let mount = format!("{}:/repo", repo.path().display());
    let run = Command::new("docker")
        .args([
            "run",
            "--rm",
            "-v",
            &mount,
            tag,
            "check",
            "--as-of",
            super::AS_OF,
        ])
        .output()
        .expect("docker runs");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}
