//! Array fields whose table documents one item: a table says "Tags object" where another
//! document (or another version of the API) sends an array of them. The spec marks such fields
//! `one_or_many`; the client reads one item or an array, and writes one item as the item itself,
//! as the table says (any other number of items as an array, the only form that holds them).

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A field type that can be read from one item or from an array of them.
pub trait OneOrMany: Sized {
    /// Converts `value`, or says what was wrong.
    fn from_json(value: Value) -> Result<Self, serde_json::Error>;

    /// Writes one item as the item, anything else as an array.
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl<T: DeserializeOwned + Serialize> OneOrMany for Vec<T> {
    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            Value::Array(_) => serde_json::from_value(value),
            one => serde_json::from_value(one).map(|item| vec![item]),
        }
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_slice() {
            [one] => one.serialize(serializer),
            items => items.serialize(serializer),
        }
    }
}

impl<T: OneOrMany> OneOrMany for Option<T> {
    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(items) => items.write(serializer),
            None => serializer.serialize_none(),
        }
    }
}

/// The `deserialize_with` function of fields marked `one_or_many` in the spec.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: OneOrMany,
{
    let value = Value::deserialize(deserializer)?;
    T::from_json(value).map_err(D::Error::custom)
}

/// The `serialize_with` function of fields marked `one_or_many` in the spec.
pub fn serialize<S, T>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: OneOrMany,
{
    value.write(serializer)
}

#[cfg(test)]
mod tests {
    use super::OneOrMany;
    use serde_json::json;

    #[derive(serde::Deserialize, serde::Serialize, Debug, PartialEq)]
    struct Tag {
        key: String,
    }

    fn tag(key: &str) -> Tag {
        Tag { key: key.into() }
    }

    #[test]
    fn reads_one_item_or_an_array() {
        let one = Vec::<Tag>::from_json(json!({"key": "a"})).unwrap();
        assert_eq!(one, vec![tag("a")]);
        let many = Vec::<Tag>::from_json(json!([{"key": "a"}, {"key": "b"}])).unwrap();
        assert_eq!(many, vec![tag("a"), tag("b")]);
        assert_eq!(Option::<Vec<Tag>>::from_json(json!(null)).unwrap(), None);
        assert!(Vec::<Tag>::from_json(json!("a")).is_err());
        assert!(Vec::<Tag>::from_json(json!([{"key": 1}])).is_err());
    }

    #[test]
    fn writes_one_item_as_the_item_and_others_as_an_array() {
        let write = |items: Vec<Tag>| items.write(serde_json::value::Serializer).unwrap();
        assert_eq!(write(vec![tag("a")]), json!({"key": "a"}));
        assert_eq!(
            write(vec![tag("a"), tag("b")]),
            json!([{"key": "a"}, {"key": "b"}])
        );
        assert_eq!(write(Vec::new()), json!([]));
    }
}
