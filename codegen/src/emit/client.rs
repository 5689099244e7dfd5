//! `mod.rs` (the service's `Client` and endpoint table) and `operations/` of a service: one file
//! per group with the group's client methods and request builders, and `operations/mod.rs`, which
//! re-exports the builders and holds what jobs need.

use super::{
    argument_type, argument_value, doc, doc_paragraphs, group_declarations, ident, inner_doc, md,
    rules_text, rust_type, Split,
};
use crate::model::{
    AsyncJob, ClientSetting, Group, JobStatus, Operation, Output, PageStyle, Pagination, Param,
    ParamLocation, PathPart, ResponseBody, Service, Source, StatusStep, TypeRef,
};
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;

pub fn module(service: &Service) -> TokenStream {
    let module_doc = inner_doc(&module_doc_text(service));
    let descriptor = descriptor(service);
    let from_env_doc = doc(&format!(
        "A client configured from the environment: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_PROJECT_ID`, `HUAWEICLOUD_SDK_REGION`, and the region's endpoint override `{0}<REGION>` (such as `{0}CN_NORTH_4`); see [`runtime::ClientBuilder::from_env`].",
        names::region_endpoint_variable_prefix(&service.endpoint_service),
    ));
    let client_doc = doc(&format!(
        "Client for the {} API: one method per operation, each returning a request builder that `.send().await` sends.\n\nCheap to clone: clones share one connection pool.",
        service.title
    ));
    let settings = service.client_settings.iter().map(client_setting);
    quote! {
        #module_doc

        pub mod error_codes;
        pub mod operations;
        pub mod types;

        #[cfg(feature = "mock")]
        pub mod mock;

        #[cfg(test)]
        mod examples;

        #[cfg(all(test, feature = "mock"))]
        mod mock_tests;

        use crate::runtime;

        #descriptor

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: runtime::Handle,
        }

        impl runtime::ServiceClient for Client {
            const SERVICE: &'static runtime::ServiceDescriptor = &SERVICE;

            fn from_handle(handle: runtime::Handle) -> Self {
                Client { handle }
            }
        }

        impl Client {
            /// Starts configuring a client: region or endpoint, credentials, project ID, retries, timeouts.
            pub fn builder() -> runtime::ClientBuilder<Client> {
                runtime::ClientBuilder::new()
            }

            #from_env_doc
            pub fn from_env() -> Result<Client, runtime::Error> {
                Self::builder().from_env().build()
            }

            /// The configured connection, shared by every request of this client.
            pub fn handle(&self) -> &runtime::Handle {
                &self.handle
            }

            #(#settings)*
        }
    }
}

/// `Client::with_<header>`: a client whose requests send a shared header by default.
fn client_setting(setting: &ClientSetting) -> TokenStream {
    let method = ident(&setting.method_name);
    let arg = ident(&names::snake(&setting.wire_name));
    let wire = &setting.wire_name;
    let arg_ty = argument_type(&setting.ty, &quote!(types::));
    let ty = rust_type(&setting.ty, &quote!(types::));
    let value = argument_value(&setting.ty, quote!(#arg));
    let docs = doc_paragraphs(&[
        Some(format!(
            "A client whose requests send the `{wire}` header with this value, unless a request sets its own (the request builder's `.{arg}(..)`); see [`runtime::Handle::with_default_header`]. This client is unchanged; the two share one connection pool."
        )),
        setting.description.as_deref().map(md),
    ]);
    quote! {
        #docs
        pub fn #method(&self, #arg: #arg_ty) -> Client {
            let value: #ty = #value;
            Client {
                handle: self.handle.with_default_header(#wire, value.to_string()),
            }
        }
    }
}

fn module_doc_text(service: &Service) -> String {
    let mut text = format!("{} API client.\n", md(&service.title));
    if let Some(description) = &service.description {
        text.push('\n');
        text.push_str(&md(description));
        text.push('\n');
    }
    text.push_str(&format!(
        "\nTranscribed from: {}. API versions: {}. {} operations.\n\nEnable with the cargo feature `{}`.",
        md(&service.document),
        md(&service.api_versions.join(", ")),
        service.operations.len(),
        service.name
    ));
    text
}

fn descriptor(service: &Service) -> TokenStream {
    let name = &service.name;
    let endpoint_service = &service.endpoint_service;
    let endpoints = service.endpoints.iter().map(|e| {
        let (region, region_name, host) = (&e.region, &e.name, &e.host);
        quote!(runtime::RegionEndpoint { region: #region, name: #region_name, host: #host },)
    });
    let pattern = option_str(service.endpoint_pattern.as_deref());
    let domain = option_str(service.default_domain.as_deref());
    let docs = doc(&format!(
        "How to reach {}: the documented region endpoints and the host pattern for other regions.",
        service.title
    ));
    quote! {
        #docs
        pub static SERVICE: runtime::ServiceDescriptor = runtime::ServiceDescriptor {
            name: #name,
            endpoint_service: #endpoint_service,
            endpoints: &[#(#endpoints)*],
            endpoint_pattern: #pattern,
            default_domain: #domain,
        };
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The documentation an operation shares between its client method and its builder.
fn operation_doc_text(op: &Operation) -> String {
    let source = match &op.source {
        Source::Section(s) => format!("section {s}"),
        Source::Page(p) => format!("page {p}"),
    };
    let mut text = format!(
        "{}.\n\n`{} {}` ({}",
        md(op.summary.trim_end_matches('.')),
        op.method,
        op.path,
        md(&source)
    );
    if let Some(action) = &op.iam_action {
        text.push_str(&format!("; IAM action `{action}`"));
    }
    text.push_str(").");
    if let Some(description) = &op.description {
        text.push_str("\n\n");
        text.push_str(&md(description));
    }
    if let Some(r) = &op.replaced_by {
        text.push_str(&format!(
            "\n\nUnavailable soon: use [`Self::{}`] instead.",
            r.method_name
        ));
    }
    if let Some(job) = &op.async_job {
        text.push_str(&format!(
            "\n\nAsynchronous: the response's `{}` identifies the job that carries the work out.",
            job.job_id_field
        ));
    }
    text
}

fn client_method(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let args = op.required_args().map(|p| {
        let name = ident(&p.rust_name);
        let ty = argument_type(&p.ty, &quote!(types::));
        quote!(#name: #ty)
    });
    let arg_values = op.required_args().map(|p| {
        let name = ident(&p.rust_name);
        argument_value(&p.ty, quote!(#name))
    });
    let body_arg = required_body(op).map(|ty| {
        let ty = rust_type(ty, &quote!(types::));
        quote!(, body: #ty)
    });
    let body_value = required_body(op).map(|_| quote!(, body));
    let docs = doc(&operation_doc_text(op));
    let deprecated = op.deprecated.then(|| {
        let note = match &op.replaced_by {
            Some(r) => format!(
                "the API is unavailable soon; use `{}` ({}) instead",
                r.method_name, r.summary
            ),
            None => "the API is unavailable soon".to_string(),
        };
        quote!(#[deprecated(note = #note)])
    });
    quote! {
        #docs
        #deprecated
        pub fn #method(&self #(, #args)* #body_arg) -> #builder {
            #builder::new(self.handle.clone() #(, #arg_values)* #body_value)
        }
    }
}

fn required_body(op: &Operation) -> Option<&TypeRef> {
    op.body.as_ref().filter(|b| b.required).map(|b| &b.ty)
}

pub fn operations(service: &Service) -> Split {
    let module_doc = inner_doc(&format!(
        "Request builders of the {} API, one per operation. Get one from a [`Client`](super::Client) method, set optional inputs, then `.send().await`.",
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
        let builders = ops.iter().map(|op| ident(&op.builder_name)).collect();
        declarations.push((module, builders));
        groups.push((group.module.clone(), group_operations(service, group, &ops)));
    }
    let waits = service.operations.iter().any(|op| op.async_job.is_some());
    let job_items = service
        .job_status
        .as_ref()
        .filter(|_| waits)
        .map(job_status_items);
    let use_runtime = job_items.is_some().then(|| {
        quote!(
            use crate::runtime;
        )
    });
    let declarations = group_declarations(&declarations);
    let root = quote! {
        #module_doc
        #use_runtime

        #declarations

        #job_items
    };
    Split { root, groups }
}

/// One group's file: its client methods, then its request builders.
fn group_operations(service: &Service, group: &Group, ops: &[&Operation]) -> TokenStream {
    let module_doc = inner_doc(&group_doc_text(service, group));
    let service_module = ident(&service.name);
    let methods = ops.iter().map(|op| client_method(op));
    let builders = ops
        .iter()
        .map(|op| builder(op, service.job_status.as_ref()));
    let uses_types = ops.iter().any(|op| {
        op.params
            .iter()
            .any(|p| matches!(p.ty.innermost(), TypeRef::Named(_)))
            || op.body.is_some()
            || !matches!(op.output, Output::Unit)
    });
    let types = uses_types.then(|| quote!(types,));
    quote! {
        #module_doc
        use crate::#service_module::{#types Client};
        use crate::runtime;

        impl Client {
            #(#methods)*
        }

        #(#builders)*
    }
}

/// The module documentation of a group's file: its title, description and documentation page.
fn group_doc_text(service: &Service, group: &Group) -> String {
    let mut text = format!("{}: client methods and request builders.", md(&group.title));
    if let Some(description) = &group.description {
        text.push_str("\n\n");
        text.push_str(&md(description));
    }
    text.push_str(&format!(
        "\n\nDescribed in `spec/{}/{}.yaml`.",
        service.name, group.name
    ));
    text
}

fn builder(op: &Operation, job_status: Option<&JobStatus>) -> TokenStream {
    let name = ident(&op.builder_name);
    let method_name = &op.method_name;
    let docs = doc(&format!(
        "Request builder of [`Client::{method_name}`]: {}.",
        md(op.summary.trim_end_matches('.'))
    ));
    let body = op.body.as_ref();

    // Fields: the handle, every parameter (required ones plain, optional ones in Option), the body.
    let param_fields = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = rust_type(&p.ty, &quote!(types::));
        if p.required && !p.from_client {
            quote!(#field: #ty,)
        } else {
            quote!(#field: Option<#ty>,)
        }
    });
    let body_field = body.map(|b| {
        let ty = rust_type(&b.ty, &quote!(types::));
        if b.required {
            quote!(body: #ty,)
        } else {
            quote!(body: Option<#ty>,)
        }
    });

    // Constructor: required inputs in, everything else unset.
    let new_args = op.required_args().map(|p| {
        let field = ident(&p.rust_name);
        let ty = rust_type(&p.ty, &quote!(types::));
        quote!(#field: #ty)
    });
    let body_arg = required_body(op).map(|ty| {
        let ty = rust_type(ty, &quote!(types::));
        quote!(, body: #ty)
    });
    let field_inits = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        if p.required && !p.from_client {
            quote!(#field,)
        } else {
            quote!(#field: None,)
        }
    });
    let body_init = body.map(|b| {
        if b.required {
            quote!(body,)
        } else {
            quote!(body: None,)
        }
    });

    let setters = op
        .params
        .iter()
        .filter(|p| !p.required || p.from_client)
        .map(setter);
    let body_setter = body.filter(|b| !b.required).map(|b| {
        let ty = rust_type(&b.ty, &quote!(types::));
        let docs = doc_paragraphs(&[
            Some("Sets the request body.".to_string()),
            b.description.as_deref().map(md),
        ]);
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });
    let send = send_method(op);
    let (send_all, paginated) = match &op.pagination {
        Some(p) => {
            let (methods, paginated) = paging_items(op, p);
            (Some(methods), Some(paginated))
        }
        None => (None, None),
    };
    let send_and_wait = match (&op.async_job, job_status, &op.output) {
        (Some(job), Some(status), Output::Single(ty)) => {
            Some(send_and_wait_method(op, job, status, ty))
        }
        _ => None,
    };
    let deprecated_allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));

    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #name {
            handle: runtime::Handle,
            #(#param_fields)*
            #body_field
        }

        #deprecated_allow
        impl #name {
            pub(super) fn new(handle: runtime::Handle #(, #new_args)* #body_arg) -> Self {
                #name {
                    handle,
                    #(#field_inits)*
                    #body_init
                }
            }

            #(#setters)*
            #body_setter

            /// Adds a header to this request only (`Prefer: code=404` for the mock, or one the spec does not list); see [`runtime::Handle::set_header`].
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.handle.set_header(name, value);
                self
            }

            #send
            #send_all
            #send_and_wait
        }

        #paginated
    }
}

fn setter(p: &Param) -> TokenStream {
    let field = ident(&p.rust_name);
    let docs = if p.from_client {
        doc("Overrides the project ID configured on the client, for this request only.")
    } else {
        let what = format!("The `{}` {} parameter.", p.wire_name, p.location.as_str());
        doc_paragraphs(&[
            p.description.as_deref().map(md).or(Some(what)),
            rules_text(&p.ty, &p.rules),
        ])
    };
    let ty = argument_type(&p.ty, &quote!(types::));
    let value = argument_value(&p.ty, quote!(#field));
    quote! {
        #docs
        pub fn #field(mut self, #field: #ty) -> Self {
            self.#field = Some(#value);
            self
        }
    }
}

fn send_method(op: &Operation) -> TokenStream {
    let operation_id = &op.id;
    let method = ident(&op.method);
    let project_id = op
        .params
        .iter()
        .any(|p| p.from_client)
        .then(|| quote!(let project_id = self.handle.resolve_project_id(self.project_id)?;));
    let project_header = project_id
        .as_ref()
        .map(|_| quote!(request.project_id(&project_id);));
    let path = path_expression(op);
    let query_and_headers = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(add_param);
    let body = op.body.as_ref().map(|b| {
        if b.required {
            quote!(request.json_body(&self.body)?;)
        } else {
            quote!(if let Some(body) = &self.body {
                request.json_body(body)?;
            })
        }
    });
    let retry_safe = op.retry_safe;
    // Every other status is an error, so a redirect or an undocumented 204 is never taken for
    // the documented success.
    let successes: Vec<proc_macro2::Literal> = op
        .responses
        .iter()
        .map(|r| r.status)
        .filter(|s| *s < 400)
        .map(proc_macro2::Literal::u16_unsuffixed)
        .collect();
    let (output_ty, finish) = output(op);
    let docs = doc(&send_doc(op));
    quote! {
        #docs
        pub async fn send(self) -> Result<#output_ty, runtime::Error> {
            #project_id
            let path = #path;
            let mut request = runtime::OperationRequest::new(runtime::Method::#method, #operation_id, path);
            #project_header
            #(#query_and_headers)*
            #body
            request.retry_safe(#retry_safe);
            request.success_statuses(&[#(#successes),*]);
            #finish
        }
    }
}

/// Adds one query or header parameter to the request, once per value for arrays.
fn add_param(p: &Param) -> TokenStream {
    let field = ident(&p.rust_name);
    let wire = &p.wire_name;
    let add = |value: TokenStream| match p.location {
        ParamLocation::Header => quote!(request.header(#wire, #value);),
        _ => quote!(request.query(#wire, #value);),
    };
    let is_array = matches!(p.ty, TypeRef::Array(_));
    let add_value = add(quote!(value));
    match (p.required, is_array) {
        // `send` owns `self`, so a required value moves into the request.
        (true, false) => add(quote!(self.#field)),
        (true, true) => quote! { for value in &self.#field { #add_value } },
        (false, false) => quote! { if let Some(value) = &self.#field { #add_value } },
        (false, true) => {
            quote! { if let Some(values) = &self.#field { for value in values { #add_value } } }
        }
    }
}

fn send_doc(op: &Operation) -> String {
    let mut text = String::from("Sends the request and waits for the response.");
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| r.status >= 400)
        .map(|r| match &r.description {
            Some(d) => format!("{} ({})", r.status, md(d.trim_end_matches('.'))),
            None => r.status.to_string(),
        })
        .collect();
    if !errors.is_empty() {
        text.push_str(&format!(
            "\n\nDocumented error statuses: {}. They arrive as `Error::Api` with the API's error code and message.",
            errors.join(", ")
        ));
    }
    for r in op.responses.iter().filter(|r| r.status >= 400) {
        if let ResponseBody::Typed(ty) = &r.body {
            text.push_str(&format!(
                "\n\nOn {} the body is a `{}`: read it with `ApiError::parse_body`.",
                r.status,
                ty.spec_name()
            ));
        }
    }
    text
}

/// The request path: literal pieces and encoded parameters joined, or one literal.
fn path_expression(op: &Operation) -> TokenStream {
    let pieces: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#text),
            PathPart::Param(index) => {
                let param = &op.params[*index];
                let field = ident(&param.rust_name);
                match (&param.ty, param.from_client) {
                    (_, true) => quote!(&runtime::encode_path_segment(&project_id)),
                    (TypeRef::String, false) => quote!(&runtime::encode_path_segment(&self.#field)),
                    _ => quote!(&runtime::encode_path_segment(&self.#field.to_string())),
                }
            }
        })
        .collect();
    match pieces.as_slice() {
        [single]
            if op
                .path_parts
                .iter()
                .all(|p| matches!(p, PathPart::Literal(_))) =>
        {
            quote!(String::from(#single))
        }
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// The success type of `send` and the code that produces it from the response.
fn output(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.output {
        Output::Unit => (
            quote!(()),
            quote! { self.handle.execute(request).await?; Ok(()) },
        ),
        Output::Single(ty) => (
            rust_type(ty, &quote!(types::)),
            quote! { self.handle.execute(request).await?.json() },
        ),
        Output::ByStatus { name, variants } => {
            let name = ident(name);
            let arms = variants.iter().map(|v| {
                let status = v.status;
                let variant = ident(&v.variant_name);
                match &v.ty {
                    Some(_) => quote!(#status => Ok(types::#name::#variant(response.json()?)),),
                    None => quote!(#status => Ok(types::#name::#variant),),
                }
            });
            let finish = quote! {
                let response = self.handle.execute(request).await?;
                match response.status() {
                    #(#arms)*
                    _ => Err(response.unexpected_status()),
                }
            };
            (quote!(types::#name), finish)
        }
    }
}

/// `send_all`: every page of a paginated operation, items concatenated.
/// How the builder pages, for the runtime's one paging loop, and `pages` / `send_all` on top.
fn paging_items(op: &Operation, pagination: &Pagination) -> (TokenStream, TokenStream) {
    let builder = ident(&op.builder_name);
    let offset_param = &op.params[pagination.offset_param];
    let limit_param = &op.params[pagination.limit_param];
    let (offset, limit) = (
        ident(&offset_param.rust_name),
        ident(&limit_param.rust_name),
    );
    let page_ty = match &op.output {
        Output::Single(ty) => rust_type(ty, &quote!(types::)),
        _ => unreachable!("the validator allows pagination only on a single response type"),
    };
    let item_ty = match &pagination.items.ty {
        TypeRef::Array(inner) => rust_type(inner, &quote!(types::)),
        other => rust_type(other, &quote!(types::)),
    };
    let items = ident(&pagination.items.rust_name);
    let take_items = if pagination.items.required {
        quote!(page.#items)
    } else {
        quote!(page.#items.unwrap_or_default())
    };
    let total = match &pagination.total {
        Some(total) => {
            let field = ident(&total.rust_name);
            if total.required {
                let wide = widen(quote!(page.#field), &total.ty);
                quote!(Some(#wide))
            } else {
                optional_wide(quote!(page.#field), &total.ty)
            }
        }
        None => quote!(None),
    };
    let read = |p: &Param, field: &proc_macro2::Ident| {
        if p.required && !p.from_client {
            let wide = widen(quote!(self.#field), &p.ty);
            quote!(Some(#wide))
        } else {
            optional_wide(quote!(self.#field), &p.ty)
        }
    };
    let position = read(offset_param, &offset);
    let limit_value = read(limit_param, &limit);
    let narrow = match offset_param.ty {
        TypeRef::I64 => quote!(position),
        _ => {
            let ty = rust_type(&offset_param.ty, &quote!());
            quote!(#ty::try_from(position).ok()?)
        }
    };
    let set = if offset_param.required {
        quote!(self.#offset = #narrow;)
    } else {
        quote!(self.#offset = Some(#narrow);)
    };
    let (style, documented_first, what) = match pagination.style {
        PageStyle::Offset => (quote!(Offset), 0, "item offset"),
        PageStyle::Page => (quote!(Page), 1, "page number"),
    };
    let first = offset_param
        .rules
        .default
        .as_ref()
        .and_then(|d| d.as_i64())
        .unwrap_or(documented_first);
    let first = proc_macro2::Literal::i64_unsuffixed(first);
    let pages_doc = doc(&format!(
        "The pages of the answer, fetched as they are asked for, starting at the {what} set with `{}` (or the first page); see [`runtime::pages::Pages`].",
        offset_param.rust_name
    ));
    let methods = quote! {
        #pages_doc
        pub fn pages(self) -> runtime::pages::Pages<Self> {
            runtime::pages::Pages::new(self)
        }

        /// Sends the request page after page and returns the items of every page.
        pub async fn send_all(self) -> Result<Vec<#item_ty>, runtime::Error> {
            self.pages().collect_all().await
        }
    };
    let paginated = quote! {
        impl runtime::pages::Paginated for #builder {
            type Page = #page_ty;
            type Item = #item_ty;
            const STYLE: runtime::pages::PageStyle = runtime::pages::PageStyle::#style;
            const FIRST: i64 = #first;

            fn position(&self) -> Option<i64> {
                #position
            }

            fn at(mut self, position: i64) -> Option<Self> {
                #set
                Some(self)
            }

            fn limit(&self) -> Option<i64> {
                #limit_value
            }

            fn send_page(self) -> impl std::future::Future<Output = Result<Self::Page, runtime::Error>> + Send {
                self.send()
            }

            fn into_items(page: Self::Page) -> (Vec<Self::Item>, Option<i64>) {
                (#take_items, #total)
            }
        }
    };
    (methods, paginated)
}

/// An optional integer as `Option<i64>`.
fn optional_wide(expr: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::I64 => expr,
        _ => quote!(#expr.map(i64::from)),
    }
}

/// An integer expression as `i64`, without a conversion where it already is one.
fn widen(expr: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::I64 => expr,
        _ => quote!(i64::from(#expr)),
    }
}

/// `send_and_wait`: the call, then the runtime's wait for the job it started.
fn send_and_wait_method(
    op: &Operation,
    job: &AsyncJob,
    status: &JobStatus,
    output: &TypeRef,
) -> TokenStream {
    let output = rust_type(output, &quote!(types::));
    let job_id = ident(&job.job_id_rust);
    let can_override = op.params.iter().any(|p| p.from_client) && status.takes_project_id;
    let project_id = match (status.takes_project_id, can_override) {
        (false, _) => None,
        (true, true) => Some(quote!(project_id.clone())),
        (true, false) => Some(quote!(None)),
    };
    let keep_project = can_override.then(|| quote!(let project_id = self.project_id.clone();));
    let project_arg = project_id.map(|p| quote!(, #p));
    let docs = doc(&format!(
        "Sends the request, then asks `{}` every `interval` about the job it started, until the job succeeds (returning this call's response), fails (`Error::JobFailed`) or `timeout` passes (`Error::JobTimeout`). A response that names no job returns at once.",
        status.operation_id
    ));
    quote! {
        #docs
        pub async fn send_and_wait(
            self,
            interval: std::time::Duration,
            timeout: std::time::Duration,
        ) -> Result<#output, runtime::Error> {
            // The job's status is asked with the client's headers, not this request's.
            let handle = self.handle.without_request_headers();
            #keep_project
            let response = self.send().await?;
            let job_id = response.#job_id.clone();
            runtime::jobs::wait_for_job(response, job_id, super::JOB_OUTCOMES, interval, timeout, |job_id| {
                super::job_status(handle.clone() #project_arg, job_id)
            })
            .await
        }
    }
}

/// Once per service with jobs: the statuses that end a wait, and how to read a job's status
/// from the reporting operation's typed answer.
fn job_status_items(status: &JobStatus) -> TokenStream {
    let (succeeded, failed) = (&status.succeeded, &status.failed);
    let reporter = ident(&status.builder_name);
    let (project_param, set_project) = if status.takes_project_id {
        (
            Some(quote!(, project_id: Option<String>)),
            Some(quote! {
                if let Some(project_id) = project_id {
                    report = report.project_id(project_id);
                }
            }),
        )
    } else {
        (None, None)
    };
    let mutable = status.takes_project_id.then(|| quote!(mut));
    let status_text = read_text(&status.status_path);
    let reason_text = match &status.reason_path {
        Some(path) => read_text(path),
        None => quote!(None),
    };
    let docs = doc(&format!(
        "What `{}` reports about a job: its status and, if it failed, why (where its answer says).",
        status.operation_id
    ));
    quote! {
        /// The job statuses that end `send_and_wait`.
        const JOB_OUTCOMES: runtime::jobs::JobOutcomes = runtime::jobs::JobOutcomes {
            succeeded: &[#(#succeeded),*],
            failed: &[#(#failed),*],
        };

        #docs
        async fn job_status(
            handle: runtime::Handle #project_param,
            job_id: String,
        ) -> Result<runtime::jobs::JobReport, runtime::Error> {
            let #mutable report = #reporter::new(handle, job_id);
            #set_project
            let answer = report.send().await?;
            Ok(runtime::jobs::JobReport {
                status: #status_text,
                reason: #reason_text,
            })
        }
    }
}

/// Reads the text at `path` in `answer` as an `Option<String>`, through optional fields, whether
/// it is a `String` or a generated enum (both have `as_str`).
fn read_text(path: &[StatusStep]) -> TokenStream {
    let steps = path.iter().map(|step| {
        let field = ident(&step.rust_name);
        if step.required {
            quote!(.map(|value| &value.#field))
        } else {
            quote!(.and_then(|value| value.#field.as_ref()))
        }
    });
    quote!(Some(&answer)#(#steps)*.map(|value| value.as_str().to_string()))
}
