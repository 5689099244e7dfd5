//! Enums: named enum types, and the enums made from inline `enum:` lists on string fields and
//! parameters.

use super::context::FileCtx;
use super::syntax::{parse_type, replace_innermost};
use super::{Declared, ServiceBuilder};
use crate::model::*;
use crate::names;
use crate::spec::load::SourceFile;
use crate::spec::locate::Seg;
use crate::spec::raw::RawParameter;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Parameter enums are shared by name (`XLanguage`) when every parameter of that name in the
/// service allows the same values; otherwise each is qualified by its operation.
pub(super) fn shared_param_enum_names<'a>(
    params: impl IntoIterator<Item = &'a RawParameter>,
) -> BTreeSet<String> {
    let mut values_by_name: BTreeMap<&str, BTreeSet<Vec<String>>> = BTreeMap::new();
    for param in params {
        if let Some(values) = string_enum_values(&param.ty, param.enum_values.as_deref()) {
            values_by_name
                .entry(param.name.as_str())
                .or_default()
                .insert(values);
        }
    }
    values_by_name
        .into_iter()
        .filter(|(_, sets)| sets.len() == 1)
        .map(|(name, _)| name.to_string())
        .collect()
}

/// The values of an enum that becomes a Rust enum: only on `string` (or `array<string>`).
pub(super) fn string_enum_values(
    ty: &str,
    values: Option<&[serde_yaml::Value]>,
) -> Option<Vec<String>> {
    let ty = parse_type(ty).ok()?;
    if *ty.innermost() != TypeRef::String {
        return None;
    }
    values?
        .iter()
        .map(|v| {
            enum_value_parts(v)
                .ok()
                .and_then(|(v, _)| v.as_str().map(str::to_string))
        })
        .collect()
}

impl ServiceBuilder<'_> {
    /// Declares the enum made from an inline `enum:` list and returns the type to use instead of
    /// `string`.
    #[allow(clippy::too_many_arguments)] // each argument is a distinct piece of the same report
    pub(super) fn inline_enum(
        &mut self,
        file: &SourceFile,
        path: &[Seg],
        what: &str,
        (name, description): (String, String),
        values: &[String],
        rules: &Rules,
        ty: &TypeRef,
    ) -> TypeRef {
        let descriptions: Vec<Option<String>> = rules
            .enum_values
            .iter()
            .map(|v| v.description.clone())
            .collect();
        let raw: Vec<(Value, Option<String>)> = values
            .iter()
            .cloned()
            .map(Value::String)
            .zip(descriptions)
            .collect();
        let variants = variants_from(&raw);
        let def = TypeDef {
            name: name.clone(),
            description: Some(description),
            note: None,
            kind: TypeKind::Enum(variants),
            defaultable: false,
            used_as: Vec::new(),
            group: self.group.clone(),
        };
        let loc = FileCtx {
            file,
            diags: self.diags,
        }
        .loc(path);
        if let Some(existing) = self.types.get(&name) {
            if existing.def.kind != def.kind {
                let message = format!(
                    "{what}: its enum would be named `{name}`, which is already a different type at {}; declare the enum as a named type",
                    existing.loc
                );
                FileCtx {
                    file,
                    diags: self.diags,
                }
                .error(path, message);
            }
        } else {
            self.types.insert(
                name.clone(),
                Declared {
                    def,
                    loc,
                    explicit: false,
                },
            );
        }
        replace_innermost(ty, TypeRef::Named(name))
    }
}

/// The documentation of an enum made from an inline `enum:` list.
pub(super) fn enum_doc(subject: &str, description: Option<&str>) -> String {
    match description {
        Some(d) => format!("Allowed values of {subject}: {}", d.trim()),
        None => format!("Allowed values of {subject}."),
    }
}

pub(super) fn enum_value_parts(
    value: &serde_yaml::Value,
) -> Result<(Value, Option<String>), String> {
    if let serde_yaml::Value::Mapping(map) = value {
        let mut inner = None;
        let mut description = None;
        for (k, v) in map {
            match k.as_str() {
                Some("value") => inner = Some(v.clone()),
                Some("description") => description = v.as_str().map(str::to_string),
                _ => {
                    return Err(format!(
                        "enum entry has unknown key {k:?}: expected `value` and `description`"
                    ))
                }
            }
        }
        let inner = inner.ok_or("enum entry without `value`")?;
        return scalar_json(&inner).map(|v| (v, description));
    }
    scalar_json(value).map(|v| (v, None))
}

fn scalar_json(value: &serde_yaml::Value) -> Result<Value, String> {
    match value {
        serde_yaml::Value::String(_)
        | serde_yaml::Value::Number(_)
        | serde_yaml::Value::Bool(_) => serde_json::to_value(value).map_err(|e| e.to_string()),
        other => Err(format!(
            "enum value {other:?} is not a string, number or boolean"
        )),
    }
}

pub(super) fn enum_variants(
    values: &[serde_yaml::Value],
) -> Result<Vec<EnumVariant>, (usize, String)> {
    let mut raw = Vec::new();
    let mut seen = BTreeSet::new();
    for (n, value) in values.iter().enumerate() {
        let (value, description) = enum_value_parts(value).map_err(|m| (n, m))?;
        let Some(text) = value.as_str() else {
            return Err((
                n,
                format!("enum value {value} is not a string (named enums are string enums)"),
            ));
        };
        if !seen.insert(text.to_string()) {
            return Err((n, format!("duplicate enum value \"{text}\"")));
        }
        raw.push((value, description));
    }
    Ok(variants_from(&raw))
}

fn variants_from(values: &[(Value, Option<String>)]) -> Vec<EnumVariant> {
    let mut taken: BTreeSet<String> = [names::UNKNOWN_VARIANT.to_string()].into();
    values
        .iter()
        .filter_map(|(value, description)| {
            let value = value.as_str()?.to_string();
            Some(EnumVariant {
                rust_name: names::dedupe(names::camel(&value), &mut taken, ""),
                value,
                description: description.clone(),
            })
        })
        .collect()
}
