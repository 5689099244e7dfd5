//! Checks the raw spec and builds the model from it.
//!
//! Every problem becomes a `Diagnostic` with the file and line it concerns, and checking goes on
//! after a problem so that one run reports them all. The model is returned only when there were
//! none.

use super::load::{RawService, SourceFile};
use super::locate::{idx, key, Seg};
use super::raw::{
    GroupFile, RawExample, RawField, RawOperation, RawParameter, RawType, ServiceFile,
};
use super::references;
use crate::diag::Diagnostics;
use crate::model::*;
use crate::names;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Where something was written, for messages that point at a second place.
#[derive(Debug, Clone)]
struct Loc {
    file: PathBuf,
    line: usize,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// Reports problems found in one file.
struct FileCtx<'a> {
    file: &'a SourceFile,
    diags: &'a mut Diagnostics,
}

impl FileCtx<'_> {
    fn loc(&self, path: &[Seg]) -> Loc {
        Loc {
            file: self.file.path.clone(),
            line: self.file.index.line(path),
        }
    }

    fn error(&mut self, path: &[Seg], message: impl Into<String>) {
        let line = self.file.index.line(path);
        self.diags.push(&self.file.path, line, message);
    }
}

/// Builds the model from every service, or returns what is wrong.
pub fn validate(raw: Vec<RawService>, diags: &mut Diagnostics) -> Api {
    let mut services: Vec<Service> = raw
        .into_iter()
        .filter_map(|s| validate_service(s, diags))
        .collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    Api { services }
}

/// A type as declared, with where it was declared.
struct Declared {
    def: TypeDef,
    loc: Loc,
    /// Declared by the spec (checked for use) rather than made from an inline enum.
    explicit: bool,
}

/// A named type reference and where it was written, checked once all types are known.
struct Use {
    name: String,
    loc: Loc,
}

struct ServiceBuilder<'d> {
    diags: &'d mut Diagnostics,
    types: BTreeMap<String, Declared>,
    uses: Vec<Use>,
    /// The group of the file being read: the types it declares are generated in its module.
    group: String,
}

fn validate_service(raw: RawService, diags: &mut Diagnostics) -> Option<Service> {
    let errors_before = diags.0.len();
    let RawService {
        dir_name,
        service: (service_file, meta),
        groups,
    } = raw;
    check_service_meta(&dir_name, &service_file, &meta, diags);

    let mut builder = ServiceBuilder {
        diags,
        types: BTreeMap::new(),
        uses: Vec::new(),
        group: String::new(),
    };
    let mut group_titles: BTreeMap<String, (String, Option<String>, Loc)> = BTreeMap::new();
    for (file, group) in &groups {
        builder.group_header(file, group, &mut group_titles);
        builder.group.clone_from(&group.group);
        for (i, ty) in group.types.iter().enumerate() {
            builder.declare_type(file, i, ty);
        }
    }

    let param_enum_names = shared_param_enum_names(&groups);
    let mut operations: Vec<(Loc, Operation)> = Vec::new();
    let mut seen_ids: BTreeMap<String, Loc> = BTreeMap::new();
    for (file, group) in &groups {
        builder.group.clone_from(&group.group);
        for (i, op) in group.operations.iter().enumerate() {
            let mut ctx = FileCtx {
                file,
                diags: builder.diags,
            };
            let loc = ctx.loc(&[key("operations"), idx(i), key("id")]);
            if let Some(first) = seen_ids.get(&op.id) {
                ctx.error(
                    &[key("operations"), idx(i), key("id")],
                    format!(
                        "duplicate operation id `{}`: first defined at {first}",
                        op.id
                    ),
                );
            } else {
                seen_ids.insert(op.id.clone(), loc.clone());
            }
            if let Some(operation) = builder.operation(file, &group.group, i, op, &param_enum_names)
            {
                operations.push((loc, operation));
            }
        }
    }

    builder.check_uses();
    builder.check_unused(&operations);
    let mut types = builder.finish_types();
    record_uses(&mut types, &operations);
    let type_map: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (file, group) in &groups {
        for (i, raw_op) in group.operations.iter().enumerate() {
            if let Some((_, op)) = operations.iter_mut().find(|(_, o)| o.id == raw_op.id) {
                let mut ctx = FileCtx {
                    file,
                    diags: &mut *diags,
                };
                check_operation_against_types(&mut ctx, i, raw_op, op, &type_map);
            }
        }
    }
    check_output_names(&operations, &type_map, diags);
    references::resolve(&groups, &mut operations, diags);
    let job_status = meta.job_status.as_ref().and_then(|raw| {
        let mut ctx = FileCtx {
            file: &service_file,
            diags: &mut *diags,
        };
        job_status(&mut ctx, raw, &operations, &type_map)
    });

    if diags.0.len() > errors_before {
        return None;
    }
    let mut operations: Vec<Operation> = operations.into_iter().map(|(_, op)| op).collect();
    operations.sort_by_cached_key(|op| source_key(&op.source));
    let groups = ordered_groups(&operations, group_titles);

    let mut const_names = BTreeSet::new();
    let error_codes = meta
        .error_codes
        .iter()
        .map(|e| ErrorCode {
            code: e.code.clone(),
            const_name: names::dedupe(names::constant(&e.code), &mut const_names, "_"),
            status: e.status,
            message: e.message.clone(),
            description: e.description.clone(),
            solution: e.solution.clone(),
        })
        .collect();

    Some(Service {
        name: meta.service,
        title: meta.title,
        description: meta.description,
        document: meta.document,
        api_versions: meta.api_versions,
        endpoint_service: meta.endpoint_service,
        endpoints: meta
            .endpoints
            .into_iter()
            .map(|e| Endpoint {
                region: e.region,
                name: e.name,
                host: e.host,
            })
            .collect(),
        endpoint_pattern: meta.endpoint_pattern,
        default_domain: meta.default_domain,
        error_codes,
        groups,
        operations,
        types,
        job_status,
    })
}

/// Resolves `job_status`: the reporting operation must take the job id as its only input besides
/// the project, and the status path must lead through objects to a string or string enum.
fn job_status(
    ctx: &mut FileCtx<'_>,
    raw: &super::raw::RawJobStatus,
    operations: &[(Loc, Operation)],
    types: &BTreeMap<&str, &TypeDef>,
) -> Option<JobStatus> {
    let at = |k: &str| [key("job_status"), key(k)];
    let Some((_, op)) = operations.iter().find(|(_, op)| op.id == raw.operation) else {
        ctx.error(
            &at("operation"),
            format!("job_status: no operation `{}`", raw.operation),
        );
        return None;
    };
    let inputs: Vec<&Param> = op.required_args().collect();
    if inputs.len() != 1
        || inputs[0].wire_name != raw.id_param
        || op.body.as_ref().is_some_and(|b| b.required)
    {
        ctx.error(
            &at("id_param"),
            format!(
                "job_status: `{}` must take `{}` as its only required input",
                raw.operation, raw.id_param
            ),
        );
        return None;
    }
    let mut ty = match &op.output {
        Output::Single(ty) => ty.clone(),
        _ => {
            ctx.error(
                &at("operation"),
                format!(
                    "job_status: `{}` must have one response type",
                    raw.operation
                ),
            );
            return None;
        }
    };
    let mut status_path = Vec::new();
    for segment in raw.status_field.split('.') {
        let field = match &ty {
            TypeRef::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Object(fields)) => fields.iter().find(|f| f.wire_name == segment),
                _ => None,
            },
            _ => None,
        };
        let Some(field) = field else {
            ctx.error(
                &at("status_field"),
                format!(
                    "job_status: `{}` has no field path `{}`",
                    raw.operation, raw.status_field
                ),
            );
            return None;
        };
        status_path.push(StatusStep {
            rust_name: field.rust_name.clone(),
            required: field.required,
        });
        ty = field.ty.clone();
    }
    let status_is_enum = ty != TypeRef::String;
    match &ty {
        TypeRef::String => {}
        TypeRef::Named(name)
            if matches!(
                types.get(name.as_str()).map(|t| &t.kind),
                Some(TypeKind::Enum(_))
            ) => {}
        _ => {
            ctx.error(
                &at("status_field"),
                format!("job_status: `{}` is not a string", raw.status_field),
            );
            return None;
        }
    };
    Some(JobStatus {
        builder_name: op.builder_name.clone(),
        operation_id: op.id.clone(),
        status_path,
        status_is_enum,
        takes_project_id: op.params.iter().any(|p| p.from_client),
        succeeded: raw.succeeded.clone(),
        failed: raw.failed.clone(),
    })
}

fn check_service_meta(
    dir_name: &str,
    file: &SourceFile,
    meta: &ServiceFile,
    diags: &mut Diagnostics,
) {
    let mut ctx = FileCtx { file, diags };
    if meta.service != dir_name {
        ctx.error(
            &[key("service")],
            format!(
                "service name `{}` must equal its folder name `{dir_name}`",
                meta.service
            ),
        );
    }
    if !is_snake(&meta.service) {
        ctx.error(
            &[key("service")],
            format!("service name `{}` must be snake_case", meta.service),
        );
    }
    if meta.api_versions.is_empty() {
        ctx.error(
            &[key("api_versions")],
            "api_versions must list at least one version",
        );
    }
    let mut regions = BTreeSet::new();
    for (i, endpoint) in meta.endpoints.iter().enumerate() {
        if !regions.insert(endpoint.region.as_str()) {
            ctx.error(
                &[key("endpoints"), idx(i)],
                format!("duplicate endpoint region `{}`", endpoint.region),
            );
        }
        if endpoint.host.contains("://")
            || endpoint.host.contains('/')
            || endpoint.host.trim().is_empty()
        {
            ctx.error(
                &[key("endpoints"), idx(i), key("host")],
                format!("endpoint host `{}` must be a bare host name", endpoint.host),
            );
        }
    }
    if let Some(pattern) = &meta.endpoint_pattern {
        if !pattern.contains("{region}") {
            ctx.error(
                &[key("endpoint_pattern")],
                "endpoint_pattern must contain `{region}`",
            );
        }
        let unknown = placeholders(pattern)
            .into_iter()
            .find(|p| !["service", "region", "domain"].contains(&p.as_str()));
        if let Some(unknown) = unknown {
            ctx.error(
                &[key("endpoint_pattern")],
                format!("endpoint_pattern has unknown placeholder `{{{unknown}}}` (known: service, region, domain)"),
            );
        }
    }
    let mut codes = BTreeSet::new();
    for (i, code) in meta.error_codes.iter().enumerate() {
        if !codes.insert(code.code.as_str()) {
            ctx.error(
                &[key("error_codes"), idx(i)],
                format!("duplicate error code `{}`", code.code),
            );
        }
        if !(100..=599).contains(&code.status) {
            ctx.error(
                &[key("error_codes"), idx(i), key("status")],
                format!(
                    "error code `{}` has status {}, not an HTTP status",
                    code.code, code.status
                ),
            );
        }
    }
}

/// Parameter enums are shared by name (`XLanguage`) when every parameter of that name in the
/// service allows the same values; otherwise each is qualified by its operation.
fn shared_param_enum_names(groups: &[(SourceFile, GroupFile)]) -> BTreeSet<String> {
    let mut values_by_name: BTreeMap<&str, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (_, group) in groups {
        for op in &group.operations {
            for param in &op.parameters {
                if let Some(values) = string_enum_values(&param.ty, param.enum_values.as_deref()) {
                    values_by_name
                        .entry(param.name.as_str())
                        .or_default()
                        .insert(values);
                }
            }
        }
    }
    values_by_name
        .into_iter()
        .filter(|(_, sets)| sets.len() == 1)
        .map(|(name, _)| name.to_string())
        .collect()
}

/// The values of an enum that becomes a Rust enum: only on `string` (or `array<string>`).
fn string_enum_values(ty: &str, values: Option<&[serde_yaml::Value]>) -> Option<Vec<String>> {
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
    fn group_header(
        &mut self,
        file: &SourceFile,
        group: &GroupFile,
        titles: &mut BTreeMap<String, (String, Option<String>, Loc)>,
    ) {
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        if !is_snake(&group.group) {
            ctx.error(
                &[key("group")],
                format!("group name `{}` must be snake_case", group.group),
            );
        }
        let loc = ctx.loc(&[key("group")]);
        match titles.get(&group.group) {
            Some((title, _, first)) if *title != group.title => ctx.error(
                &[key("title")],
                format!(
                    "group `{}` has title `{}` here but `{title}` at {first}",
                    group.group, group.title
                ),
            ),
            Some(_) => {}
            None => {
                titles.insert(
                    group.group.clone(),
                    (group.title.clone(), group.description.clone(), loc),
                );
            }
        }
    }

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

    fn declare_type(&mut self, file: &SourceFile, i: usize, raw: &RawType) {
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
            group: self.group.clone(),
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
            if let Some(values) = string_enum_values(&field.ty, field.enum_values.as_deref()) {
                let enum_name = names::field_enum_name(owner, &field.name);
                let doc = enum_doc(
                    &format!("{owner}.{}", field.name),
                    field.description.as_deref(),
                );
                ty = self.inline_enum(file, &path, &what, (enum_name, doc), &values, &rules, &ty);
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
            fields.push(Field {
                wire_name: field.name.clone(),
                rust_name: names::dedupe(names::snake(&field.name), &mut rust_names, "_"),
                required: field.required,
                rules,
                deprecated: field.deprecated,
                lenient: field.lenient,
                secret: ty == TypeRef::String && names::is_secret(&field.name),
                ty,
                description: field.description.clone(),
            });
        }
        fields
    }

    /// Declares the enum made from an inline `enum:` list and returns the type to use instead of
    /// `string`.
    #[allow(clippy::too_many_arguments)] // each argument is a distinct piece of the same report
    fn inline_enum(
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

    fn type_expr(&mut self, file: &SourceFile, path: &[Seg], expr: &str) -> Option<TypeRef> {
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

    fn rules(
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
                        if !scalar_matches(&scalar, &value) {
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
                    if scalar_matches(ty.innermost(), &value) || matches!(ty, TypeRef::Json) =>
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

    fn operation(
        &mut self,
        file: &SourceFile,
        group: &str,
        i: usize,
        raw: &RawOperation,
        shared_param_enums: &BTreeSet<String>,
    ) -> Option<Operation> {
        let at = |rest: &[Seg]| -> Vec<Seg> {
            [key("operations"), idx(i)]
                .into_iter()
                .chain(rest.iter().cloned())
                .collect()
        };
        let what = format!("operation `{}`", raw.id);
        let errors_before = self.diags.0.len();
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };

        if !is_snake(&raw.id) {
            ctx.error(&at(&[key("id")]), format!("{what}: id must be snake_case"));
        }
        if let Some(section) = raw.section.as_ref().filter(|s| !is_section(s)) {
            ctx.error(
                &at(&[key("section")]),
                format!("{what}: section `{section}` is not like `4.3.1`"),
            );
        }
        // A page newer than the reference is the source; the section still names the reference's
        // description of the same API, for drift.
        let source = match (&raw.section, &raw.page) {
            (_, Some(page)) => Source::Page(page.clone()),
            (Some(section), None) => Source::Section(section.clone()),
            (None, None) => {
                ctx.error(
                    &at(&[]),
                    format!("{what}: give `section` (the reference's section), `page` (a web page), or both"),
                );
                Source::Page(String::new())
            }
        };
        let method = raw.method.to_ascii_uppercase();
        if !["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"].contains(&raw.method.as_str()) {
            ctx.error(
                &at(&[key("method")]),
                format!(
                    "{what}: method `{}` is not one of GET, POST, PUT, DELETE, PATCH, HEAD",
                    raw.method
                ),
            );
        }

        // Parameters.
        let mut params: Vec<Param> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut rust_names: BTreeSet<String> = names::BUILDER_METHODS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (n, raw_param) in raw.parameters.iter().enumerate() {
            let path = at(&[key("parameters"), idx(n)]);
            if let Some(param) = self.parameter(
                file,
                &path,
                &raw.id,
                raw_param,
                shared_param_enums,
                &mut rust_names,
            ) {
                if !seen.insert((param.location, param.wire_name.to_ascii_lowercase())) {
                    FileCtx {
                        file,
                        diags: self.diags,
                    }
                    .error(
                        &path,
                        format!(
                            "{what}: duplicate {} parameter `{}`",
                            param.location.as_str(),
                            param.wire_name
                        ),
                    );
                    continue;
                }
                params.push(param);
            }
        }

        // Path template against path parameters.
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        let path_parts = parse_path(&raw.path)
            .map_err(|m| ctx.error(&at(&[key("path")]), format!("{what}: {m}")));
        let mut path_parts_model = Vec::new();
        if let Ok(parts) = path_parts {
            let mut in_path = BTreeSet::new();
            for part in parts {
                match part {
                    RawPathPart::Literal(text) => path_parts_model.push(PathPart::Literal(text)),
                    RawPathPart::Param(name) => {
                        in_path.insert(name.clone());
                        match params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                            Some(p) => path_parts_model.push(PathPart::Param(p)),
                            None => ctx.error(
                                &at(&[key("path")]),
                                format!("{what}: path parameter `{{{name}}}` is not declared in `parameters`"),
                            ),
                        }
                    }
                }
            }
            for (n, param) in params.iter().enumerate() {
                if param.location == ParamLocation::Path && !in_path.contains(&param.wire_name) {
                    let index = raw
                        .parameters
                        .iter()
                        .position(|p| p.name == param.wire_name)
                        .unwrap_or(n);
                    ctx.error(
                        &at(&[key("parameters"), idx(index)]),
                        format!(
                            "{what}: path parameter `{}` does not appear in the path `{}`",
                            param.wire_name, raw.path
                        ),
                    );
                }
            }
        }

        // Body.
        let body = raw.body.as_ref().and_then(|b| {
            let ty = self.type_expr(file, &at(&[key("body"), key("type")]), &b.ty)?;
            Some(Body {
                ty,
                required: b.required,
                description: b.description.clone(),
            })
        });

        // Responses.
        let mut responses = Vec::new();
        let mut statuses = BTreeSet::new();
        for (n, r) in raw.responses.iter().enumerate() {
            let path = at(&[key("responses"), idx(n)]);
            if !(100..=599).contains(&r.status) {
                FileCtx {
                    file,
                    diags: self.diags,
                }
                .error(
                    &path,
                    format!("{what}: response status {} is not an HTTP status", r.status),
                );
                continue;
            }
            if !statuses.insert(r.status) {
                FileCtx {
                    file,
                    diags: self.diags,
                }
                .error(
                    &path,
                    format!("{what}: duplicate response status {}", r.status),
                );
                continue;
            }
            let body = match &r.ty {
                Some(ty) => {
                    match self.type_expr(file, &at(&[key("responses"), idx(n), key("type")]), ty) {
                        Some(ty) => ResponseBody::Typed(ty),
                        None => continue,
                    }
                }
                None if r.status >= 400 => ResponseBody::StandardError,
                None => ResponseBody::Empty,
            };
            responses.push(Response {
                status: r.status,
                description: r.description.clone(),
                body,
            });
        }
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        if !responses.iter().any(|r| (200..300).contains(&r.status)) {
            ctx.error(
                &at(&[key("responses")]),
                format!("{what}: no success (2xx) response is documented"),
            );
        }
        let output = output_of(&raw.id, &responses);

        let pagination = raw.pagination.as_ref().and_then(|p| {
            let style = match p.style.as_str() {
                "offset" => PageStyle::Offset,
                "page" => PageStyle::Page,
                other => {
                    ctx.error(
                        &at(&[key("pagination"), key("style")]),
                        format!("{what}: pagination style `{other}` is not `offset` or `page`"),
                    );
                    return None;
                }
            };
            let mut query_param = |name: &str, field: &str| {
                let found = params.iter().position(|q| q.location == ParamLocation::Query && q.wire_name == name);
                if found.is_none() {
                    ctx.error(
                        &at(&[key("pagination"), key(field)]),
                        format!("{what}: pagination {field} `{name}` is not a query parameter of the operation"),
                    );
                }
                found
            };
            let offset_param = query_param(&p.offset, "offset");
            let limit_param = query_param(&p.limit, "limit");
            Some(Pagination {
                style,
                offset_param: offset_param?,
                limit_param: limit_param?,
                items: PageField { wire_name: p.items.clone(), rust_name: String::new(), ty: TypeRef::Json, required: false },
                total: p.total.clone().map(|t| PageField { wire_name: t, rust_name: String::new(), ty: TypeRef::Json, required: false }),
            })
        });

        let request_examples = examples(
            &mut ctx,
            &at(&[key("request_examples")]),
            &what,
            &raw.request_examples,
            false,
        );
        let response_examples = examples(
            &mut ctx,
            &at(&[key("response_examples")]),
            &what,
            &raw.response_examples,
            true,
        );
        if !raw.request_examples.is_empty() && body.is_none() {
            ctx.error(
                &at(&[key("request_examples")]),
                format!("{what}: has request examples but no request body"),
            );
        }

        if self.diags.0.len() > errors_before {
            return None;
        }
        let retry_safe = raw
            .retry_safe
            .unwrap_or(matches!(method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE"));
        Some(Operation {
            id: raw.id.clone(),
            method_name: names::snake(&raw.id),
            builder_name: names::builder_name(&raw.id),
            group: group.to_string(),
            source,
            summary: raw.summary.clone(),
            description: raw.description.clone(),
            method,
            path: raw.path.clone(),
            path_parts: path_parts_model,
            iam_action: raw.iam_action.clone(),
            deprecated: raw.deprecated,
            reference_section: raw.section.clone(),
            replaced_by: None,
            deliberate: raw.deliberate.clone(),
            retry_safe,
            note: raw.note.clone(),
            params,
            body,
            responses,
            output,
            request_examples,
            response_examples,
            pagination,
            async_job: raw.async_job.as_ref().map(|a| AsyncJob {
                job_id_field: a.job_id.clone(),
                job_id_rust: String::new(),
            }),
        })
    }

    fn parameter(
        &mut self,
        file: &SourceFile,
        path: &[Seg],
        operation_id: &str,
        raw: &RawParameter,
        shared_param_enums: &BTreeSet<String>,
        rust_names: &mut BTreeSet<String>,
    ) -> Option<Param> {
        let sub = |k: &str| -> Vec<Seg> { path.iter().cloned().chain([key(k)]).collect() };
        let what = format!("operation `{operation_id}`, parameter `{}`", raw.name);
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        let location = match raw.location.as_str() {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            other => {
                ctx.error(
                    &sub("in"),
                    format!("{what}: `in: {other}` is not path, query or header"),
                );
                return None;
            }
        };
        if raw.name.trim().is_empty() || raw.name.contains(' ') {
            ctx.error(
                &sub("name"),
                format!("{what}: parameter name is empty or contains a space"),
            );
            return None;
        }
        if location == ParamLocation::Header
            && [
                "x-auth-token",
                "content-type",
                "authorization",
                "x-sdk-date",
            ]
            .contains(&raw.name.to_ascii_lowercase().as_str())
        {
            ctx.error(
                &sub("name"),
                format!(
                    "{what}: `{}` is set by the client's authentication; do not list it",
                    raw.name
                ),
            );
            return None;
        }
        if location == ParamLocation::Path && !raw.required {
            ctx.error(
                &sub("required"),
                format!("{what}: path parameters must be `required: true`"),
            );
        }
        let mut ty = self.type_expr(file, &sub("type"), &raw.ty)?;
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        let allowed = match (&ty, location) {
            (TypeRef::Array(inner), ParamLocation::Query) => is_scalar(inner),
            (ty, _) => is_scalar(ty),
        };
        if !allowed {
            ctx.error(
                &sub("type"),
                format!(
                    "{what}: a {} parameter must be a scalar{} (got `{}`)",
                    location.as_str(),
                    if location == ParamLocation::Query {
                        " or an array of scalars"
                    } else {
                        ""
                    },
                    raw.ty
                ),
            );
            return None;
        }
        let rules = self.rules(file, path, &what, &ty, RawRulesRef::param(raw));
        if let Some(values) = string_enum_values(&raw.ty, raw.enum_values.as_deref()) {
            let qualifier = (!shared_param_enums.contains(&raw.name)).then_some(operation_id);
            let name = names::param_enum_name(qualifier, &raw.name);
            let subject = match qualifier {
                Some(op) => format!("the {} parameter of {op}", raw.name),
                None => format!("the {} parameter", raw.name),
            };
            let doc = enum_doc(&subject, raw.description.as_deref());
            ty = self.inline_enum(file, path, &what, (name, doc), &values, &rules, &ty);
        }
        let from_client = location == ParamLocation::Path && raw.name == "project_id";
        let rust_name = if from_client {
            "project_id".to_string()
        } else {
            let base = names::snake(&raw.name);
            let base = if names::BUILDER_METHODS.contains(&base.as_str()) {
                format!("{base}_param")
            } else {
                base
            };
            names::dedupe(base, rust_names, "_")
        };
        Some(Param {
            wire_name: raw.name.clone(),
            rust_name,
            location,
            ty,
            required: raw.required,
            rules,
            description: raw.description.clone(),
            from_client,
        })
    }

    fn check_uses(&mut self) {
        for u in &self.uses {
            if !self.types.contains_key(&u.name) {
                self.diags.push(
                    &u.loc.file,
                    u.loc.line,
                    format!("unknown type `{}`", u.name),
                );
            }
        }
    }

    /// A declared type no operation reaches is almost always a transcription slip.
    fn check_unused(&mut self, operations: &[(Loc, Operation)]) {
        let mut reached = BTreeSet::new();
        let mut pending: Vec<String> = Vec::new();
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

    fn finish_types(self) -> Vec<TypeDef> {
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

/// The documentation of an enum made from an inline `enum:` list.
fn enum_doc(subject: &str, description: Option<&str>) -> String {
    match description {
        Some(d) => format!("Allowed values of {subject}: {}", d.trim()),
        None => format!("Allowed values of {subject}."),
    }
}

/// The rule keys of a parameter or a field, which the YAML spells the same way.
struct RawRulesRef<'a> {
    default: Option<&'a serde_yaml::Value>,
    enum_values: Option<&'a [serde_yaml::Value]>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
}

impl<'a> RawRulesRef<'a> {
    fn field(f: &'a RawField) -> Self {
        RawRulesRef {
            default: f.default.as_ref(),
            enum_values: f.enum_values.as_deref(),
            minimum: f.minimum,
            maximum: f.maximum,
            min_length: f.min_length,
            max_length: f.max_length,
        }
    }

    fn param(p: &'a RawParameter) -> Self {
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

/// Notes on each type which operations take or return it directly, for its documentation.
fn record_uses(types: &mut [TypeDef], operations: &[(Loc, Operation)]) {
    for (_, op) in operations {
        let mut uses: Vec<(&TypeRef, String)> = Vec::new();
        if let Some(body) = &op.body {
            uses.push((&body.ty, format!("the request body of `{}`", op.id)));
        }
        for response in &op.responses {
            if let ResponseBody::Typed(ty) = &response.body {
                uses.push((
                    ty,
                    format!("the {} response of `{}`", response.status, op.id),
                ));
            }
        }
        for param in &op.params {
            uses.push((
                &param.ty,
                format!("the `{}` parameter of `{}`", param.wire_name, op.id),
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

fn output_of(operation_id: &str, responses: &[Response]) -> Output {
    let success: Vec<&Response> = responses
        .iter()
        .filter(|r| (200..300).contains(&r.status))
        .collect();
    let typed: Vec<&TypeRef> = success
        .iter()
        .filter_map(|r| match &r.body {
            ResponseBody::Typed(ty) => Some(ty),
            _ => None,
        })
        .collect();
    if typed.is_empty() {
        return Output::Unit;
    }
    let all_same = typed.iter().all(|t| *t == typed[0]) && typed.len() == success.len();
    if all_same {
        return Output::Single(typed[0].clone());
    }
    Output::ByStatus {
        name: names::output_enum_name(operation_id),
        variants: success
            .iter()
            .map(|r| StatusVariant {
                status: r.status,
                variant_name: names::status_variant(r.status),
                ty: match &r.body {
                    ResponseBody::Typed(ty) => Some(ty.clone()),
                    _ => None,
                },
            })
            .collect(),
    }
}

fn check_output_names(
    operations: &[(Loc, Operation)],
    types: &BTreeMap<&str, &TypeDef>,
    diags: &mut Diagnostics,
) {
    for (loc, op) in operations {
        if let Output::ByStatus { name, .. } = &op.output {
            if types.contains_key(name.as_str()) {
                diags.push(
                    &loc.file,
                    loc.line,
                    format!("operation `{}`: its output enum `{name}` has the name of a type; rename the type", op.id),
                );
            }
        }
    }
}

/// Examples, parsed: names defaulted and unique, bodies valid JSON. Checking them against their
/// types waits until every type is known.
fn examples(
    ctx: &mut FileCtx<'_>,
    path: &[Seg],
    what: &str,
    raw: &[RawExample],
    response: bool,
) -> Vec<Example> {
    let mut out = Vec::new();
    let mut names_seen = BTreeSet::new();
    for (n, example) in raw.iter().enumerate() {
        let at = |k: &str| -> Vec<Seg> { path.iter().cloned().chain([idx(n), key(k)]).collect() };
        let name = match (&example.name, example.status) {
            (Some(name), _) => name.clone(),
            (None, Some(status)) if response => format!("status_{status}"),
            _ => "default".to_string(),
        };
        if !is_snake(&name) {
            ctx.error(
                &at("name"),
                format!("{what}: example name `{name}` must be snake_case"),
            );
        }
        if !names_seen.insert(name.clone()) {
            ctx.error(
                &at("name"),
                format!("{what}: duplicate example name `{name}`; give each a distinct `name`"),
            );
        }
        if response && example.status.is_none() {
            ctx.error(
                &path.iter().cloned().chain([idx(n)]).collect::<Vec<_>>(),
                format!("{what}: response example `{name}` needs a `status`"),
            );
        }
        if !response && example.status.is_some() {
            ctx.error(
                &at("status"),
                format!("{what}: request example `{name}` cannot have a `status`"),
            );
        }
        match serde_json::from_str::<Value>(&example.body) {
            Ok(body) => out.push(Example {
                name,
                summary: example.summary.clone(),
                status: example.status,
                body,
            }),
            Err(e) => {
                // The block's text starts on the line after `body: |`.
                let line = ctx.file.index.line(&at("body")) + e.line();
                ctx.diags.push(
                    &ctx.file.path,
                    line,
                    format!("{what}: example `{name}` is not valid JSON: {e}"),
                );
            }
        }
    }
    out
}

/// Checks what needs every type known (examples, defaults, pagination and job fields) and fills in
/// the pagination fields' Rust names.
fn check_operation_against_types(
    ctx: &mut FileCtx<'_>,
    i: usize,
    raw: &RawOperation,
    op: &mut Operation,
    types: &BTreeMap<&str, &TypeDef>,
) {
    let what = format!("operation `{}`", op.id);
    for (n, example) in op.request_examples.iter().enumerate() {
        let path = [key("operations"), idx(i), key("request_examples"), idx(n)];
        if let Some(body) = &op.body {
            report_mismatches(
                ctx,
                &path,
                &what,
                &example.name,
                check_value(&body.ty, &example.body, types),
            );
        }
    }
    for (n, example) in op.response_examples.iter().enumerate() {
        let path = [key("operations"), idx(i), key("response_examples"), idx(n)];
        let Some(status) = example.status else {
            continue;
        };
        match op
            .responses
            .iter()
            .find(|r| r.status == status)
            .map(|r| &r.body)
        {
            None => ctx.error(
                &path,
                format!(
                    "{what}: example `{}` has status {status}, which is not among the responses",
                    example.name
                ),
            ),
            Some(ResponseBody::Empty) => ctx.error(
                &path,
                format!(
                    "{what}: example `{}` has a body but response {status} has no `type`",
                    example.name
                ),
            ),
            Some(ResponseBody::StandardError) => report_mismatches(
                ctx,
                &path,
                &what,
                &example.name,
                check_standard_error(&example.body),
            ),
            Some(ResponseBody::Typed(ty)) => report_mismatches(
                ctx,
                &path,
                &what,
                &example.name,
                check_value(ty, &example.body, types),
            ),
        }
    }
    for (n, param) in op.params.iter().enumerate() {
        if let Some(default) = &param.rules.default {
            if let TypeRef::Named(_) = param.ty {
                let index = raw
                    .parameters
                    .iter()
                    .position(|p| p.name == param.wire_name)
                    .unwrap_or(n);
                let path = [
                    key("operations"),
                    idx(i),
                    key("parameters"),
                    idx(index),
                    key("default"),
                ];
                for problem in check_value(&param.ty, default, types) {
                    ctx.error(
                        &path,
                        format!("{what}, parameter `{}`: default {problem}", param.wire_name),
                    );
                }
            }
        }
    }
    if let Some(pagination) = &mut op.pagination {
        let path = [key("operations"), idx(i), key("pagination")];
        match output_object(&op.output, types) {
            Some(fields) => {
                let items = &mut pagination.items;
                match fields.iter().find(|f| f.wire_name == items.wire_name) {
                    Some(f) if matches!(f.ty, TypeRef::Array(_)) => {
                        items.rust_name = f.rust_name.clone();
                        items.ty = f.ty.clone();
                        items.required = f.required;
                    }
                    Some(_) => ctx.error(
                        &path,
                        format!(
                            "{what}: pagination items field `{}` is not an array",
                            items.wire_name
                        ),
                    ),
                    None => ctx.error(
                        &path,
                        format!(
                            "{what}: pagination items field `{}` is not in the response",
                            items.wire_name
                        ),
                    ),
                }
                if let Some(total) = &mut pagination.total {
                    match fields.iter().find(|f| f.wire_name == total.wire_name) {
                        Some(f) if matches!(f.ty, TypeRef::I32 | TypeRef::I64) => {
                            total.rust_name = f.rust_name.clone();
                            total.ty = f.ty.clone();
                            total.required = f.required;
                        }
                        Some(_) => ctx.error(
                            &path,
                            format!(
                                "{what}: pagination total field `{}` is not an integer",
                                total.wire_name
                            ),
                        ),
                        None => ctx.error(
                            &path,
                            format!(
                                "{what}: pagination total field `{}` is not in the response",
                                total.wire_name
                            ),
                        ),
                    }
                }
            }
            None => ctx.error(
                &path,
                format!("{what}: a paginated operation needs one object response type"),
            ),
        }
        let offset = &op.params[pagination.offset_param];
        let limit = &op.params[pagination.limit_param];
        for param in [offset, limit] {
            if !matches!(param.ty, TypeRef::I32 | TypeRef::I64) {
                ctx.error(
                    &path,
                    format!(
                        "{what}: pagination parameter `{}` is not an integer",
                        param.wire_name
                    ),
                );
            }
        }
    }
    if let Some(job) = &mut op.async_job {
        let path = [key("operations"), idx(i), key("async_job")];
        let found = output_object(&op.output, types).and_then(|fields| {
            fields
                .iter()
                .find(|f| f.wire_name == job.job_id_field && f.ty == TypeRef::String)
        });
        if let Some(field) = found {
            job.job_id_rust = field.rust_name.clone();
        } else {
            ctx.error(
                &path,
                format!(
                    "{what}: async_job field `{}` is not a string field of the response",
                    job.job_id_field
                ),
            );
        }
    }
}

fn output_object<'a>(output: &Output, types: &BTreeMap<&str, &'a TypeDef>) -> Option<&'a [Field]> {
    let Output::Single(TypeRef::Named(name)) = output else {
        return None;
    };
    match &types.get(name.as_str())?.kind {
        TypeKind::Object(fields) => Some(fields),
        _ => None,
    }
}

fn report_mismatches(
    ctx: &mut FileCtx<'_>,
    path: &[Seg],
    what: &str,
    example: &str,
    problems: Vec<String>,
) {
    const SHOWN: usize = 8;
    let count = problems.len();
    for problem in problems.into_iter().take(SHOWN) {
        ctx.error(path, format!("{what}: example `{example}`: {problem}"));
    }
    if count > SHOWN {
        ctx.error(
            path,
            format!(
                "{what}: example `{example}`: and {} more problems",
                count - SHOWN
            ),
        );
    }
}

fn check_standard_error(body: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    match body.as_object() {
        Some(map) => {
            for k in ["error_code", "error_msg"] {
                if !map.get(k).is_some_and(Value::is_string) {
                    problems.push(format!(
                        "$.{k}: the standard error body needs a string `{k}`"
                    ));
                }
            }
        }
        None => problems.push("$: the standard error body must be an object".to_string()),
    }
    problems
}

/// Checks a JSON value against a type; returns one message per problem, with its JSON path.
pub fn check_value(ty: &TypeRef, value: &Value, types: &BTreeMap<&str, &TypeDef>) -> Vec<String> {
    let mut problems = Vec::new();
    check_at(ty, value, types, &mut "$".to_string(), &mut problems, 0);
    problems
}

fn check_at(
    ty: &TypeRef,
    value: &Value,
    types: &BTreeMap<&str, &TypeDef>,
    path: &mut String,
    problems: &mut Vec<String>,
    depth: usize,
) {
    // Type definitions may be recursive; JSON from a file is finite, but keep the walk bounded.
    if depth > 64 {
        return;
    }
    let wrong = |expected: &str| format!("{path}: expected {expected}, found {}", short(value));
    match ty {
        TypeRef::Json => {}
        TypeRef::Array(inner) => match value.as_array() {
            Some(items) => {
                for (n, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{n}]"));
                    check_at(inner, item, types, path, problems, depth + 1);
                    path.truncate(len);
                }
            }
            None => problems.push(wrong("an array")),
        },
        TypeRef::Map(inner) => match value.as_object() {
            Some(map) => {
                for (k, item) in map {
                    let len = path.len();
                    path.push_str(&format!(".{k}"));
                    check_at(inner, item, types, path, problems, depth + 1);
                    path.truncate(len);
                }
            }
            None => problems.push(wrong("an object")),
        },
        TypeRef::Named(name) => {
            let Some(def) = types.get(name.as_str()) else {
                return;
            };
            match &def.kind {
                TypeKind::Alias(target) => {
                    check_at(target, value, types, path, problems, depth + 1)
                }
                TypeKind::Enum(variants) => match value.as_str() {
                    Some(s) if variants.iter().any(|v| v.value == s) => {}
                    Some(s) => problems.push(format!(
                        "{path}: \"{s}\" is not one of the values of `{name}` ({})",
                        variants
                            .iter()
                            .map(|v| v.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    None => problems.push(wrong("a string")),
                },
                TypeKind::Object(fields) => match value.as_object() {
                    Some(map) => {
                        for k in map.keys() {
                            if !fields.iter().any(|f| f.wire_name == *k) {
                                problems.push(format!(
                                    "{path}: field `{k}` is not declared in type `{name}`"
                                ));
                            }
                        }
                        for field in fields {
                            let len = path.len();
                            path.push_str(&format!(".{}", field.wire_name));
                            match map.get(&field.wire_name) {
                                None | Some(Value::Null) if field.required => {
                                    problems.push(format!("{path}: required field is missing"));
                                }
                                None | Some(Value::Null) => {}
                                Some(item) if field.lenient && lenient_fits(&field.ty, item) => {
                                    check_bounds(&field.rules, item, path, problems);
                                }
                                Some(item) => {
                                    check_at(&field.ty, item, types, path, problems, depth + 1);
                                    check_enum_rule(&field.rules, &field.ty, item, path, problems);
                                    check_bounds(&field.rules, item, path, problems);
                                }
                            }
                            path.truncate(len);
                        }
                    }
                    None => problems.push(wrong(&format!("an object of type `{name}`"))),
                },
            }
        }
        scalar => {
            if !scalar_matches(scalar, value) {
                problems.push(wrong(&scalar.spec_name()));
            }
        }
    }
}

/// A lenient field's value in the other form than declared: text for a number field that reads
/// as one, or a number for a text field. The client reads both, so examples may show either.
fn lenient_fits(ty: &TypeRef, value: &Value) -> bool {
    match (ty, value) {
        (TypeRef::String, Value::Number(_)) => true,
        (TypeRef::I32 | TypeRef::I64, Value::String(s)) => s.trim().parse::<i64>().is_ok(),
        (TypeRef::F64, Value::String(s)) => s.trim().parse::<f64>().is_ok(),
        _ => false,
    }
}

/// Documented ranges and lengths: numbers within minimum/maximum, strings and arrays within
/// min_length/max_length.
fn check_bounds(rules: &Rules, value: &Value, path: &str, problems: &mut Vec<String>) {
    if let Some(n) = value.as_f64() {
        if rules.minimum.is_some_and(|min| n < min) || rules.maximum.is_some_and(|max| n > max) {
            let bound = |b: Option<f64>| b.map(|b| b.to_string()).unwrap_or_else(|| "any".into());
            problems.push(format!(
                "{path}: {value} is outside the documented range {} to {}",
                bound(rules.minimum),
                bound(rules.maximum)
            ));
        }
    }
    let length = match value {
        Value::String(s) => Some(s.chars().count() as u64),
        Value::Array(items) => Some(items.len() as u64),
        _ => None,
    };
    if let Some(length) = length {
        if rules.min_length.is_some_and(|min| length < min)
            || rules.max_length.is_some_and(|max| length > max)
        {
            problems.push(format!(
                "{path}: length {length} is outside the documented {} to {}",
                rules
                    .min_length
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "0".into()),
                rules
                    .max_length
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "any".into())
            ));
        }
    }
}

/// Numeric enums are not Rust enums, so their values are checked here.
fn check_enum_rule(
    rules: &Rules,
    ty: &TypeRef,
    value: &Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    if rules.enum_values.is_empty() || !matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::F64) {
        return;
    }
    let matches = rules
        .enum_values
        .iter()
        .any(|v| v.value.as_f64().is_some() && v.value.as_f64() == value.as_f64());
    if !matches {
        let allowed: Vec<String> = rules
            .enum_values
            .iter()
            .map(|v| v.value.to_string())
            .collect();
        problems.push(format!(
            "{path}: {value} is not one of {}",
            allowed.join(", ")
        ));
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

fn scalar_matches(ty: &TypeRef, value: &Value) -> bool {
    match ty {
        TypeRef::String => value.is_string(),
        TypeRef::Bool => value.is_boolean(),
        TypeRef::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        TypeRef::I64 => {
            value.is_i64()
                || value.is_u64() && value.as_u64().is_some_and(|n| i64::try_from(n).is_ok())
        }
        TypeRef::F64 => value.is_number(),
        TypeRef::Json => true,
        // Named types are checked by `check_at`; enum values on them are strings.
        TypeRef::Named(_) => value.is_string(),
        TypeRef::Array(_) | TypeRef::Map(_) => false,
    }
}

fn is_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F64
            | TypeRef::Named(_)
    )
}

fn replace_innermost(ty: &TypeRef, with: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Array(inner) => TypeRef::Array(Box::new(replace_innermost(inner, with))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(replace_innermost(inner, with))),
        _ => with,
    }
}

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
        other => Err(format!(
            "unknown type `{other}`: expected string, boolean, integer, long, double, json, array<T>, map<T> or an UpperCamelCase type name"
        )),
    }
}

fn enum_value_parts(value: &serde_yaml::Value) -> Result<(Value, Option<String>), String> {
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

fn enum_variants(values: &[serde_yaml::Value]) -> Result<Vec<EnumVariant>, (usize, String)> {
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

enum RawPathPart {
    Literal(String),
    Param(String),
}

fn parse_path(path: &str) -> Result<Vec<RawPathPart>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`"));
    }
    if path.contains(char::is_whitespace) || path.contains('\\') || path.contains('?') {
        return Err(format!(
            "path `{path}` contains a space, a backslash or a query string"
        ));
    }
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| c + open)
            .ok_or(format!("path `{path}` has an unclosed `{{`"))?;
        if open > 0 {
            parts.push(RawPathPart::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..close];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "path `{path}` has a bad parameter name `{{{name}}}`"
            ));
        }
        parts.push(RawPathPart::Param(name.to_string()));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path `{path}` has an unmatched `}}`"));
    }
    if !rest.is_empty() {
        parts.push(RawPathPart::Literal(rest.to_string()));
    }
    Ok(parts)
}

fn placeholders(pattern: &str) -> Vec<String> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_section(section: &str) -> bool {
    !section.is_empty()
        && section
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Operations sort in document order: by section number, then single pages by name.
fn source_key(source: &Source) -> (u8, Vec<u32>, String) {
    match source {
        Source::Section(s) => (
            0,
            s.split('.')
                .map(|p| p.parse().unwrap_or(u32::MAX))
                .collect(),
            String::new(),
        ),
        Source::Page(p) => (1, Vec::new(), p.clone()),
    }
}

/// Groups in the order of their first operation.
fn ordered_groups(
    operations: &[Operation],
    titles: BTreeMap<String, (String, Option<String>, Loc)>,
) -> Vec<Group> {
    let mut order: Vec<&str> = Vec::new();
    for op in operations {
        if !order.contains(&op.group.as_str()) {
            order.push(&op.group);
        }
    }
    let mut groups: Vec<Group> = order
        .iter()
        .filter_map(|name| {
            titles.get(*name).map(|(title, description, _)| Group {
                name: name.to_string(),
                module: names::group_module(name),
                title: title.clone(),
                description: description.clone(),
            })
        })
        .collect();
    for (name, (title, description, _)) in titles {
        if !groups.iter().any(|g| g.name == name) {
            groups.push(Group {
                module: names::group_module(&name),
                name,
                title,
                description,
            });
        }
    }
    groups
}
