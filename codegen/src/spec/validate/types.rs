//! Declared types: their fields, the references to them, which are unused, and which can derive
//! `Default`.

use super::context::{FileCtx, Loc};
use super::enums::{enum_variants, Site};
use super::rules::RawRulesRef;
use super::syntax::{is_camel, parse_type};
use super::{Declared, ServiceBuilder, Use};
use crate::model::*;
use crate::names;
use crate::spec::load::SourceFile;
use crate::spec::locate::{idx, key, Seg};
use crate::spec::raw::{RawField, RawType};
use crate::spec::suggest::{closest, did_you_mean};
use std::collections::{BTreeMap, BTreeSet};

impl ServiceBuilder<'_> {
    /// Adds a declared type, or reports how it differs from an earlier declaration of its name.
    fn add_type(
        &mut self,
        def: TypeDef,
        loc: Loc,
        explicit: bool,
        ctx_file: &SourceFile,
        path: &[Seg],
    ) {
        match self.types.get(&def.name) {
            Some(existing) if existing.def.kind == def.kind => {}
            Some(existing) => {
                let message = format!(
                    "type `{}` is defined with two different shapes: here and at {}",
                    def.name, existing.loc
                );
                FileCtx {
                    file: ctx_file,
                    diags: self.diags,
                }
                .error(path, message);
            }
            None => {
                self.types
                    .insert(def.name.clone(), Declared { def, loc, explicit });
            }
        }
    }

    pub(super) fn declare_type(&mut self, file: &SourceFile, i: usize, raw: &RawType) {
        let path = [key("types"), idx(i)];
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        let loc = ctx.loc(&[key("types"), idx(i), key("name")]);
        if !is_camel(&raw.name) {
            ctx.error(
                &[key("types"), idx(i), key("name")],
                format!("type name `{}` must be UpperCamelCase", raw.name),
            );
            return;
        }
        if names::RESERVED_TYPE_NAMES.contains(&raw.name.as_str()) {
            ctx.error(
                &[key("types"), idx(i), key("name")],
                format!("type name `{}` would shadow a Rust type the generated code uses; choose another", raw.name),
            );
            return;
        }
        let given = [
            raw.fields.is_some(),
            raw.enum_values.is_some(),
            raw.alias.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            ctx.error(
                &path,
                format!(
                    "type `{}` must have exactly one of `fields`, `enum` and `type`",
                    raw.name
                ),
            );
            return;
        }
        let kind = if let Some(fields) = &raw.fields {
            TypeKind::Object(self.fields(file, i, &raw.name, fields))
        } else if let Some(values) = &raw.enum_values {
            match enum_variants(values) {
                Ok(variants) => TypeKind::Enum(variants),
                Err((n, message)) => {
                    FileCtx {
                        file,
                        diags: self.diags,
                    }
                    .error(
                        &[key("types"), idx(i), key("enum"), idx(n)],
                        format!("type `{}`: {message}", raw.name),
                    );
                    return;
                }
            }
        } else {
            let expr = raw.alias.as_deref().unwrap_or_default();
            match self.type_expr(file, &[key("types"), idx(i), key("type")], expr) {
                Some(ty) => TypeKind::Alias(ty),
                None => return,
            }
        };
        let def = TypeDef {
            name: raw.name.clone(),
            description: raw.description.clone(),
            note: raw.note.clone(),
            kind,
            defaultable: true,
            used_as: Vec::new(),
            group: Some(self.group.clone()),
        };
        self.add_type(def, loc, true, file, &path);
    }

    fn fields(
        &mut self,
        file: &SourceFile,
        type_index: usize,
        owner: &str,
        raw: &[RawField],
    ) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut wire_names = BTreeSet::new();
        let mut rust_names = BTreeSet::new();
        for (n, field) in raw.iter().enumerate() {
            let path = [key("types"), idx(type_index), key("fields"), idx(n)];
            let mut ctx = FileCtx {
                file,
                diags: self.diags,
            };
            if field.name.trim().is_empty() || field.name.trim() != field.name {
                ctx.error(
                    &path,
                    format!(
                        "type `{owner}`: field name `{}` is empty or has spaces around it",
                        field.name
                    ),
                );
                continue;
            }
            if field.name.contains(' ') {
                ctx.error(
                    &[
                        key("types"),
                        idx(type_index),
                        key("fields"),
                        idx(n),
                        key("name"),
                    ],
                    format!(
                        "type `{owner}`: field name `{}` contains a space (extraction noise?)",
                        field.name
                    ),
                );
            }
            if !wire_names.insert(field.name.clone()) {
                ctx.error(
                    &path,
                    format!("type `{owner}`: duplicate field `{}`", field.name),
                );
                continue;
            }
            let type_path = [
                key("types"),
                idx(type_index),
                key("fields"),
                idx(n),
                key("type"),
            ];
            let Some(mut ty) = self.type_expr(file, &type_path, &field.ty) else {
                continue;
            };
            let what = format!("type `{owner}`, field `{}`", field.name);
            let rules = self.rules(file, &path, &what, &ty, RawRulesRef::field(field));
            let site = Site::Field {
                owner: owner.to_string(),
                field: field.name.clone(),
            };
            if self.inline_enums.get(&site).is_some() {
                ty = self.inline_enum(file, &path, &what, &site, &ty);
            }
            let scalar = matches!(
                ty,
                TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::F64
            );
            if field.lenient && !scalar {
                FileCtx {
                    file,
                    diags: self.diags,
                }
                .error(
                    &[path.as_slice(), &[key("lenient")]].concat(),
                    format!(
                        "{what}: lenient applies only to string, integer, long and double fields"
                    ),
                );
            }
            if field.one_or_many && !matches!(ty, TypeRef::Array(_)) {
                FileCtx {
                    file,
                    diags: self.diags,
                }
                .error(
                    &[path.as_slice(), &[key("one_or_many")]].concat(),
                    format!("{what}: one_or_many applies only to array fields"),
                );
            }
            fields.push(Field {
                wire_name: field.name.clone(),
                rust_name: names::dedupe(names::snake(&field.name), &mut rust_names, "_"),
                required: field.required,
                rules,
                deprecated: field.deprecated,
                lenient: field.lenient,
                one_or_many: field.one_or_many,
                secret: ty == TypeRef::String && names::is_secret(&field.name),
                ty,
                description: field.description.clone(),
            });
        }
        fields
    }

    pub(super) fn type_expr(
        &mut self,
        file: &SourceFile,
        path: &[Seg],
        expr: &str,
    ) -> Option<TypeRef> {
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        match parse_type(expr) {
            Ok(ty) => {
                if let TypeRef::Named(name) = ty.innermost() {
                    self.uses.push(Use {
                        name: name.clone(),
                        loc: ctx.loc(path),
                    });
                }
                Some(ty)
            }
            Err(message) => {
                ctx.error(path, message);
                None
            }
        }
    }

    pub(super) fn check_uses(&mut self) {
        if self.broken.unreadable {
            return;
        }
        for u in &self.uses {
            if !self.types.contains_key(&u.name) && !self.broken.types.contains(&u.name) {
                let hint = did_you_mean(&u.name, self.types.keys().map(String::as_str));
                // The type it is a misspelling of is used, once the spelling is fixed.
                if let Some(meant) = closest(&u.name, self.types.keys().map(String::as_str)) {
                    self.broken.mentions.push(meant.to_string());
                }
                self.diags.push(
                    &u.loc.file,
                    u.loc.line,
                    format!("unknown type `{}`{hint}", u.name),
                );
            }
        }
    }

    /// A declared type no operation reaches is almost always a transcription slip.
    pub(super) fn check_unused(&mut self, operations: &[(Loc, Operation)]) {
        if self.broken.unreadable {
            return;
        }
        let mut reached = BTreeSet::new();
        // What the operations that could not be read or built would have used.
        let mut pending: Vec<String> = (self.broken.mentions.iter())
            .filter_map(|expr| parse_type(expr).ok())
            .filter_map(|ty| named(&ty).map(str::to_string))
            .collect();
        for (_, op) in operations {
            let mut roots: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
            roots.extend(op.body.iter().map(|b| &b.ty));
            roots.extend(op.responses.iter().filter_map(|r| match &r.body {
                ResponseBody::Typed(ty) => Some(ty),
                _ => None,
            }));
            pending.extend(
                roots
                    .into_iter()
                    .filter_map(|t| named(t).map(str::to_string)),
            );
        }
        while let Some(name) = pending.pop() {
            if !reached.insert(name.clone()) {
                continue;
            }
            if let Some(declared) = self.types.get(&name) {
                pending.extend(
                    referenced_types(&declared.def)
                        .into_iter()
                        .map(str::to_string),
                );
            }
        }
        for (name, declared) in &self.types {
            if declared.explicit && !reached.contains(name) {
                self.diags.push(
                    &declared.loc.file,
                    declared.loc.line,
                    format!("type `{name}` is not used by any operation"),
                );
            }
        }
    }

    pub(super) fn finish_types(self) -> Vec<TypeDef> {
        let mut types: BTreeMap<String, TypeDef> =
            self.types.into_iter().map(|(k, d)| (k, d.def)).collect();
        // Greatest fixed point: a struct can derive Default unless a required field's type cannot.
        let names: Vec<String> = types.keys().cloned().collect();
        for name in &names {
            if let Some(t) = types.get_mut(name) {
                t.defaultable = !matches!(t.kind, TypeKind::Enum(_));
            }
        }
        loop {
            let mut changed = false;
            for name in &names {
                let Some(def) = types.get(name) else { continue };
                let ok = match &def.kind {
                    TypeKind::Enum(_) => false,
                    TypeKind::Alias(ty) => ty_defaultable(ty, &types),
                    TypeKind::Object(fields) => fields
                        .iter()
                        .filter(|f| f.required)
                        .all(|f| ty_defaultable(&f.ty, &types)),
                };
                if !ok && def.defaultable {
                    if let Some(def) = types.get_mut(name) {
                        def.defaultable = false;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        types.into_values().collect()
    }
}

/// Notes on each type which operations take or return it directly, for its documentation.
pub(super) fn record_uses(types: &mut [TypeDef], operations: &[(Loc, Operation)]) {
    for (_, op) in operations {
        let operation = || op.id.clone();
        let mut uses: Vec<(&TypeRef, TypeUse)> = Vec::new();
        if let Some(body) = &op.body {
            uses.push((
                &body.ty,
                TypeUse::RequestBody {
                    operation: operation(),
                },
            ));
        }
        for response in &op.responses {
            if let ResponseBody::Typed(ty) = &response.body {
                uses.push((
                    ty,
                    TypeUse::Response {
                        operation: operation(),
                        status: response.status,
                    },
                ));
            }
        }
        for param in &op.params {
            uses.push((
                &param.ty,
                TypeUse::Parameter {
                    operation: operation(),
                    name: param.wire_name.clone(),
                },
            ));
        }
        for (ty, role) in uses {
            if let Some(def) = named(ty).and_then(|name| types.iter_mut().find(|t| t.name == name))
            {
                def.used_as.push(role);
            }
        }
    }
}

fn ty_defaultable(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::Named(name) => types.get(name).is_none_or(|t| t.defaultable),
        _ => true,
    }
}

fn named(ty: &TypeRef) -> Option<&str> {
    match ty.innermost() {
        TypeRef::Named(name) => Some(name),
        _ => None,
    }
}

fn referenced_types(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Object(fields) => fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Alias(ty) => named(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}
