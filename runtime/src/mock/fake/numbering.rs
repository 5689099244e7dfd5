//! Names of children made from their parent and their number within it (`my-db_node03`), as
//! [`Numbered`] says.

use super::dotted;
use super::spec::{Numbered, Resource, Within};
use super::store::Store;

/// The number's placeholder in a pattern, between braces.
const NUMBER: &str = "nn";

/// The name of a new child of `parent`: the pattern with the parent's fields, and the smallest
/// number from 1 that no current child of the parent shows in the field, so that the children of
/// one parent keep distinct names whatever was deleted or renamed before.
pub(super) fn next(
    store: &Store,
    child: &Resource,
    within: Within,
    numbered: Numbered,
    parent: &str,
) -> String {
    let parent_value = store.get(within.resource, parent, None);
    let field = |name: &str| {
        parent_value
            .and_then(|v| dotted::get(v, name))
            .and_then(dotted::text)
            .unwrap_or_default()
    };
    let taken: Vec<String> = store
        .all(child.name, Some(parent))
        .filter_map(|v| dotted::get(v, numbered.field).and_then(dotted::text))
        .collect();
    // One more number than there are children is always free.
    (1..=taken.len() + 1)
        .map(|n| {
            fill(numbered.pattern, |name| match name {
                NUMBER => format!("{n:02}"),
                name => field(name),
            })
        })
        .find(|name| !taken.contains(name))
        .unwrap_or_default()
}

/// The pattern with every `{name}` replaced by `value(name)`; text outside braces, and an
/// unclosed brace, stay as written.
fn fill(pattern: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&value(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_takes_each_placeholders_value() {
        let value = |field: &str| format!("<{field}>");
        assert_eq!(fill("{name}_node{nn}", value), "<name>_node<nn>");
        assert_eq!(fill("{a.b}-{nn}-{c}", value), "<a.b>-<nn>-<c>");
        assert_eq!(fill("plain", value), "plain");
        assert_eq!(fill("open{name", value), "open{name");
    }
}
