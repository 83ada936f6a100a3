//! `evident.yaml`: where the documents are, extra and disabled controls, the failure threshold
//! and waivers (PRODUCT.md §4).
//!
//! Read in one step: YAML with positions, validated against `schemas/config.json` (every
//! problem located), then typed. A missing file means the defaults.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::Value;

use crate::assets;
use crate::controls::{LibraryOptions, Severity};
use crate::error::{InputError, InputErrors};
use crate::load::yaml::{self, NodeSpan, Position};

/// The configuration file name.
pub const FILE_NAME: &str = "evident.yaml";

/// A waiver: a known nonconformity accepted until a date.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The control (or built-in code) waived.
    pub control: String,
    /// Glob patterns of repository-relative document paths; empty means every document.
    #[serde(default)]
    pub documents: Vec<String>,
    /// Why the nonconformity is accepted.
    pub reason: String,
    /// The Role id that approved the waiver.
    pub approved_by: String,
    /// Last day the waiver applies.
    pub expires: Date,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlsSection {
    #[serde(default)]
    extra: Vec<String>,
    #[serde(default)]
    disable: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
struct RawConfig {
    #[serde(rename = "apiVersion")]
    _api_version: String,
    #[serde(rename = "kind")]
    _kind: String,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    documents: Option<Vec<String>>,
    #[serde(default)]
    controls: ControlsSection,
    #[serde(default)]
    as_of: Option<Date>,
    #[serde(default)]
    fail_on: Option<Severity>,
    #[serde(default)]
    waivers: Vec<Waiver>,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Organization name, for reports.
    pub organization: Option<String>,
    /// Folders holding documents, relative to the repository root.
    pub documents: Vec<String>,
    /// Extra control folders and disabled controls.
    pub controls: LibraryOptions,
    /// The date the repository is a snapshot of (`as_of`), for a reference or training set:
    /// the as-of date when `--as-of` is not given.
    pub as_of: Option<Date>,
    /// Lowest severity that fails `check` and `gate`.
    pub fail_on: Severity,
    /// Waivers, in file order.
    pub waivers: Vec<Waiver>,
    /// Whether the configuration came from a file (`evident.yaml`) or the defaults.
    pub from_file: bool,
    /// The text of `evident.yaml`, to show its lines in findings.
    pub text: Option<std::sync::Arc<str>>,
    spans: HashMap<String, NodeSpan>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            organization: None,
            documents: vec!["policies".to_string()],
            controls: LibraryOptions::default(),
            as_of: None,
            fail_on: Severity::Low,
            waivers: Vec::new(),
            from_file: false,
            text: None,
            spans: HashMap::new(),
        }
    }
}

impl Config {
    /// Reads `evident.yaml` in `root`, or returns the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE_NAME);
        // A FIFO, a device or a dangling symbolic link is an error, not "no configuration".
        match crate::fsread::read_optional(&path, crate::fsread::MAX_CONFIG_SIZE)? {
            None => Ok(Config::default()),
            Some(bytes) => Config::parse(&bytes),
        }
    }

    /// Parses the text of an `evident.yaml`.
    pub fn parse(bytes: &[u8]) -> Result<Config> {
        let fail = |position, message: String| -> anyhow::Error {
            InputErrors::one(InputError::new(FILE_NAME, position, message)).into()
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            fail(
                Some(crate::load::position_of(bytes, e.valid_up_to())),
                "file is not valid UTF-8 text; save it as UTF-8".into(),
            )
        })?;
        let parsed = yaml::parse_with_positions(text);
        if let Some(e) = parsed.error {
            return Err(fail(Some(e.position), e.message));
        }
        let mut docs = parsed.documents.into_iter().filter(|d| !d.value.is_null());
        let Some(doc) = docs.next() else {
            return Ok(Config {
                from_file: true,
                ..Config::default()
            });
        };
        if let Some(extra) = docs.next() {
            return Err(fail(
                Some(extra.start),
                "expected one document, found several".into(),
            ));
        }
        let spans = doc.spans.unwrap_or_default();
        let locate = |pointer: &str| locate(&spans, pointer).or(Some(doc.start));
        let validator = config_validator()?;
        let value = doc.value.to_json();
        let errors: Vec<InputError> = validator
            .iter_errors(&value)
            .map(|e| {
                let (pointer, message) = crate::controls::checks::schema::describe(&e);
                InputError::new(FILE_NAME, locate(&pointer), message)
            })
            .collect();
        if !errors.is_empty() {
            return Err(InputErrors(errors).into());
        }
        let raw: RawConfig =
            serde_json::from_value(value).map_err(|e| fail(Some(doc.start), e.to_string()))?;
        let mut errors = Vec::new();
        let mut normalized = |folders: &[String], section: &str| -> Vec<String> {
            folders
                .iter()
                .enumerate()
                .filter_map(|(i, folder)| match normalize_folder(folder) {
                    Ok(f) => Some(f),
                    Err(why) => {
                        errors.push(InputError::new(
                            FILE_NAME,
                            locate(&format!("{section}/{i}")),
                            format!("`{folder}` {why}"),
                        ));
                        None
                    }
                })
                .collect()
        };
        let documents = raw
            .documents
            .as_deref()
            .map(|d| normalized(d, "/documents"));
        let extra = normalized(&raw.controls.extra, "/controls/extra");
        for (i, w) in raw.waivers.iter().enumerate() {
            for (j, pattern) in w.documents.iter().enumerate() {
                if let Err(e) = globset::Glob::new(pattern) {
                    errors.push(InputError::new(
                        FILE_NAME,
                        locate(&format!("/waivers/{i}/documents/{j}")),
                        format!("`{pattern}` is not a valid glob: {}", e.kind()),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(InputErrors(errors).into());
        }
        Ok(Config {
            organization: raw.organization,
            documents: documents.unwrap_or_else(|| vec!["policies".to_string()]),
            controls: LibraryOptions {
                extra,
                disable_at: (0..raw.controls.disable.len())
                    .map(|i| {
                        spans
                            .get(&format!("/controls/disable/{i}"))
                            .map(|s| s.value)
                    })
                    .collect(),
                disable: raw.controls.disable,
            },
            as_of: raw.as_of,
            fail_on: raw.fail_on.unwrap_or(Severity::Low),
            waivers: raw.waivers,
            from_file: true,
            text: Some(std::sync::Arc::from(text)),
            spans,
        })
    }

    /// Checks that every waiver names a control of `library` (enabled or disabled) or a
    /// built-in code; an unknown name is a located error with a suggestion.
    pub fn check_waivers(&self, library: &crate::controls::Library) -> Result<()> {
        use crate::check::builtin::BUILTINS;
        let known = || {
            library
                .controls
                .iter()
                .map(|c| c.id.as_str())
                .chain(self.controls.disable.iter().map(String::as_str))
                .chain(BUILTINS.iter().map(|b| b.code))
        };
        let errors: Vec<InputError> = self
            .waivers
            .iter()
            .enumerate()
            .filter(|(_, w)| !known().any(|k| k == w.control))
            .map(|(i, w)| {
                let hint = crate::suggest::closest(&w.control, known())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                InputError::new(
                    FILE_NAME,
                    self.position(&format!("/waivers/{i}/control")),
                    format!(
                        "waiver names `{}`, which is neither a control nor a diagnostic code{hint}",
                        w.control
                    ),
                )
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors).into())
        }
    }

    /// Position of a JSON pointer in `evident.yaml` (nearest present ancestor).
    pub fn position(&self, pointer: &str) -> Option<Position> {
        locate(&self.spans, pointer)
    }

    /// Position of the key at `pointer` in `evident.yaml` and its length (nearest ancestor).
    pub fn span(&self, pointer: &str) -> Option<(Position, u32)> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return Some(s.key.unwrap_or((s.value, s.value_len.max(1))));
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }
}

/// The one spelling of a folder inside the repository, used by the working tree, `--rev`,
/// `gate` and `pack` alike: `/`-separated, without `.` segments, empty segments or a trailing
/// `/` (`policies/`, `./policies` and `policies//` are all `policies`; `.` and `./` are `.`,
/// the Evident root itself). An absolute path or a `..` segment is refused: a folder must stay
/// inside the repository. The `Err` says why, to follow the folder's name.
pub fn normalize_folder(folder: &str) -> Result<String, &'static str> {
    if folder.starts_with('/') || folder.starts_with('\\') || Path::new(folder).is_absolute() {
        return Err("must be a folder inside the repository, not an absolute path");
    }
    if folder.contains('\\') {
        return Err("must use `/` to separate folders");
    }
    let mut parts = Vec::new();
    for part in folder.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("must be a folder inside the repository (without `..`)"),
            p => parts.push(p),
        }
    }
    Ok(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

fn locate(spans: &HashMap<String, NodeSpan>, pointer: &str) -> Option<Position> {
    let mut p = pointer;
    loop {
        if let Some(s) = spans.get(p) {
            return Some(s.key.map_or(s.value, |k| k.0));
        }
        if p.is_empty() {
            return None;
        }
        p = &p[..p.rfind('/').unwrap_or(0)];
    }
}

/// The JSON Schema of `evident.yaml`.
pub fn config_schema() -> Result<Value> {
    let text = assets::SCHEMAS
        .get_file("config.json")
        .and_then(|f| f.contents_utf8())
        .context("embedded `schemas/config.json` is missing")?;
    serde_json::from_str(text).context("`schemas/config.json` is not JSON")
}

fn config_validator() -> Result<jsonschema::Validator> {
    crate::model::schema::compile(&config_schema()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let c = Config::parse(b"").expect("parses");
        assert_eq!(c.documents, vec!["policies"]);
        assert_eq!(c.fail_on, Severity::Low);
    }

    #[test]
    fn full_config() {
        let c = Config::parse(
            b"apiVersion: evident/v1\nkind: Config\norganization: ACME\ndocuments: [docs]\nfail_on: high\ncontrols: {extra: [controls], disable: [INC-001]}\nwaivers:\n  - control: SLM-004\n    documents: [\"policies/agreements/legacy-*.yaml\"]\n    reason: renegotiation\n    approved_by: head-of-service-management\n    expires: 2027-01-31\n",
        )
        .expect("parses");
        assert_eq!(c.fail_on, Severity::High);
        assert_eq!(c.waivers[0].expires, Date::constant(2027, 1, 31));
        assert_eq!(c.controls.disable, vec!["INC-001"]);
    }

    #[test]
    fn folders_must_stay_inside_the_repository() {
        let err =
            Config::parse(b"apiVersion: evident/v1\nkind: Config\ndocuments: [../elsewhere]\n")
                .expect_err("outside");
        assert!(err.to_string().contains("inside the repository"), "{err}");
    }

    #[test]
    fn folders_have_one_spelling() {
        for spelling in [
            "policies",
            "policies/",
            "./policies",
            "./policies/",
            "policies//",
        ] {
            assert_eq!(
                normalize_folder(spelling),
                Ok("policies".to_string()),
                "{spelling}"
            );
        }
        assert_eq!(normalize_folder("a/./b/"), Ok("a/b".to_string()));
        assert_eq!(normalize_folder("."), Ok(".".to_string()));
        assert_eq!(normalize_folder("./"), Ok(".".to_string()));
        assert!(normalize_folder("/etc").is_err());
        assert!(normalize_folder("a/../b").is_err());
        assert!(normalize_folder("a\\b").is_err());
        let c = Config::parse(
            b"apiVersion: evident/v1\nkind: Config\ndocuments: [./policies/]\ncontrols: {extra: [controls/]}\n",
        )
        .expect("parses");
        assert_eq!(c.documents, vec!["policies"]);
        assert_eq!(c.controls.extra, vec!["controls"]);
    }

    #[test]
    fn a_folder_outside_is_located_at_its_entry() {
        let err = Config::parse(
            b"apiVersion: evident/v1\nkind: Config\ndocuments:\n  - policies\n  - /etc\n",
        )
        .expect_err("absolute");
        let errors = err.downcast::<InputErrors>().expect("input errors");
        assert_eq!(errors.0.len(), 1, "{errors}");
        assert_eq!(errors.0[0].position.map(|p| p.line), Some(5), "{errors}");
        assert!(errors.0[0].message.contains("absolute"), "{errors}");
    }

    #[test]
    fn errors_are_located() {
        let err = Config::parse(b"apiVersion: evident/v1\nkind: Config\nfail_on: severe\nwaivers:\n  - control: X\n    reason: r\n")
            .expect_err("invalid");
        let errors = err.downcast::<InputErrors>().expect("input errors");
        let lines: Vec<u32> = errors
            .0
            .iter()
            .filter_map(|e| e.position.map(|p| p.line))
            .collect();
        assert!(lines.contains(&3), "{errors}");
        assert!(lines.contains(&5), "{errors}");
    }
}
