//! JSON comparison in the sense the documents use it: the tests that prove a transcription (example
//! round trips, documented mock answers) compare with [`same_json`].

use serde_json::Value;

/// JSON equality where an absent field equals `null`, numbers compare by value (`1` == `1.0`), a
/// number equals the text that reads as it (`7` == `"7"`), and an array of one item equals the
/// item (`[{"k": 1}]` == `{"k": 1}`).
///
/// The last two rules are for `lenient` fields, whose documents disagree on text or number, and
/// `one_or_many` fields, documented as one item where other documents show an array: the client
/// reads either form and writes one, so a round trip may turn one into the other.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).all(|k| {
            same_json(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
            )
        }),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            s.trim().parse::<f64>().ok() == n.as_f64()
        }
        (Value::Array(items), one) | (one, Value::Array(items)) => {
            matches!(items.as_slice(), [item] if same_json(item, one))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::same_json;
    use serde_json::json;

    #[test]
    fn absent_is_null_and_numbers_compare_by_value() {
        assert!(same_json(&json!({"a": 1, "b": null}), &json!({"a": 1.0})));
        assert!(same_json(&json!({"port": "3306"}), &json!({"port": 3306})));
        assert!(!same_json(&json!({"port": "33o6"}), &json!({"port": 3306})));
        assert!(!same_json(&json!([1, 2]), &json!([1])));
        assert!(!same_json(&json!("a"), &json!("b")));
        assert!(same_json(
            &json!({"tags": [{"k": 1}]}),
            &json!({"tags": {"k": 1}})
        ));
        assert!(!same_json(&json!([{"k": 1}, {"k": 1}]), &json!({"k": 1})));
    }
}
