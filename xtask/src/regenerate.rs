//! `cargo xtask codegen [--check] [--timings] [--no-cache]`: the real spec into the published
//! crate, and the test fixtures into the crate that only exists to be compiled.

use codegen::pass::Timings;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The specs the generator reads, the crates it writes them into, and the name of each one's
/// format cache.
fn targets() -> Vec<(&'static str, codegen::emit::Target, &'static str)> {
    vec![
        (
            "tests/fixtures/spec",
            codegen::emit::Target {
                src_dir: "tests/fixture-crate/src".into(),
                docs_dir: "tests/fixture-crate/docs".into(),
                openapi_dir: "tests/fixture-crate/openapi".into(),
            },
            "fixture-crate",
        ),
        (
            "spec",
            codegen::emit::Target {
                src_dir: "generated/src".into(),
                docs_dir: "generated/docs".into(),
                openapi_dir: "generated/openapi".into(),
            },
            "generated",
        ),
    ]
}

/// Where a target's format cache lives: in cargo's target folder, which `cargo clean` empties.
fn cache_file(name: &str) -> PathBuf {
    crate::target_dir()
        .join("codegen")
        .join(format!("{name}.format-cache"))
}

/// Regenerates every target (with `check`, writes nothing and fails naming each stale file);
/// with `timings`, prints each phase's time summed over the targets. Without `cache`, every
/// file is formatted and the format caches are neither read nor written.
pub fn codegen(check: bool, timings: bool, cache: bool) -> Result<(), String> {
    let started = Instant::now();
    let mut phases = Timings::default();
    let mut changes = Vec::new();
    let (mut file_count, mut formatted, mut reused) = (0, 0, 0);
    for (spec_dir, target, cache_name) in targets() {
        let cache_file = cache.then(|| cache_file(cache_name));
        let outcome = codegen::pass::run(
            Path::new(spec_dir),
            &target,
            check,
            cache_file.as_deref(),
            &mut phases,
        )?;
        file_count += outcome.files;
        formatted += outcome.formatted;
        reused += outcome.reused;
        changes.extend(outcome.changes);
    }
    let elapsed = started.elapsed();
    if timings {
        println!("phases, both targets:\n{phases}");
        println!(
            "Rust files: {formatted} formatted, {reused} as formatted before (format cache)\n"
        );
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
