//! JSON values against types and documented rules, for examples and defaults.
//!
//! One difference from the mock's check of request bodies (`runtime::mock::schema`) is deliberate:
//! an object member the type does not declare is an error here and ignored there. An example is
//! the spec's own transcription, so an undeclared field means a field missing from a type; a
//! request comes from a client, perhaps built to a newer document, and the API ignores what it
//! does not know. The validator table (`example has a field the type lacks`) and the mock's
//! `a_request_field_the_type_lacks_is_ignored` test hold each side.

use crate::model::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// Checks a JSON value against a type; returns one message per problem, with its JSON path.
pub fn check_value(ty: &TypeRef, value: &Value, types: &BTreeMap<&str, &TypeDef>) -> Vec<String> {
    let mut problems = Vec::new();
    check_at(ty, value, types, &mut "$".to_string(), &mut problems, 0);
    problems
}

fn check_at(
    ty: &TypeRef,
    value: &Value,
    types: &BTreeMap<&str, &TypeDef>,
    path: &mut String,
    problems: &mut Vec<String>,
    depth: usize,
) {
    // Type definitions may be recursive; JSON from a file is finite, but keep the walk bounded.
    if depth > 64 {
        return;
    }
    let wrong = |expected: &str| format!("{path}: expected {expected}, found {}", short(value));
    match ty {
        TypeRef::Json => {}
        TypeRef::Array(inner) => match value.as_array() {
            Some(items) => {
                for (n, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{n}]"));
                    check_at(inner, item, types, path, problems, depth + 1);
                    path.truncate(len);
                }
            }
            None => problems.push(wrong("an array")),
        },
        TypeRef::Map(inner) => match value.as_object() {
            Some(map) => {
                for (k, item) in map {
                    let len = path.len();
                    path.push_str(&format!(".{k}"));
                    check_at(inner, item, types, path, problems, depth + 1);
                    path.truncate(len);
                }
            }
            None => problems.push(wrong("an object")),
        },
        TypeRef::Named(name) => {
            let Some(def) = types.get(name.as_str()) else {
                return;
            };
            match &def.kind {
                TypeKind::Alias(target) => {
                    check_at(target, value, types, path, problems, depth + 1)
                }
                TypeKind::Enum(variants) => match value.as_str() {
                    Some(s) if variants.iter().any(|v| v.value == s) => {}
                    Some(s) => problems.push(format!(
                        "{path}: \"{s}\" is not one of the values of `{name}` ({})",
                        variants
                            .iter()
                            .map(|v| v.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    None => problems.push(wrong("a string")),
                },
                TypeKind::Object(fields) => match value.as_object() {
                    Some(map) => {
                        for k in map.keys() {
                            if !fields.iter().any(|f| f.wire_name == *k) {
                                problems.push(format!(
                                    "{path}: field `{k}` is not declared in type `{name}`"
                                ));
                            }
                        }
                        for field in fields {
                            let len = path.len();
                            path.push_str(&format!(".{}", field.wire_name));
                            match map.get(&field.wire_name) {
                                None | Some(Value::Null) if field.required => {
                                    problems.push(format!("{path}: required field is missing"));
                                }
                                None | Some(Value::Null) => {}
                                Some(item) if field.one_or_many && !item.is_array() => {
                                    // One item where the type is an array of them.
                                    if let TypeRef::Array(inner) = &field.ty {
                                        check_at(inner, item, types, path, problems, depth + 1);
                                    }
                                    check_length(&field.rules, 1, path, problems);
                                }
                                Some(item) => {
                                    if !(field.lenient && lenient_fits(&field.ty, item)) {
                                        check_at(&field.ty, item, types, path, problems, depth + 1);
                                    }
                                    check_rules(
                                        &field.rules,
                                        &field.ty,
                                        field.lenient,
                                        item,
                                        path,
                                        problems,
                                    );
                                }
                            }
                            path.truncate(len);
                        }
                    }
                    None => problems.push(wrong(&format!("an object of type `{name}`"))),
                },
            }
        }
        scalar => {
            if !scalar_matches(scalar, value) {
                problems.push(wrong(&scalar.spec_name()));
            }
        }
    }
}

/// A lenient field's value in the other form than declared: text for a number field that reads
/// as one, or a number for a text field. The client reads both, so examples may show either
/// (the mock's `Leniency::TextOrNumber` accepts the same).
fn lenient_fits(ty: &TypeRef, value: &Value) -> bool {
    match (ty, value) {
        (TypeRef::String, Value::Number(_)) => true,
        (TypeRef::I32, Value::String(s)) => s.trim().parse::<i32>().is_ok(),
        (TypeRef::I64, Value::String(s)) => s.trim().parse::<i64>().is_ok(),
        (TypeRef::F64, Value::String(s)) => s.trim().parse::<f64>().is_ok(),
        _ => false,
    }
}

/// The number whose range and listed values are checked: a number, or a lenient field's text
/// that reads as one.
fn number_of(value: &Value, lenient: bool) -> Option<f64> {
    match value {
        Value::String(s) if lenient => s.trim().parse().ok(),
        _ => value.as_f64(),
    }
}

/// Documented values (numeric enums, which are not Rust enums), ranges and lengths.
fn check_rules(
    rules: &Rules,
    ty: &TypeRef,
    lenient: bool,
    value: &Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    let number = number_of(value, lenient);
    let numeric = matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64);
    if numeric && !rules.enum_values.is_empty() {
        let listed = rules
            .enum_values
            .iter()
            .any(|v| v.value.as_f64().is_some() && v.value.as_f64() == number);
        if !listed {
            let allowed: Vec<String> = rules
                .enum_values
                .iter()
                .map(|v| v.value.to_string())
                .collect();
            problems.push(format!(
                "{path}: {value} is not one of {}",
                allowed.join(", ")
            ));
        }
    }
    if let Some(n) = number {
        if rules.minimum.is_some_and(|min| n < min) || rules.maximum.is_some_and(|max| n > max) {
            let bound = |b: Option<f64>| b.map(|b| b.to_string()).unwrap_or_else(|| "any".into());
            problems.push(format!(
                "{path}: {value} is outside the documented range {} to {}",
                bound(rules.minimum),
                bound(rules.maximum)
            ));
        }
    }
    match value {
        Value::String(s) => check_length(rules, s.chars().count() as u64, path, problems),
        Value::Array(items) => check_length(rules, items.len() as u64, path, problems),
        _ => {}
    }
}

/// A string's length or an array's size within min_length/max_length.
fn check_length(rules: &Rules, length: u64, path: &str, problems: &mut Vec<String>) {
    if rules.min_length.is_some_and(|min| length < min)
        || rules.max_length.is_some_and(|max| length > max)
    {
        problems.push(format!(
            "{path}: length {length} is outside the documented {} to {}",
            rules
                .min_length
                .map(|m| m.to_string())
                .unwrap_or_else(|| "0".into()),
            rules
                .max_length
                .map(|m| m.to_string())
                .unwrap_or_else(|| "any".into())
        ));
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

pub(super) fn scalar_matches(ty: &TypeRef, value: &Value) -> bool {
    match ty {
        TypeRef::String => value.is_string(),
        TypeRef::Bool => value.is_boolean(),
        TypeRef::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        TypeRef::I64 => {
            value.is_i64()
                || value.is_u64() && value.as_u64().is_some_and(|n| i64::try_from(n).is_ok())
        }
        TypeRef::F64 => value.is_number(),
        TypeRef::Json => true,
        // Named types are checked by `check_at`; enum values on them are strings.
        TypeRef::Named(_) => value.is_string(),
        TypeRef::Array(_) | TypeRef::Map(_) => false,
    }
}

pub(super) fn is_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F64
            | TypeRef::Named(_)
    )
}
