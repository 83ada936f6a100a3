//! The reference set in `policies/` against the exported schemas, with an independent
//! validator (check-jsonschema). Skips with a message when the tool is absent; `.ci/run`
//! installs it so that CI runs the test.

use std::collections::BTreeMap;
use std::process::Command;

use evident::load;

use super::{code, evident, root};

fn check_jsonschema() -> Option<Command> {
    let probe = Command::new("check-jsonschema").arg("--version").output();
    if probe.is_ok_and(|o| o.status.success()) {
        return Some(Command::new("check-jsonschema"));
    }
    let probe = Command::new("python3")
        .args(["-m", "check_jsonschema", "--version"])
        .output();
    if probe.is_ok_and(|o| o.status.success()) {
        let mut c = Command::new("python3");
        c.args(["-m", "check_jsonschema"]);
        return Some(c);
    }
    None
}

/// `evident schema --out` into a temporary folder: (the folder, its `schemas/`).
fn export_schemas() -> (tempfile::TempDir, std::path::PathBuf) {
    let work = tempfile::tempdir().expect("temp dir");
    let schemas = work.path().join("schemas");
    let out = evident(
        &root(),
        &["schema", "--out", schemas.to_str().expect("utf-8")],
    );
    assert_eq!(code(&out), 0);
    (work, schemas)
}

#[test]
fn reference_documents_validate_with_check_jsonschema() {
    let Some(_) = check_jsonschema() else {
        super::skip_unless_ci(
            "check-jsonschema is not installed (pip install check-jsonschema); .ci/run installs it",
        );
        return;
    };
    let (work, schemas) = export_schemas();
    let files = load::walk(&root(), &["policies".to_string()]).expect("walk");
    let loaded = load::documents(files);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut by_kind: BTreeMap<&str, Vec<std::path::PathBuf>> = BTreeMap::new();
    for (i, doc) in loaded.documents.iter().enumerate() {
        let file = work.path().join(format!("doc-{i}.json"));
        std::fs::write(&file, serde_json::to_vec(&*doc.value).expect("json")).expect("write");
        by_kind.entry(doc.kind.file_stem()).or_default().push(file);
    }
    assert_eq!(
        by_kind.len(),
        evident::model::Kind::ALL.len(),
        "the reference set has a document of every kind"
    );
    for (stem, files) in by_kind {
        let mut cmd = check_jsonschema().expect("present");
        cmd.arg("--schemafile")
            .arg(schemas.join(format!("{stem}.schema.json")))
            .args(&files);
        let out = cmd.output().expect("check-jsonschema runs");
        assert!(
            out.status.success(),
            "{stem}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn exported_schemas_are_valid_2020_12_schemas() {
    let Some(mut cmd) = check_jsonschema() else {
        super::skip_unless_ci("check-jsonschema is not installed; .ci/run installs it");
        return;
    };
    let (_work, schemas) = export_schemas();
    let files: Vec<_> = std::fs::read_dir(&schemas)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    let out = cmd
        .arg("--check-metaschema")
        .args(&files)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
