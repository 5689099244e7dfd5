//! A service's types as data: what the checker reads. Generated mocks hold them in static tables;
//! the generator builds them from its model.

use crate::Limits;

/// A type expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape<'a> {
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
    Array(&'a Shape<'a>),
    /// An object with string keys and values of the inner shape.
    Map(&'a Shape<'a>),
    /// A named type of the service's [`Schema`].
    Named(&'a str),
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

/// One field of an object type.
#[derive(Debug, Clone, Copy)]
pub struct FieldSchema<'a> {
    /// JSON name.
    pub name: &'a str,
    /// Its type.
    pub shape: Shape<'a>,
    /// Whether a value must carry it.
    pub required: bool,
    /// What the documents allow beyond the type.
    pub limits: Limits<'a>,
    /// The other form it accepts, if any.
    pub leniency: Leniency,
}

impl<'a> FieldSchema<'a> {
    /// A field a value must carry.
    pub const fn required(name: &'a str, shape: Shape<'a>) -> Self {
        FieldSchema {
            name,
            shape,
            required: true,
            limits: Limits::NONE,
            leniency: Leniency::Strict,
        }
    }

    /// A field a value may leave out.
    pub const fn optional(name: &'a str, shape: Shape<'a>) -> Self {
        FieldSchema {
            name,
            shape,
            required: false,
            limits: Limits::NONE,
            leniency: Leniency::Strict,
        }
    }

    /// The field with the documents' limits.
    pub const fn with_limits(self, limits: Limits<'a>) -> Self {
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
pub enum TypeSchema<'a> {
    /// An object with these fields (see [`Mode`](crate::Mode) for the fields it does not
    /// declare).
    Object(&'a [FieldSchema<'a>]),
    /// A string with one of these values.
    Enum(&'a [&'a str]),
    /// Another shape under a name.
    Alias(Shape<'a>),
}

/// Every named type of a service: one list per group of the spec, each sorted by name.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'a>(pub &'a [&'a [(&'a str, TypeSchema<'a>)]]);

impl<'a> Schema<'a> {
    /// The type names that `shapes` and the schema's own types refer to but the schema does not
    /// hold, sorted. The checks read an unknown name as "anything goes", so a name left out of
    /// the schema would weaken them silently; each generated mock tests that this is empty.
    pub fn unknown_names(&self, shapes: impl IntoIterator<Item = Shape<'a>>) -> Vec<&'a str> {
        fn names_in<'a>(shape: &Shape<'a>, found: &mut Vec<&'a str>) {
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
        let mut unknown: Vec<&'a str> = named
            .into_iter()
            .filter(|name| self.get(name).is_none())
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        unknown
    }

    /// The named type `name`, if the schema holds it.
    pub fn get(&self, name: &str) -> Option<&'a TypeSchema<'a>> {
        self.0.iter().find_map(|group| {
            group
                .binary_search_by(|(n, _)| (*n).cmp(name))
                .ok()
                .map(|i| &group[i].1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
