//! The OpenAPI export: each 3.1 document (`<service>.json`) parses as OpenAPI 3.1 (`oas3`); each
//! 3.0 document (`<service>.openapi-3.0.json`) parses as OpenAPI 3.0 (`openapiv3`, what
//! progenitor reads), holds no 3.1-only construct and has the same operations as its 3.1 sibling;
//! in both every `$ref` resolves and every example validates against its schema (`jsonschema`,
//! draft 2020-12; the 3.0 schemas converted back first).

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// The suffix of the OpenAPI 3.0.3 documents; the 3.1 ones are `<service>.json`.
const V3_0_SUFFIX: &str = ".openapi-3.0.json";

fn is_3_0(name: &str) -> bool {
    name.ends_with(V3_0_SUFFIX)
}

/// The 3.1 documents.
fn documents_3_1() -> Vec<(String, Value)> {
    documents()
        .into_iter()
        .filter(|(name, _)| !is_3_0(name))
        .collect()
}

/// The 3.0 documents.
fn documents_3_0() -> Vec<(String, Value)> {
    documents()
        .into_iter()
        .filter(|(name, _)| is_3_0(name))
        .collect()
}

fn documents() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents = Vec::new();
    for dir in ["generated/openapi", "tests/fixture-crate/openapi"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        for path in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            let text = std::fs::read_to_string(&path).expect("readable");
            let value: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            documents.push((path.display().to_string(), value));
        }
    }
    documents
}

#[test]
fn every_document_is_openapi_3_1() {
    let documents = documents_3_1();
    assert!(
        documents.len() >= 3,
        "expected taurusdb, dws and the fixture, found {}",
        documents.len()
    );
    for (name, value) in documents {
        let text = serde_json::to_string(&value).expect("serializes");
        let spec =
            oas3::from_json(&text).unwrap_or_else(|e| panic!("{name}: not OpenAPI 3.1: {e}"));
        assert!(
            spec.openapi.starts_with("3.1"),
            "{name}: version {}",
            spec.openapi
        );
        for (path, item) in spec.paths.iter().flatten() {
            for (method, operation) in item.methods() {
                assert!(
                    operation.operation_id.is_some(),
                    "{name}: {method} {path} has no operationId"
                );
            }
        }
    }
}

/// Every `"$ref"` string of a document.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => found.push(target.clone()),
                    _ => refs(item, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    for (name, document) in documents() {
        let mut found = Vec::new();
        refs(&document, &mut found);
        for target in found {
            let pointer = target
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{name}: external reference {target}"));
            assert!(
                document.pointer(pointer).is_some(),
                "{name}: {target} does not resolve"
            );
        }
    }
}

/// (where, schema, example) for every example of a document.
fn examples(document: &Value) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    let Some(paths) = document["paths"].as_object() else {
        return out;
    };
    for (path, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let mut contents = vec![(
                "request".to_string(),
                &operation["requestBody"]["content"]["application/json"],
            )];
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                contents.push((
                    format!("response {status}"),
                    &response["content"]["application/json"],
                ));
            }
            for (kind, content) in contents {
                for (example_name, example) in content["examples"].as_object().into_iter().flatten()
                {
                    let place = format!("{method} {path} {kind} example {example_name}");
                    out.push((place, content["schema"].clone(), example["value"].clone()));
                }
            }
        }
    }
    out
}

#[test]
fn every_example_validates_against_its_schema() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, document) in documents() {
        // A 3.0 document is checked as the 2020-12 schemas its 3.0 constructs stand for.
        let document = if is_3_0(&name) {
            back_to_2020_12(document)
        } else {
            document
        };
        // Each schema sits beside the document's components so that its `#/components/...`
        // references resolve.
        let base = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": document["components"],
        });
        for (place, schema, example) in examples(&document) {
            let mut root = base.clone();
            root["allOf"] = json!([schema]);
            let validator = jsonschema::draft202012::new(&root)
                .unwrap_or_else(|e| panic!("{name}: {place}: bad schema: {e}"));
            checked += 1;
            let errors: Vec<String> = validator
                .iter_errors(&example)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            if !errors.is_empty() {
                failures.push(format!("{name}: {place}:\n  {}", errors.join("\n  ")));
            }
        }
    }
    assert!(checked > 0, "no examples were checked");
    assert!(
        failures.is_empty(),
        "{} example(s) do not fit their schema:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_path_parameter_may_be_empty() {
    // An empty segment (`/instances//backups`) is another path: every text path parameter says
    // `minLength: 1`, in 3.1 and 3.0 alike.
    let mut checked = 0;
    for (name, document) in documents() {
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    let schema = &parameter["schema"];
                    if parameter["in"] != "path" || schema["type"] != "string" {
                        continue;
                    }
                    let least = schema["minLength"].as_u64().unwrap_or(0);
                    assert!(
                        least >= 1,
                        "{name}: {method} {path} parameter {} may be empty: {schema}",
                        parameter["name"]
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0, "no text path parameter found");
}

#[test]
fn every_3_0_document_is_openapi_3_0() {
    let documents = documents_3_0();
    assert!(
        documents.len() >= 3,
        "expected taurusdb, dws and the fixture in 3.0, found {}",
        documents.len()
    );
    for (name, value) in documents {
        assert_eq!(value["openapi"], json!("3.0.3"), "{name}: version");
        // openapiv3 reads `type` as one string and `exclusiveMinimum` as a boolean, so a 3.1
        // construct there fails here; the others it ignores, hence the walk below.
        let spec: openapiv3::OpenAPI = serde_json::from_value(value)
            .unwrap_or_else(|e| panic!("{name}: not OpenAPI 3.0: {e}"));
        let mut count = 0;
        for (path, method, operation) in spec.operations() {
            count += 1;
            assert!(
                operation.operation_id.is_some(),
                "{name}: {method} {path} has no operationId"
            );
        }
        assert!(count > 0, "{name}: no operations");
    }
}

/// The fields of an OpenAPI 3.0.3 Schema Object; `x-` extensions aside, nothing else may appear.
const SCHEMA_3_0_FIELDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// (where, schema) for every schema of a document: components, parameters and media types, and
/// the schemas nested in those.
fn schemas(document: &Value) -> Vec<(String, &Value)> {
    let mut roots: Vec<(String, &Value)> = Vec::new();
    for (name, schema) in document["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        roots.push((format!("components/schemas/{name}"), schema));
    }
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let at = format!("{method} {path}");
            for (i, parameter) in operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                roots.push((format!("{at} parameter {i}"), &parameter["schema"]));
            }
            let mut contents = vec![("request".to_string(), &operation["requestBody"]["content"])];
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                contents.push((format!("response {status}"), &response["content"]));
            }
            for (kind, content) in contents {
                for (media, media_type) in content.as_object().into_iter().flatten() {
                    roots.push((format!("{at} {kind} {media}"), &media_type["schema"]));
                }
            }
        }
    }
    let mut out = Vec::new();
    while let Some((at, schema)) = roots.pop() {
        if schema.is_null() {
            continue;
        }
        for key in ["items", "not"] {
            if schema.get(key).is_some() {
                roots.push((format!("{at}/{key}"), &schema[key]));
            }
        }
        if schema["additionalProperties"].is_object() {
            roots.push((
                format!("{at}/additionalProperties"),
                &schema["additionalProperties"],
            ));
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            roots.push((format!("{at}/properties/{name}"), property));
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (i, item) in schema[key].as_array().into_iter().flatten().enumerate() {
                roots.push((format!("{at}/{key}/{i}"), item));
            }
        }
        out.push((at, schema));
    }
    out
}

#[test]
fn no_3_1_construct_in_a_3_0_document() {
    for (name, document) in documents_3_0() {
        let mut problems = Vec::new();
        for key in ["jsonSchemaDialect", "webhooks"] {
            if document.get(key).is_some() {
                problems.push(format!("top level: `{key}` is 3.1 only"));
            }
        }
        if document["info"].get("summary").is_some() {
            problems.push("info.summary is 3.1 only".into());
        }
        if document["info"]["license"].get("identifier").is_some() {
            problems.push("info.license.identifier is 3.1 only".into());
        }
        if document["components"].get("pathItems").is_some() {
            problems.push("components.pathItems is 3.1 only".into());
        }
        let schemas = schemas(&document);
        assert!(
            schemas.len() > 10,
            "{name}: found only {} schemas",
            schemas.len()
        );
        for (at, schema) in schemas {
            let Some(map) = schema.as_object() else {
                problems.push(format!("{at}: not an object"));
                continue;
            };
            if map.contains_key("$ref") && map.len() > 1 {
                let siblings: Vec<&String> = map.keys().filter(|k| *k != "$ref").collect();
                problems.push(format!(
                    "{at}: {siblings:?} beside `$ref` (3.0 ignores them)"
                ));
            }
            for (key, value) in map {
                let problem = match key.as_str() {
                    "$ref" => None,
                    "type" => match value.as_str() {
                        Some("array" | "boolean" | "integer" | "number" | "object" | "string") => {
                            None
                        }
                        _ => Some(format!(
                            "`type` {value} (3.0 has no type arrays and no null)"
                        )),
                    },
                    "const" => Some("`const` (3.0: a one-value `enum`)".to_string()),
                    "examples" => Some("`examples` in a schema (3.0: `example`)".to_string()),
                    "exclusiveMinimum" | "exclusiveMaximum" if !value.is_boolean() => {
                        Some(format!("`{key}` {value} is not a boolean"))
                    }
                    "nullable" if !value.is_boolean() => {
                        Some(format!("`nullable` {value} is not a boolean"))
                    }
                    key if key.starts_with("x-") || SCHEMA_3_0_FIELDS.contains(&key) => None,
                    key => Some(format!("`{key}` is not a 3.0 schema field")),
                };
                problems.extend(problem.map(|p| format!("{at}: {p}")));
            }
            for (key, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if map.get(key) == Some(&Value::Bool(true)) && !map.contains_key(bound) {
                    problems.push(format!("{at}: `{key}` without `{bound}`"));
                }
            }
            if map.get("type") == Some(&json!("array")) && !map.contains_key("items") {
                problems.push(format!("{at}: an array without `items`"));
            }
        }
        assert!(
            problems.is_empty(),
            "{name}: {} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
}

/// (method, path, operationId) of every operation of a document.
fn operations(document: &Value) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            out.insert((method.clone(), path.clone(), id.to_string()));
        }
    }
    out
}

#[test]
fn each_service_has_the_same_operations_in_3_0_and_3_1() {
    let v3_1 = documents_3_1();
    let v3_0 = documents_3_0();
    assert_eq!(v3_1.len(), v3_0.len(), "one 3.0 document per 3.1 document");
    for (name, document) in &v3_1 {
        let sibling = name.trim_end_matches(".json").to_string() + V3_0_SUFFIX;
        let (_, other) = v3_0
            .iter()
            .find(|(n, _)| *n == sibling)
            .unwrap_or_else(|| panic!("{name}: no {sibling}"));
        let (mine, theirs) = (operations(document), operations(other));
        assert!(!mine.is_empty(), "{name}: no operations");
        let only_3_1: Vec<_> = mine.difference(&theirs).collect();
        let only_3_0: Vec<_> = theirs.difference(&mine).collect();
        assert!(
            only_3_1.is_empty() && only_3_0.is_empty(),
            "{name}: only in 3.1: {only_3_1:?}; only in {sibling}: {only_3_0:?}"
        );
        assert_eq!(document["info"], other["info"], "{name}: info differs");
        assert_eq!(
            document["servers"], other["servers"],
            "{name}: servers differ"
        );
    }
}

/// The mock answers every request that does not match the description with a 400 in the error
/// shape, so every operation documents one, even where its page lists no client error (the
/// fixture's `list_widgets` lists only 200 and 500); otherwise a conformance tool reports an
/// undocumented status.
#[test]
fn every_operation_documents_the_400_of_invalid_input() {
    for (name, document) in documents() {
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let schema =
                    &operation["responses"]["400"]["content"]["application/json"]["schema"];
                assert_eq!(
                    schema["$ref"], "#/components/schemas/Error_Body",
                    "{name}: {method} {path} documents no 400 with the error body"
                );
            }
        }
    }
}

/// The document with its 3.0 schema constructs written as draft 2020-12 says them: `nullable`
/// becomes `null` in `type` (or an `anyOf` with `{"type": "null"}` where there is no `type`),
/// boolean `exclusiveMinimum`/`exclusiveMaximum` take the value of their bound, and `example`
/// becomes `examples`. Only schemas are rewritten (examples, enums and defaults are data).
fn back_to_2020_12(mut document: Value) -> Value {
    for (_, schema) in document["components"]["schemas"]
        .as_object_mut()
        .into_iter()
        .flatten()
    {
        schema_back(schema);
    }
    for (_, item) in document["paths"].as_object_mut().into_iter().flatten() {
        for (_, operation) in item.as_object_mut().into_iter().flatten() {
            let Value::Object(operation) = operation else {
                continue;
            };
            for (key, field) in operation.iter_mut() {
                match key.as_str() {
                    "parameters" => field
                        .as_array_mut()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p.get_mut("schema"))
                        .for_each(schema_back),
                    "requestBody" => content_back(field),
                    "responses" => field
                        .as_object_mut()
                        .into_iter()
                        .flatten()
                        .for_each(|(_, response)| content_back(response)),
                    _ => {}
                }
            }
        }
    }
    document
}

/// The schemas of a request body's or a response's `content`.
fn content_back(holder: &mut Value) {
    let media_types = holder.get_mut("content").and_then(Value::as_object_mut);
    for (_, media_type) in media_types.into_iter().flatten() {
        if let Some(schema) = media_type.get_mut("schema") {
            schema_back(schema);
        }
    }
}

fn schema_back(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    for key in ["items", "not", "additionalProperties"] {
        if let Some(inner) = map.get_mut(key) {
            schema_back(inner);
        }
    }
    for (_, property) in map
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flatten()
    {
        schema_back(property);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for item in map
            .get_mut(key)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            schema_back(item);
        }
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(exclusive)) = map.remove(flag) {
            if exclusive {
                if let Some(value) = map.remove(bound) {
                    map.insert(flag.into(), value);
                }
            }
        }
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    if map.remove("nullable") == Some(Value::Bool(true)) {
        match map.get("type").and_then(Value::as_str) {
            Some(ty) => {
                let ty = ty.to_string();
                map.insert("type".into(), json!([ty, "null"]));
            }
            None => {
                let inner = Value::Object(std::mem::take(map));
                *schema = json!({"anyOf": [inner, {"type": "null"}]});
            }
        }
    }
}

#[test]
fn converting_3_0_back_gives_the_null_the_3_1_document_allows() {
    let mut schema = json!({
        "type": "object",
        "properties": {
            "a": {"type": "string", "nullable": true},
            "b": {"allOf": [{"$ref": "#/x"}], "nullable": true, "description": "B."},
            "c": {"type": "integer", "minimum": 1, "exclusiveMinimum": true, "example": 2}
        }
    });
    schema_back(&mut schema);
    assert_eq!(
        schema,
        json!({
            "type": "object",
            "properties": {
                "a": {"type": ["string", "null"]},
                "b": {"anyOf": [{"allOf": [{"$ref": "#/x"}], "description": "B."}, {"type": "null"}]},
                "c": {"type": "integer", "exclusiveMinimum": 1, "examples": [2]}
            }
        })
    );
}
