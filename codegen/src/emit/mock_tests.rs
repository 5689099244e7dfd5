//! `mock_tests/` of a service (`cfg(all(test, feature = "mock"))`): every operation end to end,
//! one file per group.
//! The generated client calls the generated mock over HTTP on loopback and must get the documented
//! example back, deserialized into the response type. Operations added to the spec later are
//! covered without writing a test.

use super::{ident, inner_doc, md, rust_type, value_text, Split};
use crate::model::{Operation, Output, Param, Service, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub fn test_module(service: &Service) -> Split {
    let module_doc = inner_doc(&format!(
        "Every operation of the {} API, called with the generated client against the generated mock.",
        service.title
    ));
    let mut declarations = Vec::new();
    let mut groups = Vec::new();
    for group in &service.groups {
        let ops: Vec<&Operation> = service.group_operations(&group.name).collect();
        if ops.is_empty() {
            continue;
        }
        let module = ident(&group.module);
        declarations.push(quote!(mod #module;));
        let tests = ops.iter().map(|op| operation_test(service, op));
        let shape_import = ops
            .iter()
            .any(|op| builds_minimal_body(op))
            .then(|| quote! { use crate::runtime::mock::Shape; });
        let uses_types = ops.iter().any(|op| {
            op.body.as_ref().is_some_and(|b| b.required)
                || matches!(op.output, Output::ByStatus { .. })
        });
        let types = uses_types.then(|| quote!(types,));
        let group_doc = inner_doc(&format!(
            "The operations of `spec/{}/{}.yaml` ({}).",
            service.name,
            group.name,
            md(&group.title)
        ));
        groups.push((
            group.module.clone(),
            quote! {
                #group_doc
                use super::client;
                use super::super::{mock, #types};
                #shape_import

                #(#tests)*
            },
        ));
    }
    let client = (!groups.is_empty()).then(|| {
        quote! {
            /// A client of the mock `server`, with a token and a project ID.
            fn client(server: &crate::runtime::mock::MockServer) -> super::Client {
                super::Client::builder()
                    .endpoint(server.url())
                    .project_id("0483b6b16e954cb88930a360d2c4e663")
                    .credentials(crate::runtime::Credentials::token("mock-token"))
                    .build()
                    .expect("the client builds")
            }
        }
    });
    let schema_test = (!groups.is_empty()).then(|| schema_test(service));
    let root = quote! {
        #module_doc
        #(#declarations)*

        #client
        #schema_test
    };
    Split { root, groups }
}

/// The mock reads its schema for request bodies and for success bodies without an example, and
/// reads a name the schema lacks as "anything goes": this test keeps the schema complete.
fn schema_test(service: &Service) -> TokenStream {
    let mut requests: Vec<&str> = service
        .operations
        .iter()
        .filter_map(|op| match op.body.as_ref().map(|b| b.ty.innermost()) {
            Some(TypeRef::Named(name)) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    requests.sort_unstable();
    requests.dedup();
    quote! {
        #[test]
        fn every_type_the_mock_reads_is_in_its_schema() {
            use crate::runtime::mock::Shape;
            let requests = [#(Shape::Named(#requests)),*];
            let made = super::mock::OPERATIONS.iter().filter(|op| {
                op.examples.iter().all(|e| e.status != op.success_status)
            });
            let shapes = requests.into_iter().chain(made.filter_map(|op| op.success_body));
            assert_eq!(super::mock::SCHEMA.unknown_names(shapes), Vec::<&str>::new());
        }
    }
}

/// A value for a required argument: the first allowed value, else a plain one of the type.
fn argument(service: &Service, p: &Param) -> TokenStream {
    let first_allowed = p.rules.enum_values.first().map(|v| &v.value);
    match (&p.ty, first_allowed) {
        (TypeRef::Named(_), Some(value)) => {
            let text = value.as_str().unwrap_or_default();
            quote!(#text)
        }
        // A named enum declared on its own: its first value.
        (TypeRef::Named(name), None) => match service.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(variants)) if !variants.is_empty() => {
                let text = &variants[0].value;
                quote!(#text)
            }
            _ => quote!(Default::default()),
        },
        (TypeRef::String, Some(value)) => {
            let text = value_text(value);
            quote!(#text)
        }
        (TypeRef::String, None) => {
            let text = fit_length("mock-value", p.rules.min_length, p.rules.max_length);
            quote!(#text)
        }
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
        // A required list is sent with one element: an empty one would not be sent at all.
        (TypeRef::Array(inner), _) => match inner.as_ref() {
            TypeRef::String => quote!(vec![String::from("mock-value")]),
            TypeRef::I32 | TypeRef::I64 => quote!(vec![1]),
            _ => quote!(Vec::new()),
        },
        _ => quote!(Default::default()),
    }
}

/// `text` padded or cut to a documented length, so the mock accepts it.
fn fit_length(text: &str, min: Option<u64>, max: Option<u64>) -> String {
    let least = min.unwrap_or(0) as usize;
    let most = max.map_or(usize::MAX, |m| m as usize);
    let mut fitted: String = text.chars().take(most).collect();
    fitted.extend(std::iter::repeat_n(
        '0',
        least.saturating_sub(fitted.chars().count()),
    ));
    fitted
}

/// Whether the test of `op` builds its request body from the schema, for want of an example.
fn builds_minimal_body(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|b| b.required) && op.request_examples.is_empty()
}

fn operation_test(service: &Service, op: &Operation) -> TokenStream {
    let name = ident(&op.test_name);
    let method = ident(&op.method_name);
    let mut args: Vec<TokenStream> = op.required_args().map(|p| argument(service, p)).collect();
    let body = op.body.as_ref().filter(|b| b.required).map(|b| {
        // Keep in step with `builds_minimal_body`.
        let ty = rust_type(&b.ty, &quote!(types::));
        let value = match op.request_examples.first() {
            Some(example) => {
                let json = serde_json::to_string(&example.body).unwrap_or_default();
                quote!(serde_json::from_str::<#ty>(#json).expect("the request example fits its type"))
            }
            None => {
                let shape = super::mock::shape(&b.ty);
                quote!(crate::runtime::mock::minimal_value::<#ty>(&mock::SCHEMA, #shape).expect("the minimal value fits its type"))
            }
        };
        value
    });
    args.extend(body);
    let deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let success = op.success_response().map(|r| r.status);
    let example = op.response_examples.iter().find(|e| e.status == success);
    let check = match (&op.output, example) {
        (Output::Unit, _) => quote! {},
        (Output::Single(_), Some(example)) => {
            let json = serde_json::to_string(&example.body).unwrap_or_default();
            quote! { crate::runtime::mock::assert_documented(&serde_json::to_value(&output).expect("serializes"), #json); }
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
                                crate::runtime::mock::assert_documented(&serde_json::to_value(&body).expect("serializes"), #json)
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
    let bind = (!matches!(op.output, Output::Unit)).then(|| quote!(let output =));
    quote! {
        #[tokio::test]
        #deprecated
        async fn #name() {
            let server = mock::start(mock::DocumentedMock).await.expect("the mock starts");
            #bind client(&server).#method(#(#args),*).send().await.expect("the documented answer");
            #check
            assert_eq!(server.calls_to(#id).len(), 1);
        }
    }
}
