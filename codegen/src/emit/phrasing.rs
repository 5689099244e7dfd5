//! How documented value rules read, in rustdoc and in the Markdown reference alike: "exactly 32
//! characters" rather than "Length 32 to 32", "at least 1 item" rather than "Length at least 1".
//! The phrases are lower case and without a full stop, so they fit a table cell as they are and a
//! sentence once capitalized.

use crate::model::{Rules, TypeRef, TypeUse};

/// How many operations a use lists by name before it counts the rest: a type every operation
/// uses (`X-Language`) would otherwise list all of them.
const NAMED_OPERATIONS: usize = 5;

/// The sentence that says where operations use a type: "Used as the request body of
/// `create_widget` and `update_widget`, the 200 response of `show_widget`." Uses in the same role
/// share one phrase; past [`NAMED_OPERATIONS`] operations, the others are counted. `None` when
/// no operation uses it.
pub(crate) fn used_as(uses: &[TypeUse]) -> Option<String> {
    // Roles in the order the model first names them, each with its operations.
    let mut roles: Vec<(String, Vec<&str>)> = Vec::new();
    for u in uses {
        let (role, operation) = match u {
            TypeUse::RequestBody { operation } => ("the request body of".to_string(), operation),
            TypeUse::Response { operation, status } => {
                (format!("the {status} response of"), operation)
            }
            TypeUse::Parameter { operation, name } => {
                (format!("the `{name}` parameter of"), operation)
            }
        };
        match roles.iter_mut().find(|(r, _)| *r == role) {
            Some((_, operations)) => operations.push(operation),
            None => roles.push((role, vec![operation])),
        }
    }
    let phrases: Vec<String> = roles
        .iter()
        .map(|(role, operations)| format!("{role} {}", operation_list(operations)))
        .collect();
    (!phrases.is_empty()).then(|| format!("Used as {}.", phrases.join(", ")))
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`", or the first few and "and 12 more operations".
fn operation_list(operations: &[&str]) -> String {
    let named: Vec<String> = operations
        .iter()
        .take(NAMED_OPERATIONS)
        .map(|op| format!("`{op}`"))
        .collect();
    let more = operations.len() - named.len();
    match (named.split_last(), more) {
        (Some((last, [])), 0) => last.clone(),
        (Some((last, rest)), 0) => format!("{} and {last}", rest.join(", ")),
        _ => format!("{} and {more} more operations", named.join(", ")),
    }
}

/// The numeric range of `rules`: "1 to 100", "at least 0", "at most 5", "exactly 3".
pub(crate) fn range(rules: &Rules) -> Option<String> {
    bounds(
        rules.minimum.map(number),
        rules.maximum.map(number),
        rules.minimum.is_some() && rules.minimum == rules.maximum,
    )
}

/// The documented length of a value of `ty`, counted in what `ty` holds: "4 to 64 characters",
/// "exactly 32 characters", "at least 1 item". A minimum length of 0 says nothing and is left out.
pub(crate) fn length(ty: &TypeRef, rules: &Rules) -> Option<String> {
    let min = rules.min_length.filter(|&m| m > 0);
    let max = rules.max_length;
    // The count the phrase ends with decides singular or plural: "at most 1 item".
    let last = max.or(min)?;
    let phrase = bounds(
        min.map(|m| m.to_string()),
        max.map(|m| m.to_string()),
        min.is_some() && min == max,
    )?;
    Some(match unit(ty) {
        Some((one, many)) => format!("{phrase} {}", if last == 1 { one } else { many }),
        None => format!("length {phrase}"),
    })
}

/// What a length counts in a value of `ty`; `None` where the type does not say (a named type).
fn unit(ty: &TypeRef) -> Option<(&'static str, &'static str)> {
    match ty {
        TypeRef::String => Some(("character", "characters")),
        TypeRef::Array(_) => Some(("item", "items")),
        TypeRef::Map(_) => Some(("entry", "entries")),
        _ => None,
    }
}

fn bounds(min: Option<String>, max: Option<String>, exact: bool) -> Option<String> {
    match (min, max) {
        (Some(min), Some(_)) if exact => Some(format!("exactly {min}")),
        (Some(min), Some(max)) => Some(format!("{min} to {max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
}

/// A bound as the documents write it: `100`, not `100.0`.
fn number(value: f64) -> String {
    value.to_string()
}

/// A phrase as the start of a sentence: "exactly 32 characters" -> "Exactly 32 characters".
pub(crate) fn sentence(phrase: &str) -> String {
    let mut chars = phrase.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_read_as_one_sentence_in_the_order_of_the_model() {
        let op = || "create_widget".to_string();
        let uses = [
            TypeUse::RequestBody { operation: op() },
            TypeUse::Response {
                operation: op(),
                status: 202,
            },
            TypeUse::RequestBody {
                operation: "update_widget".into(),
            },
            TypeUse::Parameter {
                operation: op(),
                name: "X-Language".into(),
            },
        ];
        assert_eq!(
            used_as(&uses).as_deref(),
            Some("Used as the request body of `create_widget` and `update_widget`, the 202 response of `create_widget`, the `X-Language` parameter of `create_widget`.")
        );
        assert_eq!(used_as(&[]), None);
    }

    #[test]
    fn a_type_many_operations_use_names_a_few_and_counts_the_rest() {
        let uses: Vec<TypeUse> = (1..=8)
            .map(|n| TypeUse::Parameter {
                operation: format!("op{n}"),
                name: "X-Language".into(),
            })
            .collect();
        assert_eq!(
            used_as(&uses).as_deref(),
            Some("Used as the `X-Language` parameter of `op1`, `op2`, `op3`, `op4`, `op5` and 3 more operations.")
        );
        assert_eq!(
            used_as(&uses[..3]).as_deref(),
            Some("Used as the `X-Language` parameter of `op1`, `op2` and `op3`.")
        );
    }

    fn lengths(min: Option<u64>, max: Option<u64>) -> Rules {
        Rules {
            min_length: min,
            max_length: max,
            ..Rules::default()
        }
    }

    fn numbers(min: Option<f64>, max: Option<f64>) -> Rules {
        Rules {
            minimum: min,
            maximum: max,
            ..Rules::default()
        }
    }

    #[test]
    fn equal_length_bounds_read_as_exactly() {
        let string = TypeRef::String;
        let array = TypeRef::Array(Box::new(TypeRef::String));
        assert_eq!(
            length(&string, &lengths(Some(32), Some(32))).as_deref(),
            Some("exactly 32 characters")
        );
        assert_eq!(
            length(&array, &lengths(Some(3), Some(3))).as_deref(),
            Some("exactly 3 items")
        );
        assert_eq!(
            length(&array, &lengths(Some(1), Some(1))).as_deref(),
            Some("exactly 1 item")
        );
    }

    #[test]
    fn lengths_count_characters_items_or_entries() {
        let string = TypeRef::String;
        let array = TypeRef::Array(Box::new(TypeRef::I32));
        let map = TypeRef::Map(Box::new(TypeRef::String));
        assert_eq!(
            length(&string, &lengths(Some(4), Some(64))).as_deref(),
            Some("4 to 64 characters")
        );
        assert_eq!(
            length(&string, &lengths(None, Some(1))).as_deref(),
            Some("at most 1 character")
        );
        assert_eq!(
            length(&array, &lengths(Some(1), None)).as_deref(),
            Some("at least 1 item")
        );
        assert_eq!(
            length(&map, &lengths(Some(2), None)).as_deref(),
            Some("at least 2 entries")
        );
        // A named type may be a string or a list: the phrase names no unit.
        assert_eq!(
            length(&TypeRef::Named("Tags".into()), &lengths(Some(1), Some(5))).as_deref(),
            Some("length 1 to 5")
        );
    }

    #[test]
    fn a_minimum_length_of_zero_is_left_out() {
        let string = TypeRef::String;
        assert_eq!(
            length(&string, &lengths(Some(0), Some(255))).as_deref(),
            Some("at most 255 characters")
        );
        assert_eq!(length(&string, &lengths(Some(0), None)), None);
        assert_eq!(length(&string, &lengths(None, None)), None);
    }

    #[test]
    fn ranges_read_as_bounds() {
        assert_eq!(
            range(&numbers(Some(1.0), Some(100.0))).as_deref(),
            Some("1 to 100")
        );
        assert_eq!(
            range(&numbers(Some(0.0), None)).as_deref(),
            Some("at least 0")
        );
        assert_eq!(
            range(&numbers(None, Some(0.5))).as_deref(),
            Some("at most 0.5")
        );
        assert_eq!(
            range(&numbers(Some(7.0), Some(7.0))).as_deref(),
            Some("exactly 7")
        );
        assert_eq!(
            range(&numbers(Some(-1.0), Some(2147483647.0))).as_deref(),
            Some("-1 to 2147483647")
        );
        assert_eq!(range(&numbers(None, None)), None);
    }

    #[test]
    fn sentences_start_upper_case() {
        assert_eq!(sentence("exactly 32 characters"), "Exactly 32 characters");
        assert_eq!(sentence(""), "");
    }
}
