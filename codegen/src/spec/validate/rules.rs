//! The rule keys of parameters and fields: default, enum, minimum/maximum, min/max length.

use super::context::FileCtx;
use super::enums::enum_value_parts;
use super::ServiceBuilder;
use crate::model::*;
use crate::schema::is_scalar_value;
use crate::spec::load::SourceFile;
use crate::spec::locate::{idx, key, Seg};
use crate::spec::raw::{RawField, RawParameter};

impl ServiceBuilder<'_> {
    pub(super) fn rules(
        &mut self,
        file: &SourceFile,
        path: &[Seg],
        what: &str,
        ty: &TypeRef,
        raw: RawRulesRef<'_>,
    ) -> Rules {
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        let mut rules = Rules {
            default: None,
            enum_values: Vec::new(),
            // YAML can spell `.nan` and `.inf`; no document bound is either, and emitters need
            // finite numbers: such a bound is reported below and dropped.
            minimum: raw.minimum.filter(|b| b.is_finite()),
            maximum: raw.maximum.filter(|b| b.is_finite()),
            min_length: raw.min_length,
            max_length: raw.max_length,
        };
        let sub = |k: &str| -> Vec<Seg> { path.iter().cloned().chain([key(k)]).collect() };
        for (k, bound) in [("minimum", raw.minimum), ("maximum", raw.maximum)] {
            if let Some(b) = bound.filter(|b| !b.is_finite()) {
                ctx.error(&sub(k), format!("{what}: {k} {b} is not a finite number"));
            }
        }
        if let (Some(min), Some(max)) = (raw.minimum, raw.maximum) {
            if min > max {
                ctx.error(
                    &sub("minimum"),
                    format!("{what}: minimum {min} is greater than maximum {max}"),
                );
            }
        }
        if let (Some(min), Some(max)) = (raw.min_length, raw.max_length) {
            if min > max {
                ctx.error(
                    &sub("min_length"),
                    format!("{what}: min_length {min} is greater than max_length {max}"),
                );
            }
        }
        if let Some(values) = raw.enum_values {
            let scalar = ty.innermost().clone();
            let mut seen = Vec::new();
            for (n, value) in values.iter().enumerate() {
                let value_path: Vec<Seg> = sub("enum").into_iter().chain([idx(n)]).collect();
                match enum_value_parts(value) {
                    Ok((value, description)) => {
                        if !is_scalar_value(&scalar, &value) {
                            ctx.error(
                                &value_path,
                                format!(
                                    "{what}: enum value {value} is not a {}",
                                    scalar.spec_name()
                                ),
                            );
                        } else if seen.contains(&value) {
                            ctx.error(&value_path, format!("{what}: duplicate enum value {value}"));
                        } else {
                            seen.push(value.clone());
                            rules.enum_values.push(AllowedValue { value, description });
                        }
                    }
                    Err(message) => ctx.error(&value_path, format!("{what}: {message}")),
                }
            }
        }
        if let Some(default) = raw.default {
            match serde_json::to_value(default) {
                Ok(value)
                    if is_scalar_value(ty.innermost(), &value) || matches!(ty, TypeRef::Json) =>
                {
                    if !rules.enum_values.is_empty()
                        && !rules.enum_values.iter().any(|v| v.value == value)
                    {
                        ctx.error(
                            &sub("default"),
                            format!("{what}: default {value} is not one of the enum values"),
                        );
                    }
                    rules.default = Some(value);
                }
                Ok(value) => ctx.error(
                    &sub("default"),
                    format!("{what}: default {value} is not a {}", ty.spec_name()),
                ),
                Err(e) => ctx.error(
                    &sub("default"),
                    format!("{what}: default is not a JSON value: {e}"),
                ),
            }
        }
        rules
    }
}

/// The rule keys of a parameter or a field, which the YAML spells the same way.
pub(super) struct RawRulesRef<'a> {
    default: Option<&'a serde_yaml::Value>,
    enum_values: Option<&'a [serde_yaml::Value]>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
}

impl<'a> RawRulesRef<'a> {
    pub(super) fn field(f: &'a RawField) -> Self {
        RawRulesRef {
            default: f.default.as_ref(),
            enum_values: f.enum_values.as_deref(),
            minimum: f.minimum,
            maximum: f.maximum,
            min_length: f.min_length,
            max_length: f.max_length,
        }
    }

    pub(super) fn param(p: &'a RawParameter) -> Self {
        RawRulesRef {
            default: p.default.as_ref(),
            enum_values: p.enum_values.as_deref(),
            minimum: p.minimum,
            maximum: p.maximum,
            min_length: p.min_length,
            max_length: p.max_length,
        }
    }
}
