//! Writing spec YAML by hand, in the house style of `spec/`: block mappings, `>-` for long text,
//! flow lists for short values. Scalars are quoted by serde_yaml, so any text is safe.

use serde_json::Value;

/// A scalar as YAML, quoted where YAML needs it.
pub fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{text:?}"))
}

/// A JSON value as a YAML scalar or flow value (defaults and enum values).
pub fn value(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s),
        other => other.to_string(),
    }
}

/// `key: text` at `indent`, as a folded block when the text is long.
pub fn text_entry(out: &mut String, indent: usize, key: &str, text: &str) {
    let pad = " ".repeat(indent);
    if text.len() + indent + key.len() < 100 && !text.contains('\n') {
        out.push_str(&format!("{pad}{key}: {}\n", scalar(text)));
        return;
    }
    out.push_str(&format!("{pad}{key}: >-\n"));
    let inner = " ".repeat(indent + 2);
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > 100 - indent - 2 {
            out.push_str(&format!("{inner}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{inner}{line}\n"));
    }
}

/// `key: |` followed by the JSON, pretty-printed, at `indent`.
pub fn json_entry(out: &mut String, indent: usize, key: &str, body: &Value) {
    let pad = " ".repeat(indent);
    out.push_str(&format!("{pad}{key}: |\n"));
    let pretty = serde_json::to_string_pretty(body).unwrap_or_default();
    for line in pretty.lines() {
        out.push_str(&format!("{pad}  {line}\n"));
    }
}

/// Inserts `operations` and `types` (list items, already indented) into an existing group file
/// without touching what is there: each goes at the end of its top-level block, which is made if
/// the file has none.
pub fn insert_into(existing: &str, operations: &str, types: &str) -> String {
    let mut lines: Vec<String> = existing.lines().map(str::to_string).collect();
    for (key, items) in [("operations", operations), ("types", types)] {
        if items.is_empty() {
            continue;
        }
        let start = lines.iter().position(|l| l.trim_end() == format!("{key}:"));
        let at = match start {
            Some(s) => {
                let next_top = lines[s + 1..]
                    .iter()
                    .position(|l| {
                        l.chars()
                            .next()
                            .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-')
                    })
                    .map_or(lines.len(), |p| s + 1 + p);
                // Trailing blank lines stay after the inserted items.
                let mut at = next_top;
                while at > s + 1 && lines[at - 1].trim().is_empty() {
                    at -= 1;
                }
                at
            }
            None => {
                // `operations` goes before `types`, if there is a `types` block.
                let before = (key == "operations")
                    .then(|| lines.iter().position(|l| l.trim_end() == "types:"))
                    .flatten();
                let at = before.unwrap_or(lines.len());
                lines.insert(at, format!("{key}:"));
                at + 1
            }
        };
        let new: Vec<String> = items.lines().map(str::to_string).collect();
        lines.splice(at..at, new);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_at_the_end_of_each_block() {
        let existing =
            "group: g\ntitle: T\noperations:\n  - id: a\n    x: 1\ntypes:\n  - name: A\n";
        let out = insert_into(existing, "  - id: b\n", "  - name: B\n");
        assert_eq!(
            out,
            "group: g\ntitle: T\noperations:\n  - id: a\n    x: 1\n  - id: b\ntypes:\n  - name: A\n  - name: B\n"
        );
        let out = insert_into("group: g\ntitle: T\n", "  - id: b\n", "");
        assert_eq!(out, "group: g\ntitle: T\noperations:\n  - id: b\n");
    }

    #[test]
    fn quotes_what_yaml_needs() {
        assert_eq!(scalar("8.0"), "'8.0'");
        assert_eq!(scalar("plain"), "plain");
        assert_eq!(scalar("a: b"), "'a: b'");
    }
}
