//! The generator: YAML spec -> validated model -> emitters -> formatted files.
//!
//! `spec` reads and validates, `model` is what it produces, `names` decides every Rust name, `emit`
//! turns the model into files, `write` formats them and writes or checks them, and `pass` runs
//! all of it, timed by phase.

pub mod diag;
pub mod document;
pub mod drift;
pub mod emit;
pub mod format_cache;
pub mod import;
pub mod migrate;
pub mod model;
pub mod names;
pub mod parallel;
pub mod pass;
mod schema;
pub mod spec;
pub mod write;

use diag::Diagnostics;
use std::path::Path;

/// Loads and validates every service under `dir`.
pub fn load(dir: &Path) -> Result<model::Api, Diagnostics> {
    let mut diags = Diagnostics::default();
    let raw = spec::load::load_dir(dir, &mut diags);
    let api = spec::validate::validate(raw, &mut diags);
    if diags.is_empty() {
        Ok(api)
    } else {
        Err(diags.finish())
    }
}

/// Every file generated from `api` into the crate `target` describes, and the folders whose
/// generated files this run owns (a generated file there that is not produced any more is stale).
pub fn generate(
    api: &model::Api,
    target: &emit::Target,
) -> (Vec<emit::OutputFile>, Vec<std::path::PathBuf>) {
    let (jobs, owned) = jobs(api, target);
    (jobs.iter().flat_map(|job| job()).collect(), owned)
}

/// What [`generate`] does, as jobs that can run on any thread (see [`pass::render`]), and the
/// folders the run owns.
pub fn jobs<'a>(
    api: &'a model::Api,
    target: &emit::Target,
) -> (Vec<emit::jobs::Job<'a>>, Vec<std::path::PathBuf>) {
    let index = target.docs_dir.join("README.md");
    let mut jobs: Vec<emit::jobs::Job<'a>> = vec![Box::new(move || {
        vec![emit::OutputFile {
            path: index.clone(),
            contents: emit::Contents::Markdown(emit::docs::index(&api.services)),
        }]
    })];
    let mut owned = vec![target.docs_dir.clone(), target.openapi_dir.clone()];
    for service in &api.services {
        jobs.extend(emit::jobs::service(service, target));
        owned.push(target.src_dir.join(&service.name));
        owned.push(target.docs_dir.join(&service.name));
    }
    (jobs, owned)
}
