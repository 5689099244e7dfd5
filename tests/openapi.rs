//! The OpenAPI 3.1 export: each document parses as OpenAPI 3.1 (`oas3`), every `$ref` resolves,
//! and every example validates against its schema (`jsonschema`, draft 2020-12).

use serde_json::Value;
use std::path::Path;

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
    let documents = documents();
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
        for (place, schema, example) in examples(&document) {
            // The schema sits in a copy of the document so that its `#/components/...` references resolve.
            let mut root = document.clone();
            if let Value::Object(map) = &mut root {
                map.insert(
                    "$schema".into(),
                    Value::String("https://json-schema.org/draft/2020-12/schema".into()),
                );
                map.insert("allOf".into(), Value::Array(vec![schema]));
                map.retain(|k, _| ["$schema", "allOf", "components"].contains(&k.as_str()));
            }
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
