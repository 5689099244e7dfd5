//! The shapes of a service's types as static data, so the mock can check request bodies with
//! messages that name the field, and make a minimal valid body where the spec has no example.

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt::Display;

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

/// What the documents allow beyond the type: listed values, a numeric range, a length.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The allowed values as text (strings as they are, numbers as JSON); empty allows any.
    pub values: &'static [&'static str],
    /// Least number allowed.
    pub minimum: Option<f64>,
    /// Greatest number allowed.
    pub maximum: Option<f64>,
    /// Least length of a string (in characters) or an array.
    pub min_length: Option<u64>,
    /// Greatest length of a string (in characters) or an array.
    pub max_length: Option<u64>,
}

impl Limits {
    /// No limit beyond the type.
    pub const NONE: Limits = Limits {
        values: &[],
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
    };

    /// What is wrong with a JSON value at `path`, if it breaks a limit.
    pub fn check_value(&self, value: &Value, path: &str) -> Option<String> {
        if !self.values.is_empty() {
            let text = match value {
                Value::String(s) => Some(Cow::Borrowed(s.as_str())),
                Value::Number(n) => Some(Cow::Owned(n.to_string())),
                Value::Bool(b) => Some(Cow::Owned(b.to_string())),
                _ => None,
            };
            if let Some(problem) = text.and_then(|text| self.check_listed(&text, value, &path)) {
                return Some(problem);
            }
        }
        if let Some(problem) = value.as_f64().and_then(|n| self.check_range(n, &path)) {
            return Some(problem);
        }
        let length = match value {
            Value::String(s) => s.chars().count(),
            Value::Array(items) => items.len(),
            _ => return None,
        };
        self.check_length(length as u64, &path)
    }

    /// What is wrong with a parameter's text, if it breaks a limit. Numbers are read from the
    /// text for the range; the length is the text's.
    pub fn check_text(&self, text: &str, what: &str) -> Option<String> {
        self.check_text_as(text, &what)
    }

    /// [`Limits::check_text`] with `what` made only for a message: every parameter of every
    /// request is checked, and most have no limit or keep it.
    pub(crate) fn check_text_as(&self, text: &str, what: &dyn Display) -> Option<String> {
        if let Some(problem) = self.check_listed(text, &Quoted(text), what) {
            return Some(problem);
        }
        if self.minimum.is_some() || self.maximum.is_some() {
            if let Some(problem) = text
                .parse::<f64>()
                .ok()
                .and_then(|n| self.check_range(n, what))
            {
                return Some(problem);
            }
        }
        if self.min_length.is_none() && self.max_length.is_none() {
            return None;
        }
        self.check_length(text.chars().count() as u64, what)
    }

    /// `value` changed as little as possible to keep the limits: the first listed value, the
    /// minimum, or a string padded to the least length.
    fn fit(&self, value: Value) -> Value {
        if let Some(first) = self.values.first() {
            return serde_json::from_str(first).unwrap_or_else(|_| Value::from(*first));
        }
        let least = self.min_length.unwrap_or(0) as usize;
        match (value, self.minimum) {
            (Value::Number(_), Some(min)) if min.fract() == 0.0 => Value::from(min as i64),
            (Value::Number(_), Some(min)) => Value::from(min),
            // A string with a range is a number as text (a `lenient` field).
            (Value::String(_), Some(min)) => Value::String(min.to_string()),
            (Value::String(mut s), _) => {
                s.extend(std::iter::repeat_n(
                    'x',
                    least.saturating_sub(s.chars().count()),
                ));
                Value::String(s)
            }
            (other, _) => other,
        }
    }

    /// `shown` (the value as the message quotes it) if `text` is not a listed value.
    fn check_listed(&self, text: &str, shown: &dyn Display, path: &dyn Display) -> Option<String> {
        (!self.values.is_empty() && !self.values.contains(&text))
            .then(|| format!("{path}: {shown} is not one of {}", self.values.join(", ")))
    }

    fn check_range(&self, n: f64, path: &dyn Display) -> Option<String> {
        if self.minimum.is_some_and(|min| n < min) || self.maximum.is_some_and(|max| n > max) {
            let bound = |b: Option<f64>| b.map_or_else(|| "any".to_string(), |b| b.to_string());
            return Some(format!(
                "{path}: {n} is outside the documented range {} to {}",
                bound(self.minimum),
                bound(self.maximum)
            ));
        }
        None
    }

    fn check_length(&self, length: u64, path: &dyn Display) -> Option<String> {
        if self.min_length.is_some_and(|min| length < min)
            || self.max_length.is_some_and(|max| length > max)
        {
            return Some(format!(
                "{path}: length {length} is outside the documented {} to {}",
                self.min_length.unwrap_or(0),
                self.max_length
                    .map_or_else(|| "any".to_string(), |max| max.to_string())
            ));
        }
        None
    }
}

/// Which form besides its type's a field accepts, because the documents disagree on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leniency {
    /// Only the field's type.
    Strict,
    /// Text and numbers alike (spec `lenient`): a number where the type is a string, and text
    /// that reads as the number where it is a number. Limits apply to the value as text.
    TextOrNumber,
    /// One item where the type is an array (spec `one_or_many`).
    OneOrMany,
}

/// A parameter's text as a message shows it: in quotes.
struct Quoted<'a>(&'a str);

impl Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
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
    /// What the documents allow beyond the type.
    pub limits: Limits,
    /// The other form it accepts, if any.
    pub leniency: Leniency,
}

impl FieldSchema {
    /// A field a request must carry.
    pub const fn required(name: &'static str, shape: Shape) -> Self {
        FieldSchema {
            name,
            shape,
            required: true,
            limits: Limits::NONE,
            leniency: Leniency::Strict,
        }
    }

    /// A field a request may leave out.
    pub const fn optional(name: &'static str, shape: Shape) -> Self {
        FieldSchema {
            name,
            shape,
            required: false,
            limits: Limits::NONE,
            leniency: Leniency::Strict,
        }
    }

    /// The field with the documents' limits.
    pub const fn with_limits(self, limits: Limits) -> Self {
        FieldSchema { limits, ..self }
    }

    /// The field accepting text and numbers alike (spec `lenient`).
    pub const fn text_or_number(self) -> Self {
        FieldSchema {
            leniency: Leniency::TextOrNumber,
            ..self
        }
    }

    /// The array field accepting one item as well (spec `one_or_many`).
    pub const fn one_or_many(self) -> Self {
        FieldSchema {
            leniency: Leniency::OneOrMany,
            ..self
        }
    }
}

/// What a named type is.
#[derive(Debug, Clone, Copy)]
pub enum TypeSchema {
    /// An object with these fields (others are ignored, as the API does; the validator rejects
    /// them in the spec's examples, on purpose: see `codegen`'s `spec::validate::values`).
    Object(&'static [FieldSchema]),
    /// A string with one of these values.
    Enum(&'static [&'static str]),
    /// Another shape under a name.
    Alias(Shape),
}

/// Every named type of a service: one list per group of the spec, each sorted by name.
#[derive(Debug, Clone, Copy)]
pub struct Schema(pub &'static [&'static [(&'static str, TypeSchema)]]);

/// How many problems of one body an error answer describes.
pub const MAX_PROBLEMS: usize = 20;

/// The problems described so far, and how many more there were.
#[derive(Default)]
struct Problems {
    shown: Vec<String>,
    more: usize,
}

impl Problems {
    fn push(&mut self, problem: String) {
        if self.shown.len() < MAX_PROBLEMS {
            self.shown.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn extend(&mut self, problems: impl IntoIterator<Item = String>) {
        for problem in problems {
            self.push(problem);
        }
    }
}

impl Schema {
    /// The type names that `shapes` and the schema's own types refer to but the schema does not
    /// hold, sorted. The checks read an unknown name as "anything goes", so a name left out of
    /// the schema would weaken them silently; each generated mock tests that this is empty.
    pub fn unknown_names(&self, shapes: impl IntoIterator<Item = Shape>) -> Vec<&'static str> {
        fn names_in(shape: &Shape, found: &mut Vec<&'static str>) {
            match shape {
                Shape::Array(inner) | Shape::Map(inner) => names_in(inner, found),
                Shape::Named(name) => found.push(name),
                _ => {}
            }
        }
        let mut named = Vec::new();
        for shape in shapes {
            names_in(&shape, &mut named);
        }
        for (_, ty) in self.0.iter().flat_map(|group| group.iter()) {
            match ty {
                TypeSchema::Object(fields) => {
                    for field in fields.iter() {
                        names_in(&field.shape, &mut named);
                    }
                }
                TypeSchema::Alias(shape) => names_in(shape, &mut named),
                TypeSchema::Enum(_) => {}
            }
        }
        let mut unknown: Vec<&'static str> = named
            .into_iter()
            .filter(|name| self.get(name).is_none())
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        unknown
    }

    fn get(&self, name: &str) -> Option<&TypeSchema> {
        self.0.iter().find_map(|group| {
            group
                .binary_search_by(|(n, _)| n.cmp(&name))
                .ok()
                .map(|i| &group[i].1)
        })
    }

    /// Problems of `value` as a `shape`, each with its JSON path (`body.tags[0].key`).
    ///
    /// At most [`MAX_PROBLEMS`] are described; the rest are counted in a last entry ("and 99990
    /// more"), so a hostile body cannot make the error answer larger than the request.
    ///
    /// An integer field takes a number with a zero fraction (`33676.0`), as JSON Schema and so the
    /// OpenAPI export do; [`Schema::conform`] also rewrites it as the integer it is.
    pub fn check(&self, shape: &Shape, value: &Value, path: &str) -> Vec<String> {
        self.conform(shape, &mut value.clone(), path)
    }

    /// [`Schema::check`], rewriting each number with a zero fraction in an integer field as that
    /// integer, so that the value deserializes into the field's Rust integer type.
    pub fn conform(&self, shape: &Shape, value: &mut Value, path: &str) -> Vec<String> {
        let mut problems = Problems::default();
        self.check_at(shape, value, path, &mut problems, 0);
        let mut shown = problems.shown;
        if problems.more > 0 {
            shown.push(format!("and {} more", problems.more));
        }
        shown
    }

    fn check_at(
        &self,
        shape: &Shape,
        value: &mut Value,
        path: &str,
        problems: &mut Problems,
        depth: usize,
    ) {
        const MAX_DEPTH: usize = 64;
        if depth > MAX_DEPTH {
            problems.push(format!("{path}: nested too deeply"));
            return;
        }
        let found = kind(value);
        let wrong = |expected: &str| format!("{path}: expected {expected}, found {found}");
        match shape {
            Shape::Json => {}
            Shape::String if !value.is_string() => problems.push(wrong("a string")),
            Shape::Bool if !value.is_boolean() => problems.push(wrong("a boolean")),
            Shape::I32 => match whole_number(value).filter(|n| i32::try_from(*n).is_ok()) {
                Some(n) => *value = Value::from(n),
                None => problems.push(wrong("a 32-bit integer")),
            },
            Shape::I64 => match whole_number(value) {
                Some(n) => *value = Value::from(n),
                None => problems.push(wrong("an integer")),
            },
            Shape::F64 if !value.is_number() => problems.push(wrong("a number")),
            Shape::Array(inner) => match value.as_array_mut() {
                Some(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        self.check_at(inner, item, &format!("{path}[{i}]"), problems, depth + 1);
                    }
                }
                None => problems.push(wrong("an array")),
            },
            Shape::Map(inner) => match value.as_object_mut() {
                Some(map) => {
                    for (key, item) in map.iter_mut() {
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
                Some(TypeSchema::Object(fields)) => match value.as_object_mut() {
                    Some(map) => {
                        for field in *fields {
                            let field_path = format!("{path}.{}", field.name);
                            // `null` is a value of a `json` field; of any other, absence.
                            let given = map
                                .get_mut(field.name)
                                .filter(|v| !v.is_null() || matches!(field.shape, Shape::Json));
                            match given {
                                None if field.required => problems
                                    .push(format!("{field_path}: required field is missing")),
                                None => {}
                                Some(item) => {
                                    self.check_field(field, item, &field_path, problems, depth + 1)
                                }
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

    /// A field's value: its limits, then its shape, in the other form its leniency allows too.
    fn check_field(
        &self,
        field: &FieldSchema,
        value: &mut Value,
        path: &str,
        problems: &mut Problems,
        depth: usize,
    ) {
        match (field.leniency, field.shape, &*value) {
            // Text for any lenient field, and a number for a text one, are read as text; a number
            // for a number field is checked as one (so `3.0` is the integer 3).
            (Leniency::TextOrNumber, shape, Value::String(_) | Value::Number(_))
                if shape == Shape::String || value.is_string() =>
            {
                let text = match &*value {
                    Value::String(s) => Cow::Borrowed(s.trim()),
                    other => Cow::Owned(other.to_string()),
                };
                match reads_as(&shape, &text) {
                    Some(problem) => problems.push(format!(
                        "{path}: expected {problem} or text that reads as one, found {}",
                        kind(value)
                    )),
                    None => problems.extend(field.limits.check_text(&text, path)),
                }
            }
            (Leniency::OneOrMany, Shape::Array(item_shape), item) if !item.is_array() => {
                problems.extend(field.limits.check_length(1, &path));
                self.check_at(item_shape, value, path, problems, depth);
            }
            _ => {
                // The type first: it turns `2.0` into the `2` a list of allowed values names.
                self.check_at(&field.shape, value, path, problems, depth);
                problems.extend(field.limits.check_value(value, path));
            }
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
                        .map(|f| {
                            let value = match f.shape {
                                Shape::Array(inner) if f.limits.min_length.is_some() => {
                                    let item = self.minimal_at(inner, depth + 1);
                                    let least = f.limits.min_length.unwrap_or(0) as usize;
                                    Value::Array(vec![item; least])
                                }
                                shape => f.limits.fit(self.minimal_at(&shape, depth + 1)),
                            };
                            (f.name.to_string(), value)
                        })
                        .collect(),
                ),
                None => Value::Null,
            },
        }
    }
}

/// What `text` (a lenient field's value as text) fails to be for `shape`, if anything: text is
/// any string, and reads as a number if it parses as one of the shape's range.
fn reads_as(shape: &Shape, text: &str) -> Option<&'static str> {
    match shape {
        Shape::I32 => text.parse::<i32>().is_err().then_some("a 32-bit integer"),
        Shape::I64 => text.parse::<i64>().is_err().then_some("an integer"),
        Shape::F64 => text.parse::<f64>().is_err().then_some("a number"),
        _ => None,
    }
}

/// `value` as an integer, if it is one in JSON Schema's sense: `33676` or `33676.0`, within the
/// range of `i64`.
fn whole_number(value: &Value) -> Option<i64> {
    let Value::Number(n) = value else {
        return None;
    };
    // 2^63: `i64::MAX as f64` rounds up to it, so the upper bound is exclusive.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    n.as_i64().or_else(|| {
        n.as_f64()
            // Open at both ends: -9223372036854775809 reads as the float -2^63, which is not
            // what was sent.
            .filter(|f| f.fract() == 0.0 && -LIMIT < *f && *f < LIMIT)
            .map(|f| f as i64)
    })
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

#[cfg(test)]
mod tests {
    use super::{FieldSchema, Limits, Schema, Shape, TypeSchema};
    use serde_json::json;

    /// A request type like TaurusDB's recycling policy: a number in days, documented as String.
    static POLICY: &[FieldSchema] = &[FieldSchema::required("days", Shape::String)
        .with_limits(Limits {
            minimum: Some(1.0),
            maximum: Some(7.0),
            ..Limits::NONE
        })
        .text_or_number()];
    static TYPES: &[(&str, TypeSchema)] = &[("Policy", TypeSchema::Object(POLICY))];
    const SCHEMA: Schema = Schema(&[TYPES]);
    const SHAPE: Shape = Shape::Named("Policy");

    #[test]
    fn a_lenient_text_field_takes_text_and_numbers_within_its_range() {
        for days in [json!(5), json!("5")] {
            assert!(SCHEMA
                .check(&SHAPE, &json!({ "days": days }), "body")
                .is_empty());
        }
        for days in [json!(9), json!("9")] {
            assert_eq!(
                SCHEMA.check(&SHAPE, &json!({ "days": days }), "body"),
                ["body.days: 9 is outside the documented range 1 to 7"]
            );
        }
        assert_eq!(
            SCHEMA.check(&SHAPE, &json!({"days": true}), "body"),
            ["body.days: expected a string, found a boolean"]
        );
    }

    #[test]
    fn a_lenient_number_field_takes_a_whole_number_written_as_a_float() {
        static COUNT: &[FieldSchema] = &[FieldSchema::required("n", Shape::I32).text_or_number()];
        static COUNTS: &[(&str, TypeSchema)] = &[("Count", TypeSchema::Object(COUNT))];
        const SCHEMA_COUNT: Schema = Schema(&[COUNTS]);
        let schema = SCHEMA_COUNT;
        let shape = Shape::Named("Count");
        for n in [json!(3), json!(3.0), json!("3"), json!(" 3 ")] {
            assert!(
                schema.check(&shape, &json!({ "n": n }), "body").is_empty(),
                "{n}"
            );
        }
        for n in [json!(3.5), json!(""), json!("three")] {
            assert_eq!(
                schema.check(&shape, &json!({ "n": n }), "body").len(),
                1,
                "{n}"
            );
        }
    }

    #[test]
    fn the_minimal_value_of_a_string_with_a_range_is_its_minimum_as_text() {
        let minimal = SCHEMA.minimal(&SHAPE);
        assert_eq!(minimal, json!({"days": "1"}));
        assert!(SCHEMA.check(&SHAPE, &minimal, "body").is_empty());
    }

    #[test]
    fn an_integer_with_a_zero_fraction_is_an_integer() {
        let schema = Schema(&[]);
        let mut long = json!(33676.0);
        assert_eq!(
            schema.conform(&Shape::I64, &mut long, "body"),
            Vec::<String>::new()
        );
        assert!(long.is_i64(), "{long}");
        let mut int = json!([1.0, -2.0]);
        assert!(schema
            .conform(&Shape::Array(&Shape::I32), &mut int, "body")
            .is_empty());
        assert_eq!(int, json!([1, -2]));
        // `check` takes the same values and leaves them as they are.
        assert!(schema.check(&Shape::I32, &json!(7.0), "body").is_empty());
    }

    #[test]
    fn a_fraction_or_a_number_out_of_range_is_not_an_integer() {
        let schema = Schema(&[]);
        for (shape, value) in [
            (Shape::I64, json!(1.5)),
            (Shape::I64, json!(9.3e18)),
            (Shape::I64, json!(u64::MAX)),
            (Shape::I32, json!(2147483648.0)),
            (Shape::I32, json!("3")),
            // Past i64 by one: it reads as the float -2^63, which must not pass as i64::MIN.
            (
                Shape::I64,
                serde_json::from_str("-9223372036854775809").unwrap(),
            ),
        ] {
            let mut conformed = value.clone();
            assert_eq!(
                schema.conform(&shape, &mut conformed, "body").len(),
                1,
                "{value} as {shape:?}"
            );
            assert_eq!(conformed, value, "a refused value is left alone");
        }
    }

    const RESTART: Schema = Schema(&[&[(
        "Restart",
        TypeSchema::Object(&[
            FieldSchema::required("flag", Shape::Json),
            FieldSchema::required("name", Shape::String),
        ]),
    )]]);

    #[test]
    fn null_is_a_value_of_a_required_json_field_and_absence_of_any_other() {
        let shape = Shape::Named("Restart");
        let given = json!({"flag": null, "name": "n"});
        assert!(RESTART.check(&shape, &given, "body").is_empty());
        let missing = RESTART.check(&shape, &json!({"flag": {}, "name": null}), "body");
        assert_eq!(missing, ["body.name: required field is missing"]);
        let absent = RESTART.check(&shape, &json!({"name": "n"}), "body");
        assert_eq!(absent, ["body.flag: required field is missing"]);
    }

    #[test]
    fn unknown_names_are_those_no_group_holds() {
        const FIELDS: &[FieldSchema] = &[
            FieldSchema::optional("known", Shape::Named("Known")),
            FieldSchema::optional("lost", Shape::Array(&Shape::Named("Lost"))),
        ];
        const GROUP: &[(&str, TypeSchema)] = &[
            ("Holder", TypeSchema::Object(FIELDS)),
            ("Known", TypeSchema::Enum(&["a"])),
        ];
        let schema = Schema(&[GROUP]);
        let asked = [
            Shape::Named("Holder"),
            Shape::Map(&Shape::Named("Elsewhere")),
        ];
        assert_eq!(schema.unknown_names(asked), ["Elsewhere", "Lost"]);
        assert_eq!(schema.unknown_names([Shape::Named("Known")]), ["Lost"]);
    }
}
