//! `cargo xtask codegen [--check] [--timings]`: the real spec into the published crate, and the
//! test fixtures into the crate that only exists to be compiled.

use codegen::pass::Timings;
use std::path::Path;
use std::time::Instant;

/// The specs the generator reads and the crates it writes them into.
fn targets() -> Vec<(&'static str, codegen::emit::Target)> {
    vec![
        (
            "tests/fixtures/spec",
            codegen::emit::Target {
                src_dir: "tests/fixture-crate/src".into(),
                docs_dir: "tests/fixture-crate/docs".into(),
                openapi_dir: "tests/fixture-crate/openapi".into(),
            },
        ),
        (
            "spec",
            codegen::emit::Target {
                src_dir: "generated/src".into(),
                docs_dir: "generated/docs".into(),
                openapi_dir: "generated/openapi".into(),
            },
        ),
    ]
}

/// Regenerates every target (with `check`, writes nothing and fails naming each stale file);
/// with `timings`, prints each phase's time summed over the targets.
pub fn codegen(check: bool, timings: bool) -> Result<(), String> {
    let started = Instant::now();
    let mut phases = Timings::default();
    let mut changes = Vec::new();
    let mut file_count = 0;
    for (spec_dir, target) in targets() {
        let outcome = codegen::pass::run(Path::new(spec_dir), &target, check, &mut phases)?;
        file_count += outcome.files;
        changes.extend(outcome.changes);
    }
    let elapsed = started.elapsed();
    if timings {
        println!("phases, both targets:\n{phases}");
    }
    if check {
        if changes.is_empty() {
            println!(
                "generated files are up to date ({file_count} files checked in {elapsed:.2?})"
            );
            return Ok(());
        }
        let list: Vec<String> = changes
            .iter()
            .map(|c| format!("  {}", c.out_of_date()))
            .collect();
        return Err(format!(
            "generated files are out of date; run `cargo xtask codegen`:\n{}",
            list.join("\n")
        ));
    }
    for change in &changes {
        println!("{change}");
    }
    println!(
        "{file_count} files generated, {} changed, in {elapsed:.2?}",
        changes.len()
    );
    Ok(())
}
