//! Reading fields whose JSON type the documents disagree on: a table says `String` where the
//! example shows a number, or the reverse. The spec marks such fields `lenient`; the client then
//! accepts text and numbers alike and converts them to the declared type, so a response decodes
//! whichever way the API writes it. Requests still send the declared type.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Number, Value};

/// A type that can be read from text or from a number.
pub trait Lenient: Sized {
    /// Converts `value`, or says what was expected.
    fn from_json(value: Value) -> Result<Self, String>;
}

fn unexpected(expected: &str, value: &Value) -> String {
    format!("expected {expected} as text or a number, found {value}")
}

impl Lenient for String {
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::String(text) => Ok(text),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(unexpected("a string", &other)),
        }
    }
}

impl Lenient for i32 {
    fn from_json(value: Value) -> Result<Self, String> {
        i64::from_json(value).and_then(|n| {
            i32::try_from(n).map_err(|_| format!("{n} does not fit a 32-bit integer"))
        })
    }
}

impl Lenient for i64 {
    fn from_json(value: Value) -> Result<Self, String> {
        number(value, Number::as_i64, "an integer")
    }
}

impl Lenient for f64 {
    fn from_json(value: Value) -> Result<Self, String> {
        number(value, Number::as_f64, "a number")
    }
}

/// A JSON number read with `from_number`, or text parsed as one.
fn number<T: std::str::FromStr>(
    value: Value,
    from_number: fn(&Number) -> Option<T>,
    expected: &str,
) -> Result<T, String> {
    let parsed = match &value {
        Value::Number(n) => from_number(n),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| unexpected(expected, &value))
}

impl<T: Lenient> Lenient for Option<T> {
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

/// The `deserialize_with` function of fields marked `lenient` in the spec.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Lenient,
{
    let value = Value::deserialize(deserializer)?;
    T::from_json(value).map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::Lenient;
    use serde_json::json;

    #[test]
    fn text_and_numbers_convert_both_ways() {
        assert_eq!(String::from_json(json!(3306)), Ok("3306".to_string()));
        assert_eq!(String::from_json(json!("3306")), Ok("3306".to_string()));
        assert_eq!(i32::from_json(json!("7")), Ok(7));
        assert_eq!(i32::from_json(json!(7)), Ok(7));
        assert_eq!(i64::from_json(json!(" 1712656933705 ")), Ok(1712656933705));
        assert_eq!(f64::from_json(json!("32.0")), Ok(32.0));
        assert_eq!(Option::<i32>::from_json(json!(null)), Ok(None));
        assert_eq!(Option::<i32>::from_json(json!("2")), Ok(Some(2)));
    }

    #[test]
    fn other_values_are_errors_that_say_what_was_expected() {
        assert!(i32::from_json(json!("seven")).is_err_and(|e| e.contains("an integer")));
        assert!(i32::from_json(json!(1_i64 << 40)).is_err_and(|e| e.contains("32-bit")));
        assert!(String::from_json(json!(true)).is_err_and(|e| e.contains("a string")));
        assert!(f64::from_json(json!([1])).is_err());
    }
}
