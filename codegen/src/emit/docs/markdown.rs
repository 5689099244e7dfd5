//! Markdown pieces the pages share: spec text made safe, Rust types as linked code, the cell that
//! sums up a value's rules.

use crate::emit::{code_value, phrasing, value_text};
use crate::model::{Rules, TypeRef};
use proc_macro2::TokenStream;

/// Spec text as Markdown: angle brackets escaped so no HTML is injected.
pub(super) fn text(s: &str) -> String {
    s.trim().replace('<', "&lt;").replace('>', "&gt;")
}

/// Spec text inside a table cell: one line, pipes escaped.
pub(super) fn cell(s: &str) -> String {
    text(s).replace('\n', " ").replace('|', "\\|")
}

/// The anchor of a type's section in `types.md`.
pub(super) fn anchor(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// A link to a type's section of `types.md`, from any page of the service.
pub(super) fn type_href(name: &str) -> String {
    format!("types.md#{}", anchor(name))
}

/// Rust type tokens as source spells them: `Option<Vec<Tag>>`,
/// `std::collections::BTreeMap<String, i32>`. The tokens are the ones the code emitters write,
/// so the reference shows exactly what the generated code declares.
pub(super) fn rust_text(tokens: &TokenStream) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::new();
    for piece in tokens.to_string().split_whitespace() {
        let words_meet = out.ends_with(word) && piece.starts_with(word);
        if out.ends_with(',') || words_meet {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out
}

/// A Rust type as Markdown code, with the named type it holds (`ty`'s innermost type) linked to
/// its section of `types.md`: `` `Option<Vec<`[`Tag`](types.md#tag)`>>` ``.
pub(super) fn rust_type(tokens: &TokenStream, ty: &TypeRef) -> String {
    let text = rust_text(tokens);
    let TypeRef::Named(name) = ty.innermost() else {
        return format!("`{text}`");
    };
    let Some(at) = last_word(&text, name) else {
        return format!("`{text}`");
    };
    let (before, after) = (&text[..at], &text[at + name.len()..]);
    let mut out = String::new();
    if !before.is_empty() {
        out.push_str(&format!("`{before}`"));
    }
    out.push_str(&format!("[`{name}`]({})", type_href(name)));
    if !after.is_empty() {
        out.push_str(&format!("`{after}`"));
    }
    out
}

/// Where `word` last stands alone in `text` (not inside a longer identifier).
fn last_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word)
        .map(|(at, _)| at)
        .filter(|&at| {
            !is_word(text[..at].chars().next_back())
                && !is_word(text[at + word.len()..].chars().next())
        })
        .last()
}

/// A value's documented rules in one table cell: "`a`, `b`; default `a`", "1 to 100",
/// "exactly 32 characters". Empty when nothing is documented.
pub(super) fn values(ty: &TypeRef, rules: &Rules) -> String {
    let mut parts = Vec::new();
    if !rules.enum_values.is_empty() {
        let allowed: Vec<String> = rules
            .enum_values
            .iter()
            .map(|v| code_value(&value_text(&v.value)))
            .collect();
        parts.push(allowed.join(", "));
    }
    parts.extend(phrasing::range(rules));
    parts.extend(phrasing::length(ty, rules));
    if let Some(default) = &rules.default {
        parts.push(format!("default {}", code_value(&value_text(default))));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AllowedValue;
    use quote::quote;

    #[test]
    fn rust_text_spells_types_as_source_does() {
        assert_eq!(rust_text(&quote!(Option<Vec<Tag>>)), "Option<Vec<Tag>>");
        assert_eq!(
            rust_text(&quote!(Option<std::collections::BTreeMap<String, i32>>)),
            "Option<std::collections::BTreeMap<String, i32>>"
        );
        assert_eq!(rust_text(&quote!(serde_json::Value)), "serde_json::Value");
        assert_eq!(rust_text(&quote!(impl Into<String>)), "impl Into<String>");
    }

    #[test]
    fn named_types_are_linked_inside_the_code() {
        let tag = TypeRef::Named("Tag".into());
        let tags = TypeRef::Array(Box::new(tag.clone()));
        assert_eq!(
            rust_type(&quote!(Option<Vec<Tag>>), &tags),
            "`Option<Vec<`[`Tag`](types.md#tag)`>>`"
        );
        assert_eq!(rust_type(&quote!(Tag), &tag), "[`Tag`](types.md#tag)");
        assert_eq!(
            rust_type(&quote!(Option<i32>), &TypeRef::I32),
            "`Option<i32>`"
        );
        // The name is found as a whole word, not inside a longer one.
        let map = TypeRef::Map(Box::new(TypeRef::Named("Map".into())));
        assert_eq!(
            rust_type(&quote!(std::collections::BTreeMap<String, Map>), &map),
            "`std::collections::BTreeMap<String, `[`Map`](types.md#map)`>`"
        );
    }

    #[test]
    fn values_sum_up_the_rules() {
        let rules = Rules {
            enum_values: ["en-us", "zh-cn"]
                .map(|v| AllowedValue {
                    value: v.into(),
                    description: None,
                })
                .to_vec(),
            default: Some("en-us".into()),
            ..Rules::default()
        };
        assert_eq!(
            values(&TypeRef::String, &rules),
            "`en-us`, `zh-cn`; default `en-us`"
        );
        let id = Rules {
            min_length: Some(36),
            max_length: Some(36),
            ..Rules::default()
        };
        assert_eq!(values(&TypeRef::String, &id), "exactly 36 characters");
        let limit = Rules {
            minimum: Some(1.0),
            maximum: Some(100.0),
            default: Some(100.into()),
            ..Rules::default()
        };
        assert_eq!(values(&TypeRef::I32, &limit), "1 to 100; default `100`");
        assert_eq!(values(&TypeRef::I32, &Rules::default()), "");
    }
}
