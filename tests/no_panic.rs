//! The generator never panics on a spec: every line of the fixture spec deleted, doubled or cut
//! short in turn still gives either a model (which then generates and formats) or located errors.

use std::fs;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("no-panic-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("demo")).expect("scratch folder");
    dir
}

/// Loads a spec folder whose `demo/widgets.yaml` is `text`; generation must not panic either.
fn load_variant(root: &Path, service: &str, text: &str) {
    fs::write(root.join("demo/service.yaml"), service).expect("write service");
    fs::write(root.join("demo/widgets.yaml"), text).expect("write group");
    match codegen::load(root) {
        Ok(api) => {
            let target = codegen::emit::Target {
                src_dir: root.join("out/src"),
                docs_dir: root.join("out/docs"),
                openapi_dir: root.join("out/openapi"),
            };
            let (files, _) = codegen::generate(&api, &target);
            for file in &files {
                codegen::write::render(file).expect("a valid spec generates code that parses");
            }
        }
        Err(diags) => assert!(!diags.is_empty()),
    }
}

#[test]
fn mutilated_specs_give_errors_not_panics() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec/demo");
    let service = fs::read_to_string(fixture.join("service.yaml")).expect("fixture service");
    let group = fs::read_to_string(fixture.join("widgets.yaml")).expect("fixture group");
    let lines: Vec<&str> = group.lines().collect();
    let root = scratch("lines");
    for i in 0..lines.len() {
        let deleted: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(n, _)| *n != i)
            .map(|(_, l)| *l)
            .collect();
        load_variant(&root, &service, &deleted.join("\n"));
        let mut doubled = lines.clone();
        doubled.insert(i, lines[i]);
        load_variant(&root, &service, &doubled.join("\n"));
        load_variant(&root, &service, &lines[..i].join("\n"));
        let cut = lines[i].len() / 2;
        let mut halved = lines.clone();
        halved[i] = lines[i].get(..cut).unwrap_or(lines[i]);
        load_variant(&root, &service, &halved.join("\n"));
    }
    let _ = fs::remove_dir_all(&root);
}
