//! `evident init`: a starter repository from the reference set, never overwriting a file.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use include_dir::Dir;

use crate::assets;

/// What `init` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Files written, relative to the target folder.
    pub written: Vec<PathBuf>,
    /// Files that already existed and were left alone.
    pub skipped: Vec<PathBuf>,
}

fn files(dir: &'static Dir<'static>, prefix: &Path, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for f in dir.files() {
        out.push((prefix.join(f.path()), f.contents()));
    }
    for d in dir.dirs() {
        files(d, prefix, out);
    }
}

fn template(name: &str) -> Result<&'static [u8]> {
    assets::TEMPLATES
        .get_file(format!("init/{name}"))
        .map(include_dir::File::contents)
        .with_context(|| format!("embedded template `templates/init/{name}` is missing"))
}

/// Writes `evident.yaml`, `policies/` and `.github/workflows/evident.yml` into `target`,
/// creating folders as needed. An existing file is never touched: it is listed as skipped.
pub fn init(target: &Path) -> Result<InitReport> {
    let mut planned: Vec<(PathBuf, &'static [u8])> = vec![
        (PathBuf::from("evident.yaml"), template("evident.yaml")?),
        (
            PathBuf::from(".github/workflows/evident.yml"),
            template("evident-workflow.yml")?,
        ),
    ];
    files(&assets::POLICIES, Path::new("policies"), &mut planned);
    planned.sort();
    let mut report = InitReport::default();
    for (rel, bytes) in planned {
        let path = target.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating `{}`", parent.display()))?;
        }
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
                    // Leave nothing half-written behind.
                    let _ = std::fs::remove_file(&path);
                    return Err(e).with_context(|| format!("writing `{}`", path.display()));
                }
                report.written.push(rel);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => report.skipped.push(rel),
            Err(e) => return Err(e).with_context(|| format!("creating `{}`", path.display())),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_skips_without_overwriting() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = init(dir.path()).expect("init");
        assert!(first.skipped.is_empty());
        assert!(first.written.contains(&PathBuf::from("evident.yaml")));
        assert!(
            first
                .written
                .iter()
                .any(|p| p.starts_with("policies/processes"))
        );
        std::fs::write(dir.path().join("evident.yaml"), "mine").expect("write");
        let second = init(dir.path()).expect("init again");
        assert!(second.written.is_empty());
        assert_eq!(second.skipped.len(), first.written.len());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("evident.yaml")).expect("read"),
            "mine"
        );
    }
}
