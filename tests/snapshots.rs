//! Snapshot tests of every emitter on the fixture specs in `tests/fixtures/spec`, which use every
//! feature of the spec language. A generator change shows up here as a readable diff; review it
//! with `cargo insta review` (or set `INSTA_UPDATE=always` and read `git diff`).
//!
//! The same generated code is also compiled and tested as the `fixture-crate` workspace member.

use codegen::emit::Target;
use std::path::Path;

fn fixture_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let api = codegen::load(&root.join("tests/fixtures/spec"))
        .unwrap_or_else(|d| panic!("fixture spec is invalid:\n{d}"));
    let target = Target {
        src_dir: "src".into(),
        docs_dir: "docs".into(),
        openapi_dir: "openapi".into(),
    };
    let (files, _) = codegen::generate(&api, &target);
    files
        .iter()
        .map(|f| {
            let name = f.path.to_string_lossy().replace(['/', '\\'], "__");
            let text = codegen::write::render(f).unwrap_or_else(|e| panic!("{e}"));
            (name, text)
        })
        .collect()
}

#[test]
fn emitted_files_match_their_snapshots() {
    let files = fixture_files();
    // mod, error_codes and examples; operations, types, mock and mock_tests, each a mod.rs and a
    // file per group (jobs, notes, widgets) that has something to hold there; types and mock
    // also a shared.rs (the enum two groups' types use); the docs index and the service's index,
    // types, errors and group pages; the OpenAPI 3.1 and 3.0 documents.
    assert_eq!(files.len(), 30);
    for (name, text) in files {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(fixture_files(), fixture_files());
}
