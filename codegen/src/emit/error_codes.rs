//! `error_codes.rs` of a service: the documented error-code catalogue as typed constants.

use super::{doc, ident, inner_doc, md};
use crate::model::Service;
use proc_macro2::TokenStream;
use quote::quote;

pub fn module(service: &Service) -> TokenStream {
    let example = service
        .error_codes
        .first()
        .map(|e| format!(" (`api_error.is(&{})`)", e.const_name))
        .unwrap_or_default();
    let module_doc = inner_doc(&format!(
        "The error codes the {} API documents ({} of them), as constants to compare an `ApiError` with{example}, and a lookup by code.",
        service.title,
        service.error_codes.len()
    ));
    let constants = service.error_codes.iter().map(|e| {
        let name = ident(&e.const_name);
        let (code, status, message) = (&e.code, e.status, &e.message);
        let description = e.description.as_deref().unwrap_or_default();
        let solution = e.solution.as_deref().unwrap_or_default();
        let docs = doc(&format!("`{code}` (HTTP {status}): {}", md(message)));
        quote! {
            #docs
            pub const #name: ErrorCode = ErrorCode {
                code: #code,
                status: #status,
                message: #message,
                description: #description,
                solution: #solution,
            };
        }
    });
    let mut sorted: Vec<_> = service.error_codes.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let all = sorted.iter().map(|e| ident(&e.const_name));
    quote! {
        #module_doc

        use crate::runtime::ErrorCode;

        #(#constants)*

        /// Every documented error code, sorted by code.
        pub const ALL: &[ErrorCode] = &[#(#all),*];

        /// The documented error code `code`, if there is one.
        pub fn lookup(code: &str) -> Option<&'static ErrorCode> {
            ALL.binary_search_by(|e| e.code.cmp(code)).ok().map(|i| &ALL[i])
        }
    }
}
