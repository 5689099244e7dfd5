//! What the documents allow beyond a type: listed values, a numeric range, a length.

use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Display;

/// What the documents allow beyond the type: listed values, a numeric range, a length.
#[derive(Debug, Clone, Copy)]
pub struct Limits<'a> {
    /// The allowed values as text (strings as they are, numbers as JSON); empty allows any.
    pub values: &'a [&'a str],
    /// Least number allowed.
    pub minimum: Option<f64>,
    /// Greatest number allowed.
    pub maximum: Option<f64>,
    /// Least length of a string (in characters) or an array.
    pub min_length: Option<u64>,
    /// Greatest length of a string (in characters) or an array.
    pub max_length: Option<u64>,
}

impl<'a> Limits<'a> {
    /// No limit beyond the type.
    pub const NONE: Limits<'a> = Limits {
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
    /// text for the range; the length is the text's. `what` names the parameter in the message
    /// and is formatted only for one: every parameter of every request is checked, and most
    /// have no limit or keep it.
    pub fn check_text(&self, text: &str, what: &dyn Display) -> Option<String> {
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
    pub(crate) fn fit(&self, value: Value) -> Value {
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

    pub(crate) fn check_length(&self, length: u64, path: &dyn Display) -> Option<String> {
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

/// A parameter's text as a message shows it: in quotes.
struct Quoted<'a>(&'a str);

impl Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
}
