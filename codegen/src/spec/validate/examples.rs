//! Examples: parsed when their operation is built, and their mismatches reported once checked.

use super::context::FileCtx;
use super::syntax::is_snake;
use crate::model::*;
use crate::names;
use crate::spec::locate::{idx, key, Seg};
use crate::spec::raw::RawExample;
use serde_json::Value;
use std::collections::BTreeSet;

/// Examples of the operation `id`, parsed: names defaulted and unique, bodies valid JSON.
/// Checking them against their types waits until every type is known.
pub(super) fn examples(
    ctx: &mut FileCtx<'_>,
    path: &[Seg],
    (id, what): (&str, &str),
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
                test_name: names::example_test_name(id, response, &name),
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

pub(super) fn report_mismatches(
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

pub(super) fn check_standard_error(body: &Value) -> Vec<String> {
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
