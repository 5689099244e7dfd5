//! The smallest valid value of a shape: the mock's answer where the spec has no example, and a
//! body for a generated test that has none.

use crate::{Schema, Shape, TypeSchema};
use serde_json::{Map, Value};

impl<'a> Schema<'a> {
    /// The smallest value of `shape` that its type accepts: required fields only, empty strings,
    /// zeros, the first enum value, within the documented limits.
    pub fn minimal(&self, shape: &Shape<'a>) -> Value {
        self.minimal_at(shape, 0)
    }

    fn minimal_at(&self, shape: &Shape<'a>, depth: usize) -> Value {
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
