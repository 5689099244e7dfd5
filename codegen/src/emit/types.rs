//! `types/` of a service: structs, enums and aliases for every named type, and the output enums
//! of operations whose success statuses carry different bodies, one file per group, and the
//! inline enums several groups share in `shared.rs`; `types/mod.rs` re-exports them all. Enums
//! only describe their variants: the runtime's `string_enum!` gives them their behaviour.

use super::{
    argument_type, argument_value, code_value, doc, doc_paragraphs, group_declarations, ident,
    inner_doc, md, rules_text, rust_type, takes_into, Split, LENIENT_NOTE, ONE_OR_MANY_NOTE,
};
use crate::model::{EnumVariant, Field, Operation, Output, Service, TypeDef, TypeKind, TypeRef};
use crate::names::{self, SHARED_MODULE, UNKNOWN_VARIANT};
use proc_macro2::TokenStream;
use quote::quote;

pub fn types_module(service: &Service) -> Split {
    let module_doc = inner_doc(&format!(
        "Request and response types of the {} API.\n\nUnknown JSON fields are ignored and unknown enum values are kept as `Unknown`, so newer API versions do not break deserialization.",
        service.title
    ));
    let mut declarations = Vec::new();
    let mut groups = Vec::new();
    let request_types = service.request_types();
    let shared: Vec<&TypeDef> = service.shared_types().collect();
    let homes = service
        .groups
        .iter()
        .map(|group| {
            let doc = format!(
                "Types declared in `spec/{}/{}.yaml` ({}).",
                service.name,
                group.name,
                md(&group.title)
            );
            let types: Vec<&TypeDef> = service.group_types(&group.name).collect();
            (Some(group), group.module.as_str(), doc, types)
        })
        .chain((!shared.is_empty()).then(|| {
            let doc =
                "The enums that inline `enum:` lists with the same values in several groups share."
                    .to_string();
            (None, SHARED_MODULE, doc, shared)
        }));
    for (group, module_name, doc, types) in homes {
        let outputs: Vec<(&Operation, TokenStream)> = group
            .into_iter()
            .flat_map(|group| service.group_operations(&group.name))
            .filter_map(|op| output_enum(op).map(|tokens| (op, tokens)))
            .collect();
        if types.is_empty() && outputs.is_empty() {
            continue;
        }
        let module = ident(module_name);
        let names = types
            .iter()
            .map(|t| ident(&t.name))
            .chain(outputs.iter().filter_map(|(op, _)| match &op.output {
                Output::ByStatus { name, .. } => Some(ident(name)),
                _ => None,
            }))
            .collect();
        declarations.push((module, names));
        let group_doc = inner_doc(&doc);
        let home = group.map(|g| g.name.as_str());
        let foreign = |ty: &TypeRef| match ty.innermost() {
            TypeRef::Named(name) => service
                .type_def(name)
                .is_some_and(|t| t.group.as_deref() != home),
            _ => false,
        };
        let names_others = types.iter().any(|def| refers_to(def, foreign))
            || outputs.iter().any(|(op, _)| match &op.output {
                Output::ByStatus { variants, .. } => {
                    variants.iter().any(|v| v.ty.as_ref().is_some_and(foreign))
                }
                _ => false,
            });
        // Types refer to each other by name, whichever group declares them.
        let use_types = names_others.then(|| {
            quote!(
                use super::*;
            )
        });
        let definitions = types
            .iter()
            .map(|def| type_def(def, request_types.contains(def.name.as_str())));
        let outputs = outputs.into_iter().map(|(_, tokens)| tokens);
        groups.push((
            module_name.to_string(),
            quote! {
                #group_doc
                #use_types

                #(#definitions)*
                #(#outputs)*
            },
        ));
    }
    let declarations = group_declarations(&declarations);
    let has_enums = service
        .types
        .iter()
        .any(|t| matches!(t.kind, TypeKind::Enum(_)));
    // Every enum of every service keeps an unknown value in the runtime's one type; the path
    // `types::UnknownValue` stays for those who name it.
    let unknown_value = has_enums.then(|| {
        quote!(
            pub use crate::runtime::UnknownValue;
        )
    });
    let root = quote! {
        #module_doc
        #declarations
        #unknown_value
    };
    Split { root, groups }
}

/// Whether a field or alias of `def` has a type that `test` picks.
fn refers_to(def: &TypeDef, test: impl Fn(&TypeRef) -> bool) -> bool {
    match &def.kind {
        TypeKind::Object(fields) => fields.iter().any(|f| test(&f.ty)),
        TypeKind::Enum(_) => false,
        TypeKind::Alias(target) => test(target),
    }
}

fn type_def(def: &TypeDef, in_requests: bool) -> TokenStream {
    match &def.kind {
        TypeKind::Object(fields) => object(def, fields, in_requests),
        TypeKind::Enum(variants) => string_enum(def, variants),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let target = rust_type(target, &quote!());
            let docs = type_docs(def);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn type_docs(def: &TypeDef) -> TokenStream {
    let fallback = format!("The `{}` type of the API.", def.name);
    let description = def.description.as_deref().map(md).or(Some(fallback));
    let used_as = super::phrasing::used_as(&def.used_as);
    doc_paragraphs(&[
        description,
        used_as,
        def.note.as_deref().map(|n| format!("Note: {}", md(n))),
    ])
}

fn object(def: &TypeDef, fields: &[Field], in_requests: bool) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let default = def.defaultable.then(|| quote!(Default,));
    let has_secret = fields.iter().any(|f| f.secret);
    let derive_debug = (!has_secret).then(|| quote!(Debug,));
    let debug_impl = has_secret.then(|| secret_debug(&def.name, fields));
    let construction = construction(def, fields, in_requests);
    let fields = fields.iter().map(field);
    quote! {
        #docs
        #[derive(#derive_debug Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #construction
        #debug_impl
    }
}

/// `new` with the required fields, and for the types a request can contain a `with_` setter per
/// optional field: the way to build a value outside this crate, where `#[non_exhaustive]` forbids
/// struct literals so that fields the API adds later do not break callers. Response types, built
/// only in tests of mocks, get `new` and have their optional fields set by assignment.
fn construction(def: &TypeDef, fields: &[Field], in_requests: bool) -> TokenStream {
    let name = ident(&def.name);
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let field = ident(&f.rust_name);
        let ty = argument_type(&f.ty, &quote!());
        quote!(#field: #ty)
    });
    let inits = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        if f.required {
            if takes_into(&f.ty) {
                quote!(#field: #field.into(),)
            } else {
                quote!(#field,)
            }
        } else {
            quote!(#field: None,)
        }
    });
    let too_many = (required.len() > 7).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "the API requires every one of them")])
    });
    let new_doc = if required.is_empty() {
        format!("A `{}` with no field set.", def.name)
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.rust_name))
            .collect();
        format!(
            "A `{}` with its required fields ({}); set the others with the `with_` methods.",
            def.name,
            names.join(", ")
        )
    };
    let new_doc = doc(&new_doc);
    let setters = fields
        .iter()
        .filter(|f| in_requests && !f.required)
        .map(|f| {
            let field = ident(&f.rust_name);
            let setter = ident(&names::field_setter_name(&f.rust_name));
            let ty = argument_type(&f.ty, &quote!());
            let value = argument_value(&f.ty, quote!(#field));
            let docs = doc(&format!("Sets `{}`.", f.rust_name));
            quote! {
                #docs
                pub fn #setter(mut self, #field: #ty) -> Self {
                    self.#field = Some(#value);
                    self
                }
            }
        });
    quote! {
        impl #name {
            #new_doc
            #too_many
            pub fn new(#(#args),*) -> Self {
                #name { #(#inits)* }
            }

            #(#setters)*
        }
    }
}

/// `Debug` for a type with secret fields: each secret shows as `***` (or `None` when absent).
fn secret_debug(type_name: &str, fields: &[Field]) -> TokenStream {
    let name = ident(type_name);
    let entries = fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.rust_name;
        match (f.secret, f.required) {
            (false, _) => quote!(.field(#wire, &self.#field)),
            (true, true) => quote!(.field(#wire, &"***")),
            (true, false) => quote!(.field(#wire, &self.#field.as_ref().map(|_| "***"))),
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name)#(#entries)*.finish()
            }
        }
    }
}

/// The type a struct declares for field `f`: its Rust type, in `Option` unless the field is
/// required. The Markdown reference shows the same tokens.
pub(crate) fn field_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty, &quote!());
    if f.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let ty = field_type(f);
    let fallback = format!("The `{}` field.", f.wire_name);
    let docs = doc_paragraphs(&[
        f.description.as_deref().map(md).or(Some(fallback)),
        rules_text(&f.ty, &f.rules),
        f.lenient.then(|| LENIENT_NOTE.to_string()),
        f.one_or_many.then(|| ONE_OR_MANY_NOTE.to_string()),
        f.secret.then(|| "Secret: `Debug` shows `***`.".to_string()),
        f.deprecated.then(|| "Deprecated by the API.".to_string()),
    ]);
    let rename = (f.rust_name != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let lenient = if f.lenient {
        Some(quote!(#[serde(deserialize_with = "crate::runtime::lenient::deserialize")]))
    } else if f.one_or_many {
        Some(quote!(#[serde(
            deserialize_with = "crate::runtime::one_or_many::deserialize",
            serialize_with = "crate::runtime::one_or_many::serialize"
        )]))
    } else {
        None
    };
    let optional =
        (!f.required).then(|| quote!(#[serde(default, skip_serializing_if = "Option::is_none")]));
    quote! {
        #docs
        #rename
        #lenient
        #optional
        pub #name: #ty,
    }
}

/// A string enum: the variants with their documentation, and their wire values for the runtime's
/// `string_enum!`, which gives it every behaviour a string enum has.
fn string_enum(def: &TypeDef, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let unknown = ident(UNKNOWN_VARIANT);
    let declarations = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let text = match &v.description {
            Some(d) => format!("{}: {}", code_value(&v.value), md(d)),
            None => code_value(&v.value),
        };
        let docs = doc(&text);
        quote! { #docs #variant, }
    });
    let table = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        quote! { #variant = #value }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            /// A value this version of the crate does not know; kept as sent.
            #unknown(super::UnknownValue),
        }

        crate::runtime::string_enum! {
            #name { #(#table),* }
        }
    }
}

fn output_enum(op: &Operation) -> Option<TokenStream> {
    let Output::ByStatus { name, variants } = &op.output else {
        return None;
    };
    let name = ident(name);
    let docs = doc(&format!(
        "What `{}` returns: the body depends on the status the API answers with.",
        op.method_name
    ));
    let variants = variants.iter().map(|v| {
        let variant = ident(&v.variant_name);
        let description = op
            .responses
            .iter()
            .find(|r| r.status == v.status)
            .and_then(|r| r.description.clone());
        let docs = doc(&match description {
            Some(d) => format!("Status {}: {}", v.status, md(&d)),
            None => format!("Status {}.", v.status),
        });
        match &v.ty {
            Some(ty) => {
                let ty = rust_type(ty, &quote!());
                quote! { #docs #variant(#ty), }
            }
            None => quote! { #docs #variant, },
        }
    });
    Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    })
}
