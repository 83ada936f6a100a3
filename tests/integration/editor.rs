//! Editors: a repository made by `evident init` gets schema completion and diagnostics from
//! yaml-language-server (the engine of the VS Code YAML extension) on the first open, through
//! the modelines and local schemas `init` writes. Runs `scripts/editor-check.mjs`, an LSP
//! client, against the real server from npm.

use std::process::Command;

use serde_json::Value;

use super::root;

#[test]
fn yaml_language_server_checks_documents_against_the_local_schemas() {
    let server = Command::new("sh")
        .args(["-c", "command -v yaml-language-server"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let (Some(server), true) = (
        server,
        Command::new("node").arg("--version").output().is_ok(),
    ) else {
        super::skip_unless_ci(
            "`yaml-language-server` or `node` is not installed (npm install -g yaml-language-server)",
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let today = jiff::civil::Date::constant(2026, 11, 21);
    evident::init::init(dir.path(), today).expect("init");
    let good = "policies/processes/change-enablement.yaml";
    let text = std::fs::read_to_string(dir.path().join(good)).expect("read");
    let broken = "policies/processes/broken.yaml";
    std::fs::write(
        dir.path().join(broken),
        text.replace(
            "  practice: change-enablement",
            "  practise: change-enablement",
        ),
    )
    .expect("write");
    let out = Command::new("node")
        .arg(root().join("scripts/editor-check.mjs"))
        .arg(&server)
        .args([good, broken])
        .current_dir(dir.path())
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0]["published"], true, "{results:?}");
    assert_eq!(results[0]["messages"], serde_json::json!([]), "{results:?}");
    let messages = results[1]["messages"].to_string();
    assert!(messages.contains("practise"), "{messages}");
    assert!(messages.contains("practice"), "{messages}");
}
