//! The service file: its metadata, and `job_status`, which needs every operation and type built.

use super::context::{FileCtx, Loc};
use super::field_path::{end, walk};
use super::syntax::{is_snake, placeholders};
use crate::diag::Diagnostics;
use crate::model::*;
use crate::spec::load::SourceFile;
use crate::spec::locate::{idx, key};
use crate::spec::raw::{RawJobStatus, ServiceFile};
use crate::spec::recover::Broken;
use crate::spec::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

/// Resolves `job_status`: the reporting operation must take the job id as its only input besides
/// the project, and the status and reason paths must lead through objects to a string or string
/// enum.
pub(super) fn job_status(
    ctx: &mut FileCtx<'_>,
    raw: &RawJobStatus,
    operations: &[(Loc, Operation)],
    types: &BTreeMap<&str, &TypeDef>,
    broken: &Broken,
) -> Option<JobStatus> {
    let at = |k: &str| [key("job_status"), key(k)];
    let Some((_, op)) = operations.iter().find(|(_, op)| op.id == raw.operation) else {
        // An operation that did not build is reported where it is written.
        if broken.hides_operation(&raw.operation) {
            return None;
        }
        ctx.error(
            &at("operation"),
            format!(
                "job_status: no operation `{}`{}",
                raw.operation,
                did_you_mean(
                    &raw.operation,
                    operations.iter().map(|(_, op)| op.id.as_str())
                )
            ),
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
    let response = match &op.output {
        Output::Single(ty) => ty,
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
    let status = job_field(ctx, raw, "status_field", &raw.status_field, response, types);
    let reason = raw
        .reason_field
        .as_ref()
        .map(|path| job_field(ctx, raw, "reason_field", path, response, types));
    // Both paths are checked before either error ends the resolution, so both are reported.
    let status_path = status?;
    let reason_path = match reason {
        Some(reason) => Some(reason?),
        None => None,
    };
    Some(JobStatus {
        builder_name: op.builder_name.clone(),
        operation_id: op.id.clone(),
        status_path,
        reason_path,
        takes_project_id: op.params.iter().any(|p| p.from_client),
        succeeded: raw.succeeded.clone(),
        failed: raw.failed.clone(),
    })
}

/// The fields from the reporting operation's `response` down to the dotted `path` given under
/// `job_status.<name>`, which must lead through objects to a string or string enum.
fn job_field(
    ctx: &mut FileCtx<'_>,
    raw: &RawJobStatus,
    name: &str,
    path: &str,
    response: &TypeRef,
    types: &BTreeMap<&str, &TypeDef>,
) -> Option<Vec<StatusStep>> {
    let at = [key("job_status"), key(name)];
    let Ok(fields) = walk(types, response, path) else {
        ctx.error(
            &at,
            format!("job_status: `{}` has no field path `{path}`", raw.operation),
        );
        return None;
    };
    let steps = fields
        .iter()
        .map(|field| StatusStep {
            rust_name: field.rust_name.clone(),
            required: field.required,
        })
        .collect();
    match &end(response, &fields) {
        TypeRef::String => Some(steps),
        TypeRef::Named(name)
            if matches!(
                types.get(name.as_str()).map(|t| &t.kind),
                Some(TypeKind::Enum(_))
            ) =>
        {
            Some(steps)
        }
        _ => {
            ctx.error(&at, format!("job_status: `{path}` is not a string"));
            None
        }
    }
}

pub(super) fn check_service_meta(
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
