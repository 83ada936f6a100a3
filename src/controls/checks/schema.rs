//! `schema`: a JSON Schema (draft 2020-12) every applicable document must satisfy.
//!
//! ```yaml
//! check:
//!   schema:
//!     properties:
//!       spec: {required: [major_incident]}
//! ```
//!
//! Each validation error becomes a hit at the error's instance path; a missing property points
//! at the object that should hold it (that is where it must be written), an unknown property
//! at the property itself.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::{Check, CheckKind, CompileError, Context, Hit};
use crate::controls::{Selector, show_json};
use crate::load::yaml::escape_token;
use crate::model::schema::DocumentValidator;

#[derive(Debug)]
struct SchemaCheck {
    validator: DocumentValidator,
    schema: Value,
}

/// Compiles the schema (formats are validated).
pub fn compile(params: &Value, _: Option<&Selector>) -> Result<Check, CompileError> {
    let validator = crate::model::schema::compile_for_documents(params)
        .map_err(|e| CompileError::at("", format!("invalid JSON Schema: {e}")))?;
    Ok(Box::new(SchemaCheck {
        validator,
        schema: params.clone(),
    }))
}

impl CheckKind for SchemaCheck {
    fn name(&self) -> &'static str {
        "schema"
    }

    fn reads(&self) -> Option<Vec<crate::model::Kind>> {
        Some(Vec::new())
    }

    fn evaluate(&self, ctx: &Context<'_>, applicable: &[usize], hits: &mut Vec<Hit>) {
        for &i in applicable {
            validate(
                &self.validator,
                &self.schema,
                &ctx.documents[i].value,
                |pointer, message| {
                    hits.push(Hit::at(i, pointer, message));
                },
            );
        }
    }
}

/// Validates `value` against `validator` (compiled from `schema`), calling
/// `report(pointer, message)` for every error. An unknown field gets a "did you mean" from the
/// properties the schema allows at that place.
pub fn validate(
    validator: &DocumentValidator,
    schema: &Value,
    value: &crate::model::Value,
    mut report: impl FnMut(String, String),
) {
    for error in validator.iter_errors(value) {
        if let ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } = error.kind()
        {
            let base = error.instance_path().as_str().to_string();
            let schema_path = error.schema_path().as_str();
            let allowed: Vec<&str> = schema_path
                .rsplit_once('/')
                .and_then(|(parent, _)| schema.pointer(parent))
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .map(|props| props.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for name in unexpected {
                let hint = crate::suggest::closest(name, allowed.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                report(
                    format!("{base}/{}", escape_token(name)),
                    format!("unknown field `{name}`{hint}"),
                );
            }
            continue;
        }
        let (pointer, message) = describe(&error);
        report(pointer, message);
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn short(value: &Value) -> String {
    let text = show_json(value);
    if text.chars().count() > 60 {
        format!("{}…`", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

/// The pointer and a readable message for one validation error.
pub fn describe(error: &ValidationError<'_>) -> (String, String) {
    let mut pointer = error.instance_path().as_str().to_string();
    // One unknown key: point at that key, not at the mapping holding it.
    if let ValidationErrorKind::AdditionalProperties { unexpected }
    | ValidationErrorKind::UnevaluatedProperties { unexpected } = error.kind()
        && let [name] = unexpected.as_slice()
    {
        pointer.push('/');
        pointer.push_str(&crate::load::yaml::escape_token(name));
    }
    let instance = error.instance();
    let message = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            format!("`{name}` is required here")
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|n| format!("`{n}`")).collect();
            format!("unknown field {}", names.join(", "))
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(show_json).collect())
                .unwrap_or_default();
            format!("{} is not one of {}", short(instance), options.join(", "))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!(
                "expected {}, found {}",
                show_json(expected_value),
                short(instance)
            )
        }
        ValidationErrorKind::Type { kind } => {
            let expected = format!("{kind:?}")
                .to_lowercase()
                .replace("single(", "")
                .replace("multiple(", "")
                .replace(')', "");
            format!("expected {expected}, found {}", type_name(instance))
        }
        ValidationErrorKind::Format { format } => {
            format!("{} is not a valid {format}", short(instance))
        }
        ValidationErrorKind::Pattern { .. } => {
            format!("{} is not in the expected form", short(instance))
        }
        ValidationErrorKind::MinItems { limit } => {
            format!(
                "needs at least {limit} item{}",
                if *limit == 1 { "" } else { "s" }
            )
        }
        ValidationErrorKind::MinLength { .. } => "must not be empty".to_string(),
        ValidationErrorKind::Minimum { limit } => {
            format!("{} is below the minimum {limit}", short(instance))
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{} is above the maximum {limit}", short(instance))
        }
        ValidationErrorKind::UniqueItems => "items must be unique".to_string(),
        ValidationErrorKind::FalseSchema => "this value is not allowed here".to_string(),
        _ => error.to_string(),
    };
    (pointer, message)
}
