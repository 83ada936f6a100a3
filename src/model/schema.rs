//! The JSON Schema of each kind, composed from `schemas/common.json` and
//! `schemas/kinds/<kind>.json` (both embedded in the binary).
//!
//! The composed schema is self-contained (one file, local `$ref`s only) so that editors
//! (yaml-language-server) and independent validators (check-jsonschema, ajv) can use each file
//! on its own, and it is exactly what Evident validates against.

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value, json};

use crate::assets;
use crate::model::{API_VERSION, Kind};

/// Where the schemas are published (the project's pages), and so their `$id`s: the address a
/// SchemaStore entry points editors at. Offline, `evident schema --out DIR` and `evident init`
/// write the same files locally.
pub const SCHEMA_BASE: &str = "https://evident-itsm.github.io/schemas/v1";

/// The `$id` of a kind's composed schema.
pub fn schema_id(kind: Kind) -> String {
    format!("{SCHEMA_BASE}/{}.schema.json", kind.file_stem())
}

/// For editors (yaml-language-server, VS Code): every `description` gets a
/// `markdownDescription` with the same text (hovers render its backticks as code), and the
/// plain `description` loses the backticks.
fn add_markdown_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(text)) = map.get("description").cloned()
                && !map.contains_key("markdownDescription")
            {
                map.insert("markdownDescription".into(), Value::String(text.clone()));
                map.insert("description".into(), Value::String(text.replace('`', "")));
            }
            for (key, v) in map.iter_mut() {
                // `properties` maps names to schemas; a property called `description` is a
                // schema, not a description.
                if key != "examples" && key != "default" && key != "const" && key != "enum" {
                    add_markdown_descriptions(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(add_markdown_descriptions),
        _ => {}
    }
}

/// The first document of `kind` in the embedded reference set, as an example for editors.
fn reference_example(kind: Kind) -> Option<Value> {
    let mut files: Vec<&include_dir::File<'static>> = Vec::new();
    let mut pending = vec![&assets::POLICIES];
    while let Some(dir) = pending.pop() {
        files.extend(dir.files());
        pending.extend(dir.dirs());
    }
    files.sort_by_key(|f| f.path());
    files.into_iter().find_map(|f| {
        let text = f.contents_utf8()?;
        crate::load::yaml::parse(text)
            .documents
            .into_iter()
            .map(|d| d.value.to_json())
            .find(|v| v.get("kind").and_then(Value::as_str) == Some(kind.name()))
    })
}

fn embedded_json(path: &str) -> Result<Value> {
    let text = assets::SCHEMAS
        .get_file(path)
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| anyhow!("embedded schema `schemas/{path}` is missing"))?;
    serde_json::from_str(text)
        .with_context(|| format!("embedded schema `schemas/{path}` is not valid JSON"))
}

/// The complete, self-contained JSON Schema (draft 2020-12) of documents of `kind`, with an
/// example from the reference set (for editors and `evident schema`).
pub fn kind_schema(kind: Kind) -> Result<Value> {
    let mut schema = composed(kind)?.clone();
    if let Some(example) = reference_example(kind) {
        schema["examples"] = Value::Array(vec![example]);
    }
    Ok(schema)
}

/// [`kind_schema`] without its example (finding one parses the reference set), as validation
/// and [`default_at`] use it: composed once per run.
pub fn composed(kind: Kind) -> Result<&'static Value> {
    static COMPOSED: std::sync::OnceLock<Vec<Result<Value, String>>> = std::sync::OnceLock::new();
    let all = COMPOSED.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|&k| compose(k).map_err(|e| format!("{e:#}")))
            .collect()
    });
    match all.get(kind as usize) {
        Some(Ok(schema)) => Ok(schema),
        Some(Err(e)) => Err(anyhow!("{e}")),
        None => Err(anyhow!("no schema for {kind}")),
    }
}

fn compose(kind: Kind) -> Result<Value> {
    let common = embedded_json("common.json")?;
    let mut spec = embedded_json(&format!("kinds/{}.json", kind.file_stem()))?;
    let mut defs = common
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let spec_obj = spec
        .as_object_mut()
        .ok_or_else(|| anyhow!("schema of {kind} must be a JSON object"))?;
    if let Some(Value::Object(local)) = spec_obj.remove("$defs") {
        for (name, def) in local {
            if defs.insert(name.clone(), def).is_some() {
                return Err(anyhow!(
                    "schema of {kind} redefines the shared `$defs/{name}`"
                ));
            }
        }
    }
    let description = spec_obj
        .get("description")
        .cloned()
        .unwrap_or_else(|| Value::String(format!("An Evident {kind} document.")));
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    schema.insert("$id".into(), json!(schema_id(kind)));
    schema.insert("title".into(), json!(kind.name()));
    schema.insert("description".into(), description);
    schema.insert("type".into(), json!("object"));
    schema.insert(
        "required".into(),
        json!(["apiVersion", "kind", "metadata", "spec"]),
    );
    schema.insert("additionalProperties".into(), json!(false));
    schema.insert(
        "properties".into(),
        json!({
            "apiVersion": {"const": API_VERSION, "description": "The document format version; always `evident/v1`."},
            "kind": {"const": kind.name(), "description": "The kind of this document."},
            "metadata": {"$ref": "#/$defs/metadata"},
            "spec": spec,
        }),
    );
    schema.insert("$defs".into(), Value::Object(defs));
    let mut schema = Value::Object(schema);
    add_markdown_descriptions(&mut schema);
    Ok(schema)
}

/// The `default` the schema of `kind` gives at a dotted path such as `spec.type`, if any.
///
/// Selectors use it, so that a document that leaves out a defaulted field (a Policy without
/// `spec.type` is a service management policy) is judged as the schema says it means.
pub fn default_at(kind: Kind, path: &str) -> Option<Value> {
    let mut node = composed(kind).ok()?;
    for segment in path.split('.') {
        node = node.get("properties")?.get(segment)?;
    }
    node.get("default").cloned()
}

/// Compiles a schema for validating JSON values (formats checked).
pub fn compile(schema: &Value) -> Result<jsonschema::Validator> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| anyhow!("{e} at `{}`", e.schema_path()))
}

/// A schema compiled for validating documents as they are held ([`crate::model::Value`]).
pub type DocumentValidator = jsonschema::Validator<crate::model::value::schema::Compact>;

/// Compiles the schema of a kind, or of a `schema` check, for documents (formats checked).
pub fn compile_for_documents(schema: &Value) -> Result<DocumentValidator> {
    jsonschema::options_for::<crate::model::value::schema::Compact>()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| anyhow!("{e} at `{}`", e.schema_path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_schema_composes_and_compiles() {
        for kind in Kind::ALL {
            let schema = kind_schema(kind).expect("composes");
            compile(&schema).unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(schema["$id"], json!(schema_id(kind)));
        }
    }

    #[test]
    fn defaults_are_found_by_path() {
        assert_eq!(
            default_at(Kind::Policy, "spec.type"),
            Some(json!("service-management"))
        );
        assert_eq!(default_at(Kind::Policy, "spec.statement"), None);
        assert_eq!(default_at(Kind::Policy, "spec.nothing.here"), None);
    }
}
