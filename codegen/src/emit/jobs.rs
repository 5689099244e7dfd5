//! The files of a service as independent jobs, so that the writer can emit and format them on
//! several threads. A token stream cannot cross threads (proc-macro2's is `!Send`), so a job is
//! run, and its Rust formatted, on one thread; only the text comes back.

use super::{
    client, docs, error_codes, examples, mock, mock_tests, openapi, types, Contents, OutputFile,
    Target,
};
use crate::model::Service;

/// Emits some of a run's files. Many small jobs keep the threads evenly busy.
pub type Job<'a> = Box<dyn Fn() -> Vec<OutputFile> + Sync + 'a>;

/// Every file of one service, its code then its Markdown pages and OpenAPI documents, in the
/// order a run lists them.
pub fn service<'a>(service: &'a Service, target: &Target) -> Vec<Job<'a>> {
    let mut jobs = code(service, target);
    jobs.extend(pages(service, target));
    jobs
}

/// The service's module in the crate.
fn code<'a>(service: &'a Service, target: &Target) -> Vec<Job<'a>> {
    let dir = target.src_dir.join(&service.name);
    let rust = |path, tokens| OutputFile {
        path,
        contents: Contents::Rust(tokens),
    };
    let (mod_rs, error_codes_rs, examples_rs) = (
        dir.join("mod.rs"),
        dir.join("error_codes.rs"),
        dir.join("examples.rs"),
    );
    let (operations, types, mock, mock_tests) = (
        dir.join("operations"),
        dir.join("types"),
        dir.join("mock"),
        dir.join("mock_tests"),
    );
    vec![
        Box::new(move || vec![rust(mod_rs.clone(), client::module(service))]),
        Box::new(move || vec![rust(error_codes_rs.clone(), error_codes::module(service))]),
        Box::new(move || vec![rust(examples_rs.clone(), examples::test_module(service))]),
        Box::new(move || {
            client::operations(service)
                .files(operations.clone())
                .collect()
        }),
        Box::new(move || types::types_module(service).files(types.clone()).collect()),
        Box::new(move || mock::module(service).files(mock.clone()).collect()),
        Box::new(move || {
            mock_tests::test_module(service)
                .files(mock_tests.clone())
                .collect()
        }),
    ]
}

/// The service's Markdown pages and OpenAPI documents.
fn pages<'a>(service: &'a Service, target: &Target) -> Vec<Job<'a>> {
    let dir = target.docs_dir.join(&service.name);
    let page = |name: &str, write: fn(&Service) -> String| -> Job<'a> {
        let path = dir.join(name);
        Box::new(move || {
            vec![OutputFile {
                path: path.clone(),
                contents: Contents::Markdown(write(service)),
            }]
        })
    };
    let mut jobs = vec![
        page("README.md", docs::service_index),
        page("types.md", docs::types_page),
        page("errors.md", docs::errors_page),
    ];
    for group in &service.groups {
        let path = dir.join(format!("{}.md", group.name));
        let name = group.name.as_str();
        jobs.push(Box::new(move || {
            vec![OutputFile {
                path: path.clone(),
                contents: Contents::Markdown(docs::group_page(service, name)),
            }]
        }));
    }
    for version in openapi::Version::ALL {
        let path = target.openapi_dir.join(version.file_name(&service.name));
        jobs.push(Box::new(move || {
            vec![OutputFile {
                path: path.clone(),
                contents: Contents::Json(openapi::document(service, version)),
            }]
        }));
    }
    jobs
}
