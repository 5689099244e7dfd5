//! Fields of JSON objects named by dotted paths (`instance.id`), as the fake's hints name them.

use serde_json::{Map, Value};

/// The value at `path` (empty: `value` itself).
pub(super) fn get<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if path.is_empty() {
        return Some(value);
    }
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// Sets the value at `path`, making the objects on the way (empty: replaces `value`). A
/// non-object on the way is replaced by an object: the fake's hints are validated against the
/// types, so that happens only to a template the documents left empty.
pub(super) fn set(value: &mut Value, path: &str, new: Value) {
    if path.is_empty() {
        *value = new;
        return;
    }
    let mut here = value;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(object) = here else {
            return;
        };
        if keys.peek().is_none() {
            object.insert(key.to_string(), new);
            return;
        }
        here = object.entry(key).or_insert(Value::Null);
    }
}

/// A scalar as the text a query parameter would carry (`7`, `true`, `ready`).
pub(super) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_writes_nested_fields() {
        let mut v = json!({"instance": {"id": "a"}});
        assert_eq!(get(&v, "instance.id"), Some(&json!("a")));
        assert_eq!(get(&v, "instance.name"), None);
        set(&mut v, "instance.name", json!("n"));
        set(&mut v, "job.id", json!("j"));
        assert_eq!(
            v,
            json!({"instance": {"id": "a", "name": "n"}, "job": {"id": "j"}})
        );
        set(&mut v, "", json!(1));
        assert_eq!(v, json!(1));
        assert_eq!(text(&json!(7)).as_deref(), Some("7"));
        assert_eq!(text(&json!([])), None);
    }
}
