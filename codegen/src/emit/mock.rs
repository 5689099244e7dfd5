//! `mock/` of a service (feature `mock`). `mock/mod.rs` holds a trait with one method per
//! operation whose default answers with the documented example, the server entry points, and the
//! tables the runtime's router reads; one file per group holds the typed input of each operation
//! and how a request becomes it, the operations' table entries and the shapes of the group's types
//! that the mock reads (see `schema_types`); `shared.rs` the shapes of such enums several groups share.

use super::{doc, group_declarations, ident, inner_doc, md, rust_type, Split};
use crate::model::{
    AllowedValue, Group, Operation, Param, ParamLocation, ResponseBody, Service, TypeDef, TypeKind,
    TypeRef,
};
use crate::names;
use crate::schema::{self, DocumentedLimits};
use huaweicloud_db_schema::Leniency;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

pub fn module(service: &Service) -> Split {
    let module_doc = inner_doc(&format!(
        "A fake of the {title} API for tests, served over real HTTP on loopback.\n\n\
         Implement [`Mock`] for your own type and override only the operations a test cares about; every other operation answers with its documented example. \
         [`start`] serves [`DocumentedMock`] (or [`start_with`] your own) on `127.0.0.1` and returns a server whose `url()` goes to the client's `.endpoint(..)` \
         and whose `calls()` show what it received.\n\n\
         Like the API, the mock rejects unknown paths (404), wrong methods (405), requests without `X-Auth-Token` or `Authorization` (401), \
         and malformed or invalid input (400, naming the field), always with the `{{\"error_code\", \"error_msg\"}}` body and an `X-Request-Id` header. \
         A request can pick a documented response with `Prefer: code=<status>` or `Prefer: example=<name>`.",
        title = md(&service.title)
    ));
    let schema_types = schema_types(service);
    let mut declarations = Vec::new();
    let mut schema_parts = Vec::new();
    let mut groups = Vec::new();
    let in_schema = |t: &&TypeDef| schema_types.contains(t.name.as_str());
    let shared: Vec<&TypeDef> = service.shared_types().filter(in_schema).collect();
    let homes = service
        .groups
        .iter()
        .map(|group| {
            let doc = format!(
                "The mock's part for `spec/{}/{}.yaml` ({}).",
                service.name,
                group.name,
                md(&group.title)
            );
            let ops: Vec<&Operation> = service.group_operations(&group.name).collect();
            let types: Vec<&TypeDef> = service.group_types(&group.name).filter(in_schema).collect();
            (group.module.as_str(), doc, ops, types)
        })
        .chain((!shared.is_empty()).then(|| {
            let doc = "The shapes of the enums several groups share.".to_string();
            (names::SHARED_MODULE, doc, Vec::new(), shared)
        }));
    for (module_name, doc, ops, types) in homes {
        if ops.is_empty() && types.is_empty() {
            continue;
        }
        let module = ident(module_name);
        declarations.push((
            module.clone(),
            ops.iter().map(|op| input_name(op)).collect(),
        ));
        if !types.is_empty() {
            schema_parts.push(quote!(#module::SCHEMA));
        }
        groups.push((
            module_name.to_string(),
            group_module(service, &doc, &ops, &types),
        ));
    }
    let trait_methods = service
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| trait_method(i, op));
    let arms = service.operations.iter().enumerate().map(|(i, op)| {
        let index = Literal::usize_unsuffixed(i);
        let module = ident(&group_of(service, op).module);
        let parse = ident(&op.method_name);
        quote!(#index => #module::#parse(mock, request).await,)
    });
    let operations = service.operations.iter().map(|op| {
        let module = ident(&group_of(service, op).module);
        let constant = operation_const(op);
        quote!(#module::#constant)
    });
    let no_such_operation = quote!(Err(MockResponse::error(
        500,
        "MOCK.0500",
        "no such operation"
    )));
    let dispatch_body = if service.operations.is_empty() {
        quote! {
            let _ = (mock, index, request);
            #no_such_operation
        }
    } else {
        quote! {
            match index {
                #(#arms)*
                _ => #no_such_operation,
            }
        }
    };
    let declarations = group_declarations(&declarations);
    let future = (!service.operations.is_empty()).then(|| {
        quote!(
            use std::future::Future;
        )
    });
    let count = Literal::usize_unsuffixed(service.operations.len());
    let fake = super::fake::items(service);
    let root = quote! {
        #module_doc

        use crate::runtime::mock::{self as runtime_mock, MockConfig, MockOperation, MockRequest, MockResponse, MockServer, Schema};
        #future
        use std::sync::Arc;

        #declarations

        /// The service as a mock: one method per operation. Each default answers with the
        /// operation's documented example (or its success status and the smallest valid body).
        pub trait Mock: Send + Sync + 'static {
            #(#trait_methods)*
        }

        /// The mock that answers every operation with its documented example.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct DocumentedMock;

        impl Mock for DocumentedMock {}

        /// `mock` as an axum router, to serve yourself or nest in another app.
        pub fn router<M: Mock>(mock: M, config: MockConfig) -> runtime_mock::Router {
            let mock = Arc::new(mock);
            let dispatch: runtime_mock::Dispatch = Arc::new(move |index, request| {
                let mock = mock.clone();
                Box::pin(async move { dispatch(&*mock, index, request).await })
            });
            runtime_mock::router(&OPERATIONS, SCHEMA, config, dispatch)
        }

        /// Serves `mock` on `127.0.0.1` on a free port, accepting any token or signature.
        pub async fn start<M: Mock>(mock: M) -> std::io::Result<MockServer> {
            start_with(mock, MockConfig::default(), 0).await
        }

        /// Serves `mock` on `127.0.0.1:port` (0 for a free port) with `config`.
        pub async fn start_with<M: Mock>(mock: M, config: MockConfig, port: u16) -> std::io::Result<MockServer> {
            MockServer::start(router(mock, config.clone()), &config, port).await
        }

        /// Parses a request into the operation's input and lets `mock` answer it.
        async fn dispatch<M: Mock>(mock: &M, index: usize, request: MockRequest) -> Result<MockResponse, MockResponse> {
            #dispatch_body
        }

        /// The shapes of the types the mock reads: those of request bodies, which it checks, and
        /// those of success bodies it makes when an operation has no example.
        pub static SCHEMA: Schema = Schema(&[#(#schema_parts),*]);

        /// Every operation: route, documented statuses and examples.
        pub static OPERATIONS: [MockOperation; #count] = [#(#operations),*];

        #fake
    };
    Split { root, groups }
}

fn group_of<'a>(service: &'a Service, op: &Operation) -> &'a Group {
    service
        .groups
        .iter()
        .find(|g| g.name == op.group)
        .expect("the validator gives every operation a declared group")
}

/// The types the mock's schema holds: those request bodies reach, which the mock checks (and
/// the generated tests build when a request has no example), and those of the success bodies
/// that `MockResponse::documented` makes for want of a success example. Types only responses
/// with examples reach are left out: nothing in the mock reads them.
fn schema_types(service: &Service) -> BTreeSet<&str> {
    let requests = service
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref().map(|b| &b.ty));
    let made = service.operations.iter().filter_map(|op| {
        let status = op.success_response()?.status;
        let example = op
            .response_examples
            .iter()
            .any(|e| e.status == Some(status));
        success_body(op).filter(|_| !example)
    });
    service.types_reached(requests.chain(made))
}

/// One group's part of the mock: the inputs of its operations and how each is parsed, its
/// operations' table entries, and the shapes of its types.
fn group_module(
    service: &Service,
    doc: &str,
    ops: &[&Operation],
    types: &[&TypeDef],
) -> TokenStream {
    let group_doc = inner_doc(doc);
    let inputs = ops.iter().map(|op| input_struct(op));
    let parsers = ops.iter().map(|op| parser(service, op));
    let entries = ops.iter().map(|op| operation_entry(op));
    let schema = (!types.is_empty()).then(|| schema(types));
    let imports = imports(ops, types);
    quote! {
        #group_doc
        #imports

        #(#inputs)*
        #(#parsers)*
        #(#entries)*
        #schema
    }
}

/// Only what a group's file uses, so every file compiles without unused imports.
fn imports(ops: &[&Operation], types: &[&TypeDef]) -> TokenStream {
    let has_ops = !ops.is_empty();
    let has_fields = types
        .iter()
        .any(|t| matches!(&t.kind, TypeKind::Object(f) if !f.is_empty()));
    let field_limits = types.iter().any(|t| match &t.kind {
        TypeKind::Object(fields) => fields.iter().any(|f| !schema::field_limits(f).is_none()),
        _ => false,
    });
    let has_params = ops.iter().any(|op| !op.params.is_empty());
    let uses_shapes = has_fields
        || types.iter().any(|t| matches!(t.kind, TypeKind::Alias(_)))
        || ops
            .iter()
            .any(|op| op.body.is_some() || success_body(op).is_some());
    let has_examples = ops
        .iter()
        .any(|op| op.response_examples.iter().any(|e| e.status.is_some()));
    let uses_types = ops.iter().any(|op| {
        op.body.is_some()
            || op
                .params
                .iter()
                .any(|p| matches!(p.ty.innermost(), TypeRef::Named(_)))
    });
    let wanted = [
        (has_fields, quote!(FieldSchema)),
        (field_limits || has_params, quote!(Limits)),
        (has_examples, quote!(MockExample)),
        (has_ops, quote!(MockOperation)),
        (has_ops, quote!(MockRequest)),
        (has_ops, quote!(MockResponse)),
        (uses_shapes, quote!(Shape)),
        (!types.is_empty(), quote!(TypeSchema)),
    ];
    let names = wanted
        .into_iter()
        .filter(|(needed, _)| *needed)
        .map(|(_, name)| name);
    let mock_trait = has_ops.then(|| {
        quote!(
            use super::Mock;
        )
    });
    let types = uses_types.then(|| {
        quote!(
            use super::super::types;
        )
    });
    quote! {
        #mock_trait
        #types
        use crate::runtime::mock::{#(#names),*};
    }
}

/// The constant holding an operation's entry of the table.
fn operation_const(op: &Operation) -> proc_macro2::Ident {
    ident(&op.entry_name)
}

fn input_name(op: &Operation) -> proc_macro2::Ident {
    ident(&op.input_name)
}

fn param_type(p: &Param) -> TokenStream {
    let ty = rust_type(&p.ty, &quote!(types::));
    if p.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn input_struct(op: &Operation) -> TokenStream {
    let name = input_name(op);
    let docs = doc(&format!(
        "What the mock received for `{}`, checked and parsed.",
        op.id
    ));
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = param_type(p);
        let docs = doc(&format!(
            "The `{}` {} parameter.",
            p.wire_name,
            p.location.as_str()
        ));
        quote! { #docs pub #field: #ty, }
    });
    let body = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &quote!(types::));
        let ty = if b.required { ty } else { quote!(Option<#ty>) };
        quote! {
            /// The request body.
            pub body: #ty,
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
            #body
        }
    }
}

fn trait_method(index: usize, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let input = input_name(op);
    let index = Literal::usize_unsuffixed(index);
    let docs = doc(&format!(
        "`{} {}`: {}.",
        op.method,
        op.path,
        md(op.summary.trim_end_matches('.'))
    ));
    quote! {
        #docs
        fn #method(&self, input: #input) -> impl Future<Output = MockResponse> + Send {
            let _ = input;
            std::future::ready(MockResponse::documented(&OPERATIONS[#index], &SCHEMA))
        }
    }
}

/// Documented limits as a `Limits` value; `None` when the documents give none.
fn limits(limits: &DocumentedLimits) -> Option<TokenStream> {
    if limits.is_none() {
        return None;
    }
    let values = &limits.values;
    // Only the limits the documents give are written out; the rest come from `Limits::NONE`.
    let mut given = Vec::new();
    if !values.is_empty() {
        given.push(quote!(values: &[#(#values),*]));
    }
    let bounds = [
        ("minimum", limits.minimum.map(Literal::f64_unsuffixed)),
        ("maximum", limits.maximum.map(Literal::f64_unsuffixed)),
        ("min_length", limits.min_length.map(Literal::u64_unsuffixed)),
        ("max_length", limits.max_length.map(Literal::u64_unsuffixed)),
    ];
    for (name, bound) in bounds {
        if let Some(bound) = bound {
            let name = format_ident!("{name}");
            given.push(quote!(#name: Some(#bound)));
        }
    }
    Some(quote!(Limits { #(#given,)* ..Limits::NONE }))
}

/// A parameter's limits. A parameter of a named enum type parses into the enum's `Unknown`
/// variant rather than failing, so the enum's values are checked as text first, like an inline
/// `enum:`.
fn param_limits(service: &Service, p: &Param) -> TokenStream {
    let mut rules = p.rules.clone();
    if let TypeRef::Named(name) = p.ty.innermost() {
        if let Some(TypeKind::Enum(variants)) = service.type_def(name).map(|t| &t.kind) {
            if rules.enum_values.is_empty() {
                rules.enum_values = variants
                    .iter()
                    .map(|v| AllowedValue {
                        value: v.value.clone().into(),
                        description: None,
                    })
                    .collect();
            }
        }
    }
    limits(&schema::limits(&rules, true)).unwrap_or_else(|| quote!(Limits::NONE))
}

/// How a request of `op` becomes its input, and who answers it.
fn parser(service: &Service, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let input = input_name(op);
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let wire = &p.wire_name;
        let limits = param_limits(service, p);
        let is_array = matches!(p.ty, TypeRef::Array(_));
        let accessor = match (p.location, p.required, is_array) {
            (ParamLocation::Path, _, _) => quote!(path),
            (ParamLocation::Query, true, true) => quote!(required_query_list),
            (ParamLocation::Query, false, true) => quote!(query_list),
            (ParamLocation::Query, true, false) => quote!(required_query),
            (ParamLocation::Query, false, false) => quote!(query),
            (ParamLocation::Header, true, _) => quote!(required_header),
            (ParamLocation::Header, false, _) => quote!(header),
        };
        quote!(#field: request.#accessor(#wire, &#limits)?,)
    });
    let body = op.body.as_ref().map(|b| {
        let shape = shape(&b.ty);
        if b.required {
            quote!(body: request.body(#shape)?,)
        } else {
            quote!(body: request.optional_body(#shape)?,)
        }
    });
    let docs = doc(&format!(
        "Parses a `{}` request into [`{}`] and lets `mock` answer it.",
        op.id,
        input_name(op)
    ));
    quote! {
        #docs
        pub(super) async fn #method<M: Mock>(mock: &M, request: MockRequest) -> Result<MockResponse, MockResponse> {
            let input = #input {
                #(#fields)*
                #body
            };
            if let Some(response) = request.answered() {
                return Ok(response);
            }
            Ok(mock.#method(input).await)
        }
    }
}

pub(crate) fn shape(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(Shape::String),
        TypeRef::Bool => quote!(Shape::Bool),
        TypeRef::I32 => quote!(Shape::I32),
        TypeRef::I64 => quote!(Shape::I64),
        TypeRef::F64 => quote!(Shape::F64),
        TypeRef::Json => quote!(Shape::Json),
        TypeRef::Array(inner) => {
            let inner = shape(inner);
            quote!(Shape::Array(&#inner))
        }
        TypeRef::Map(inner) => {
            let inner = shape(inner);
            quote!(Shape::Map(&#inner))
        }
        TypeRef::Named(name) => quote!(Shape::Named(#name)),
    }
}

fn schema(types: &[&TypeDef]) -> TokenStream {
    let entries = types.iter().map(|t| {
        let name = &t.name;
        let schema = match &t.kind {
            TypeKind::Object(fields) => {
                let fields = fields.iter().map(|f| {
                    let (wire, shape) = (&f.wire_name, shape(&f.ty));
                    let field = if f.required {
                        quote!(FieldSchema::required(#wire, #shape))
                    } else {
                        quote!(FieldSchema::optional(#wire, #shape))
                    };
                    let field = match limits(&schema::field_limits(f)) {
                        Some(limits) => quote!(#field.with_limits(#limits)),
                        None => field,
                    };
                    match schema::leniency(f) {
                        Leniency::TextOrNumber => quote!(#field.text_or_number()),
                        Leniency::OneOrMany => quote!(#field.one_or_many()),
                        Leniency::Strict => field,
                    }
                });
                quote!(TypeSchema::Object(&[#(#fields),*]))
            }
            TypeKind::Enum(variants) => {
                let values = variants.iter().map(|v| &v.value);
                quote!(TypeSchema::Enum(&[#(#values),*]))
            }
            TypeKind::Alias(target) => {
                let target = shape(target);
                quote!(TypeSchema::Alias(#target))
            }
        };
        quote!((#name, #schema))
    });
    quote! {
        /// The shapes of this group's types, sorted by name.
        pub(super) const SCHEMA: &[(&str, TypeSchema)] = &[#(#entries),*];
    }
}

/// The documented response body of an operation's first success status, if typed.
fn success_body(op: &Operation) -> Option<&TypeRef> {
    match &op.success_response()?.body {
        ResponseBody::Typed(ty) => Some(ty),
        _ => None,
    }
}

/// An operation's entry of the table: route, documented statuses and examples.
fn operation_entry(op: &Operation) -> TokenStream {
    let constant = operation_const(op);
    let docs = doc(&format!("The table entry of `{}`.", op.id));
    let (id, method, path) = (&op.id, &op.method, &op.path);
    let success_status = op.success_response().map_or(200, |r| r.status);
    let success_body = match success_body(op) {
        Some(ty) => {
            let shape = shape(ty);
            quote!(Some(#shape))
        }
        None => quote!(None),
    };
    let statuses = op.responses.iter().map(|r| r.status);
    let examples = op.response_examples.iter().filter_map(|e| {
        let status = e.status?;
        let name = &e.name;
        let body = serde_json::to_string(&e.body).ok()?;
        Some(quote!(MockExample { name: #name, status: #status, body: #body }))
    });
    quote! {
        #docs
        pub(super) const #constant: MockOperation = MockOperation {
            id: #id,
            method: #method,
            path: #path,
            success_status: #success_status,
            success_body: #success_body,
            statuses: &[#(#statuses),*],
            examples: &[#(#examples),*],
        };
    }
}
