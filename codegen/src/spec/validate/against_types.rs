//! Checks of an operation that wait until every type is known.

use super::context::FileCtx;
use super::examples::{check_standard_error, report_mismatches};
use super::shared::Resolved;
use crate::model::*;
use crate::schema::check_example;
use crate::spec::locate::{idx, key};
use huaweicloud_db_schema::Schema;
use std::collections::BTreeMap;

/// Checks what needs every type known (examples, defaults, pagination and job fields) and fills in
/// the pagination fields' Rust names.
pub(super) fn check_operation_against_types(
    ctx: &mut FileCtx<'_>,
    i: usize,
    resolved: &[Resolved],
    op: &mut Operation,
    types: &BTreeMap<&str, &TypeDef>,
    schema: &Schema<'_>,
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
                check_example(schema, &body.ty, &example.body),
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
                check_example(schema, ty, &example.body),
            ),
        }
    }
    for param in &op.params {
        if let Some(default) = &param.rules.default {
            if let TypeRef::Named(_) = param.ty {
                let entry = resolved
                    .iter()
                    .find(|p| p.raw.name == param.wire_name)
                    .map_or_else(
                        || vec![key("operations"), idx(i), key("parameters")],
                        |p| p.at.clone(),
                    );
                let path = [entry.as_slice(), &[key("default")]].concat();
                for problem in check_example(schema, &param.ty, default) {
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
