//! The Rust call each operation's documentation page shows: the request body built with its
//! constructor, the required inputs with plausible values, and the way to send that fits the
//! operation (every page for lists, waiting for jobs).

use crate::model::{Field, Operation, Param, Rules, Service, TypeDef, TypeKind, TypeRef};
use serde_json::Value;
use std::fmt::Write;

/// How deep nested constructors are written out; deeper required objects are left to the reader.
const MAX_DEPTH: usize = 3;

/// The snippet for `op`, as Rust source (not compiled; the values are placeholders).
pub fn rust_call(service: &Service, op: &Operation) -> String {
    let body = op.body.as_ref().filter(|b| b.required).map(|b| {
        // The first documented request shows real values; placeholders fill the rest.
        let example = op.request_examples.first().map(|e| &e.body);
        value(service, &b.ty, &Rules::default(), example, 1)
    });
    let imports = if body.as_ref().is_some_and(|b| b.contains("types::")) {
        "{types, Client}"
    } else {
        "Client"
    };
    let mut out = format!(
        "use huaweicloud_db::{}::{imports};\n\nlet client = Client::from_env()?;\n",
        service.name
    );
    let mut args: Vec<String> = op.required_args().map(param_value).collect();
    if let Some(body) = body {
        let _ = writeln!(out, "let body = {body};");
        args.push("body".into());
    }
    let _ = write!(
        out,
        "let response = client\n    .{}({})",
        op.method_name,
        args.join(", ")
    );
    let can_wait = op.async_job.is_some() && service.job_status.is_some();
    if op.pagination.is_some() {
        out.push_str("\n    .send_all() // or .pages() to fetch page by page\n    .await?;");
    } else if can_wait {
        out.push_str(
            "\n    // Sends, then follows the job until it ends.\n    .send_and_wait(std::time::Duration::from_secs(10), std::time::Duration::from_secs(1800))\n    .await?;",
        );
    } else {
        out.push_str("\n    .send()\n    .await?;");
    }
    out
}

/// A required argument of the client method: a documented value, else a placeholder.
fn param_value(p: &Param) -> String {
    match (&p.ty, example_of(&p.rules)) {
        (TypeRef::String | TypeRef::Named(_), Some(Value::String(text))) => format!("{text:?}"),
        (TypeRef::String | TypeRef::Named(_), _) => format!("\"<{}>\"", p.wire_name),
        (ty, _) => scalar(ty, &p.rules),
    }
}

/// The first allowed value, else the default.
fn example_of(rules: &Rules) -> Option<&Value> {
    rules
        .enum_values
        .first()
        .map(|v| &v.value)
        .or(rules.default.as_ref())
}

/// A Rust expression for a value of `ty`, taken from `example` where it gives one.
fn value(
    service: &Service,
    ty: &TypeRef,
    rules: &Rules,
    example: Option<&Value>,
    depth: usize,
) -> String {
    match ty {
        TypeRef::Named(name) => match service.type_def(name) {
            Some(def) => named(service, def, example, depth),
            None => format!("types::{name}"),
        },
        TypeRef::String => match example.or(example_of(rules)) {
            Some(Value::String(text)) => format!("{text:?}"),
            _ => "\"...\"".into(),
        },
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64
            if example.is_some_and(|v| v.is_number() || v.is_boolean()) =>
        {
            example.map(Value::to_string).unwrap_or_default()
        }
        TypeRef::Array(_) => "[]".into(),
        TypeRef::Map(_) => "Default::default()".into(),
        TypeRef::Json => "serde_json::json!({})".into(),
        other => scalar(other, rules),
    }
}

fn named(service: &Service, def: &TypeDef, example: Option<&Value>, depth: usize) -> String {
    match &def.kind {
        TypeKind::Enum(variants) => match example {
            Some(Value::String(text)) => format!("{text:?}"),
            _ => variants
                .first()
                .map(|v| format!("{:?}", v.value))
                .unwrap_or_else(|| "\"...\"".into()),
        },
        TypeKind::Alias(target) => value(service, target, &Rules::default(), example, depth),
        TypeKind::Object(fields) => {
            let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
            if depth > MAX_DEPTH && !required.is_empty() {
                return format!("types::{}::new(/* ... */)", def.name);
            }
            let indent = "    ".repeat(depth - 1);
            let args: Vec<String> = required
                .iter()
                .map(|f| {
                    let example = example.and_then(|e| e.get(&f.wire_name));
                    format!(
                        "{indent}    {}, // {}",
                        value(service, &f.ty, &f.rules, example, depth + 1),
                        f.rust_name
                    )
                })
                .collect();
            if args.is_empty() {
                format!("types::{}::new()", def.name)
            } else {
                format!("types::{}::new(\n{}\n{indent})", def.name, args.join("\n"))
            }
        }
    }
}

/// A number or flag: the default, else the first allowed value, else the minimum, else 1.
fn scalar(ty: &TypeRef, rules: &Rules) -> String {
    if let Some(value) = example_of(rules).filter(|v| !v.is_string()) {
        return value.to_string();
    }
    match ty {
        TypeRef::Bool => "false".into(),
        TypeRef::F64 => rules
            .minimum
            .map(|m| format!("{m:?}"))
            .unwrap_or_else(|| "1.0".into()),
        _ => rules
            .minimum
            .map(|m| format!("{}", m as i64))
            .unwrap_or_else(|| "1".into()),
    }
}
