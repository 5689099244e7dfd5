//! The model as the shared checker sees it (`huaweicloud-db-schema`): the validator checks the
//! spec's examples and defaults with it, and the mock emitter writes the same description as
//! static tables. What a field's limits and leniency are is decided here, once, for both.

use crate::emit::value_text;
use crate::model::{Field, Rules, TypeDef, TypeKind, TypeRef};
use bumpalo::Bump;
use huaweicloud_db_schema::{FieldSchema, Leniency, Limits, Mode, Schema, Shape, TypeSchema};
use serde_json::Value;

/// The documented limits of a field or parameter, owned, as both consumers take them.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct DocumentedLimits {
    /// Allowed values as text.
    pub values: Vec<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
}

impl DocumentedLimits {
    /// Whether the documents give no limit.
    pub fn is_none(&self) -> bool {
        *self == DocumentedLimits::default()
    }
}

/// The limits of `rules`. Listed values only `with_values`: a string enum of a field is a named
/// type, whose values the checker knows already.
pub(crate) fn limits(rules: &Rules, with_values: bool) -> DocumentedLimits {
    DocumentedLimits {
        values: if with_values {
            rules
                .enum_values
                .iter()
                .map(|v| value_text(&v.value))
                .collect()
        } else {
            Vec::new()
        },
        minimum: rules.minimum,
        maximum: rules.maximum,
        min_length: rules.min_length,
        max_length: rules.max_length,
    }
}

/// The limits of an object field.
pub(crate) fn field_limits(field: &Field) -> DocumentedLimits {
    limits(&field.rules, !matches!(field.ty, TypeRef::Named(_)))
}

/// The other form an object field accepts.
pub(crate) fn leniency(field: &Field) -> Leniency {
    if field.lenient {
        Leniency::TextOrNumber
    } else if field.one_or_many {
        Leniency::OneOrMany
    } else {
        Leniency::Strict
    }
}

/// The types of a service, for checking the values its spec documents. Names and allowed
/// values are borrowed from the model or copied into `bump`.
pub(crate) fn schema<'a>(bump: &'a Bump, types: &[&'a TypeDef]) -> Schema<'a> {
    let mut entries: Vec<(&'a str, TypeSchema<'a>)> = types
        .iter()
        .map(|t| (t.name.as_str(), type_schema(bump, &t.kind)))
        .collect();
    entries.sort_unstable_by_key(|(name, _)| *name);
    let group: &'a [(&'a str, TypeSchema<'a>)] = bump.alloc_slice_copy(&entries);
    Schema(bump.alloc_slice_copy(&[group]))
}

/// The problems of a value the spec documents (an example, a default) as a `ty`, each with its
/// JSON path from `$`.
pub(crate) fn check_example(schema: &Schema<'_>, ty: &TypeRef, value: &Value) -> Vec<String> {
    let bump = Bump::new();
    let shape = shape(&bump, ty);
    schema.check(Mode::Example, &shape, value, "$")
}

/// Whether `value` is of the scalar type `ty`, before the named types are known: a named type's
/// value (an enum's) is a string.
pub(crate) fn is_scalar_value(ty: &TypeRef, value: &Value) -> bool {
    match ty {
        TypeRef::Named(_) => value.is_string(),
        TypeRef::Array(_) | TypeRef::Map(_) => false,
        scalar => check_example(&Schema(&[]), scalar, value).is_empty(),
    }
}

fn type_schema<'a>(bump: &'a Bump, kind: &'a TypeKind) -> TypeSchema<'a> {
    match kind {
        TypeKind::Object(fields) => TypeSchema::Object(bump.alloc_slice_fill_iter(
            fields.iter().map(|f| FieldSchema {
                name: f.wire_name.as_str(),
                shape: shape(bump, &f.ty),
                required: f.required,
                limits: borrowed_limits(bump, &field_limits(f)),
                leniency: leniency(f),
            }),
        )),
        TypeKind::Enum(variants) => {
            TypeSchema::Enum(bump.alloc_slice_fill_iter(variants.iter().map(|v| v.value.as_str())))
        }
        TypeKind::Alias(target) => TypeSchema::Alias(shape(bump, target)),
    }
}

fn borrowed_limits<'a>(bump: &'a Bump, limits: &DocumentedLimits) -> Limits<'a> {
    let values: &'a [&'a str] =
        bump.alloc_slice_fill_iter(limits.values.iter().map(|v| &*bump.alloc_str(v)));
    Limits {
        values,
        minimum: limits.minimum,
        maximum: limits.maximum,
        min_length: limits.min_length,
        max_length: limits.max_length,
    }
}

fn shape<'a>(bump: &'a Bump, ty: &TypeRef) -> Shape<'a> {
    match ty {
        TypeRef::String => Shape::String,
        TypeRef::Bool => Shape::Bool,
        TypeRef::I32 => Shape::I32,
        TypeRef::I64 => Shape::I64,
        TypeRef::F64 => Shape::F64,
        TypeRef::Json => Shape::Json,
        TypeRef::Array(inner) => Shape::Array(bump.alloc(shape(bump, inner))),
        TypeRef::Map(inner) => Shape::Map(bump.alloc(shape(bump, inner))),
        TypeRef::Named(name) => Shape::Named(bump.alloc_str(name)),
    }
}
