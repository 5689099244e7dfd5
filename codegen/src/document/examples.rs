//! Example requests and responses: the JSON in them, repaired where that is safe.

use serde_json::Value;

/// One documented example body.
#[derive(Debug, Clone, PartialEq)]
pub struct DocExample {
    /// Response examples: the status they come with.
    pub status: Option<u16>,
    /// The sentence that introduces it.
    pub summary: Option<String>,
    /// The JSON, or the text that could not be read as JSON.
    pub body: Result<Value, String>,
    /// What was repaired to read it ("removed a trailing comma").
    pub repairs: Vec<String>,
}

/// Reads JSON text, repairing what the extraction typically breaks: page-break noise, trailing
/// commas, and closing brackets lost at the end.
pub fn read_json(text: &str) -> (Result<Value, String>, Vec<String>) {
    let (body, mut repairs) = parse_repaired(text.trim());
    // A JSON value keeps the last of two equal keys: say so, since the first value is lost.
    if body.is_ok() {
        for key in duplicate_keys(text) {
            repairs.push(format!(
                "the key `{key}` appears twice in one object; the last value is kept"
            ));
        }
    }
    (body, repairs)
}

fn parse_repaired(text: &str) -> (Result<Value, String>, Vec<String>) {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return (Ok(v), Vec::new());
    }
    let mut repairs = Vec::new();
    let mut fixed = remove_trailing_commas(text);
    if fixed != text {
        repairs.push("removed trailing commas".to_string());
    }
    if let Ok(v) = serde_json::from_str::<Value>(&fixed) {
        return (Ok(v), repairs);
    }
    let missing = unclosed(&fixed);
    if !missing.is_empty() {
        fixed.push_str(&missing);
        repairs.push(format!("added the lost closing `{missing}`"));
        if let Ok(v) = serde_json::from_str::<Value>(&fixed) {
            return (Ok(v), repairs);
        }
    }
    (Err(text.to_string()), Vec::new())
}

/// `,` directly before `}` or `]` (white space between), outside strings.
fn remove_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The closing brackets that would balance `text`, innermost first; empty if it is balanced or
/// closes more than it opens.
fn unclosed(text: &str) -> String {
    let mut stack = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => stack.push('}'),
            '[' => stack.push(']'),
            // A closing bracket that does not match the last opening one: not a cut-short body.
            '}' | ']' => match stack.pop() {
                Some(open) if open == c => {}
                _ => return String::new(),
            },
            _ => {}
        }
    }
    stack.iter().rev().collect()
}

/// Keys written twice in one object, in the order found.
fn duplicate_keys(text: &str) -> Vec<String> {
    let mut objects: Vec<Vec<String>> = Vec::new();
    let mut found = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => objects.push(Vec::new()),
            '}' => {
                objects.pop();
            }
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                s.push(n);
                            }
                        }
                        '"' => break,
                        _ => s.push(c),
                    }
                }
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if chars.peek() == Some(&':') {
                    if let Some(keys) = objects.last_mut() {
                        if keys.contains(&s) {
                            found.push(s);
                        } else {
                            keys.push(s);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether `text` opens more brackets than it closes (a JSON body that goes on).
pub fn is_open(text: &str) -> bool {
    !unclosed(text).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn repairs_what_is_safe() {
        assert_eq!(read_json("{\"a\": 1}").0, Ok(json!({"a": 1})));
        let (v, repairs) = read_json("{\"a\": [1, 2,], }");
        assert_eq!(v, Ok(json!({"a": [1, 2]})));
        assert_eq!(repairs, ["removed trailing commas"]);
        let (v, repairs) = read_json("{\"a\": {\"b\": \"x,}\"");
        assert_eq!(v, Ok(json!({"a": {"b": "x,}"}})));
        assert_eq!(repairs, ["added the lost closing `}}`"]);
        assert!(read_json("}] }").0.is_err());
        let (v, repairs) = read_json("{\"k\": 1, \"o\": {\"k\": 2}, \"k\": 3}");
        assert_eq!(v, Ok(json!({"k": 3, "o": {"k": 2}})));
        assert_eq!(
            repairs,
            ["the key `k` appears twice in one object; the last value is kept"]
        );
    }
}
