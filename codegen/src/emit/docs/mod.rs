//! The Markdown reference under `generated/docs/`: an index of the services, and per service an
//! index, a page per group, a page of types and the error-code catalogue. Links are relative, so
//! the pages read the same on any git host. The pages speak Rust: types as the generated code
//! declares them, the names of fields, variants, methods and error-code constants.

mod markdown;
mod types;

use super::rust_type as rust_tokens;
use crate::model::{Example, Operation, Output, Param, ResponseBody, Service, Source};
use markdown::{cell, rust_type, text, values};
use quote::quote;
use std::fmt::Write;

pub use types::page as types_page;

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
    // The title column is the document's section title, so searching the page for a title
    // finds the operation.
    out.push_str("\n## Operations\n\n| operation | title | method | path | section |\n|---|---|---|---|---|\n");
    for op in &service.operations {
        let deprecated = if op.deprecated { " (deprecated)" } else { "" };
        let _ = writeln!(
            out,
            "| [`{}`]({}.md#{}){deprecated} | {} | {} | `{}` | {} |",
            op.method_name,
            op.group,
            op.id,
            cell(&op.summary),
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
        out.push_str("### Parameters\n\n| name | in | Rust | type | required | values | description |\n|---|---|---|---|---|---|---|\n");
        for p in &op.params {
            param_row(out, op, p);
        }
        out.push('\n');
    }
    if let Some(body) = &op.body {
        let how = if body.required {
            format!("required: the last argument of `{}`", op.method_name)
        } else {
            "optional: set it with `.body(..)`".to_string()
        };
        let _ = writeln!(out, "### Request body\n\n{} ({how})\n", linked(&body.ty));
        for example in &op.request_examples {
            example_block(
                out,
                "Example request",
                summary(example, None),
                &example.body,
            );
        }
    }
    out.push_str("### Responses\n\n| status | body | description |\n|---|---|---|\n");
    for r in &op.responses {
        let body = match &r.body {
            ResponseBody::Empty => "none".to_string(),
            ResponseBody::StandardError => "[error body](errors.md)".to_string(),
            ResponseBody::Typed(ty) => linked(ty),
        };
        let _ = writeln!(
            out,
            "| {} | {body} | {} |",
            r.status,
            cell(r.description.as_deref().unwrap_or_default())
        );
    }
    out.push('\n');
    match &op.output {
        Output::Unit => out.push_str("`send()` returns `()`.\n\n"),
        Output::Single(ty) => {
            let _ = writeln!(out, "`send()` returns {}.\n", linked(ty));
        }
        Output::ByStatus { name, .. } => {
            let _ = writeln!(
                out,
                "`send()` returns `{name}`, one variant per success status.\n"
            );
        }
    }
    error_codes(out, service, op);
    for example in &op.response_examples {
        let title = format!("Example response ({})", example.status.unwrap_or_default());
        let description = op
            .responses
            .iter()
            .find(|r| Some(r.status) == example.status)
            .and_then(|r| r.description.as_deref());
        example_block(out, &title, summary(example, description), &example.body);
    }
}

/// Which error codes apply. Neither reference says which codes an API returns (their catalogues
/// have no API column), so the operation says that plainly and links to the service-wide
/// catalogue at the statuses it documents.
fn error_codes(out: &mut String, service: &Service, op: &Operation) {
    let statuses: Vec<String> = op
        .responses
        .iter()
        .filter(|r| r.status >= 400)
        .map(|r| {
            let codes = service
                .error_codes
                .iter()
                .filter(|e| e.status == r.status)
                .count();
            // Only statuses with catalogue entries have a section to link to.
            match codes {
                0 => r.status.to_string(),
                1 => format!("[{}](errors.md#status-{}) (1 code)", r.status, r.status),
                n => format!("[{}](errors.md#status-{}) ({n} codes)", r.status, r.status),
            }
        })
        .collect();
    out.push_str("Error codes: the documents list them for the whole service, not per operation; see the [error-code catalogue](errors.md)");
    if !statuses.is_empty() {
        let _ = write!(
            out,
            " for the statuses documented here: {}",
            statuses.join(", ")
        );
    }
    out.push_str(".\n\n");
}

/// An example's summary, unless it says nothing the title and the response's description do not
/// ("Success.", "Example normal response.").
fn summary<'a>(example: &'a Example, description: Option<&str>) -> Option<&'a str> {
    example
        .summary
        .as_deref()
        .filter(|s| says_more(s, description))
}

/// Words that only say "this is an example of a response".
const EXAMPLE_WORDS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "request",
    "response",
    "normal",
    "success",
    "successful",
];

fn says_more(summary: &str, description: Option<&str>) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let said = words(summary);
    let only_example = said.iter().all(|w| EXAMPLE_WORDS.contains(&w.as_str()));
    !only_example && description.is_none_or(|d| words(d) != said)
}

fn param_row(out: &mut String, op: &Operation, p: &Param) {
    let rust = if p.from_client {
        "from the client; `.project_id(..)`".to_string()
    } else if p.required {
        format!("argument of `{}`", op.method_name)
    } else {
        format!("`.{}(..)`", p.rust_name)
    };
    let _ = writeln!(
        out,
        "| `{}` | {} | {rust} | {} | {} | {} | {} |",
        p.wire_name,
        p.location.as_str(),
        linked(&p.ty),
        if p.required { "yes" } else { "no" },
        values(&p.ty, &p.rules),
        cell(p.description.as_deref().unwrap_or_default())
    );
}

/// A type expression as the Rust type the generated code uses, named types linked.
fn linked(ty: &crate::model::TypeRef) -> String {
    rust_type(&rust_tokens(ty, &quote!()), ty)
}

fn example_block(out: &mut String, title: &str, summary: Option<&str>, body: &serde_json::Value) {
    let json = serde_json::to_string_pretty(body).unwrap_or_default();
    let summary = summary
        .map(|s| format!(": {}", text(s)))
        .unwrap_or_default();
    let _ = writeln!(out, "{title}{summary}\n\n```json\n{json}\n```\n");
}

/// `docs/<service>/errors.md`: the error-code catalogue, grouped by status, with the Rust
/// constant of each code.
pub fn errors_page(service: &Service) -> String {
    let mut out = format!(
        "# {} error codes\n\n[{} reference](README.md)\n\nError responses carry `{{\"error_code\": \"...\", \"error_msg\": \"...\"}}`; the client turns them into `Error::Api`. `huaweicloud_db::{}::error_codes` has a constant for each code below",
        text(&service.title),
        text(&service.title),
        service.name
    );
    match service.error_codes.first() {
        Some(e) => {
            let _ = write!(
                out,
                " (`api_error.is(&error_codes::{})`), and `error_codes::lookup(code)` finds one by its code.",
                e.const_name
            );
        }
        None => out.push('.'),
    }
    out.push_str(" The documents do not say which operations return which code. A description is shown where it says more than the message.\n\n");
    let mut statuses: Vec<u16> = service.error_codes.iter().map(|e| e.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    for status in statuses {
        let _ = writeln!(out, "<a id=\"status-{status}\"></a>\n## Status {status}\n\n| code | Rust constant | message | description | solution |\n|---|---|---|---|---|");
        for e in service.error_codes.iter().filter(|e| e.status == status) {
            let description = e
                .description
                .as_deref()
                .filter(|d| !same_text(d, &e.message))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} | {} |",
                e.code,
                e.const_name,
                cell(&e.message),
                cell(description),
                cell(e.solution.as_deref().unwrap_or_default())
            );
        }
        out.push('\n');
    }
    out
}

/// Whether two texts differ only in case, spacing and punctuation.
fn same_text(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    letters(a) == letters(b)
}

fn source(source: &Source) -> String {
    match source {
        Source::Section(s) => format!("section {s}"),
        Source::Page(p) => format!("page `{p}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_that_repeat_the_title_or_the_description_are_dropped() {
        assert!(!says_more("Success.", Some("Success.")));
        assert!(!says_more("success", Some("Success.")));
        assert!(!says_more("Example normal response.", None));
        assert!(!says_more("Request example", None));
        assert!(!says_more("Accepted.", Some("Accepted.")));
        assert!(says_more("Creating a manual backup", None));
        // Only example words: nothing said, whatever the description.
        assert!(!says_more("Success.", Some("The request is accepted.")));
        assert!(says_more("Querying a backup policy", Some("Success.")));
    }

    #[test]
    fn descriptions_that_repeat_the_message_count_as_the_same_text() {
        assert!(same_text("Invalid AZ.", "invalid az"));
        assert!(same_text("No more ip addresses", "No more IP addresses."));
        assert!(!same_text(
            "The current version is the latest. No update is available.",
            "The current version is the latest. No updates are available."
        ));
    }
}
