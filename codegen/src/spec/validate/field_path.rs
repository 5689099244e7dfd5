//! Dotted paths of wire names through the spec's types (`job.status`), as `job_status` and
//! `fake:` name response and request fields.

use crate::model::{Field, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// The fields of an object type, through aliases; none for any other type.
pub(super) fn object_fields<'k>(types: &BTreeMap<&str, &'k TypeDef>, ty: &TypeRef) -> &'k [Field] {
    match ty {
        TypeRef::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Object(fields)) => fields,
            Some(TypeKind::Alias(inner)) => object_fields(types, inner),
            _ => &[],
        },
        _ => &[],
    }
}

/// Where a dotted path stops short: the first name that is missing, and the type it was looked
/// for in.
pub(super) struct Missing {
    pub(super) name: String,
    pub(super) within: TypeRef,
}

/// Follows the dotted `path` from `ty`: the fields it passes through, in order (none for the
/// empty path, which is `ty` itself).
pub(super) fn walk<'k>(
    types: &BTreeMap<&str, &'k TypeDef>,
    ty: &TypeRef,
    path: &str,
) -> Result<Vec<&'k Field>, Missing> {
    let mut fields = Vec::new();
    if path.is_empty() {
        return Ok(fields);
    }
    let mut here = ty.clone();
    for name in path.split('.') {
        let Some(field) = object_fields(types, &here)
            .iter()
            .find(|f| f.wire_name == name)
        else {
            return Err(Missing {
                name: name.to_string(),
                within: here,
            });
        };
        here = field.ty.clone();
        fields.push(field);
    }
    Ok(fields)
}

/// The type at the end of a walk from `ty`.
pub(super) fn end(ty: &TypeRef, fields: &[&Field]) -> TypeRef {
    fields.last().map_or_else(|| ty.clone(), |f| f.ty.clone())
}
