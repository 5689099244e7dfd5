//! The Markdown reference under `generated/docs/`: an index of the services, and per service an
//! index, a page per group, a page of types and the error-code catalogue. Links are relative, so
//! the pages read the same on any git host.

use super::{code_value, value_text, LENIENT_NOTE, ONE_OR_MANY_NOTE};
use crate::model::{
    Field, Operation, Output, Param, ResponseBody, Rules, Service, Source, TypeDef, TypeKind,
    TypeRef,
};
use std::fmt::Write;

/// `docs/README.md`: every service.
pub fn index(services: &[Service]) -> String {
    let mut out = String::from("# API reference\n\nGenerated from `spec/` by `cargo xtask codegen`; edit the spec, not these pages.\n\n");
    out.push_str(
        "| service | operations | deprecated | types | error codes |\n|---|---|---|---|---|\n",
    );
    for s in services {
        let deprecated = s.operations.iter().filter(|o| o.deprecated).count();
        let _ = writeln!(
            out,
            "| [{}]({}/README.md) | {} | {} | {} | {} |",
            text(&s.title),
            s.name,
            s.operations.len(),
            deprecated,
            s.types.len(),
            s.error_codes.len()
        );
    }
    out
}

/// `docs/<service>/README.md`: groups, operations, endpoints.
pub fn service_index(service: &Service) -> String {
    let mut out = format!("# {}\n\n", text(&service.title));
    if let Some(description) = &service.description {
        let _ = writeln!(out, "{}\n", text(description));
    }
    let _ = writeln!(
        out,
        "Source: {}. API versions: {}. Rust: `huaweicloud_db::{}::Client` (cargo feature `{}`).\n",
        text(&service.document),
        service.api_versions.join(", "),
        service.name,
        service.name
    );
    out.push_str("| group | operations |\n|---|---|\n");
    for group in &service.groups {
        let count = service
            .operations
            .iter()
            .filter(|o| o.group == group.name)
            .count();
        let _ = writeln!(
            out,
            "| [{}]({}.md) | {count} |",
            text(&group.title),
            group.name
        );
    }
    out.push_str("\n## Operations\n\n| operation | method | path | section |\n|---|---|---|---|\n");
    for op in &service.operations {
        let deprecated = if op.deprecated { " (deprecated)" } else { "" };
        let _ = writeln!(
            out,
            "| [{}]({}.md#{}){deprecated} | {} | `{}` | {} |",
            op.id,
            op.group,
            op.id,
            op.method,
            op.path,
            source(&op.source)
        );
    }
    out.push_str("\nAlso: [types](types.md), [error codes](errors.md).\n\n## Endpoints\n\n");
    if !service.endpoints.is_empty() {
        out.push_str("| region | name | host |\n|---|---|---|\n");
        for e in &service.endpoints {
            let _ = writeln!(out, "| `{}` | {} | `{}` |", e.region, text(&e.name), e.host);
        }
        out.push('\n');
    }
    if let Some(pattern) = &service.endpoint_pattern {
        let _ = writeln!(
            out,
            "Other regions: `{pattern}` with `{{service}}` = `{}`{}.",
            service.endpoint_service,
            service
                .default_domain
                .as_deref()
                .map(|d| format!(" and `{{domain}}` = `{d}` unless configured"))
                .unwrap_or_default()
        );
    }
    out
}

/// `docs/<service>/<group>.md`: every operation of a group.
pub fn group_page(service: &Service, group: &str) -> String {
    let title = service
        .groups
        .iter()
        .find(|g| g.name == group)
        .map(|g| g.title.as_str())
        .unwrap_or(group);
    let mut out = format!(
        "# {}: {}\n\n[{} reference](README.md)\n\n",
        text(&service.title),
        text(title),
        text(&service.title)
    );
    if let Some(description) = service
        .groups
        .iter()
        .find(|g| g.name == group)
        .and_then(|g| g.description.as_ref())
    {
        let _ = writeln!(out, "{}\n", text(description));
    }
    for op in service.operations.iter().filter(|o| o.group == group) {
        operation(&mut out, service, op);
    }
    out
}

fn operation(out: &mut String, service: &Service, op: &Operation) {
    let _ = writeln!(out, "<a id=\"{}\"></a>\n## {}\n", op.id, text(&op.summary));
    match (&op.replaced_by, op.deprecated) {
        (Some(r), _) => {
            let _ = writeln!(
                out,
                "**Deprecated**: the API is unavailable soon. Use [{}]({}.md#{}) (`{}`) instead.\n",
                text(&r.summary),
                r.group,
                r.id,
                r.method_name
            );
        }
        (None, true) => out.push_str("**Deprecated**: the API is unavailable soon.\n\n"),
        (None, false) => {}
    }
    let _ = writeln!(out, "`{} {}`\n", op.method, op.path);
    let _ = writeln!(out, "- Operation: `{}` ({})", op.id, source(&op.source));
    if let Some(action) = &op.iam_action {
        let _ = writeln!(out, "- IAM action: `{action}`");
    }
    let _ = writeln!(
        out,
        "- Retried after failures: {}",
        if op.retry_safe {
            "yes (safe to repeat)"
        } else {
            "only when nothing was sent, or on 429"
        }
    );
    if let Some(p) = &op.pagination {
        let _ = writeln!(
            out,
            "- Paginated: `{}` and `{}`; items in `{}`; `pages()` fetches page by page (or as a stream of items), `send_all()` every page",
            op.params[p.offset_param].wire_name,
            op.params[p.limit_param].wire_name,
            p.items.wire_name
        );
    }
    if let Some(job) = &op.async_job {
        let _ = writeln!(
            out,
            "- Asynchronous: `{}` identifies the job",
            job.job_id_field
        );
    }
    out.push('\n');
    if let Some(description) = &op.description {
        let _ = writeln!(out, "{}\n", text(description));
    }
    if let Some(note) = &op.note {
        let _ = writeln!(out, "> Note: {}\n", text(note));
    }
    let _ = writeln!(
        out,
        "```rust\n{}\n```\n",
        super::snippet::rust_call(service, op)
    );
    if !op.params.is_empty() {
        out.push_str("### Parameters\n\n| name | in | type | required | default | allowed values | description |\n|---|---|---|---|---|---|---|\n");
        for p in &op.params {
            param_row(out, p);
        }
        out.push('\n');
    }
    if let Some(body) = &op.body {
        let _ = writeln!(
            out,
            "### Request body\n\n{} ({})\n",
            type_link(&body.ty),
            if body.required {
                "required"
            } else {
                "optional"
            }
        );
        for example in &op.request_examples {
            example_block(out, "Example", example.summary.as_deref(), &example.body);
        }
    }
    out.push_str("### Responses\n\n| status | body | description |\n|---|---|---|\n");
    for r in &op.responses {
        let body = match &r.body {
            ResponseBody::Empty => "none".to_string(),
            ResponseBody::StandardError => "[error body](errors.md)".to_string(),
            ResponseBody::Typed(ty) => type_link(ty),
        };
        let _ = writeln!(
            out,
            "| {} | {body} | {} |",
            r.status,
            cell(r.description.as_deref().unwrap_or_default())
        );
    }
    out.push('\n');
    if let Output::ByStatus { name, .. } = &op.output {
        let _ = writeln!(
            out,
            "`send()` returns `{name}`, one variant per success status.\n"
        );
    }
    let error_statuses: Vec<u16> = op
        .responses
        .iter()
        .filter(|r| r.status >= 400)
        .map(|r| r.status)
        .collect();
    if !error_statuses.is_empty() {
        let codes = service
            .error_codes
            .iter()
            .filter(|e| error_statuses.contains(&e.status))
            .count();
        let links: Vec<String> = error_statuses
            .iter()
            .map(|s| {
                // Only statuses with catalogue entries have a section to link to.
                if service.error_codes.iter().any(|e| e.status == *s) {
                    format!("[{s}](errors.md#status-{s})")
                } else {
                    s.to_string()
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "Error codes: {} documented for statuses {}.\n",
            codes,
            links.join(", ")
        );
    }
    for example in &op.response_examples {
        let title = format!("Example response ({})", example.status.unwrap_or_default());
        example_block(out, &title, example.summary.as_deref(), &example.body);
    }
}

fn param_row(out: &mut String, p: &Param) {
    let _ = writeln!(
        out,
        "| `{}` | {} | {} | {} | {} | {} | {} |",
        p.wire_name,
        p.location.as_str(),
        type_link(&p.ty),
        if p.required { "yes" } else { "no" },
        p.rules
            .default
            .as_ref()
            .map(|d| format!("`{d}`"))
            .unwrap_or_default(),
        allowed(&p.rules),
        cell(
            &[
                p.description.as_deref().unwrap_or_default(),
                &ranges(&p.rules)
            ]
            .join(" ")
        )
    );
}

fn example_block(out: &mut String, title: &str, summary: Option<&str>, body: &serde_json::Value) {
    let json = serde_json::to_string_pretty(body).unwrap_or_default();
    let summary = summary
        .map(|s| format!(": {}", text(s)))
        .unwrap_or_default();
    let _ = writeln!(out, "{title}{summary}\n\n```json\n{json}\n```\n");
}

/// The Rust call that makes the request, with placeholders for required inputs.
/// `docs/<service>/types.md`: each type once, with an anchor that operations link to.
pub fn types_page(service: &Service) -> String {
    let mut out = format!(
        "# {} types\n\n[{} reference](README.md)\n\n",
        text(&service.title),
        text(&service.title)
    );
    for def in &service.types {
        type_section(&mut out, def);
    }
    out
}

fn type_section(out: &mut String, def: &TypeDef) {
    let _ = writeln!(
        out,
        "<a id=\"{}\"></a>\n## {}\n",
        anchor(&def.name),
        def.name
    );
    if let Some(description) = &def.description {
        let _ = writeln!(out, "{}\n", text(description));
    }
    if !def.used_as.is_empty() {
        let _ = writeln!(out, "Used as {}.\n", def.used_as.join(", "));
    }
    if let Some(note) = &def.note {
        let _ = writeln!(out, "> Note: {}\n", text(note));
    }
    match &def.kind {
        TypeKind::Object(fields) if fields.is_empty() => {
            out.push_str("An object without documented fields.\n\n")
        }
        TypeKind::Object(fields) => {
            out.push_str("| field | type | required | description |\n|---|---|---|---|\n");
            for f in fields {
                field_row(out, f);
            }
            out.push('\n');
        }
        TypeKind::Enum(variants) => {
            out.push_str("| value | description |\n|---|---|\n");
            for v in variants {
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    code_value(&v.value),
                    cell(v.description.as_deref().unwrap_or_default())
                );
            }
            out.push_str("\nOther values arrive as `Unknown`.\n\n");
        }
        TypeKind::Alias(target) => {
            let _ = writeln!(out, "Same as {}.\n", type_link(target));
        }
    }
}

fn field_row(out: &mut String, f: &Field) {
    let mut description = f.description.clone().unwrap_or_default();
    for extra in [allowed(&f.rules), ranges(&f.rules)] {
        if !extra.is_empty() {
            description.push(' ');
            description.push_str(&extra);
        }
    }
    if let Some(default) = &f.rules.default {
        let _ = write!(description, " Default: `{default}`.");
    }
    if f.lenient {
        description.push(' ');
        description.push_str(LENIENT_NOTE);
    }
    if f.one_or_many {
        description.push(' ');
        description.push_str(ONE_OR_MANY_NOTE);
    }
    if f.deprecated {
        description.push_str(" Deprecated.");
    }
    let _ = writeln!(
        out,
        "| `{}` | {} | {} | {} |",
        f.wire_name,
        type_link(&f.ty),
        if f.required { "yes" } else { "no" },
        cell(&description)
    );
}

/// `docs/<service>/errors.md`: the error-code catalogue, grouped by status.
pub fn errors_page(service: &Service) -> String {
    let mut out = format!(
        "# {} error codes\n\n[{} reference](README.md)\n\nError responses carry `{{\"error_code\": \"...\", \"error_msg\": \"...\"}}`; the client turns them into `Error::Api`, and `huaweicloud_db::{}::error_codes` has a constant for each code below.\n\n",
        text(&service.title),
        text(&service.title),
        service.name
    );
    let mut statuses: Vec<u16> = service.error_codes.iter().map(|e| e.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    for status in statuses {
        let _ = writeln!(out, "<a id=\"status-{status}\"></a>\n## Status {status}\n\n| code | message | description | solution |\n|---|---|---|---|");
        for e in service.error_codes.iter().filter(|e| e.status == status) {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                e.code,
                cell(&e.message),
                cell(e.description.as_deref().unwrap_or_default()),
                cell(e.solution.as_deref().unwrap_or_default())
            );
        }
        out.push('\n');
    }
    out
}

fn source(source: &Source) -> String {
    match source {
        Source::Section(s) => format!("section {s}"),
        Source::Page(p) => format!("page `{p}`"),
    }
}

/// A type expression with named types linked to their section of `types.md`.
fn type_link(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Array(inner) => format!("array of {}", type_link(inner)),
        TypeRef::Map(inner) => format!("map of {}", type_link(inner)),
        TypeRef::Named(name) => format!("[{name}](types.md#{})", anchor(name)),
        other => other.spec_name(),
    }
}

fn anchor(name: &str) -> String {
    name.to_ascii_lowercase()
}

fn allowed(rules: &Rules) -> String {
    rules
        .enum_values
        .iter()
        .map(|v| code_value(&value_text(&v.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ranges(rules: &Rules) -> String {
    let mut parts = Vec::new();
    match (rules.minimum, rules.maximum) {
        (Some(min), Some(max)) => parts.push(format!("Range {min} to {max}.")),
        (Some(min), None) => parts.push(format!("Minimum {min}.")),
        (None, Some(max)) => parts.push(format!("Maximum {max}.")),
        (None, None) => {}
    }
    match (rules.min_length, rules.max_length) {
        (Some(min), Some(max)) => parts.push(format!("Length {min} to {max}.")),
        (Some(min), None) => parts.push(format!("Length at least {min}.")),
        (None, Some(max)) => parts.push(format!("Length at most {max}.")),
        (None, None) => {}
    }
    parts.join(" ")
}

/// Spec text as Markdown: angle brackets escaped so no HTML is injected.
fn text(s: &str) -> String {
    s.trim().replace('<', "&lt;").replace('>', "&gt;")
}

/// Spec text inside a table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    text(s).replace('\n', " ").replace('|', "\\|")
}
