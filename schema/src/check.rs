//! The one checker of a JSON value against a [`Schema`]: the mock reads requests with it, the
//! generator's validator the spec's examples and defaults.

use crate::{FieldSchema, Leniency, Schema, Shape, TypeSchema};
use serde_json::Value;
use std::borrow::Cow;

/// How many problems of one value a check describes.
pub const MAX_PROBLEMS: usize = 20;

/// Whose value is checked; the two differ on purpose in two points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A request to the mock, from a client perhaps built to a newer document: an object field
    /// the type does not declare is ignored, as the API ignores what it does not know, and an
    /// integer may be written with a zero fraction (`33676.0`), as JSON Schema and so the
    /// OpenAPI export allow.
    Request,
    /// A value the spec documents (an example, a default): an undeclared field means a field
    /// missing from the type, and an integer must be written as one, since the typed client
    /// reads it into a Rust integer, which takes no fraction.
    Example,
}

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

/// One walk over a value.
struct Checker<'s, 'a> {
    schema: &'s Schema<'a>,
    mode: Mode,
    problems: Problems,
}

impl<'a> Schema<'a> {
    /// Problems of `value` as a `shape`, each with its JSON path (`body.tags[0].key`).
    ///
    /// At most [`MAX_PROBLEMS`] are described; the rest are counted in a last entry ("and 99990
    /// more"), so a hostile body cannot make the error answer larger than the request.
    pub fn check(&self, mode: Mode, shape: &Shape<'a>, value: &Value, path: &str) -> Vec<String> {
        self.walk(mode, shape, &mut value.clone(), path)
    }

    /// [`Schema::check`] of a request, rewriting each number with a zero fraction in an integer
    /// field as that integer, so that the value deserializes into the field's Rust integer type.
    pub fn conform(&self, shape: &Shape<'a>, value: &mut Value, path: &str) -> Vec<String> {
        self.walk(Mode::Request, shape, value, path)
    }

    fn walk(&self, mode: Mode, shape: &Shape<'a>, value: &mut Value, path: &str) -> Vec<String> {
        let mut checker = Checker {
            schema: self,
            mode,
            problems: Problems::default(),
        };
        checker.check_at(shape, value, path, 0);
        let mut shown = checker.problems.shown;
        if checker.problems.more > 0 {
            shown.push(format!("and {} more", checker.problems.more));
        }
        shown
    }
}

impl<'a> Checker<'_, 'a> {
    fn check_at(&mut self, shape: &Shape<'a>, value: &mut Value, path: &str, depth: usize) {
        const MAX_DEPTH: usize = 64;
        if depth > MAX_DEPTH {
            self.problems.push(format!("{path}: nested too deeply"));
            return;
        }
        let found = kind(value);
        let wrong = |expected: &str| format!("{path}: expected {expected}, found {found}");
        match shape {
            Shape::Json => {}
            Shape::String if !value.is_string() => self.problems.push(wrong("a string")),
            Shape::Bool if !value.is_boolean() => self.problems.push(wrong("a boolean")),
            Shape::I32 => match self.integer(value).filter(|n| i32::try_from(*n).is_ok()) {
                Some(n) => *value = Value::from(n),
                None => self.problems.push(wrong("a 32-bit integer")),
            },
            Shape::I64 => match self.integer(value) {
                Some(n) => *value = Value::from(n),
                None => self.problems.push(wrong("an integer")),
            },
            Shape::F64 if !value.is_number() => self.problems.push(wrong("a number")),
            Shape::Array(inner) => match value.as_array_mut() {
                Some(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        self.check_at(inner, item, &format!("{path}[{i}]"), depth + 1);
                    }
                }
                None => self.problems.push(wrong("an array")),
            },
            Shape::Map(inner) => match value.as_object_mut() {
                Some(map) => {
                    for (key, item) in map.iter_mut() {
                        self.check_at(inner, item, &format!("{path}.{key}"), depth + 1);
                    }
                }
                None => self.problems.push(wrong("an object")),
            },
            Shape::Named(name) => match self.schema.get(name) {
                Some(TypeSchema::Alias(inner)) => self.check_at(inner, value, path, depth + 1),
                Some(TypeSchema::Enum(values)) => match value.as_str() {
                    Some(s) if values.contains(&s) => {}
                    Some(s) => self.problems.push(format!(
                        "{path}: \"{s}\" is not one of {}",
                        values.join(", ")
                    )),
                    None => self.problems.push(wrong("a string")),
                },
                Some(TypeSchema::Object(fields)) => match value.as_object_mut() {
                    Some(map) => {
                        if self.mode == Mode::Example {
                            for key in map.keys() {
                                if !fields.iter().any(|f| f.name == key) {
                                    self.problems.push(format!(
                                        "{path}: field `{key}` is not declared in type `{name}`"
                                    ));
                                }
                            }
                        }
                        for field in *fields {
                            let field_path = format!("{path}.{}", field.name);
                            // `null` is a value of a `json` field; of any other, absence.
                            let given = map
                                .get_mut(field.name)
                                .filter(|v| !v.is_null() || matches!(field.shape, Shape::Json));
                            match given {
                                None if field.required => self
                                    .problems
                                    .push(format!("{field_path}: required field is missing")),
                                None => {}
                                Some(item) => self.check_field(field, item, &field_path, depth + 1),
                            }
                        }
                    }
                    None => self.problems.push(wrong("an object")),
                },
                // Every name is in the schema (generated mocks test it; the validator resolves
                // names first), so an unknown one constrains nothing.
                None => {}
            },
            _ => {}
        }
    }

    /// A field's value: its limits, then its shape, in the other form its leniency allows too.
    fn check_field(
        &mut self,
        field: &FieldSchema<'a>,
        value: &mut Value,
        path: &str,
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
                    Some(problem) => self.problems.push(format!(
                        "{path}: expected {problem} or text that reads as one, found {}",
                        kind(value)
                    )),
                    None => self.problems.extend(field.limits.check_text(&text, &path)),
                }
            }
            (Leniency::OneOrMany, Shape::Array(item_shape), item) if !item.is_array() => {
                self.problems.extend(field.limits.check_length(1, &path));
                self.check_at(item_shape, value, path, depth);
            }
            _ => {
                // The type first: it turns `2.0` into the `2` a list of allowed values names.
                self.check_at(&field.shape, value, path, depth);
                self.problems.extend(field.limits.check_value(value, path));
            }
        }
    }

    /// `value` as an integer: `33676`, or in a request `33676.0` too (JSON Schema's integer),
    /// within the range of `i64`.
    fn integer(&self, value: &Value) -> Option<i64> {
        let Value::Number(n) = value else {
            return None;
        };
        // 2^63: `i64::MAX as f64` rounds up to it, so the upper bound is exclusive.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|_| self.mode == Mode::Request)
                // Open at both ends: -9223372036854775809 reads as the float -2^63, which is
                // not what was sent.
                .filter(|f| f.fract() == 0.0 && -LIMIT < *f && *f < LIMIT)
                .map(|f| f as i64)
        })
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
    use crate::{FieldSchema, Limits, Mode, Schema, Shape, TypeSchema};
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
                .check(Mode::Request, &SHAPE, &json!({ "days": days }), "body")
                .is_empty());
        }
        for days in [json!(9), json!("9")] {
            assert_eq!(
                SCHEMA.check(Mode::Request, &SHAPE, &json!({ "days": days }), "body"),
                ["body.days: 9 is outside the documented range 1 to 7"]
            );
        }
        assert_eq!(
            SCHEMA.check(Mode::Request, &SHAPE, &json!({"days": true}), "body"),
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
                schema
                    .check(Mode::Request, &shape, &json!({ "n": n }), "body")
                    .is_empty(),
                "{n}"
            );
        }
        for n in [json!(3.5), json!(""), json!("three")] {
            assert_eq!(
                schema
                    .check(Mode::Request, &shape, &json!({ "n": n }), "body")
                    .len(),
                1,
                "{n}"
            );
        }
    }

    #[test]
    fn the_minimal_value_of_a_string_with_a_range_is_its_minimum_as_text() {
        let minimal = SCHEMA.minimal(&SHAPE);
        assert_eq!(minimal, json!({"days": "1"}));
        assert!(SCHEMA
            .check(Mode::Request, &SHAPE, &minimal, "body")
            .is_empty());
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
        assert!(schema
            .check(Mode::Request, &Shape::I32, &json!(7.0), "body")
            .is_empty());
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
        assert!(RESTART
            .check(Mode::Request, &shape, &given, "body")
            .is_empty());
        let missing = RESTART.check(
            Mode::Request,
            &shape,
            &json!({"flag": {}, "name": null}),
            "body",
        );
        assert_eq!(missing, ["body.name: required field is missing"]);
        let absent = RESTART.check(Mode::Request, &shape, &json!({"name": "n"}), "body");
        assert_eq!(absent, ["body.flag: required field is missing"]);
    }

    #[test]
    fn an_example_may_not_have_undeclared_fields_or_fractions_in_integers() {
        const SCHEMA: Schema = Schema(&[&[(
            "Widget",
            TypeSchema::Object(&[FieldSchema::required("size", Shape::I32)]),
        )]]);
        let shape = Shape::Named("Widget");
        let value = json!({"size": 3.0, "colour": "red"});
        assert!(SCHEMA
            .check(Mode::Request, &shape, &value, "body")
            .is_empty());
        assert_eq!(
            SCHEMA.check(Mode::Example, &shape, &value, "$"),
            [
                "$: field `colour` is not declared in type `Widget`",
                "$.size: expected a 32-bit integer, found a number"
            ]
        );
    }

    #[test]
    fn a_hostile_value_gets_a_bounded_list_of_problems() {
        let items = json!(vec!["x"; 1000]);
        let problems = Schema(&[]).check(Mode::Request, &Shape::Array(&Shape::I64), &items, "body");
        assert_eq!(problems.len(), crate::MAX_PROBLEMS + 1);
        assert_eq!(problems.last().unwrap(), "and 980 more");
    }
}
