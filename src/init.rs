//! `evident init`: a starter repository from the reference set, never overwriting a file.
//!
//! The reference set is a snapshot of one day, [`REFERENCE_AS_OF`] (the `as_of` of this
//! project's `evident.yaml`). A new repository is evaluated as of the day it is checked, so
//! `init` moves every date it copies (review dates, record dates, validity, due dates, dates
//! in prose) forward by the days between that snapshot and `today`: the starter passes on the
//! day it is made, and then ages like a real repository would.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use include_dir::Dir;
use jiff::ToSpan;
use jiff::civil::Date;

use crate::assets;

/// What `init` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Files written, relative to the target folder.
    pub written: Vec<PathBuf>,
    /// Files that already existed and were left alone.
    pub skipped: Vec<PathBuf>,
}

/// The day the embedded reference set (`policies/`) is a snapshot of.
pub const REFERENCE_AS_OF: Date = Date::constant(2026, 11, 21);

/// `text` with every ISO 8601 calendar date (`YYYY-MM-DD`, not part of a longer word or
/// number) moved by `days`. Everything else, comments and layout included, is left as it is.
pub fn shift_dates(text: &str, days: i64) -> String {
    if days == 0 {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    while i + 10 <= b.len() {
        let candidate = &b[i..i + 10];
        let shape = candidate.iter().enumerate().all(|(k, c)| match k {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let bounded = (i == 0 || !word(b[i - 1])) && b.get(i + 10).is_none_or(|c| !word(*c));
        let shifted = (shape && bounded)
            .then(|| std::str::from_utf8(candidate).ok())
            .flatten()
            .and_then(|d| d.parse::<Date>().ok())
            .and_then(|d| d.checked_add(days.days()).ok());
        match shifted {
            Some(date) => {
                out.push_str(&text[copied..i]);
                out.push_str(&date.to_string());
                i += 10;
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where `init` writes the kind schemas, relative to the repository root.
pub const SCHEMA_DIR: &str = ".evident/schemas";

/// `text` with a `# yaml-language-server: $schema=…` modeline first, naming the local schema of
/// the kind its documents declare (yaml-language-server and the VS Code YAML extension read
/// it). A file whose documents are of several kinds, or of none, is left as it is.
pub fn with_modeline(rel: &Path, text: &str) -> String {
    let kinds: std::collections::BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("kind:"))
        .map(str::trim)
        .collect();
    let kind = match kinds.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => one.parse::<crate::model::Kind>().ok(),
        _ => None,
    };
    match kind {
        Some(kind) if !text.starts_with("# yaml-language-server:") => {
            let depth = rel.parent().map_or(0, |p| p.components().count());
            format!(
                "# yaml-language-server: $schema={}{SCHEMA_DIR}/{}.schema.json\n{text}",
                "../".repeat(depth),
                kind.file_stem()
            )
        }
        _ => text.to_string(),
    }
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
/// creating folders as needed, with the reference set's dates moved from [`REFERENCE_AS_OF`]
/// to `today`. An existing file is never touched: it is listed as skipped.
pub fn init(target: &Path, today: Date) -> Result<InitReport> {
    let mut embedded: Vec<(PathBuf, &'static [u8])> = vec![
        (PathBuf::from("evident.yaml"), template("evident.yaml")?),
        (
            PathBuf::from(".github/workflows/evident.yml"),
            template("evident-workflow.yml")?,
        ),
    ];
    files(&assets::POLICIES, Path::new("policies"), &mut embedded);
    let days = i64::from((today - REFERENCE_AS_OF).get_days());
    let mut planned: Vec<(PathBuf, std::borrow::Cow<'static, [u8]>)> = embedded
        .into_iter()
        .map(|(rel, bytes)| {
            let yaml = matches!(
                rel.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) && rel.starts_with("policies");
            // The ticket export moves with the documents, so that its tickets stay within the
            // agreements' validity and months.
            let csv = rel.extension().and_then(|e| e.to_str()) == Some("csv")
                && rel.starts_with("policies");
            match std::str::from_utf8(bytes) {
                Ok(text) if yaml => {
                    let text = with_modeline(&rel, &shift_dates(text, days));
                    (rel, text.into_bytes().into())
                }
                Ok(text) if csv => (rel, shift_dates(text, days).into_bytes().into()),
                _ => (rel, bytes.into()),
            }
        })
        .collect();
    // The kind schemas beside the documents, so that editors complete and check them offline
    // on the first open (the modelines point here).
    for kind in crate::model::Kind::ALL {
        let schema = crate::model::schema::kind_schema(kind)?;
        let mut bytes = serde_json::to_vec_pretty(&schema)?;
        bytes.push(b'\n');
        planned.push((
            PathBuf::from(format!("{SCHEMA_DIR}/{}.schema.json", kind.file_stem())),
            bytes.into(),
        ));
    }
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
                if let Err(e) = file.write_all(&bytes).and_then(|()| file.sync_all()) {
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
    fn modelines_point_at_the_local_schema_of_the_kind() {
        let text = "apiVersion: evident/v1\nkind: Process\nmetadata: {id: p}\n";
        let with = with_modeline(Path::new("policies/processes/p.yaml"), text);
        assert_eq!(
            with.lines().next(),
            Some("# yaml-language-server: $schema=../../.evident/schemas/process.schema.json")
        );
        let mixed = "kind: Role\n---\nkind: Calendar\n";
        assert_eq!(with_modeline(Path::new("policies/x.yaml"), mixed), mixed);
    }

    #[test]
    fn writes_then_skips_without_overwriting() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = init(dir.path(), REFERENCE_AS_OF).expect("init");
        assert!(first.skipped.is_empty());
        assert!(first.written.contains(&PathBuf::from("evident.yaml")));
        assert!(
            first
                .written
                .iter()
                .any(|p| p.starts_with("policies/processes"))
        );
        std::fs::write(dir.path().join("evident.yaml"), "mine").expect("write");
        let second = init(dir.path(), REFERENCE_AS_OF).expect("init again");
        assert!(second.written.is_empty());
        assert_eq!(second.skipped.len(), first.written.len());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("evident.yaml")).expect("read"),
            "mine"
        );
    }

    #[test]
    fn dates_move_and_nothing_else_does() {
        let text = "last_reviewed: 2026-05-14 # on 2026-05-14\nid: review-2026-10\nv: 2.3.0\nat: 2026-10-01;\nx: 12026-01-01\ny: 2026-02-30\n";
        assert_eq!(
            shift_dates(text, 20),
            "last_reviewed: 2026-06-03 # on 2026-06-03\nid: review-2026-10\nv: 2.3.0\nat: 2026-10-21;\nx: 12026-01-01\ny: 2026-02-30\n"
        );
        assert_eq!(shift_dates(text, 0), text);
        assert_eq!(shift_dates("2028-02-28", 1), "2028-02-29");
        assert_eq!(shift_dates("2026-01-05", -10), "2025-12-26");
    }
}
