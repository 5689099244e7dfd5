//! Builds an operation: its parameters, path, body, responses, pagination and examples.

use super::context::{FileCtx, Loc};
use super::enums::Site;
use super::examples::examples;
use super::rules::RawRulesRef;
use super::shared::Resolution;
use super::syntax::{is_section, is_snake, parse_path, RawPathPart};
use super::ServiceBuilder;
use crate::diag::Diagnostics;
use crate::model::*;
use crate::names;
use crate::spec::load::SourceFile;
use crate::spec::locate::{idx, key, Seg};
use crate::spec::raw::{RawOperation, RawParameter};
use std::collections::{BTreeMap, BTreeSet};

/// Whose parameter is being checked.
pub(super) enum ParamOwner<'a> {
    Operation {
        id: &'a str,
    },
    /// A definition in `shared_parameters`.
    SharedList,
}

impl ServiceBuilder<'_> {
    pub(super) fn operation(
        &mut self,
        file: &SourceFile,
        (group, i): (&str, usize),
        raw: &RawOperation,
        resolution: &Resolution,
    ) -> Option<Operation> {
        let resolved = &resolution.params;
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
        for entry in resolved {
            let path = &entry.at;
            let owner = ParamOwner::Operation { id: &raw.id };
            if let Some(param) = self.parameter(file, path, &owner, &entry.raw, &mut rust_names) {
                if !seen.insert((param.location, param.wire_name.to_ascii_lowercase())) {
                    FileCtx {
                        file,
                        diags: self.diags,
                    }
                    .error(
                        path,
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
                            None => match resolved.iter().find(|p| p.raw.name == name) {
                                Some(p) if p.raw.location != "path" => ctx.error(
                                    &[p.at.as_slice(), &[key("in")]].concat(),
                                    format!(
                                        "{what}: parameter `{name}` is in the path (`{{{name}}}`) but declared with `in: {}`; use `in: path`",
                                        p.raw.location
                                    ),
                                ),
                                // Declared but rejected: that is reported already.
                                Some(_) => {}
                                None if resolution.left_out.contains(&name) => {}
                                None => ctx.error(
                                    &at(&[key("path")]),
                                    format!("{what}: path parameter `{{{name}}}` is not declared in `parameters`"),
                                ),
                            },
                        }
                    }
                }
            }
            for param in &params {
                if param.location == ParamLocation::Path && !in_path.contains(&param.wire_name) {
                    let entry = resolved
                        .iter()
                        .find(|p| p.raw.name == param.wire_name)
                        .map_or_else(|| at(&[key("parameters")]), |p| p.at.clone());
                    ctx.error(
                        &entry,
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
            (&raw.id, &what),
            &raw.request_examples,
            false,
        );
        let response_examples = examples(
            &mut ctx,
            &at(&[key("response_examples")]),
            (&raw.id, &what),
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
            input_name: names::mock_input_name(&raw.id),
            entry_name: names::operation_entry_name(&raw.id),
            test_name: names::mock_test_name(&raw.id),
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

    /// Checks one parameter and builds it. Of a shared parameter's definition
    /// (`ParamOwner::SharedList`) only the checks count: its enum is declared where operations
    /// use it, in the group of the first, as an inline one would be.
    pub(super) fn parameter(
        &mut self,
        file: &SourceFile,
        path: &[Seg],
        owner: &ParamOwner<'_>,
        raw: &RawParameter,
        rust_names: &mut BTreeSet<String>,
    ) -> Option<Param> {
        let sub = |k: &str| -> Vec<Seg> { path.iter().cloned().chain([key(k)]).collect() };
        let what = match owner {
            ParamOwner::Operation { id, .. } => {
                format!("operation `{id}`, parameter `{}`", raw.name)
            }
            ParamOwner::SharedList => format!("shared parameter `{}`", raw.name),
        };
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
        if let ParamOwner::Operation { id, .. } = owner {
            let site = Site::Param {
                operation: id.to_string(),
                param: raw.name.clone(),
            };
            if self.inline_enums.get(&site).is_some() {
                ty = self.inline_enum(file, path, &what, &site, &ty);
            }
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

pub(super) fn check_output_names(
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

/// Whether a parameter of this type is one value in the URL or a header.
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
