//! `examples.rs` of a service, a `#[cfg(test)]` module: every example of the spec round-trips through its generated
//! type. This is the test that proves the transcription: a field the type lacks, a wrong type or
//! an unknown enum value makes the JSON come back different.

use super::{ident, inner_doc, rust_type};
use crate::model::{Example, Operation, ResponseBody, Service, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub fn test_module(service: &Service) -> TokenStream {
    let module_doc = inner_doc(&format!(
        "Every request and response example of the {} spec deserializes into its generated type and serializes back to the same JSON (absent optional fields aside).",
        service.title
    ));
    let tests: Vec<TokenStream> = service
        .operations
        .iter()
        .flat_map(operation_tests)
        .collect();
    let helpers = (!tests.is_empty()).then(helpers);
    let imports = (!tests.is_empty()).then(|| {
        quote!(
            use super::types;
        )
    });
    quote! {
        #module_doc
        #imports

        #(#tests)*

        #helpers
    }
}

fn operation_tests(op: &Operation) -> Vec<TokenStream> {
    let mut tests = Vec::new();
    if let Some(body) = &op.body {
        for example in &op.request_examples {
            tests.push(test(example, &body.ty));
        }
    }
    for example in &op.response_examples {
        let body = op
            .responses
            .iter()
            .find(|r| Some(r.status) == example.status)
            .map(|r| &r.body);
        if let Some(ResponseBody::Typed(ty)) = body {
            tests.push(test(example, ty));
        }
    }
    tests
}

fn test(example: &Example, ty: &TypeRef) -> TokenStream {
    let name = ident(&example.test_name);
    let ty = rust_type(ty, &quote!(types::));
    let json = serde_json::to_string_pretty(&example.body).unwrap_or_default();
    quote! {
        #[test]
        fn #name() {
            round_trip::<#ty>(#json);
        }
    }
}

fn helpers() -> TokenStream {
    quote! {
        /// Deserializes `json` into `T`, serializes it back, and compares the two as JSON values.
        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
            let original: serde_json::Value = serde_json::from_str(json).expect("the example is valid JSON");
            let typed: T = serde_json::from_value(original.clone()).expect("the example fits its type");
            let back = serde_json::to_value(&typed).expect("the value serializes");
            assert!(
                crate::runtime::json::same_json(&original, &back),
                "round trip changed the example:\n  before: {original}\n  after:  {back}"
            );
        }
    }
}
