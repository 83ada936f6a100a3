//! Controls: the library of checks, each mapped to ISO/IEC 20000-1:2018 clauses and ITIL 4
//! practices (PRODUCT.md §3).
//!
//! A control is data (YAML). The built-in library is `controls/` of this project, embedded in
//! the binary; an organization adds its own folders. Loading validates every control file the
//! way policies are validated — a meta-schema with located errors — and compiles its check
//! (JSON Schema, CEL, paths) once, so evaluation never meets a malformed control.

pub mod checks;
pub mod frameworks;
pub mod path;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path as FsPath;
use std::str::FromStr;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::assets;
use crate::error::{InputError, InputErrors};
use crate::load::yaml::{self, Position};
use crate::model::{self, Document, Kind};
use checks::Check;
use frameworks::Frameworks;
use path::Path;

/// How serious a finding is. Ordered: `Info` < `Low` < … < `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information; never fails a run unless `fail_on: info`.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                format!("unknown severity `{s}` (expected info, low, medium, high or critical)")
            })
    }
}

/// Which documents a control applies to: a kind, and equality conditions on paths.
#[derive(Debug, Clone)]
pub struct Selector {
    /// The kind.
    pub kind: Kind,
    /// `(path, condition)`: the document matches when every condition holds.
    pub conditions: Vec<(Path, Condition)>,
    /// For each condition, the kind schema's `default` at its path, if any: a document that
    /// leaves the value out is judged as if it had written the default.
    defaults: Vec<Option<model::Value>>,
    /// `required: true` under `applies_to`: when no document is selected, the evidence the
    /// control judges is absent, and that is itself a finding.
    pub required: bool,
}

/// A condition on the value at a path, as written under `where:`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `path: value` or `path: [values]`: equals one of them.
    OneOf(Vec<model::Value>),
    /// `path: {not: value | [values]}`: present and equal to none of them.
    NoneOf(Vec<model::Value>),
    /// `path: {exists: true|false}`: present (not null), or absent.
    Exists(bool),
}

impl Condition {
    fn parse(value: &Value) -> Result<Condition, String> {
        let list = |v: &Value| match v {
            Value::Array(items) => items.iter().map(model::Value::from_json).collect(),
            v => vec![model::Value::from_json(v)],
        };
        match value {
            Value::Object(map) if map.len() == 1 && map.contains_key("exists") => {
                match map.get("exists") {
                    Some(Value::Bool(b)) => Ok(Condition::Exists(*b)),
                    _ => Err("`exists` takes `true` or `false`".into()),
                }
            }
            Value::Object(map) if map.len() == 1 && map.contains_key("not") => Ok(
                Condition::NoneOf(map.get("not").map(list).unwrap_or_default()),
            ),
            Value::Object(_) => {
                Err("a condition is a value, a list of values, `{not: …}` or `{exists: …}`".into())
            }
            v => Ok(Condition::OneOf(list(v))),
        }
    }

    /// Whether `value` (the value at the path, if any) satisfies the condition.
    pub fn holds(&self, value: Option<&model::Value>) -> bool {
        let value = value.filter(|v| !v.is_null());
        match self {
            Condition::OneOf(accepted) => value.is_some_and(|v| accepted.contains(v)),
            Condition::NoneOf(refused) => value.is_some_and(|v| !refused.contains(v)),
            Condition::Exists(wanted) => value.is_some() == *wanted,
        }
    }

    /// A phrase: "= `live`", "≠ `retired`", "is set".
    pub fn describe(&self) -> String {
        let join = |vs: &[model::Value]| vs.iter().map(show_value).collect::<Vec<_>>().join(" or ");
        match self {
            Condition::OneOf(vs) => format!("= {}", join(vs)),
            Condition::NoneOf(vs) => format!("≠ {}", join(vs).replace(" or ", " nor ")),
            Condition::Exists(true) => "set".to_string(),
            Condition::Exists(false) => "not set".to_string(),
        }
    }
}

impl Selector {
    /// Parses `{kind: K, where: {path: value | [values]}}`.
    pub fn from_value(value: &Value) -> Result<Selector, (String, String)> {
        let kind_text = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let kind = kind_text
            .parse::<Kind>()
            .map_err(|e| ("/kind".to_string(), e.to_string()))?;
        let mut conditions = Vec::new();
        let mut defaults = Vec::new();
        if let Some(Value::Object(map)) = value.get("where") {
            for (p, condition) in map {
                let path = Path::parse(p).map_err(|e| (format!("/where/{p}"), e))?;
                let condition =
                    Condition::parse(condition).map_err(|e| (format!("/where/{p}"), e))?;
                defaults.push(
                    crate::model::schema::default_at(kind, p).map(|v| model::Value::from_json(&v)),
                );
                conditions.push((path, condition));
            }
        }
        let required = match value.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err((
                    "/required".into(),
                    "`required` takes `true` or `false`".into(),
                ));
            }
        };
        Ok(Selector {
            kind,
            conditions,
            defaults,
            required,
        })
    }

    /// Whether this selector selects exactly the documents `other` selects (whether either
    /// requires a document is not compared).
    pub fn selects_as(&self, other: &Selector) -> bool {
        // The defaults follow from the kind and the paths.
        self.kind == other.kind && self.conditions == other.conditions
    }

    /// Whether `doc` is selected.
    pub fn matches(&self, doc: &Document) -> bool {
        doc.kind == self.kind && self.matches_value(&doc.value)
    }

    /// Whether the conditions hold on `value` (kind not checked).
    pub fn matches_value(&self, value: &model::Value) -> bool {
        self.holds_on(|c| Self::found(&self.conditions[c].0, value))
    }

    /// What a condition tests at `path` in `value`: the first value there, a null as absent.
    pub fn found<'v>(path: &Path, value: &'v model::Value) -> Option<&'v model::Value> {
        path.first(value).filter(|v| !v.is_null())
    }

    /// Whether the conditions hold when `found(c)` is what condition `c` found (see
    /// [`found`](Self::found)).
    pub fn holds_on<'v>(&self, found: impl Fn(usize) -> Option<&'v model::Value>) -> bool {
        self.conditions
            .iter()
            .zip(&self.defaults)
            .enumerate()
            .all(|(c, ((_, condition), default))| condition.holds(found(c).or(default.as_ref())))
    }

    /// A phrase such as "`Process` documents with `spec.practice` = `incident-management`".
    pub fn describe(&self) -> String {
        let mut text = format!("`{}` documents", self.kind);
        for (i, (path, condition)) in self.conditions.iter().enumerate() {
            text.push_str(if i == 0 { " with " } else { " and " });
            text.push_str(&format!("`{path}` {}", condition.describe()));
        }
        text
    }
}

/// A value as shown in a message: strings in backticks, others as JSON.
pub fn show_value(value: &model::Value) -> String {
    match value {
        model::Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// [`show_value`] for a value of a schema or a control.
pub fn show_json(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// A loaded, validated, compiled control.
#[derive(Debug)]
pub struct Control {
    /// Stable code, e.g. `CHG-003`.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Severity of its findings.
    pub severity: Severity,
    /// ISO/IEC 20000-1:2018 clauses.
    pub iso20000: Vec<String>,
    /// ITIL 4 practices.
    pub itil4: Vec<String>,
    /// Documents it applies to (per-document checks).
    pub applies_to: Option<Selector>,
    /// The check.
    pub check: Check,
    /// Why an auditor asks for this.
    pub rationale: String,
    /// How to fix it.
    pub remediation: String,
    /// Where the control was defined, e.g. `controls/change.yaml` or `builtin:controls/change.yaml`.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawControl {
    id: String,
    title: String,
    severity: Severity,
    frameworks: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    applies_to: Option<Value>,
    check: BTreeMap<String, Value>,
    rationale: String,
    remediation: String,
}

/// ISO/IEC 20000-1 key in `frameworks:`.
pub const ISO_KEY: &str = "iso20000-1:2018";
/// ITIL 4 key in `frameworks:`.
pub const ITIL_KEY: &str = "itil4";

/// The controls in force for a run, sorted by id, with the framework catalogues.
#[derive(Debug)]
pub struct Library {
    /// Every control, sorted by id.
    pub controls: Vec<Control>,
    /// Clause and practice catalogues.
    pub frameworks: Frameworks,
    /// SHA-256 (hex) over every control file read (built-in and the organization's, by name)
    /// and the disabled ids: which library judged the documents, for evidence packs.
    pub digest: String,
}

impl Library {
    /// The control with this id.
    pub fn get(&self, id: &str) -> Option<&Control> {
        self.controls
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.controls[i])
    }
}

/// One control file's text, with the name used in messages.
#[derive(Debug, Clone)]
pub struct ControlFile {
    /// Repository-relative path (or `builtin:…`).
    pub name: String,
    /// The file's text.
    pub text: String,
}

fn embedded_files() -> Vec<ControlFile> {
    let mut files = Vec::new();
    let mut pending = vec![&assets::CONTROLS];
    while let Some(dir) = pending.pop() {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(d) => {
                    if d.path() != FsPath::new("frameworks") {
                        pending.push(d);
                    }
                }
                include_dir::DirEntry::File(f) => {
                    let is_yaml = matches!(
                        f.path().extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml")
                    );
                    if is_yaml && let Some(text) = f.contents_utf8() {
                        files.push(ControlFile {
                            name: format!("builtin:controls/{}", f.path().display()),
                            text: text.to_string(),
                        });
                    }
                }
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// [`folder_files`] for a folder named in `evident.yaml`: it must be a folder inside the
/// repository, not (nor through) a symbolic link leading out of it.
pub fn repo_folder_files(root: &FsPath, folder: &str) -> Result<Vec<ControlFile>> {
    use crate::load::{Folder, resolve_folder};
    let canonical = root
        .canonicalize()
        .with_context(|| format!("reading `{}`", root.display()))?;
    match resolve_folder(&canonical, folder) {
        Folder::Inside | Folder::Missing => folder_files(root, folder),
        Folder::NotAFolder(what) => {
            anyhow::bail!("controls folder `{folder}` is {what}, not a folder")
        }
        Folder::Outside(target) => anyhow::bail!(
            "controls folder `{folder}` leads outside the repository (a symbolic link to `{target}`); keep organization controls inside the repository"
        ),
    }
}

/// Every control file (`*.yaml`, `*.yml`) under `folder` of `root`.
pub fn folder_files(root: &FsPath, folder: &str) -> Result<Vec<ControlFile>> {
    let dir = root.join(folder);
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry =
            entry.with_context(|| format!("reading controls folder `{}`", dir.display()))?;
        let p = entry.path();
        let is_yaml = matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
        if entry.file_type().is_file() && is_yaml {
            let bytes = crate::fsread::read(p, crate::fsread::MAX_CONFIG_SIZE)?;
            let name = p.strip_prefix(root).unwrap_or(p).display().to_string();
            let text = String::from_utf8(bytes).map_err(|e| {
                let at = crate::load::position_of(e.as_bytes(), e.utf8_error().valid_up_to());
                InputErrors::one(InputError::new(
                    &name,
                    Some(at),
                    "control file is not valid UTF-8 text; save it as UTF-8",
                ))
            })?;
            files.push(ControlFile { name, text });
        }
    }
    Ok(files)
}

/// What to load: the built-in library plus folders, minus disabled ids.
#[derive(Debug, Clone, Default)]
pub struct LibraryOptions {
    /// Folders of extra controls, relative to `root`.
    pub extra: Vec<String>,
    /// Ids of controls not to run.
    pub disable: Vec<String>,
    /// Where each of `disable` is written in `evident.yaml`, when it came from there.
    pub disable_at: Vec<Option<Position>>,
}

/// Loads the built-in library and the organization's folders. Every problem in every control
/// file is collected into one [`InputErrors`].
pub fn load(root: &FsPath, options: &LibraryOptions) -> Result<Library> {
    let mut extra = Vec::new();
    for folder in &options.extra {
        extra.extend(folder_files(root, folder)?);
    }
    load_with(extra, options)
}

/// Loads the built-in library plus the given organization control files (read by the caller,
/// e.g. from a git revision).
pub fn load_with(extra: Vec<ControlFile>, options: &LibraryOptions) -> Result<Library> {
    let frameworks = Frameworks::builtin()?;
    let mut files = embedded_files();
    files.extend(extra);
    let mut errors = Vec::new();
    let mut controls: Vec<Control> = Vec::new();
    for file in &files {
        parse_file(file, &frameworks, &mut controls, &mut errors);
    }
    controls.sort_by(|a, b| a.id.cmp(&b.id));
    for pair in controls.windows(2) {
        if pair[0].id == pair[1].id {
            errors.push(InputError::new(
                &pair[1].source,
                None,
                format!(
                    "control `{}` is defined twice (also in `{}`)",
                    pair[1].id, pair[0].source
                ),
            ));
        }
    }
    for (i, id) in options.disable.iter().enumerate() {
        if !controls.iter().any(|c| &c.id == id) {
            let hint = crate::suggest::closest(id, controls.iter().map(|c| c.id.as_str()))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            errors.push(InputError::new(
                "evident.yaml",
                options.disable_at.get(i).copied().flatten(),
                format!("`controls.disable` names `{id}`, which is not a known control{hint}"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors).into());
    }
    controls.retain(|c| !options.disable.contains(&c.id));
    Ok(Library {
        controls,
        frameworks,
        digest: library_digest(&files, &options.disable),
    })
}

/// Length-prefixed names and texts, sorted by name, then the disabled ids.
fn library_digest(files: &[ControlFile], disable: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut sorted: Vec<&ControlFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut h = Sha256::new();
    for f in sorted {
        for part in [f.name.as_bytes(), f.text.as_bytes()] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part);
        }
    }
    let mut disabled: Vec<&String> = disable.iter().collect();
    disabled.sort();
    for id in disabled {
        h.update((id.len() as u64).to_be_bytes());
        h.update(id.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// Most `$ref` keywords in one control's check; a `$ref` chain is validated by recursion, one
/// stack frame per link.
pub const MAX_SCHEMA_REFS: usize = 1000;

/// How many `$ref` keys `value` holds, at any depth (walked without recursion).
fn count_refs(value: &Value) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        match v {
            Value::Object(map) => {
                count += usize::from(map.contains_key("$ref"));
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    count
}

fn parse_file(
    file: &ControlFile,
    frameworks: &Frameworks,
    controls: &mut Vec<Control>,
    errors: &mut Vec<InputError>,
) {
    let parsed = yaml::parse_with_positions(&file.text);
    if let Some(e) = &parsed.error {
        errors.push(InputError::new(
            &file.name,
            Some(e.position),
            e.message.clone(),
        ));
    }
    let meta = match meta_validator() {
        Ok(v) => v,
        Err(e) => {
            errors.push(InputError::new(&file.name, None, e.to_string()));
            return;
        }
    };
    for doc in parsed.documents {
        if doc.value.is_null() {
            continue;
        }
        let spans = doc.spans.unwrap_or_default();
        let at = |pointer: &str| -> Option<Position> {
            let mut p = pointer;
            loop {
                if let Some(s) = spans.get(p) {
                    return Some(s.key.map_or(s.value, |k| k.0));
                }
                if p.is_empty() {
                    return Some(doc.start);
                }
                p = &p[..p.rfind('/').unwrap_or(0)];
            }
        };
        let before = errors.len();
        let value = doc.value.to_json();
        for e in meta.iter_errors(&value) {
            let (pointer, message) = checks::schema::describe(&e);
            errors.push(InputError::new(&file.name, at(&pointer), message));
        }
        if errors.len() > before {
            continue;
        }
        let raw: RawControl = match serde_json::from_value(value) {
            Ok(r) => r,
            Err(e) => {
                errors.push(InputError::new(&file.name, at(""), e.to_string()));
                continue;
            }
        };
        for (key, ids) in &raw.frameworks {
            for (i, id) in ids.iter().enumerate() {
                let known = match key.as_str() {
                    ISO_KEY => frameworks.clause(id).is_some(),
                    ITIL_KEY => frameworks.practice(id).is_some(),
                    _ => true,
                };
                if !known {
                    errors.push(InputError::new(
                        &file.name,
                        at(&format!("/frameworks/{key}/{i}")),
                        format!("`{id}` is not in the `{key}` catalogue"),
                    ));
                }
            }
        }
        let applies_to = match raw
            .applies_to
            .as_ref()
            .map(Selector::from_value)
            .transpose()
        {
            Ok(s) => s,
            Err((pointer, message)) => {
                errors.push(InputError::new(
                    &file.name,
                    at(&format!("/applies_to{pointer}")),
                    message,
                ));
                continue;
            }
        };
        let Some((kind, params)) = raw.check.iter().next() else {
            continue;
        };
        // Validation follows a `$ref` chain by recursion: bound its length before compiling.
        let refs = count_refs(params);
        if refs > MAX_SCHEMA_REFS {
            errors.push(InputError::new(
                &file.name,
                at(&format!("/check/{kind}")),
                format!(
                    "{}: the check holds {refs} `$ref`s, more than the budget of {MAX_SCHEMA_REFS}",
                    raw.id
                ),
            ));
            continue;
        }
        let check = match checks::compile(kind, params, applies_to.as_ref()) {
            Ok(c) => c,
            Err(e) => {
                errors.push(InputError::new(
                    &file.name,
                    at(&format!("/check/{kind}{}", e.pointer)),
                    format!("{}: {}", raw.id, e.message),
                ));
                continue;
            }
        };
        controls.push(Control {
            id: raw.id,
            title: raw.title,
            severity: raw.severity,
            iso20000: raw.frameworks.get(ISO_KEY).cloned().unwrap_or_default(),
            itil4: raw.frameworks.get(ITIL_KEY).cloned().unwrap_or_default(),
            applies_to,
            check,
            rationale: raw.rationale.trim().to_string(),
            remediation: raw.remediation.trim().to_string(),
            source: file.name.clone(),
        });
    }
}

/// The meta-schema every control document must satisfy.
pub fn meta_schema() -> Result<Value> {
    let text = assets::SCHEMAS
        .get_file("control.json")
        .and_then(|f| f.contents_utf8())
        .context("embedded `schemas/control.json` is missing")?;
    let mut schema: Value =
        serde_json::from_str(text).context("`schemas/control.json` is not JSON")?;
    // The accepted check kinds come from the registration table, so the two cannot drift.
    schema["properties"]["check"]["propertyNames"] = serde_json::json!({"enum": checks::names()});
    Ok(schema)
}

fn meta_validator() -> Result<&'static jsonschema::Validator> {
    static META: std::sync::OnceLock<Result<jsonschema::Validator, String>> =
        std::sync::OnceLock::new();
    META.get_or_init(|| {
        meta_schema()
            .and_then(|s| crate::model::schema::compile(&s))
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| anyhow::anyhow!("control meta-schema: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_check_kind_declares_its_parameters() {
        let schema = meta_schema().expect("meta-schema");
        let declared = schema["properties"]["check"]["properties"]
            .as_object()
            .expect("check.properties");
        let mut names: Vec<&str> = declared.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut registered = checks::names();
        registered.sort_unstable();
        assert_eq!(names, registered);
    }

    #[test]
    fn misspelt_parameters_are_located_errors() {
        let text = "id: ORG-001\ntitle: t\nseverity: low\nframeworks: {itil4: [incident-management]}\n\
                    check:\n  require: {kind: Process, were: {spec.practice: x}}\n\
                    rationale: r\nremediation: m\n---\n\
                    id: ORG-002\ntitle: t\nseverity: low\nframeworks: {itil4: [incident-management]}\n\
                    applies_to: {kind: Record}\n\
                    check:\n  freshness: {date: spec.date, max_age: 12mo, git_fallbak: true}\n\
                    rationale: r\nremediation: m\n";
        let file = ControlFile {
            name: "controls/org.yaml".into(),
            text: text.into(),
        };
        let err = load_with(vec![file], &LibraryOptions::default()).expect_err("typos refused");
        let errors = err.downcast::<InputErrors>().expect("input errors").0;
        let at: Vec<(u32, String)> = errors
            .iter()
            .map(|e| (e.position.map_or(0, |p| p.line), e.message.clone()))
            .collect();
        assert_eq!(at.len(), 2, "{at:?}");
        assert_eq!(at[0].0, 6, "{at:?}");
        assert!(at[0].1.contains("were"), "{at:?}");
        assert_eq!(at[1].0, 16, "{at:?}");
        assert!(at[1].1.contains("git_fallbak"), "{at:?}");
    }

    #[test]
    fn selector_conditions() {
        let s = Selector::from_value(&json!({"kind": "Service", "where": {
            "spec.status": ["live", "pipeline"],
            "spec.criticality": {"not": "low"},
            "spec.continuity.plan": {"exists": true},
            "spec.retired_on": {"exists": false}
        }}))
        .expect("parses");
        let ok =
            json!({"spec": {"status": "live", "criticality": "high", "continuity": {"plan": "p"}}});
        assert!(s.matches_value(&model::Value::from_json(&ok)));
        for bad in [
            json!({"spec": {"status": "retired", "criticality": "high", "continuity": {"plan": "p"}}}),
            json!({"spec": {"status": "live", "criticality": "low", "continuity": {"plan": "p"}}}),
            json!({"spec": {"status": "live", "criticality": "high"}}),
            json!({"spec": {"status": "live", "criticality": "high", "continuity": {"plan": "p"}, "retired_on": "2026-01-01"}}),
        ] {
            assert!(!s.matches_value(&model::Value::from_json(&bad)), "{bad}");
        }
        assert!(
            s.describe().contains("`spec.criticality` ≠ `low`"),
            "{}",
            s.describe()
        );
        assert!(
            Selector::from_value(&json!({"kind": "Service", "where": {"a": {"exist": true}}}))
                .is_err()
        );
    }
}
