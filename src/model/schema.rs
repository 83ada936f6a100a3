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

/// The `$id` of a kind's composed schema.
pub fn schema_id(kind: Kind) -> String {
    format!("urn:evident:schema:v1:{}", kind.file_stem())
}

fn embedded_json(path: &str) -> Result<Value> {
    let text = assets::SCHEMAS
        .get_file(path)
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| anyhow!("embedded schema `schemas/{path}` is missing"))?;
    serde_json::from_str(text)
        .with_context(|| format!("embedded schema `schemas/{path}` is not valid JSON"))
}

/// The complete, self-contained JSON Schema (draft 2020-12) of documents of `kind`.
pub fn kind_schema(kind: Kind) -> Result<Value> {
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
    Ok(Value::Object(schema))
}

/// The `default` the schema of `kind` gives at a dotted path such as `spec.type`, if any.
///
/// Selectors use it, so that a document that leaves out a defaulted field (a Policy without
/// `spec.type` is a service management policy) is judged as the schema says it means.
pub fn default_at(kind: Kind, path: &str) -> Option<Value> {
    let mut node = kind_schema(kind).ok()?;
    for segment in path.split('.') {
        node = node.get("properties")?.get(segment)?.clone();
    }
    node.get("default").cloned()
}

/// Compiles the schema of `kind` for validation (formats checked).
pub fn compile(schema: &Value) -> Result<jsonschema::Validator> {
    jsonschema::options()
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
