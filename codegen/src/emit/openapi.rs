//! `generated/openapi/<service>.json`: the spec as an OpenAPI 3.1 document, for the tools of
//! that ecosystem (viewers, fuzzers, other generators); and beside it
//! `<service>.openapi-3.0.json`, the same document in OpenAPI 3.0.3 for the tools that read only
//! that (progenitor, API gateways). Both come from the same functions; every difference between
//! the two versions is decided by the methods of [`Version`].

use crate::model::{
    Field, Operation, Param, ParamLocation, ResponseBody, Rules, Service, TypeDef, TypeKind,
    TypeRef,
};
use serde_json::{json, Map, Value};

/// The first key of every generated JSON document (JSON has no comments).
pub const JSON_MARKER: &str = "by cargo xtask codegen; edit spec/ instead";

/// The name of the standard error body in `components/schemas`; spec type names are
/// UpperCamelCase, so a name with an underscore cannot collide with one.
const ERROR_SCHEMA: &str = "Error_Body";

/// The OpenAPI versions exported. The emitter writes the same document for each; the few
/// constructs that differ are made here and nowhere else.
///
/// The constructs the emitter uses that 3.0 lacks are `"type": [T, "null"]` and
/// `{"anyOf": [S, {"type": "null"}]}` (both become `nullable: true`, see `Version::nullable`) and
/// keywords beside a `$ref`, which 3.0 ignores (see `Version::extend`). It uses no `const`,
/// `examples` inside schemas, numeric `exclusiveMinimum`/`exclusiveMaximum`, `prefixItems`,
/// `contentMediaType`, `jsonSchemaDialect`, `webhooks`, `info.summary` or `license`;
/// `tests/openapi.rs` checks that the 3.0 documents contain none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// OpenAPI 3.1.0 (JSON Schema 2020-12): `<service>.json`.
    V3_1,
    /// OpenAPI 3.0.3: `<service>.openapi-3.0.json`.
    V3_0,
}

impl Version {
    /// Every exported version, the main one first.
    pub const ALL: [Version; 2] = [Version::V3_1, Version::V3_0];

    /// The `openapi` field.
    pub fn number(self) -> &'static str {
        match self {
            Version::V3_1 => "3.1.0",
            Version::V3_0 => "3.0.3",
        }
    }

    /// The file name of a service's document in the OpenAPI folder.
    pub fn file_name(self, service: &str) -> String {
        match self {
            Version::V3_1 => format!("{service}.json"),
            Version::V3_0 => format!("{service}.openapi-3.0.json"),
        }
    }

    /// The schema, or `null`.
    ///
    /// 3.1: `"type": [T, "null"]` for a plain typed schema, `anyOf` with `{"type": "null"}`
    /// otherwise. 3.0: `nullable: true` beside the schema's keywords; a `$ref` is wrapped in
    /// `allOf` first (its siblings would be ignored), and an `enum` lists `null` too (3.0.3 lets
    /// `nullable` widen `type` but not `enum`).
    fn nullable(self, schema: Value) -> Value {
        match self {
            Version::V3_1 => match schema.get("type").and_then(Value::as_str) {
                Some(ty) if schema.get("enum").is_none() => {
                    let mut schema = schema.clone();
                    schema["type"] = json!([ty, "null"]);
                    schema
                }
                _ => json!({"anyOf": [schema, {"type": "null"}]}),
            },
            Version::V3_0 => {
                let mut schema = self.beside_ref(schema);
                if let Some(Value::Array(values)) = schema.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
                schema["nullable"] = json!(true);
                schema
            }
        }
    }

    /// The schema with `keywords` added beside its own. 3.0 ignores everything beside a `$ref`,
    /// so there a reference is wrapped in `allOf` first.
    fn extend(self, schema: Value, keywords: Vec<(&str, Value)>) -> Value {
        if keywords.is_empty() {
            return schema;
        }
        let mut schema = self.beside_ref(schema);
        if let Value::Object(map) = &mut schema {
            for (key, value) in keywords {
                map.insert(key.into(), value);
            }
        }
        schema
    }

    /// A schema that keywords may be added to: in 3.0 a `$ref` becomes `{"allOf": [{"$ref": ..}]}`.
    fn beside_ref(self, schema: Value) -> Value {
        match self {
            Version::V3_0 if schema.get("$ref").is_some() => json!({"allOf": [schema]}),
            _ => schema,
        }
    }
}

pub fn document(service: &Service, version: Version) -> Value {
    let mut paths = Map::new();
    for op in &service.operations {
        let item = paths
            .entry(op.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(op.method.to_ascii_lowercase(), operation(op, version));
        }
    }
    let mut schemas = Map::new();
    for def in &service.types {
        schemas.insert(def.name.clone(), type_schema(def, version));
    }
    schemas.insert(
        ERROR_SCHEMA.to_string(),
        json!({
            "type": "object",
            "description": "The API's error body.",
            "properties": {
                "error_code": {"type": "string", "description": "Error code, such as a code of the catalogue."},
                "error_msg": {"type": "string", "description": "Error message."}
            },
            "required": ["error_code", "error_msg"]
        }),
    );
    let servers: Vec<Value> = service
        .endpoints
        .iter()
        .map(|e| json!({"url": format!("https://{}", e.host), "description": format!("{} ({})", e.name, e.region)}))
        .collect();
    let tags: Vec<Value> = service
        .groups
        .iter()
        .map(|g| json!({"name": g.name, "description": g.title}))
        .collect();
    let mut info = json!({
        "title": format!("{} API", service.title),
        "version": service.api_versions.join(", "),
        "description": format!("{}\n\nTranscribed from {}.", service.description.as_deref().unwrap_or_default(), service.document).trim().to_string(),
    });
    if let Value::Object(info) = &mut info {
        info.insert("x-error-codes".into(), error_codes(service));
    }
    json!({
        "x-generated": JSON_MARKER,
        "openapi": version.number(),
        "info": info,
        "servers": servers,
        "security": [{"token": []}, {"aksk": []}],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token", "description": "An IAM token."},
                "aksk": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "AK/SK signature: `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>`, with `X-Sdk-Date`."
                }
            }
        }
    })
}

fn error_codes(service: &Service) -> Value {
    Value::Array(
        service
            .error_codes
            .iter()
            .map(|e| json!({"code": e.code, "status": e.status, "message": e.message}))
            .collect(),
    )
}

fn operation(op: &Operation, version: Version) -> Value {
    let mut out = Map::new();
    out.insert("operationId".into(), json!(op.id));
    out.insert("summary".into(), json!(op.summary));
    if let Some(description) = &op.description {
        out.insert("description".into(), json!(description));
    }
    out.insert("tags".into(), json!([op.group]));
    if op.deprecated {
        out.insert("deprecated".into(), json!(true));
    }
    if let Some(r) = &op.replaced_by {
        out.insert("x-replaced-by".into(), json!(r.id));
    }
    if !op.params.is_empty() {
        out.insert(
            "parameters".into(),
            Value::Array(op.params.iter().map(|p| parameter(p, version)).collect()),
        );
    }
    if let Some(body) = &op.body {
        let mut content = json!({"schema": schema(&body.ty)});
        if !op.request_examples.is_empty() {
            content["examples"] = examples(
                op.request_examples
                    .iter()
                    .map(|e| (&e.name, &e.summary, &e.body)),
            );
        }
        out.insert(
            "requestBody".into(),
            json!({"required": body.required, "content": {"application/json": content}}),
        );
    }
    let mut responses: Vec<(String, Value)> = Vec::new();
    for r in &op.responses {
        let mut response = json!({"description": r.description.clone().unwrap_or_else(|| format!("Status {}.", r.status))});
        let body_schema = match &r.body {
            ResponseBody::Empty => None,
            ResponseBody::StandardError => {
                Some(json!({"$ref": format!("#/components/schemas/{ERROR_SCHEMA}")}))
            }
            ResponseBody::Typed(ty) => Some(schema(ty)),
        };
        if let Some(body_schema) = body_schema {
            let mut content = json!({"schema": body_schema});
            let mine: Vec<_> = op
                .response_examples
                .iter()
                .filter(|e| e.status == Some(r.status))
                .collect();
            if !mine.is_empty() {
                content["examples"] = examples(mine.iter().map(|e| (&e.name, &e.summary, &e.body)));
            }
            response["content"] = json!({"application/json": content});
        }
        responses.push((r.status.to_string(), response));
    }
    // Some pages list no client error, but the API (and the mock) answer every request that does
    // not match the description with a 400 in the error shape; a tool checking statuses against
    // this document must find it. It goes before the first greater status listed.
    if !op.responses.iter().any(|r| r.status == 400) {
        let at = op.responses.iter().take_while(|r| r.status < 400).count();
        let response = json!({
            "description": "The request does not match this description (not on the operation's page: \
                            every operation answers so).",
            "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{ERROR_SCHEMA}")}}}
        });
        responses.insert(at, ("400".to_string(), response));
    }
    out.insert(
        "responses".into(),
        Value::Object(responses.into_iter().collect()),
    );
    if let Some(action) = &op.iam_action {
        out.insert("x-iam-action".into(), json!(action));
    }
    Value::Object(out)
}

fn examples<'a>(items: impl Iterator<Item = (&'a String, &'a Option<String>, &'a Value)>) -> Value {
    let mut out = Map::new();
    for (name, summary, body) in items {
        let mut example = json!({"value": body});
        if let Some(summary) = summary {
            example["summary"] = json!(summary);
        }
        out.insert(name.clone(), example);
    }
    Value::Object(out)
}

fn parameter(p: &Param, version: Version) -> Value {
    let mut rules = p.rules.clone();
    // An empty path parameter is no parameter: `/instances//backups` is another path, which the
    // API (and the mock) does not route to the operation.
    if p.location == ParamLocation::Path && p.ty == TypeRef::String {
        rules.min_length = Some(rules.min_length.unwrap_or(0).max(1));
    }
    let mut out = json!({
        "name": p.wire_name,
        "in": p.location.as_str(),
        "required": p.required,
        "schema": with_rules(schema(&p.ty), &rules, version),
    });
    if let Some(description) = &p.description {
        out["description"] = json!(description);
    }
    if matches!(p.ty, TypeRef::Array(_)) {
        out["explode"] = json!(true);
    }
    out
}

/// The JSON Schema of a type expression.
pub fn schema(ty: &TypeRef) -> Value {
    match ty {
        TypeRef::String => json!({"type": "string"}),
        TypeRef::Bool => json!({"type": "boolean"}),
        TypeRef::I32 => json!({"type": "integer", "format": "int32"}),
        TypeRef::I64 => json!({"type": "integer", "format": "int64"}),
        TypeRef::F64 => json!({"type": "number", "format": "double"}),
        TypeRef::Json => json!({}),
        TypeRef::Array(inner) => json!({"type": "array", "items": schema(inner)}),
        TypeRef::Map(inner) => json!({"type": "object", "additionalProperties": schema(inner)}),
        TypeRef::Named(name) => json!({"$ref": format!("#/components/schemas/{name}")}),
    }
}

fn with_rules(schema: Value, rules: &Rules, version: Version) -> Value {
    let mut keywords = Vec::new();
    // Named enums carry their values in their own schema.
    if !rules.enum_values.is_empty() && schema.get("$ref").is_none() {
        keywords.push((
            "enum",
            Value::Array(rules.enum_values.iter().map(|v| v.value.clone()).collect()),
        ));
    }
    if let Some(default) = &rules.default {
        keywords.push(("default", default.clone()));
    }
    let is_string = schema.get("type") == Some(&json!("string"));
    for (key, value) in [("minimum", rules.minimum), ("maximum", rules.maximum)] {
        if let Some(value) = value {
            keywords.push((key, number(value)));
        }
    }
    let (min_key, max_key) = if is_string {
        ("minLength", "maxLength")
    } else {
        ("minItems", "maxItems")
    };
    if let Some(min) = rules.min_length {
        keywords.push((min_key, json!(min)));
    }
    if let Some(max) = rules.max_length {
        keywords.push((max_key, json!(max)));
    }
    version.extend(schema, keywords)
}

/// Text a lenient `integer` field accepts: what Rust's integer parsing reads, around blanks, with
/// at most 9 digits, so that every such text fits an `i32` (the mock checks the type).
const LENIENT_I32: &str = r"^\s*[-+]?[0-9]{1,9}\s*$";

/// The same for a `long` field, with at most 18 digits.
const LENIENT_I64: &str = r"^\s*[-+]?[0-9]{1,18}\s*$";

/// Text a lenient decimal field accepts.
const LENIENT_DECIMAL: &str = r"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$";

/// Whole numbers as integers, so `1` is not written `1.0`.
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

fn type_schema(def: &TypeDef, version: Version) -> Value {
    let out = match &def.kind {
        TypeKind::Object(fields) => {
            let properties: Map<String, Value> = fields
                .iter()
                .map(|f| (f.wire_name.clone(), property(f, version)))
                .collect();
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.wire_name.as_str())
                .collect();
            let mut object = json!({"type": "object", "properties": properties});
            if !required.is_empty() {
                object["required"] = json!(required);
            }
            object
        }
        TypeKind::Enum(variants) => {
            json!({"type": "string", "enum": variants.iter().map(|v| &v.value).collect::<Vec<_>>()})
        }
        TypeKind::Alias(target) => schema(target),
    };
    let description = def.description.as_ref().map(|d| ("description", json!(d)));
    version.extend(out, description.into_iter().collect())
}

fn property(f: &Field, version: Version) -> Value {
    let rules = with_rules(schema(&f.ty), &f.rules, version);
    // The API sends `null` for optional fields it has no value for; the client reads that as absent.
    let mut out = if f.required {
        rules
    } else {
        version.nullable(rules)
    };
    if f.lenient {
        // The documents disagree on text or number, and the client and the mock read both: a
        // number within the documented range for a text field, text that reads as a number for a
        // number field (the mock's rule).
        let other = match &f.ty {
            TypeRef::String => {
                let mut other = json!({"type": "number"});
                if let Some(min) = f.rules.minimum {
                    other["minimum"] = number(min);
                }
                if let Some(max) = f.rules.maximum {
                    other["maximum"] = number(max);
                }
                other
            }
            TypeRef::F64 => json!({"type": "string", "pattern": LENIENT_DECIMAL}),
            TypeRef::I64 => json!({"type": "string", "pattern": LENIENT_I64}),
            _ => json!({"type": "string", "pattern": LENIENT_I32}),
        };
        out = json!({"anyOf": [out, other]});
    }
    if let (true, TypeRef::Array(item)) = (f.one_or_many, &f.ty) {
        // The table documents one item, other documents an array; the client reads both.
        out = json!({"anyOf": [out, schema(item)]});
    }
    let mut keywords = Vec::new();
    if let Some(description) = &f.description {
        keywords.push(("description", json!(description)));
    }
    if f.deprecated {
        keywords.push(("deprecated", json!(true)));
    }
    version.extend(out, keywords)
}
