//! The small languages inside YAML strings: type expressions, path templates, names and sections.

use crate::model::*;
use crate::spec::suggest::closest;
use huaweicloud_db_schema::template::{self, Segment};

const SCALARS: [&str; 6] = ["string", "boolean", "integer", "long", "double", "json"];

/// Parses a type expression: `string`, `array<Tag>`, `map<string>`, `Instance`, ...
pub fn parse_type(expr: &str) -> Result<TypeRef, String> {
    let expr = expr.trim();
    let generic = |prefix: &str| {
        expr.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix('>'))
    };
    if let Some(inner) = generic("array<") {
        return Ok(TypeRef::Array(Box::new(parse_type(inner)?)));
    }
    if let Some(inner) = generic("map<") {
        return Ok(TypeRef::Map(Box::new(parse_type(inner)?)));
    }
    match expr {
        "string" => Ok(TypeRef::String),
        "boolean" => Ok(TypeRef::Bool),
        "integer" => Ok(TypeRef::I32),
        "long" => Ok(TypeRef::I64),
        "double" => Ok(TypeRef::F64),
        "json" => Ok(TypeRef::Json),
        name if is_camel(name) => Ok(TypeRef::Named(name.to_string())),
        other => Err(match closest(other, SCALARS) {
            Some(close) => format!("unknown type `{other}`; did you mean `{close}`?"),
            None => format!(
                "unknown type `{other}`: expected string, boolean, integer, long, double, json, array<T>, map<T> or an UpperCamelCase type name"
            ),
        }),
    }
}

pub(super) fn replace_innermost(ty: &TypeRef, with: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Array(inner) => TypeRef::Array(Box::new(replace_innermost(inner, with))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(replace_innermost(inner, with))),
        _ => with,
    }
}

pub(super) enum RawPathPart {
    Literal(String),
    Param(String),
}

/// Parses a path template in the grammar the mock's router follows too
/// (`huaweicloud_db_schema::template`): a parameter is a whole segment, `/a/{id}/b`.
pub(super) fn parse_path(path: &str) -> Result<Vec<RawPathPart>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`"));
    }
    if path.contains(char::is_whitespace) || path.contains('\\') || path.contains('?') {
        return Err(format!(
            "path `{path}` contains a space, a backslash or a query string"
        ));
    }
    let mut parts = Vec::new();
    let mut literal = String::new();
    for (n, segment) in path.split('/').enumerate() {
        if n > 0 {
            literal.push('/');
        }
        let name = match template::segment(segment) {
            Segment::Literal(text) => {
                literal.push_str(text);
                continue;
            }
            Segment::Param(name) => name,
            Segment::Malformed(segment) => {
                return Err(format!(
                    "path `{path}`: `{segment}` is not a parameter; a parameter is a whole segment, `/{{name}}/`"
                ))
            }
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "path `{path}` has a bad parameter name `{{{name}}}`"
            ));
        }
        parts.push(RawPathPart::Literal(std::mem::take(&mut literal)));
        parts.push(RawPathPart::Param(name.to_string()));
    }
    if !literal.is_empty() {
        parts.push(RawPathPart::Literal(literal));
    }
    Ok(parts)
}

pub(super) fn placeholders(pattern: &str) -> Vec<String> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

pub(super) fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn is_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

pub(super) fn is_section(section: &str) -> bool {
    !section.is_empty()
        && section
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}
