//! `mock_tests.rs` of a service (`cfg(all(test, feature = "mock"))`): every operation end to end.
//! The generated client calls the generated mock over HTTP on loopback and must get the documented
//! example back, deserialized into the response type. Operations added to the spec later are
//! covered without writing a test.

use super::{ident, inner_doc, rust_type};
use crate::model::{Operation, Output, Param, Service, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

pub fn test_module(service: &Service) -> TokenStream {
    let module_doc = inner_doc(&format!(
        "Every operation of the {} API, called with the generated client against the generated mock.",
        service.title
    ));
    let tests = service.operations.iter().map(operation_test);
    quote! {
        #module_doc

        use super::mock::{self, DocumentedMock, SCHEMA};
        use super::types;
        use crate::runtime::mock::{MockServer, Shape};
        use crate::runtime::Credentials;

        fn client(server: &MockServer) -> super::Client {
            super::Client::builder()
                .endpoint(server.url())
                .project_id("0483b6b16e954cb88930a360d2c4e663")
                .credentials(Credentials::token("mock-token"))
                .build()
                .expect("the client builds")
        }

        /// The smallest value of a type that the mock accepts, for inputs without an example.
        fn minimal<T: serde::de::DeserializeOwned>(shape: Shape) -> T {
            serde_json::from_value(SCHEMA.minimal(&shape)).expect("the minimal value fits its type")
        }

        /// JSON equality where an absent field equals `null` and numbers compare by value.
        fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
            use serde_json::Value;
            match (a, b) {
                (Value::Object(x), Value::Object(y)) => x
                    .keys()
                    .chain(y.keys())
                    .all(|k| same_json(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null))),
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q)),
                (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                _ => a == b,
            }
        }

        fn assert_documented(received: &serde_json::Value, documented: &str) {
            let documented: serde_json::Value = serde_json::from_str(documented).expect("the example is JSON");
            assert!(same_json(received, &documented), "got {received}\nexpected the documented {documented}");
        }

        #(#tests)*
    }
}

/// A value for a required argument: the first allowed value, else a plain one of the type.
fn argument(p: &Param) -> TokenStream {
    let first_allowed = p.rules.enum_values.first().map(|v| &v.value);
    match (&p.ty, first_allowed) {
        (TypeRef::Named(_), Some(value)) => {
            let text = value.as_str().unwrap_or_default();
            quote!(#text)
        }
        (TypeRef::String, Some(value)) => {
            let text = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            quote!(#text)
        }
        (TypeRef::String, None) => quote!("mock-value"),
        (TypeRef::Bool, _) => quote!(true),
        (TypeRef::I32 | TypeRef::I64, Some(value)) if value.is_i64() => {
            let n = Literal::i64_unsuffixed(value.as_i64().unwrap_or(1));
            quote!(#n)
        }
        (TypeRef::I32 | TypeRef::I64, _) => {
            let n = Literal::i64_unsuffixed(p.rules.minimum.map(|m| m as i64).unwrap_or(1));
            quote!(#n)
        }
        (TypeRef::F64, _) => quote!(1.0),
        (TypeRef::Array(_), _) => quote!(Vec::new()),
        _ => quote!(Default::default()),
    }
}

fn operation_test(op: &Operation) -> TokenStream {
    let name = format_ident!("{}_answers_as_documented", op.method_name);
    let method = ident(&op.method_name);
    let mut args: Vec<TokenStream> = op.required_args().map(argument).collect();
    let body = op.body.as_ref().filter(|b| b.required).map(|b| {
        let ty = rust_type(&b.ty, &quote!(types::));
        let value = match op.request_examples.first() {
            Some(example) => {
                let json = serde_json::to_string(&example.body).unwrap_or_default();
                quote!(serde_json::from_str::<#ty>(#json).expect("the request example fits its type"))
            }
            None => {
                let shape = super::mock::shape(&b.ty);
                quote!(minimal::<#ty>(#shape))
            }
        };
        value
    });
    args.extend(body);
    let deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let success = op
        .responses
        .iter()
        .find(|r| (200..300).contains(&r.status))
        .map(|r| r.status);
    let example = op.response_examples.iter().find(|e| e.status == success);
    let check = match (&op.output, example) {
        (Output::Unit, _) => quote! { let () = output; },
        (Output::Single(_), Some(example)) => {
            let json = serde_json::to_string(&example.body).unwrap_or_default();
            quote! { assert_documented(&serde_json::to_value(&output).expect("serializes"), #json); }
        }
        (Output::Single(_), None) => quote! { let _ = output; },
        (Output::ByStatus { name, variants }, example) => {
            let enum_name = ident(name);
            let expected = variants.iter().find(|v| Some(v.status) == success);
            let variant = expected.map(|v| ident(&v.variant_name));
            let has_body = expected.is_some_and(|v| v.ty.is_some());
            match (variant, has_body, example) {
                (Some(variant), true, Some(example)) => {
                    let json = serde_json::to_string(&example.body).unwrap_or_default();
                    quote! {
                        match output {
                            types::#enum_name::#variant(body) => {
                                assert_documented(&serde_json::to_value(&body).expect("serializes"), #json)
                            }
                            other => panic!("expected the documented status, got {other:?}"),
                        }
                    }
                }
                (Some(variant), true, None) => quote! {
                    assert!(matches!(output, types::#enum_name::#variant(_)), "{output:?}");
                },
                (Some(variant), false, _) => quote! {
                    assert!(matches!(output, types::#enum_name::#variant), "{output:?}");
                },
                (None, _, _) => quote! { let _ = output; },
            }
        }
    };
    let id = &op.id;
    quote! {
        #[tokio::test]
        #deprecated
        async fn #name() {
            let server = mock::start(DocumentedMock).await.expect("the mock starts");
            let output = client(&server).#method(#(#args),*).send().await.expect("the documented answer");
            #check
            assert_eq!(server.calls_to(#id).len(), 1);
        }
    }
}
