//! The shapes of a service's types as static data, so the mock can check request bodies with
//! messages that name the field, and make a minimal valid body where the spec has no example.

use serde_json::{Map, Value};

/// A type expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A JSON string.
    String,
    /// `true` or `false`.
    Bool,
    /// An integer that fits `i32`.
    I32,
    /// An integer that fits `i64`.
    I64,
    /// Any number.
    F64,
    /// Any JSON value.
    Json,
    /// An array of the inner shape.
    Array(&'static Shape),
    /// An object with string keys and values of the inner shape.
    Map(&'static Shape),
    /// A named type of the service's [`Schema`].
    Named(&'static str),
}

/// One field of an object type.
#[derive(Debug, Clone, Copy)]
pub struct FieldSchema {
    /// JSON name.
    pub name: &'static str,
    /// Its type.
    pub shape: Shape,
    /// Whether a request must carry it.
    pub required: bool,
}

/// What a named type is.
#[derive(Debug, Clone, Copy)]
pub enum TypeSchema {
    /// An object with these fields (others are ignored, as the API does).
    Object(&'static [FieldSchema]),
    /// A string with one of these values.
    Enum(&'static [&'static str]),
    /// Another shape under a name.
    Alias(Shape),
}

/// Every named type of a service, sorted by name.
#[derive(Debug, Clone, Copy)]
pub struct Schema(pub &'static [(&'static str, TypeSchema)]);

impl Schema {
    fn get(&self, name: &str) -> Option<&TypeSchema> {
        self.0
            .binary_search_by(|(n, _)| n.cmp(&name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Problems of `value` as a `shape`, each with its JSON path (`body.tags[0].key`).
    pub fn check(&self, shape: &Shape, value: &Value, path: &str) -> Vec<String> {
        let mut problems = Vec::new();
        self.check_at(shape, value, path, &mut problems, 0);
        problems
    }

    fn check_at(
        &self,
        shape: &Shape,
        value: &Value,
        path: &str,
        problems: &mut Vec<String>,
        depth: usize,
    ) {
        const MAX_DEPTH: usize = 64;
        if depth > MAX_DEPTH {
            problems.push(format!("{path}: nested too deeply"));
            return;
        }
        let wrong = |expected: &str| format!("{path}: expected {expected}, found {}", kind(value));
        match shape {
            Shape::Json => {}
            Shape::String if !value.is_string() => problems.push(wrong("a string")),
            Shape::Bool if !value.is_boolean() => problems.push(wrong("a boolean")),
            Shape::I32 if value.as_i64().is_none_or(|n| i32::try_from(n).is_err()) => {
                problems.push(wrong("a 32-bit integer"))
            }
            Shape::I64 if !value.is_i64() => problems.push(wrong("an integer")),
            Shape::F64 if !value.is_number() => problems.push(wrong("a number")),
            Shape::Array(inner) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check_at(inner, item, &format!("{path}[{i}]"), problems, depth + 1);
                    }
                }
                None => problems.push(wrong("an array")),
            },
            Shape::Map(inner) => match value.as_object() {
                Some(map) => {
                    for (key, item) in map {
                        self.check_at(inner, item, &format!("{path}.{key}"), problems, depth + 1);
                    }
                }
                None => problems.push(wrong("an object")),
            },
            Shape::Named(name) => match self.get(name) {
                Some(TypeSchema::Alias(inner)) => {
                    self.check_at(inner, value, path, problems, depth + 1)
                }
                Some(TypeSchema::Enum(values)) => match value.as_str() {
                    Some(s) if values.contains(&s) => {}
                    Some(s) => problems.push(format!(
                        "{path}: \"{s}\" is not one of {}",
                        values.join(", ")
                    )),
                    None => problems.push(wrong("a string")),
                },
                Some(TypeSchema::Object(fields)) => match value.as_object() {
                    Some(map) => {
                        for field in *fields {
                            let field_path = format!("{path}.{}", field.name);
                            match map.get(field.name) {
                                None | Some(Value::Null) if field.required => problems
                                    .push(format!("{field_path}: required field is missing")),
                                None | Some(Value::Null) => {}
                                Some(item) => self.check_at(
                                    &field.shape,
                                    item,
                                    &field_path,
                                    problems,
                                    depth + 1,
                                ),
                            }
                        }
                    }
                    None => problems.push(wrong("an object")),
                },
                None => {}
            },
            _ => {}
        }
    }

    /// The smallest value of `shape` that its type accepts: required fields only, empty strings,
    /// zeros, the first enum value.
    pub fn minimal(&self, shape: &Shape) -> Value {
        self.minimal_at(shape, 0)
    }

    fn minimal_at(&self, shape: &Shape, depth: usize) -> Value {
        match shape {
            Shape::String => Value::String(String::new()),
            Shape::Bool => Value::Bool(false),
            Shape::I32 | Shape::I64 | Shape::F64 => Value::from(0),
            Shape::Json | Shape::Map(_) => Value::Object(Map::new()),
            Shape::Array(_) => Value::Array(Vec::new()),
            Shape::Named(_) if depth > 16 => Value::Null,
            Shape::Named(name) => match self.get(name) {
                Some(TypeSchema::Alias(inner)) => self.minimal_at(inner, depth + 1),
                Some(TypeSchema::Enum(values)) => {
                    Value::String(values.first().copied().unwrap_or_default().to_string())
                }
                Some(TypeSchema::Object(fields)) => Value::Object(
                    fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| (f.name.to_string(), self.minimal_at(&f.shape, depth + 1)))
                        .collect(),
                ),
                None => Value::Null,
            },
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
